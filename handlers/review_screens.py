"""What the registration review shows staff: the filtered list, one registration, the stage
moves (single and bulk), and the notice an applicant receives."""

from collections.abc import Mapping, Sequence
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.context import BotContext
from bot.eligibility import BANTEN_REGENCIES, OUTSIDE_BANTEN
from bot.exports import stage_label
from bot.i18n import N_, Translator
from bot.log_privacy import mask_phone
from bot.navigation import STATUS
from bot.profile_labels import answer_label, regency_label
from bot.review_filter import (
    MOVABLE_STAGES,
    PERIOD_LABELS,
    PERIODS,
    STAGES,
    ReviewFilter,
    page_count,
)
from bot.screens import Screen
from db.models import Registration
from handlers.status import STAGES as APPLICANT_STAGES

P = "rv"
EXPORT_PREFIX = "ex"
ANY = "-"
# Codes shown in a bulk move's preview; the count covers the rest.
PREVIEW_CODES = 10
FIELD_LABELS = {
    "programme": N_("🎓 Programme"),
    "intake": N_("🗂 Intake"),
    "stage": N_("📍 Stage"),
    "regency": N_("🏠 Home"),
    "period": N_("🗓 Period"),
}


def button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def list_data(filter_id: int, page: int = 0) -> str:
    return f"{P}:l:{filter_id}:{page}"


def filter_summary(translator: Translator, flt: ReviewFilter, titles: Mapping[str, str]) -> str:
    _ = translator.gettext
    everything = _("all")
    return _(
        "Programme: {programme} · Intake: {intake} · Stage: {stage} · Home: {regency} · "
        "Period: {period}"
    ).format(
        programme=escape(titles.get(flt.programme, flt.programme))
        if flt.programme
        else everything,
        intake=escape(flt.intake) if flt.intake else everything,
        stage=stage_label(translator, flt.stage) if flt.stage else everything,
        regency=regency_label(translator, flt.regency) if flt.regency else everything,
        period=_(PERIOD_LABELS[flt.period]),
    )


def list_screen(
    context: BotContext,
    *,
    filter_id: int,
    flt: ReviewFilter,
    page: int,
    total: int,
    rows: Sequence[Registration],
    titles: Mapping[str, str],
    admin: bool,
) -> Screen:
    translator = context.translator
    _ = translator.gettext
    pages = page_count(total)
    text = _("📋 <b>Registrations</b>: {count} found").format(count=total) + "\n"
    text += filter_summary(translator, flt, titles) + "\n\n"
    text += "\n".join(
        "<code>{code}</code> · {name} · {programme} · {stage}".format(
            code=r.code,
            name=escape(r.full_name or "—"),
            programme=escape(titles.get(r.programme_code, r.programme_code)),
            stage=stage_label(translator, r.status),
        )
        for r in rows
    ) or _("No registration matches this filter.")
    if pages > 1:
        text += "\n\n" + _("Page {page} of {pages}").format(page=page + 1, pages=pages)
    keyboard = [
        [button(r.code or "", f"{P}:o:{r.id}:{filter_id}") for r in rows[i : i + 2]]
        for i in range(0, len(rows), 2)
    ]
    nav = []
    if page > 0:
        nav.append(button("◀️", list_data(filter_id, page - 1)))
    if page + 1 < pages:
        nav.append(button("▶️", list_data(filter_id, page + 1)))
    if nav:
        keyboard.append(nav)
    fields = [button(_(label), f"{P}:pick:{filter_id}:{f}") for f, label in FIELD_LABELS.items()]
    keyboard += [fields[:2], fields[2:4], fields[4:]]
    if total:
        label = _("🔀 Move all {count} to another stage").format(count=total)
        keyboard.append([button(label, f"{P}:bulk:{filter_id}")])
        keyboard.append(
            [
                button(_("📄 XLSX"), f"{EXPORT_PREFIX}:xlsx:{filter_id}"),
                button(_("📄 CSV"), f"{EXPORT_PREFIX}:csv:{filter_id}"),
            ]
        )
        if admin:
            label = _("📄 XLSX with full NIK")
            keyboard.append([button(label, f"{EXPORT_PREFIX}:full:{filter_id}")])
    return Screen(text, InlineKeyboardMarkup(keyboard))


