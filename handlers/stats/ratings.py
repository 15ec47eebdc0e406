"""/stats ⭐ Hand-off ratings: per ISO week (WIB) how many ratings and their average, and the
latest comments, masked as they were stored."""

from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape

from babel.dates import format_date
from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.config import CENTRE_TIMEZONE
from bot.context import BotContext
from bot.i18n import Translator
from bot.screens import Screen
from bot.staff.roles import staff_only
from bot.stats.ratings import WeekRatings, first_monday, weekly_ratings
from db.handoff_ratings import list_latest_comments, list_rating_moments
from db.models import utc_now
from handlers.stats import screens

COMMENTS_SHOWN = 10
# Each comment is cut to this on the screen, so ten of them fit one message.
COMMENT_SHOWN_LENGTH = 280
# Telegram's limit for a message, in characters after entity parsing.
MESSAGE_LIMIT = 4096


@staff_only
async def show_handoff_ratings(update: Update, context: BotContext) -> None:
    """How users rated their conversations with staff, week by week, and what they said."""
    now = utc_now()
    async with context.db_session() as session:
        given = await list_rating_moments(session, since=first_monday(now, CENTRE_TIMEZONE))
        comments = await list_latest_comments(session, limit=COMMENTS_SHOWN)
    weeks = weekly_ratings(given, now=now, zone=CENTRE_TIMEZONE)
    await screens.send_answer(update, ratings_screen(context.translator, weeks, comments))


def ratings_screen(
    translator: Translator,
    weeks: Sequence[WeekRatings],
    comments: Sequence[tuple[datetime, int, str]],
) -> Screen:
    _ = translator.gettext
    keyboard = InlineKeyboardMarkup([screens.back_row(translator)])
    title = _("⭐ <b>Hand-off ratings</b> (last {weeks} weeks, WIB)").format(
        weeks=translator.format_number(len(weeks))
    )
    if not any(week.count for week in weeks) and not comments:
        return Screen(title + "\n" + _("No ratings yet."), keyboard)
    lines = [title, _("<i>Per week: ratings · average</i>")]
    lines += [week_line(translator, week) for week in weeks]
    if comments:
        lines += ["", _("<b>Latest comments</b> (newest first):")]
    for moment, rating, comment in comments:
        line = comment_line(translator, moment, rating, comment)
        if len("\n".join([*lines, line])) > MESSAGE_LIMIT - 20:
            lines.append("…")
            break
        lines.append(line)
    return Screen("\n".join(lines), keyboard)


def week_line(translator: Translator, week: WeekRatings) -> str:
    label = translator.gettext("Week {week} ({monday})").format(
        week=week.week, monday=format_date(week.monday, format="d MMM", locale=translator.locale)
    )
    if week.average is None:
        return f"{label}: 0"
    count = translator.format_number(week.count)
    return f"{label}: <b>{count}</b> · {translator.format_one_decimal(week.average)}"


def comment_line(translator: Translator, moment: datetime, rating: int, comment: str) -> str:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    day = format_date(aware.astimezone(CENTRE_TIMEZONE), format="d MMM", locale=translator.locale)
    shown = comment
    if len(comment) > COMMENT_SHOWN_LENGTH:
        shown = comment[:COMMENT_SHOWN_LENGTH] + "…"
    return f"{rating} ⭐ · {day}: «{escape(shown)}»"


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [CallbackQueryHandler(show_handoff_ratings, pattern=rf"^{screens.HANDOFF_RATINGS}$")]
