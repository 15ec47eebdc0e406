"""What /intake shows staff: every trainee intake with its state, dates and places, one
intake's settings with buttons to change them, and the prompts and answers for typed values."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from telegram import InlineKeyboardMarkup

from bot.i18n import N_, Translator
from bot.intake.dates import (
    CLOSES_BEFORE_OPENS,
    CLOSING_DAY_PASSED,
    INTAKE_STATES,
    OPENING_DAY_CAME,
    Conflict,
)
from bot.navigation import button
from bot.screens import Screen
from db.models import Programme
from handlers.programmes.browse import INTAKE_LABELS, INTAKE_MARKS, intake_label, unconfirmed

P = "ik"
QUOTA, OPENS_ON, CLOSES_ON = "quota", "opens_on", "closes_on"
TYPED_FIELDS = (QUOTA, OPENS_ON, CLOSES_ON)
PAGE_SIZE = 8
STATE_BUTTONS = {
    "open": N_("🟢 Open"),
    "closed": N_("🔴 Close"),
    "planned": N_("🕒 Planned"),
}
FIELD_NAMES = {
    "intake": N_("state"),
    QUOTA: N_("quota"),
    OPENS_ON: N_("opening date"),
    CLOSES_ON: N_("closing date"),
}
DATE_EXAMPLE = "1/12/2026, 01-12-2026, 2026-12-01, 1 Des 2026"


@dataclass(frozen=True)
class IntakeView:
    """One programme's intake as staff see it: the row, the registrations counted against
    its quota, and the fields staff set from the bot."""

    programme: Programme
    taken: int
    overridden: tuple[str, ...]
    # The title of the intake's cohort group, if it has one.
    cohort_group: str | None = None


def list_data(page: int) -> str:
    return f"{P}:list:{page}"


def detail_data(code: str) -> str:
    return f"{P}:show:{code}"


def title(translator: Translator, programme: Programme) -> str:
    return escape(programme.texts["title"][translator.locale])


def day_or_unset(translator: Translator, value: date | None) -> str:
    return translator.format_date(value) if value else translator.gettext("not set")


def places(translator: Translator, view: IntakeView) -> str:
    quota, number = view.programme.quota, translator.format_number
    if quota is None:
        return translator.gettext("no limit · {taken} registered").format(taken=number(view.taken))
    left = max(quota - view.taken, 0)
    return translator.ngettext(
        "{left} of {quota} place left", "{left} of {quota} places left", left
    ).format(left=number(left), quota=number(quota))


def list_screen(translator: Translator, views: Sequence[IntakeView], page: int) -> Screen:
    _, locale = translator.gettext, translator.locale
    pages = max(-(-len(views) // PAGE_SIZE), 1)
    page = min(page, pages - 1)
    shown = views[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    lines = [_("📋 <b>Intakes</b>: tap one to change it.")]
    for view in shown:
        programme = view.programme
        line = f"{INTAKE_MARKS[programme.intake]} <b>{title(translator, programme)}</b>: "
        line += places(translator, view)
        if programme.opens_on or programme.closes_on:
            line += " · " + _("{opens} to {closes}").format(
                opens=day_or_unset(translator, programme.opens_on),
                closes=day_or_unset(translator, programme.closes_on),
            )
        lines.append(line)
    if pages > 1:
        lines.append(
            _("Page {page} of {pages}").format(
                page=translator.format_number(page + 1), pages=translator.format_number(pages)
            )
        )
    rows = [
        [
            button(
                INTAKE_MARKS[v.programme.intake] + " " + v.programme.texts["title"][locale],
                detail_data(v.programme.code),
            )
        ]
        for v in shown
    ]
    paging = []
    if page > 0:
        paging.append(button(_("‹ Previous"), list_data(page - 1)))
    if page + 1 < pages:
        paging.append(button(_("Next ›"), list_data(page + 1)))
    if paging:
        rows.append(paging)
    return Screen("\n".join(lines), InlineKeyboardMarkup(rows))


def detail_screen(translator: Translator, view: IntakeView, *, note: str = "") -> Screen:
    _ = translator.gettext
    programme = view.programme
    text = _(
        "<b>{title}</b>\n"
        "📋 Intake: {intake}\n"
        "📅 Opens on: {opens}\n"
        "📅 Closes on: {closes}\n"
        "🎟 Places: {places}"
    ).format(
        title=title(translator, programme),
        intake=_(intake_label(programme)),
        opens=day_or_unset(translator, programme.opens_on),
        closes=day_or_unset(translator, programme.closes_on),
        places=places(translator, view),
    )
    if view.overridden:
        text += "\n\n" + _("⚙️ Set from the bot, over the catalogue file: {fields}").format(
            fields=", ".join(_(FIELD_NAMES[field]) for field in view.overridden)
        )
    else:
        text += "\n\n" + _("📄 As in the catalogue file.")
    if view.cohort_group:
        text += "\n" + _("👥 Cohort group: {group}").format(group=escape(view.cohort_group))
    if note:
        text += "\n\n" + note
    code = programme.code
    confirm = [button(_("✅ Confirm it is open"), f"{P}:state:{code}:open")]
    rows = [
        *([confirm] if unconfirmed(programme) else []),
        [
            button(_(STATE_BUTTONS[state]), f"{P}:state:{code}:{state}")
            for state in INTAKE_STATES
            if state != programme.intake
        ],
        [button(_("🎟 Set the quota"), f"{P}:ask:{code}:{QUOTA}")],
        [
            button(_("📅 Opening date"), f"{P}:ask:{code}:{OPENS_ON}"),
            button(_("📅 Closing date"), f"{P}:ask:{code}:{CLOSES_ON}"),
        ],
    ]
    rows.append([button(_("👥 Cohort group"), f"{P}:cg:{code}")])
    if view.overridden:
        rows.append([button(_("📄 Use the catalogue file's settings"), f"{P}:file:{code}")])
    rows.append([button(_("« All intakes"), list_data(0))])
    return Screen(text, InlineKeyboardMarkup(rows))


def prompt_screen(
    translator: Translator, programme: Programme, field: str, *, nudge: bool = False
) -> Screen:
    """The question for a typed value; after a sticker or photo, with a word about text."""
    _ = translator.gettext
    if field == QUOTA:
        text = _(
            "How many places does <b>{title}</b> have in this intake? Send a whole number, "
            "e.g. 40, or tap No limit."
        )
        clear = _("♾ No limit")
    elif field == OPENS_ON:
        text = _(
            "On which day does registration for <b>{title}</b> open? Send a date, e.g. {example}."
        )
        clear = _("🗑 No opening date")
    else:
        text = _(
            "What is the last day of registration for <b>{title}</b>? Send a date, e.g. {example}."
        )
        clear = _("🗑 No closing date")
    keyboard = InlineKeyboardMarkup(
        [
            [button(clear, f"{P}:none:{programme.code}:{field}")],
            [button(_("« Back"), f"{P}:leave:{programme.code}")],
        ]
    )
    text = text.format(title=title(translator, programme), example=DATE_EXAMPLE)
    if nudge:
        text = (
            (
                _("I can only read a number typed as text here.")
                if field == QUOTA
                else _("I can only read a date typed as text here.")
            )
            + "\n"
            + text
        )
    return Screen(text + "\n" + _("/cancel stops."), keyboard, edit=False)


def bad_quota_text(translator: Translator) -> str:
    return translator.gettext(
        "That is not a number of places. Send a whole number above zero, e.g. 40, "
        'or "none" for no limit.'
    )


def bad_date_text(translator: Translator) -> str:
    return translator.gettext(
        "I could not read that date. Please write it like {example}."
    ).format(example=DATE_EXAMPLE)


def conflict_text(translator: Translator, conflict: Conflict) -> str:
    _ = translator.gettext
    messages = {
        CLOSES_BEFORE_OPENS: _(
            "The closing date cannot be before the opening date ({day}). Please send another "
            "date, e.g. {example}."
        ),
        CLOSING_DAY_PASSED: _(
            "The closing date ({day}) has passed, so the intake would close again at once. "
            "Change or clear the closing date first."
        ),
        OPENING_DAY_CAME: _(
            "The opening date ({day}) has come, so the intake would open again at once. "
            "Change or clear the opening date first."
        ),
    }
    day = translator.format_date(conflict.day) if conflict.day else ""
    return "⚠️ " + messages[conflict.reason].format(day=day, example=DATE_EXAMPLE)


ALREADY = {
    "open": N_("ℹ️ Already open: nothing changed."),
    "closed": N_("ℹ️ Already closed: nothing changed."),
    "planned": N_("ℹ️ Already planned: nothing changed."),
}


def already_text(translator: Translator, state: str) -> str:
    return translator.gettext(ALREADY[state])


def opening_date_text(
    translator: Translator, intake: str, field: str, value: date | None, today: date
) -> str:
    """What an opening date does to an intake that was not planned: a future one plans it,
    so it opens by itself on that day; another one changes nothing."""
    _ = translator.gettext
    if field != OPENS_ON or value is None or intake == "planned":
        return ""
    day = translator.format_date(value)
    if value <= today:
        message = _(
            "This opening date is not in the future, so it does not change the intake: "
            "it stays {intake}."
        ).format(intake=_(INTAKE_LABELS[intake]))
        return "ℹ️ " + message
    if intake == "open":
        message = _(
            "The intake was open and is now planned: registration is closed until it "
            "opens by itself on {day}."
        )
        return "⚠️ " + message.format(day=day)
    return "🕒 " + _("The intake is now planned: it opens by itself on {day}.").format(day=day)


def over_quota_text(translator: Translator, view: IntakeView) -> str:
    quota = view.programme.quota
    if quota is None or view.taken <= quota:
        return ""
    return "⚠️ " + translator.ngettext(
        "{taken} registration is already counted, more than the new quota of {quota}. "
        "Nobody is removed, but no new registrations are accepted.",
        "{taken} registrations are already counted, more than the new quota of {quota}. "
        "Nobody is removed, but no new registrations are accepted.",
        view.taken,
    ).format(taken=translator.format_number(view.taken), quota=translator.format_number(quota))


def gone_screen(translator: Translator) -> Screen:
    return Screen(
        translator.gettext("That programme is no longer in the catalogue."),
        InlineKeyboardMarkup([[button(translator.gettext("« All intakes"), list_data(0))]]),
    )
