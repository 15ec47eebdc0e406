"""What /audit shows an admin: a page of the newest audit entries, one line each, with the
kinds to filter by and ◀️ newer / ▶️ older."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from bot.screens import Screen
from bot.staff.audit_log import (
    KIND_LABELS,
    action_label,
    entry_details,
    entry_time,
    person,
    subject_words,
)
from db.models import AuditEntry

P = "au"
# Pages go by the id at their edge: entries older than the last one shown, or newer than the
# first one shown.
OLDER, NEWER = "o", "n"


@dataclass(frozen=True)
class AuditPage:
    kind: str
    total: int  # entries of this kind
    newer: int  # entries of this kind newer than the first one shown
    entries: Sequence[AuditEntry]  # newest first


def page_data(kind: str, direction: str | None = None, edge: int = 0) -> str:
    return f"{P}:{kind}:{direction}:{edge}" if direction else f"{P}:{kind}"


def entry_line(
    translator: Translator,
    entry: AuditEntry,
    names: Mapping[int, str],
    titles: Mapping[str, str],
) -> str:
    """<b>time</b> · who · what · about what · key details."""
    who = (
        person(names, entry.actor_id)
        if entry.actor_id is not None
        else translator.gettext("the configuration")
    )
    parts = [
        f"<b>{entry_time(translator, entry.at)}</b>",
        who,
        action_label(translator, entry.action),
        subject_words(translator, entry.action, entry.subject, names),
        entry_details(translator, entry.action, entry.details or {}, titles),
    ]
    return " · ".join(part for part in parts if part)


def audit_screen(
    translator: Translator,
    page: AuditPage,
    *,
    names: Mapping[int, str],
    titles: Mapping[str, str],
) -> Screen:
    _ = translator.gettext
    kind, total, entries = page.kind, page.total, page.entries
    entries_count = translator.ngettext("{count} entry", "{count} entries", total)
    text = _("🧾 <b>Audit log</b> · {kind}: {entries}, newest first").format(
        kind=_(KIND_LABELS[kind]), entries=entries_count.format(count=total)
    )
    lines = [entry_line(translator, entry, names, titles) for entry in entries]
    text += "\n\n" + ("\n\n".join(lines) or _("Nothing recorded yet."))
    older = total - page.newer - len(entries)
    if entries and (page.newer or older):
        text += "\n\n" + _("Entries {first}–{last} of {total}").format(
            first=page.newer + 1, last=page.newer + len(entries), total=total
        )
    nav = []
    if entries and page.newer:
        nav.append(
            InlineKeyboardButton(_("◀️ Newer"), callback_data=page_data(kind, NEWER, entries[0].id))
        )
    if entries and older > 0:
        nav.append(
            InlineKeyboardButton(
                _("▶️ Older"), callback_data=page_data(kind, OLDER, entries[-1].id)
            )
        )
    keyboard = [nav] if nav else []
    kinds = [
        InlineKeyboardButton(
            ("• " if value == kind else "") + _(label), callback_data=page_data(value)
        )
        for value, label in KIND_LABELS.items()
    ]
    keyboard += [kinds[i : i + 3] for i in range(0, len(kinds), 3)]
    return Screen(text, InlineKeyboardMarkup(keyboard))
