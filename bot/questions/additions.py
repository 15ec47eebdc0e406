"""Staff's FAQ additions from the desk, layered over the FAQ file: new phrasings join their
entry's questions in that language, new answers follow the file's entries. Pure code."""

import logging
from collections.abc import Sequence
from typing import Any

import yaml
from pydantic import ValidationError

from bot.content.faq import Faq, FaqEntry, QuestionVariants
from db.models import FaqStaffEntry, FaqStaffPhrasing

logger = logging.getLogger(__name__)
ADDED_PREFIX = "added_"


def added_code(entry: FaqStaffEntry) -> str:
    return f"{ADDED_PREFIX}{entry.id}"


def added_entry(entry: FaqStaffEntry) -> FaqEntry:
    """An answer staff wrote; without English, English readers get the Indonesian."""
    question_en = entry.question_en or entry.question_id
    return FaqEntry(
        code=added_code(entry),
        topic=entry.topic,
        questions=QuestionVariants(id=[entry.question_id], en=[question_en]),
        answer={"id": entry.answer_id, "en": entry.answer_en or entry.answer_id},
    )


def usable_entries(entries: Sequence[FaqStaffEntry]) -> list[FaqEntry]:
    """Staff's answers, but not one the FAQ's rules no longer allow (its topic was dropped
    from the code, say): that one is skipped with a warning rather than stopping the bot."""
    usable = []
    for entry in entries:
        try:
            usable.append(added_entry(entry))
        except ValidationError as error:
            logger.warning("FAQ answer %s from the desk is skipped: %s", added_code(entry), error)
    return usable


def layered_faq(
    file_faq: Faq, entries: Sequence[FaqStaffEntry], phrasings: Sequence[FaqStaffPhrasing]
) -> Faq:
    """The FAQ the bot answers from. model_copy skips validation on purpose: phrasings may take
    an entry past the file's limit of variants, which is a rule for hand-editing."""
    merged = [*file_faq.entries, *usable_entries(entries)]
    by_code = {entry.code: entry for entry in merged}
    for phrasing in phrasings:
        entry = by_code.get(phrasing.entry_code)
        if entry is None or phrasing.language not in ("id", "en"):
            continue
        known = getattr(entry.questions, phrasing.language)
        if phrasing.text in known:
            continue
        questions = entry.questions.model_copy(update={phrasing.language: [*known, phrasing.text]})
        by_code[entry.code] = entry.model_copy(update={"questions": questions})
    return file_faq.model_copy(update={"entries": [by_code[entry.code] for entry in merged]})


def export_yaml(file_faq: Faq, layered: Faq) -> str:
    """The entries staff added or extended, whole and in faq.yaml's form, to paste into it."""
    original = {entry.code: entry for entry in file_faq.entries}
    changed = [entry for entry in layered.entries if original.get(entry.code) != entry]
    document: dict[str, Any] = {
        "version": 1,
        "entries": [entry.model_dump(exclude_none=True) for entry in changed],
    }
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=99)
