"""What staff see when they open a registration and move registrations between stages (one
or all in a list), and the notice an applicant receives."""

from collections.abc import Collection, Sequence
from dataclasses import replace
from html import escape

from telegram import InlineKeyboardMarkup

from bot.context import BotContext
from bot.forms.documents import DocumentSpec
from bot.forms.profile_labels import answer_label
from bot.i18n import Translator
from bot.navigation import STATUS, button
from bot.review.exports import stage_label
from bot.review.review_filter import MOVABLE_STAGES
from bot.screens import Note, Screen
from db.models import Registration
from handlers.registration.status import STAGES as APPLICANT_STAGES
from handlers.review import documents
from handlers.review.cohort_invites import GROUP_GONE, NO_RIGHT, REFUSED, MissingLink
from handlers.review.cohort_members import Removal
from handlers.review.screens import P, list_data

# Codes shown in a bulk move's preview; the count covers the rest.
PREVIEW_CODES = 10


def card_screen(
    context: BotContext,
    registration: Registration,
    title: str,
    filter_id: int,
    specs: Sequence[DocumentSpec] = (),
    present: Collection[str] = (),
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
        phone=registration.phone_masked or "—",
        education=label("education", registration.education),
        activity=label("activity", registration.activity),
        regency=label("regency", registration.regency),
        email=escape(registration.email or "—"),
    )
    if specs:
        text += "\n\n" + documents.card_lines(translator, list(specs), set(present))
    targets = [s for s in MOVABLE_STAGES if s != registration.status]
    keyboard = [
        [button("→ " + stage_label(translator, s), f"{P}:mv:{registration.id}:{s}:{filter_id}")]
        for s in targets
    ]
    keyboard.extend(
        documents.card_buttons(translator, registration, list(specs), set(present), filter_id)
    )
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


def missing_links_note(context: BotContext, missing: Sequence[MissingLink]) -> Note:
    """Why some accepted applicants got no cohort group link (the move itself stands), in
    words staff can act on, and what to do about each reason."""
    translator = context.translator
    _ = translator.gettext
    lines = [
        "⚠️ "
        + translator.ngettext(
            "{count} accepted applicant got no link to the cohort group:",
            "{count} accepted applicants got no link to the cohort group:",
            len(missing),
        ).format(count=len(missing))
    ]
    lines += [
        f"• {item.code}: <b>{escape(item.group_title)}</b>, "
        + problem_words(translator, item.problem)
        for item in missing[:PREVIEW_CODES]
    ]
    problems = {item.problem for item in missing}
    if NO_RIGHT in problems:
        lines.append(
            _(
                "Make me an admin of the group with «Invite users via link», then choose the "
                "group again in /intake, «👥 Cohort group»: every accepted applicant without a "
                "link gets one then."
            )
        )
    if GROUP_GONE in problems:
        lines.append(
            _(
                "If the group still exists, add me back as an admin allowed to invite users; "
                "otherwise choose another group in /intake, «👥 Cohort group». Every accepted "
                "applicant without a link gets one then."
            )
        )
    if REFUSED in problems:
        lines.append(
            _(
                "Try again later by choosing the group again in /intake, «👥 Cohort group»: "
                "every accepted applicant without a link gets one then."
            )
        )
    return Note("\n".join(lines), None, html=True)


def problem_words(translator: Translator, problem: str, *, removing: bool = False) -> str:
    """Why Telegram refused, in the staff member's language."""
    _ = translator.gettext
    if problem == NO_RIGHT:
        if removing:
            return _("I am not allowed to ban users there")
        return _("I am no longer allowed to invite users there")
    if problem == GROUP_GONE:
        return _("the group is gone, or I am no longer in it")
    return _("Telegram refused for now")


def with_removals(context: BotContext, screen: Screen, removals: Sequence[Removal]) -> Screen:
    """The move's confirmation, saying who was removed from the cohort group, and who could not
    be and why."""
    translator = context.translator
    _ = translator.gettext
    lines = []
    for removal in removals:
        group = escape(removal.group_title)
        if removal.problem is None:
            lines.append(
                "👋 "
                + _("{code} is no longer in the cohort group <b>{group}</b>.").format(
                    code=removal.code, group=group
                )
            )
        else:
            lines.append(
                "⚠️ "
                + _(
                    "{code} is still in the cohort group <b>{group}</b>: {reason}. Remove them "
                    "in the group yourself, or make me an admin there with «Ban users»."
                ).format(
                    code=removal.code,
                    group=group,
                    reason=problem_words(translator, removal.problem, removing=True),
                )
            )
    if not lines:
        return screen
    return replace(screen, text=screen.text + "\n\n" + "\n".join(lines))


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
