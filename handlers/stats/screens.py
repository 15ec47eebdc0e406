"""What /stats shows: the menu, the choosers, and each answer as a chart with the numbers in
its caption, or a friendly line when there is nothing to count yet."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from html import escape
from typing import Any

from babel.dates import format_date
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode

from bot.forms.profile_labels import regency_label
from bot.i18n import N_, Translator
from bot.navigation import button
from bot.screens import Screen, show
from bot.stats.charts import daily_chart, horizontal_bars, render
from bot.stats.funnel import STAGE_LABELS, UNKNOWN_REGENCY, FunnelStep, is_empty
from db.models import Campaign, Programme

P = "sts"
MENU = f"{P}:menu"
OVERALL = f"{P}:all"
REGENCIES = f"{P}:reg"
FAQ_HITS = f"{P}:faq"
HANDOFF_RATINGS = f"{P}:fb"
PAGE_SIZE = 8
DAY_WINDOWS = (14, 30)
UNKNOWN_REGENCY_LABEL = N_("Not asked")
# Telegram's limit for a photo caption, in characters after entity parsing.
CAPTION_LIMIT = 1024


@dataclass(frozen=True)
class Chart:
    """A chart to draw after the transaction, sent as a photo with its numbers as caption."""

    draw: Callable[..., bytes]
    args: tuple[Any, ...]
    caption: str
    keyboard: InlineKeyboardMarkup


Answer = Chart | Screen


def programmes_data(page: int) -> str:
    return f"{P}:ps:{page}"


def campaigns_data(page: int) -> str:
    return f"{P}:cs:{page}"


def days_data(days: int) -> str:
    return f"{P}:days:{days}"


def menu_screen(translator: Translator, blocked: int) -> Screen:
    """The menu, with how many people have blocked the bot (broadcasts skip them)."""
    _ = translator.gettext
    rows = [
        [button(_("📊 Funnel: everyone"), OVERALL)],
        [button(_("🎓 Funnel per programme"), programmes_data(0))],
        [button(_("📣 Funnel per campaign"), campaigns_data(0))],
        [button(_("🏠 Submissions by regency"), REGENCIES)],
        [button(_("❓ FAQ hit rate"), FAQ_HITS)],
        [button(_("⭐ Hand-off ratings"), HANDOFF_RATINGS)],
        [
            button(_("📅 Last {days} days").format(days=days), days_data(days))
            for days in DAY_WINDOWS
        ],
    ]
    text = _("📊 <b>Statistics</b>\nWhat would you like to see?")
    if blocked:
        text += "\n\n" + translator.ngettext(
            "🚫 {count} person has blocked the bot: broadcasts skip them.",
            "🚫 {count} people have blocked the bot: broadcasts skip them.",
            blocked,
        ).format(count=translator.format_number(blocked))
    return Screen(text, InlineKeyboardMarkup(rows))


def back_row(translator: Translator, *extra: InlineKeyboardButton) -> list[InlineKeyboardButton]:
    return [*extra, button(translator.gettext("◀️ Statistics"), MENU)]


def chooser_screen(
    translator: Translator,
    text: str,
    options: Sequence[tuple[str, str]],
    page: int,
    pages: int,
    page_data: Callable[[int], str],
    back: InlineKeyboardButton | None = None,
) -> Screen:
    """A paged list of buttons: programmes or campaigns, then the way back (to /stats)."""
    _ = translator.gettext
    rows = [[button(label, data)] for label, data in options]
    paging = []
    if page > 0:
        paging.append(button(_("‹ Previous"), page_data(page - 1)))
    if page + 1 < pages:
        paging.append(button(_("Next ›"), page_data(page + 1)))
    if paging:
        rows.append(paging)
    rows.append([back] if back is not None else back_row(translator))
    if pages > 1:
        text += "\n" + _("Page {page} of {pages}").format(page=page + 1, pages=pages)
    return Screen(text, InlineKeyboardMarkup(rows))


def programme_chooser(
    translator: Translator, programmes: Sequence[Programme], page: int, total: int
) -> Screen:
    options = [(p.texts["title"][translator.locale], f"{P}:p:{p.code}") for p in programmes]
    return chooser_screen(
        translator,
        translator.gettext("🎓 Which programme?"),
        options,
        page,
        -(-total // PAGE_SIZE),
        programmes_data,
    )


def campaign_chooser(
    translator: Translator, campaigns: Sequence[Campaign], page: int, total: int
) -> Screen:
    _ = translator.gettext
    if total == 0:
        text = _("No campaigns yet. Create one with /campaigns.")
        return Screen(text, InlineKeyboardMarkup([back_row(translator)]))
    options = [(c.name, f"{P}:c:{c.code}") for c in campaigns]
    return chooser_screen(
        translator, _("📣 Which campaign?"), options, page, -(-total // PAGE_SIZE), campaigns_data
    )


def percent_text(translator: Translator, value: float | None) -> str:
    return "" if value is None else f"{translator.format_number(round(value))}%"


def funnel_answer(
    translator: Translator,
    title: str,
    steps: Sequence[FunnelStep],
    keyboard: InlineKeyboardMarkup,
) -> Answer:
    """Horizontal bars from "started" down to "accepted", with the share of those who started."""
    _ = translator.gettext
    if is_empty(steps):
        text = _("📊 <b>{title}</b>\nNo data yet: nobody has reached any step.").format(
            title=escape(title)
        )
        return Screen(text, keyboard)
    labels = [_(STAGE_LABELS[step.stage]) for step in steps]
    notes = []
    lines = []
    for index, (label, step) in enumerate(zip(labels, steps, strict=True)):
        count = translator.format_number(step.count)
        share = percent_text(translator, step.of_first)
        notes.append(count if index == 0 or not share else f"{count} · {share}")
        lines.append(f"{label}: <b>{count}</b>" + (f" ({share})" if index and share else ""))
    caption = "📊 <b>{title}</b>\n{lines}\n<i>{note}</i>".format(
        title=escape(title),
        lines="\n".join(lines),
        note=_("Percentages are of those who started."),
    )
    return Chart(
        horizontal_bars, (title, labels, [s.count for s in steps], notes), caption, keyboard
    )


def regency_answer(translator: Translator, rows: Sequence[tuple[str, int]]) -> Answer:
    _ = translator.gettext
    keyboard = InlineKeyboardMarkup([back_row(translator)])
    title = _("Submitted registrations by regency")
    total = sum(count for _code, count in rows)
    if total == 0:
        text = _("🏠 <b>{title}</b>\nNo data yet: no registration has been submitted.").format(
            title=title
        )
        return Screen(text, keyboard)
    labels = [
        _(UNKNOWN_REGENCY_LABEL) if code == UNKNOWN_REGENCY else regency_label(translator, code)
        for code, _count in rows
    ]
    counts = [count for _code, count in rows]
    notes = [translator.format_number(count) for count in counts]
    lines = "\n".join(
        f"{escape(label)}: <b>{note}</b>" for label, note in zip(labels, notes, strict=True)
    )
    caption = "🏠 <b>{title}</b>\n{lines}\n{total}".format(
        title=title,
        lines=lines,
        total=_("Total: <b>{count}</b>").format(count=translator.format_number(total)),
    )
    return Chart(horizontal_bars, (title, labels, counts, notes), caption, keyboard)


def day_label(translator: Translator, day: date) -> str:
    return format_date(day, format="d MMM", locale=translator.locale)


def daily_answer(
    translator: Translator,
    days: int,
    users: Sequence[tuple[date, int]],
    submitted: Sequence[tuple[date, int]],
) -> Answer:
    """New users and submitted registrations per day, with totals, the busiest day and each
    day's numbers in the caption (as many as fit, newest first)."""
    _ = translator.gettext
    keyboard = InlineKeyboardMarkup(
        [
            [
                button(_("📅 Last {days} days").format(days=d), days_data(d))
                for d in DAY_WINDOWS
                if d != days
            ],
            back_row(translator),
        ]
    )
    title = _("The last {days} days (WIB)").format(days=days)
    user_total = sum(count for _day, count in users)
    submitted_total = sum(count for _day, count in submitted)
    if user_total == 0 and submitted_total == 0:
        text = _("📅 <b>{title}</b>\nNo data yet: no new users and no submissions.").format(
            title=title
        )
        return Screen(text, keyboard)
    number = translator.format_number
    busiest_day, busiest = max(users, key=lambda pair: (pair[1], pair[0]))
    lines = [
        f"📅 <b>{title}</b>",
        _("New users: <b>{count}</b>").format(count=number(user_total)),
        _("Submitted registrations: <b>{count}</b>").format(count=number(submitted_total)),
    ]
    if busiest:
        lines.append(
            _("Busiest day: {day} ({count} new users)").format(
                day=day_label(translator, busiest_day), count=number(busiest)
            )
        )
    lines.append("\n" + _("<i>Per day: new users · submitted</i>"))
    for (day, user_count), (_day, submitted_count) in reversed(
        list(zip(users, submitted, strict=True))
    ):
        if not user_count and not submitted_count:
            continue
        line = f"{day_label(translator, day)}: {number(user_count)} · {number(submitted_count)}"
        if len("\n".join([*lines, line])) > CAPTION_LIMIT - 20:
            lines.append("…")
            break
        lines.append(line)
    series = [
        (_("New users"), [count for _day, count in users]),
        (_("Submitted"), [count for _day, count in submitted]),
    ]
    labels = [day_label(translator, day) for day, _count in users]
    return Chart(daily_chart, (title, labels, series), "\n".join(lines), keyboard)


async def send_answer(update: Update, answer: Answer, *, below: bool = False) -> None:
    """A screen as usual; a chart drawn off the event loop and sent as a new photo.

    below: the tap was answered already and something was sent since (a QR code), so this
    comes as a new message under it."""
    query = None if below else update.callback_query
    chat = update.effective_chat
    if isinstance(answer, Screen) and below:
        if chat is not None:
            await chat.send_message(
                answer.text, parse_mode=ParseMode.HTML, reply_markup=answer.keyboard
            )
        return
    if isinstance(answer, Screen):
        # A chart's or a QR code's caption cannot become a text: below one, send a new message.
        tapped = query.message if query is not None else None
        below_media = (
            tapped is not None and tapped.is_accessible and tapped.text is None  # type: ignore[union-attr]
        )
        await show(update, replace(answer, edit=answer.edit and not below_media))
        return
    if query is not None:
        await query.answer()
    png = await render(answer.draw, *answer.args)
    if chat is not None:
        await chat.send_photo(
            png, caption=answer.caption, parse_mode=ParseMode.HTML, reply_markup=answer.keyboard
        )
