"""What the registration review shows staff: the filtered list and the filter choices.
One registration, the stage moves and the applicant's notice are move_screens.py."""

from collections.abc import Mapping, Sequence
from html import escape

from telegram import InlineKeyboardMarkup

from bot.context import BotContext
from bot.forms.eligibility import BANTEN_REGENCIES, OUTSIDE_BANTEN
from bot.forms.profile_labels import regency_label
from bot.i18n import N_, Translator
from bot.navigation import button
from bot.review.exports import stage_label
from bot.review.review_filter import PERIOD_LABELS, PERIODS, STAGES, ReviewFilter, page_count
from bot.screens import Screen
from db.models import Registration

P = "rv"
EXPORT_PREFIX = "ex"
ANY = "-"
FIELD_LABELS = {
    "programme": N_("🎓 Programme"),
    "intake": N_("🗂 Intake"),
    "stage": N_("📍 Stage"),
    "regency": N_("🏠 Home"),
    "period": N_("🗓 Period"),
}


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


def page_of(total: int, page: int) -> int:
    """A page that exists, even after the list shrank."""
    return max(0, min(page, page_count(total) - 1))
