"""/stats → the FAQ hit rate: how typed questions were answered over the last 7 and 30 days
(staff's own tries left out)."""

from datetime import timedelta

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import BotContext
from bot.i18n import Translator
from bot.questions.grouping import LONGER_DAYS, RECENT_DAYS
from bot.screens import Screen, show
from bot.staff.roles import staff_only
from db.faq_questions import count_outcomes
from db.models import utc_now
from handlers.stats import screens


def share(translator: Translator, count: int, total: int) -> str:
    percent = screens.percent_text(translator, 100 * count / total if total else 0)
    return f"{translator.format_number(count)} ({percent})"


def window_lines(translator: Translator, days: int, counts: dict[str, int]) -> str:
    _ = translator.gettext
    total = sum(counts.get(outcome, 0) for outcome in ("answered", "suggested", "unanswered"))
    if total == 0:
        return _("<b>Last {days} days</b>: no questions typed.").format(days=days)
    return _(
        "<b>Last {days} days</b>: {total} questions\n"
        "Answered directly: {answered}\n"
        "Via suggestions: {suggested}\n"
        "Unanswered: {unanswered}\n"
        "👎 Didn't help: {didnt_help}"
    ).format(
        days=days,
        total=translator.format_number(total),
        answered=share(translator, counts.get("answered", 0), total),
        suggested=share(translator, counts.get("suggested", 0), total),
        unanswered=share(translator, counts.get("unanswered", 0), total),
        didnt_help=translator.format_number(counts.get("didnt_help", 0)),
    )


@staff_only
async def show_faq_hits(update: Update, context: BotContext) -> None:
    """Answered directly, via suggestions, unanswered, and "didn't help" taps."""
    now = utc_now()
    async with context.db_session() as session:
        windows = {
            days: await count_outcomes(session, since=now - timedelta(days=days))
            for days in (RECENT_DAYS, LONGER_DAYS)
        }
    translator = context.translator
    lines = [translator.gettext("❓ <b>FAQ hit rate</b>")]
    lines += [window_lines(translator, days, counts) for days, counts in windows.items()]
    lines.append(translator.gettext("Unanswered questions, to answer them: /questions"))
    keyboard = InlineKeyboardMarkup([screens.back_row(translator)])
    await show(update, Screen("\n\n".join(lines), keyboard))


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [CallbackQueryHandler(show_faq_hits, pattern=rf"^{screens.FAQ_HITS}$")]