def options_screen(
    context: BotContext,
    *,
    filter_id: int,
    field: str,
    titles: Mapping[str, str],
    intakes: Sequence[tuple[str, int]] = (),
    chosen: ReviewFilter | None = None,
) -> Screen:
    """The choices for one filter field, with "any" first; intakes are the batches that have
    registrations matching the rest of the filter, each with its count, and always the chosen
    one (with 0 if the rest of the filter now leaves it empty)."""
    translator = context.translator
    _ = translator.gettext
    choices: list[tuple[str, str]]
    if field == "programme":
        choices = list(titles.items())
    elif field == "intake":
        counts = dict(intakes)
        if chosen is not None and chosen.intake and chosen.intake not in counts:
            counts[chosen.intake] = 0
        batches = sorted(counts, reverse=True)
        choices = [(batch, f"{batch} ({counts[batch]})") for batch in batches]
    elif field == "stage":
        choices = [(stage, stage_label(translator, stage)) for stage in STAGES]
    elif field == "regency":
        codes = (*BANTEN_REGENCIES, OUTSIDE_BANTEN)
        choices = [(code, regency_label(translator, code)) for code in codes]
    else:
        choices = [(period, _(PERIOD_LABELS[period])) for period in PERIODS]
    keyboard = [[button(_("Any"), f"{P}:set:{filter_id}:{field}:{ANY}")]]
    keyboard += [
        [button(label, f"{P}:set:{filter_id}:{field}:{value}")] for value, label in choices
    ]
    keyboard.append([button(_("⬅️ Back to the list"), list_data(filter_id))])
    text = _("Filter by {field}:").format(field=_(FIELD_LABELS[field]))
    return Screen(text, InlineKeyboardMarkup(keyboard))


def card_screen(
    context: BotContext, registration: Registration, title: str, filter_id: int
) -> Screen:
    """One registration for staff: NIK and phone masked, and the stages it can move to."""
    translator = context.translator
    _ = translator.gettext

    def label(question: str, value: object) -> str:
        return escape(answer_label(translator, question, value)) if value is not None else "—"

    text = _(
        "📄 <b>{code}</b> · {programme}\n"
        "Stage: <b>{stage}</b>\n\n"
        "Name: {name}\nNIK: {nik}\nDate of birth: {birth_date}\nSex: {sex}\n"
        "Phone: {phone}\nLast school: {education}\nActivity: {activity}\nHome: {regency}\n"
        "E-mail: {email}"
    ).format(
        code=registration.code,
        programme=escape(title),
        stage=stage_label(translator, registration.status),
        name=escape(registration.full_name or "—"),
        nik=registration.nik_masked or "—",
        birth_date=label("birth_date", registration.birth_date),
        sex=label("sex", registration.sex),
        phone=mask_phone(registration.phone) if registration.phone else "—",
        education=label("education", registration.education),
        activity=label("activity", registration.activity),
        regency=label("regency", registration.regency),
        email=escape(registration.email or "—"),
    )
    targets = [s for s in MOVABLE_STAGES if s != registration.status]
    keyboard = [
        [button("→ " + stage_label(translator, s), f"{P}:mv:{registration.id}:{s}:{filter_id}")]
        for s in targets
    ]
    keyboard.append([button(_("⬅️ Back to the list"), list_data(filter_id))])
    return Screen(text, InlineKeyboardMarkup(keyboard))


def note_prompt_screen(
    context: BotContext, registration: Registration, stage: str, filter_id: int
) -> Screen:
    _ = context.translator.gettext
    text = _(
        "Moving <b>{code}</b> to «{stage}». Type a note for the applicant (they will read it), "
        "or move it without a note."
    ).format(code=registration.code, stage=stage_label(context.translator, stage))
    keyboard = [
        [button(_("Move without a note"), f"{P}:go:{registration.id}:{stage}:{filter_id}")],
        [button(_("✖️ Cancel"), f"{P}:o:{registration.id}:{filter_id}")],
    ]
    return Screen(text, InlineKeyboardMarkup(keyboard))


