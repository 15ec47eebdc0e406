"""Whether text typed at a form's question is a side question for the FAQ, not the answer.

Decided per kind of step, with no Telegram: a number, date, NIK, phone number or e-mail
address that reads as a valid answer is always the answer; a name is a question only when it
asks (a question word or '?') about something the FAQ clearly answers, so "Apa Budi" stays a
name; steps answered with buttons are left to their own handling.
"""

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from bot.content.faq import Match, is_confident

# Words that make a message a question wherever they stand: Indonesian, chat shorthand,
# Sundanese as typed in Banten, and English.
QUESTION_WORDS = frozenset(
    (
        "apa apakah apaan berapa brp brapa kapan kpn bagaimana bgmn gimana gmn gmna dimana "
        "mana dmn kemana boleh bolehkah bisa bisakah bs bsa kenapa knp mengapa siapa "
        "naon sabaraha iraha kumaha tiasa "
        "how what when where why who which"
    ).split()
)
# English auxiliaries ask only at the start ("is it free?"), not inside an answer
# ("my number is 0812...").
LEADING_QUESTION_WORDS = frozenset(
    "is are am do does did can could will would should may shall".split()
)
Search = Callable[[str], list[Match]]
Parser = Callable[[str], object]


class StepKind(StrEnum):
    NUMBER = "number"
    DATE = "date"
    NIK = "nik"
    PHONE = "phone"
    EMAIL = "email"
    NAME = "name"
    CHOICE = "choice"


@dataclass(frozen=True)
class TypedStep:
    """A question answered by typing: its kind and the parser that accepts its answer."""

    kind: StepKind
    parse: Parser

    def accepts(self, text: str) -> bool:
        try:
            self.parse(text)
        except ValueError:
            return False
        return True


def asks(text: str) -> bool:
    """A question mark, or a question word (English auxiliaries only as the first word)."""
    if "?" in text or "？" in text:
        return True
    words = re.findall(r"[a-z]+", unicodedata.normalize("NFKC", text).lower())
    return bool(words) and (
        words[0] in LEADING_QUESTION_WORDS or any(word in QUESTION_WORDS for word in words)
    )


def reads_as_question(kind: StepKind, text: str, *, valid: bool, search: Search) -> bool:
    """Whether text typed at a step of this kind is a question; `valid`: it parses as the
    step's answer. The FAQ is searched only when its answer decides."""
    if kind is StepKind.CHOICE:
        return False
    if kind is StepKind.NAME and valid:
        return asks(text) and is_confident(search(text))
    if valid:
        return False
    return asks(text) or is_confident(search(text))


def is_side_question(
    steps: Mapping[str, TypedStep], step: str | None, text: str, search: Search
) -> bool:
    """Whether text typed at this step of a form (its typed steps given) is a question."""
    typed = steps.get(step or "")
    if typed is None:
        return False
    return reads_as_question(typed.kind, text, valid=typed.accepts(text), search=search)


def answers_paused_form(typed: TypedStep | None, text: str) -> bool:
    """Whether text typed while a form is paused (where typed text is a question) is still
    plainly the answer to its pending question: a valid number, date, NIK, phone number or
    e-mail address asks nothing; a name might ("biaya pelatihan")."""
    return typed is not None and typed.kind is not StepKind.NAME and typed.accepts(text)
