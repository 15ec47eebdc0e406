"""The audit log as admins read it: action codes in words, kinds to filter by, and each entry's
key details in one short line, with any NIK or phone number masked."""

from collections.abc import Mapping
from datetime import datetime
from html import escape
from typing import Any

from babel.dates import format_datetime

from bot.config import CENTRE_TIMEZONE
from bot.i18n import N_, Translator
from bot.privacy.log_masking import mask_personal_data
from bot.review.exports import filter_fields, stage_label

PAGE_SIZE = 10
# A detail longer than this (a staff note, say) is cut: the log is for finding, not reading.
MAX_DETAIL = 80
ALL = "all"
# Each kind is the action codes starting with one of its prefixes.
KINDS: dict[str, tuple[str, ...]] = {
    ALL: (),
    "exports": ("export",),
    "stages": ("registration.",),
    "staff": ("staff.",),
    "broadcasts": ("broadcast.",),
    "intakes": ("intake.", "content.", "faq."),
    "campaigns": ("campaign.",),
    "groups": ("group.", "cohort."),
}
KIND_LABELS = {
    ALL: N_("All"),
    "exports": N_("📄 Exports"),
    "stages": N_("📍 Stage changes"),
    "staff": N_("👥 Staff"),
    "broadcasts": N_("📣 Broadcasts"),
    "intakes": N_("🗂 Intakes and content"),
    "campaigns": N_("🔗 Campaigns"),
    "groups": N_("👪 Groups"),
}
ACTION_LABELS = {
    "export": N_("exported registrations (NIK masked)"),
    "export.full_nik": N_("exported registrations with full NIKs"),
    "registration.stage": N_("moved a registration"),
    "registration.bulk_stage": N_("moved registrations in bulk"),
    "staff.add": N_("added a staff member"),
    "staff.remove": N_("removed a staff member"),
    "broadcast.send": N_("sent a broadcast"),
    "broadcast.pause": N_("paused a broadcast"),
    "broadcast.resume": N_("resumed a broadcast"),
    "broadcast.cancel": N_("cancelled a broadcast"),
    "broadcast.schedule": N_("scheduled a broadcast"),
    "broadcast.unschedule": N_("cancelled a scheduled broadcast"),
    "broadcast.delete": N_("deleted a broadcast from every chat"),
    "campaign.create": N_("created a campaign link"),
    "handoff.block": N_("stopped a user from writing to staff"),
    "handoff.unblock": N_("let a blocked user write to staff again"),
    "content.reload": N_("reloaded the content files"),
    "faq.phrasing": N_("added a question to an FAQ answer"),
    "faq.answer": N_("wrote a new FAQ answer"),
    "faq.export": N_("exported the FAQ additions"),
    "intake.new_batch": N_("a new batch in the catalogue replaced the bot's intake settings"),
    "intake.set": N_("changed a programme's intake"),
    "intake.dates": N_("an intake opened or closed on its date"),
    "intake.use_file": N_("went back to the catalogue's intake settings"),
    "group.added": N_("added the bot to a group nobody allowed"),
    "group.promoted": N_("made the bot an admin of a group nobody allowed"),
    "cohort.set": N_("named an intake's cohort group"),
    "cohort.remove": N_("removed an intake's cohort group"),
    "cohort.approve": N_("let an accepted applicant into a cohort group"),
    "cohort.decline": N_("declined a request to join a cohort group"),
    "cohort.undecided": N_("could not decide a request to join a cohort group"),
    "cohort.removed": N_("removed someone no longer accepted from a cohort group"),
    "cohort.not_removed": N_("could not remove someone no longer accepted from a cohort group"),
    "group.left_unnamed": N_("left a group staff added it to that was not named a cohort group"),
}


def action_label(translator: Translator, action: str) -> str:
    """The action in words; a code without words (a newer feature's) is shown as it is."""
    label = ACTION_LABELS.get(action)
    return translator.gettext(label) if label else escape(action)


def entry_time(translator: Translator, at: datetime) -> str:
    """The centre's time (WIB); SQLite gives naive datetimes, which babel reads as UTC."""
    local = format_datetime(at, "d MMM y HH:mm", tzinfo=CENTRE_TIMEZONE, locale=translator.locale)
    return f"{local} WIB"


def safe(value: object, limit: int = MAX_DETAIL) -> str:
    """Any stored value, shortened, with NIKs and phone numbers masked, ready for HTML."""
    text = mask_personal_data(" ".join(str(value).split()))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return escape(text)


def filter_words(translator: Translator, raw: Mapping[str, Any], titles: Mapping[str, str]) -> str:
    """A saved review filter in words: "Programme: Welding, Intake: 2026-1, Period: Last 30
    days"; the fields left at "any" are not named."""
    return ", ".join(
        f"{label}: {value}" for label, value in filter_fields(translator, raw, titles)
    )