def note_too_long_screen(context: BotContext, limit: int) -> Screen:
    text = context.translator.gettext(
        "That note is too long ({limit} characters at most). Please shorten it."
    ).format(limit=limit)
    return Screen(text)


def moved_screen(
    context: BotContext, registration: Registration, filter_id: int, *, moved: bool
) -> Screen:
    _ = context.translator.gettext
    if moved:
        text = _("✅ <b>{code}</b> is now at «{stage}»; the applicant is being told.")
    else:
        text = _(
            "<b>{code}</b> was not moved: the same NIK has another active registration for "
            "this intake."
        )
    text = text.format(
        code=registration.code, stage=stage_label(context.translator, registration.status)
    )
    keyboard = [
        [
            button(
                _("📄 Open {code}").format(code=registration.code),
                f"{P}:o:{registration.id}:{filter_id}",
            )
        ],
        [button(_("⬅️ Back to the list"), list_data(filter_id))],
    ]
    return Screen(text, InlineKeyboardMarkup(keyboard))


def bulk_stage_screen(context: BotContext, filter_id: int, total: int) -> Screen:
    _ = context.translator.gettext
    text = _("🔀 Move all {count} registrations in this list to which stage?").format(count=total)
    keyboard = [
        [button(stage_label(context.translator, s), f"{P}:bp:{filter_id}:{s}")]
        for s in MOVABLE_STAGES
    ]
    keyboard.append([button(_("⬅️ Back to the list"), list_data(filter_id))])
    return Screen(text, InlineKeyboardMarkup(keyboard))


def bulk_preview_screen(
    context: BotContext, filter_id: int, stage: str, codes: Sequence[str]
) -> Screen:
    translator = context.translator
    _ = translator.gettext
    count = len(codes)
    text = translator.ngettext(
        "Move {count} registration to «{stage}»?",
        "Move {count} registrations to «{stage}»?",
        count,
    ).format(count=count, stage=stage_label(translator, stage))
    shown = ", ".join(codes[:PREVIEW_CODES])
    if count > PREVIEW_CODES:
        shown += " " + _("and {count} more").format(count=count - PREVIEW_CODES)
    text += "\n" + shown + "\n\n" + _("Each applicant is told in their own language.")
    keyboard = [
        [button(_("✅ Yes, move them"), f"{P}:bok:{filter_id}:{stage}:{count}")],
        [button(_("✖️ Cancel"), list_data(filter_id))],
    ]
    return Screen(text, InlineKeyboardMarkup(keyboard))


def bulk_changed_screen(context: BotContext, filter_id: int) -> Screen:
    text = context.translator.gettext(
        "The list changed since the preview, so nothing was moved. Please look again."
    )
    return Screen(text, InlineKeyboardMarkup([[button("🔄", list_data(filter_id))]]))


def bulk_done_screen(context: BotContext, filter_id: int, moved: int, skipped: int) -> Screen:
    _ = context.translator.gettext
    text = _(
        "✅ Moved: {moved}. Not moved (another active registration of the same NIK): {skipped}."
    )
    text = text.format(moved=moved, skipped=skipped)
    keyboard = [[button(_("⬅️ Back to the list"), list_data(filter_id))]]
    return Screen(text, InlineKeyboardMarkup(keyboard))


def applicant_notice(
    translator: Translator, registration: Registration, title: str, note: str | None
) -> tuple[str, InlineKeyboardMarkup]:
    """What the applicant reads, in their language; the staff's note is escaped."""
    _ = translator.gettext
    text = _(
        "📋 <b>News about your registration {code}</b>\nProgramme: {programme}\nStage now: {stage}"
    ).format(
        code=registration.code,
        programme=escape(title),
        stage=_(APPLICANT_STAGES[registration.status]),
    )
    if note:
        text += "\n\n" + _("Note from the centre: {note}").format(note=escape(note))
    keyboard = InlineKeyboardMarkup([[button(_("📄 My status"), STATUS)]])
    return text, keyboard


def page_of(total: int, page: int) -> int:
    """A page that exists, even after the list shrank."""
    return max(0, min(page, page_count(total) - 1))
