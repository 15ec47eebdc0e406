"""What /audit shows an admin: a page of the newest audit entries, one line each, with the
kinds to filter by and ◀️ ▶️."""

from collections.abc import Mapping, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.audit_log import (
    KIND_LABELS,
    action_label,
    entry_details,
    entry_time,
    page_count,
    person,
    subject_words,
)
from bot.i18n import Translator
from bot.screens import Screen
from db.models import AuditEntry

P = "au"


def page_data(kind: str, page: int) -> str:
    return f"{P}:{kind}:{page}"


def entry_line(translator: Translator, entry: AuditEntry, names: Mapping[int, str]) -> str:
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
        entry_details(translator, entry.action, entry.details or {}),
    ]
    return " · ".join(part for part in parts if part)


def audit_screen(
    translator: Translator,
    *,
    kind: str,
    page: int,
    total: int,
    entries: Sequence[AuditEntry],
    names: Mapping[int, str],
) -> Screen:
    _ = translator.gettext
    pages = page_count(total)
    entries_count = translator.ngettext("{count} entry", "{count} entries", total)
    text = _("🧾 <b>Audit log</b> · {kind}: {entries}, newest first").format(
        kind=_(KIND_LABELS[kind]), entries=entries_count.format(count=total)
    )
    lines = [entry_line(translator, entry, names) for entry in entries]
    text += "\n\n" + ("\n\n".join(lines) or _("Nothing recorded yet."))
    if pages > 1:
        text += "\n\n" + _("Page {page} of {pages}").format(page=page + 1, pages=pages)
    keyboard = []
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton("◀️", callback_data=page_data(kind, page - 1)))
    if page + 1 < pages:
        nav.append(InlineKeyboardButton("▶️", callback_data=page_data(kind, page + 1)))
    if nav:
        keyboard.append(nav)
    kinds = [
        InlineKeyboardButton(
            ("• " if value == kind else "") + _(label), callback_data=page_data(value, 0)
        )
        for value, label in KIND_LABELS.items()
    ]
    keyboard += [kinds[i : i + 3] for i in range(0, len(kinds), 3)]
    return Screen(text, InlineKeyboardMarkup(keyboard))