def note_words(translator: Translator, note: object) -> str:
    """That there was a note, not what it said: a note can hold a child's name or birth date
    that no pattern catches; the applicant has it, the log only needs to show there was one."""
    length = len(str(note))
    return translator.ngettext(
        "note ({count} character)", "note ({count} characters)", length
    ).format(count=length)


def entry_details(
    translator: Translator,
    action: str,
    details: Mapping[str, Any],
    titles: Mapping[str, str] | None = None,
) -> str:
    """The key details of one entry, or the raw ones (masked) for an action without words."""
    _ = translator.gettext
    parts: list[str] = []
    if action.startswith("export") and "rows" in details:
        count = int(details["rows"])
        parts.append(translator.ngettext("{count} row", "{count} rows", count).format(count=count))
    if action == "registration.stage":
        parts.append(
            "{before} → {after}".format(
                before=escape(stage_label(translator, str(details.get("from")))),
                after=escape(stage_label(translator, str(details.get("to")))),
            )
        )
        if details.get("note"):
            parts.append(note_words(translator, details["note"]))
    if action == "registration.bulk_stage":
        count = len(details.get("codes") or [])
        parts.append(
            translator.ngettext("{count} registration", "{count} registrations", count).format(
                count=count
            )
        )
    if action == "broadcast.send" and "recipients" in details:
        count = int(details["recipients"])
        parts.append(
            translator.ngettext("{count} recipient", "{count} recipients", count).format(
                count=count
            )
        )
    if action.startswith("group."):
        parts.append(group_words(translator, details))
    if action.startswith("cohort."):
        parts.append(cohort_words(translator, details))
    if isinstance(details.get("filter"), Mapping):
        words = filter_words(translator, details["filter"], titles or {})
        if words:
            parts.append(safe(words, limit=2 * MAX_DETAIL))
    if action not in ACTION_LABELS and details:
        parts.append(safe(", ".join(f"{key}: {value}" for key, value in details.items())))
    return " · ".join(parts)


def group_words(translator: Translator, details: Mapping[str, Any]) -> str:
    """The group's name, and whether the bot left it; its id (the subject) is what staff add
    to ALLOWED_GROUP_IDS to let the bot stay."""
    _ = translator.gettext
    stayed = {
        "cohort": _("the bot stayed: it is a cohort group"),
        "staff": _("the bot stayed: a staff member added it"),
    }.get(str(details.get("kept")), _("the bot stayed (LEAVE_UNKNOWN_GROUPS is off)"))
    if "added_by" in details and not details.get("left"):
        # group.left_unnamed, when the bot had been removed from the group already.
        stayed = _("the bot was no longer in it")
    left = _("the bot left; to let it stay, add the id to ALLOWED_GROUP_IDS")
    return "{title} · {what}".format(
        title=safe(details.get("title") or "?"), what=left if details.get("left") else stayed
    )


def cohort_words(translator: Translator, details: Mapping[str, Any]) -> str:
    """The intake, and for a join request who asked (their Telegram id, no name) and whether
    they are an accepted applicant."""
    _ = translator.gettext
    if "reason" in details:
        what = (
            _("could not let them in")
            if details.get("would") == "approve"
            else _("could not decline")
        )
        return " · ".join(
            (what, safe(details.get("reason") or "?"), safe(details.get("intake") or ""))
        )
    if "user" not in details:
        return "{title} · {intake}".format(
            title=safe(details.get("title") or "?"),
            intake=safe(f"{details.get('programme')} {details.get('batch')}"),
        )
    if details["user"] is None:
        who = _("a person whose Telegram id was removed (data deleted, or kept past its period)")
    else:
        who = _("user {id}").format(id=f"<code>{int(details['user'])}</code>")
    if details.get("code"):
        why = _("accepted applicant {code}").format(code=safe(details["code"]))
    else:
        why = _("not an accepted applicant of this intake")
    return " · ".join((who, why, safe(details.get("intake") or "")))


def subject_words(
    translator: Translator, action: str, subject: str | None, names: Mapping[int, str]
) -> str:
    """What the action was about: a registration code, a broadcast, a person by name."""
    if not subject:
        return ""
    if action.startswith("staff.") and subject.isdigit():
        return person(names, int(subject))
    if action == "registration.bulk_stage":
        return "→ " + escape(stage_label(translator, subject))
    if action.startswith("broadcast."):
        return f"#{safe(subject)}"
    if action.startswith("export"):
        return safe(subject.upper())
    if action.startswith(("group.", "cohort.")):
        return f"<code>{safe(subject)}</code>"
    return safe(subject)


def person(names: Mapping[int, str], user_id: int) -> str:
    """Their name if they have written to the bot, else their Telegram id."""
    name = names.get(user_id)
    return escape(name) if name else f"<code>{user_id}</code>"
