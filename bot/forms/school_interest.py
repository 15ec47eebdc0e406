"""The Sekolah Rakyat interest form's rules, with no Telegram: which question comes next, what
a button answer changes, one step back, and what a typed child's name or age may be.

A step is a question name, for a child followed by the child's row id ("child_age:17"); the
new child not yet named is plain "child_name". The form's position is the draft's `step`.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.forms.eligibility import BANTEN_REGENCIES, OUTSIDE_BANTEN
from bot.forms.side_questions import StepKind, TypedStep
from bot.forms.typed_answers import TypedAnswerError, parse_full_name, parse_phone
from db.models import SchoolInterest, SchoolInterestChild

PARENT_STEPS = ("name", "relationship", "regency", "phone")
CHILD_STEPS = ("child_name", "child_age", "child_level")
RELATIONSHIPS = ("mother", "father", "grandparent", "guardian")
REGENCIES = (*BANTEN_REGENCIES, OUTSIDE_BANTEN)
LEVELS = ("sd", "smp", "sma")
YES_NO = ("yes", "no")
DTSEN_ANSWERS = ("yes", "no", "unknown")
CHOICES = {
    "relationship": RELATIONSHIPS,
    "regency": REGENCIES,
    "child_level": LEVELS,
    "more_children": YES_NO,
    "dtsen": DTSEN_ANSWERS,
}
# Steps that show the consent text, a child's own menu, or the summary rather than a question.
CONSENT, CHILD_MENU, SUMMARY = "consent", "child", "summary"
MAX_CHILDREN = 5
MIN_AGE, MAX_AGE = 4, 18
MAX_CHILD_NAME = 50
AGE = re.compile(r"^(\d{1,2})\s*(?:tahun|thn|th|years?|yrs?|y)?\.?$")


@dataclass(frozen=True)
class Step:
    name: str
    child_id: int | None = None

    def __str__(self) -> str:
        return self.name if self.child_id is None else f"{self.name}:{self.child_id}"


def parse_step(text: str | None) -> Step:
    name, _, child = (text or SUMMARY).partition(":")
    return Step(name, int(child) if child.isdigit() else None)


def child_step(name: str, child: SchoolInterestChild) -> str:
    return str(Step(name, child.id))


def find_child(
    children: Sequence[SchoolInterestChild], child_id: int | None
) -> SchoolInterestChild | None:
    return next((child for child in children if child.id == child_id), None)


def next_step(draft: SchoolInterest, children: Sequence[SchoolInterestChild]) -> str:
    """The first question still unanswered, or the summary.

    "Another child?" has no column of its own: it is asked while the DTSEN answer is missing,
    and "No" moves on to the DTSEN question explicitly.
    """
    fields = {"name": draft.parent_name, "relationship": draft.relationship}
    fields |= {"regency": draft.regency, "phone": draft.phone_encrypted}
    for step in PARENT_STEPS:
        if fields[step] is None:
            return step
    if not children:
        return "child_name"
    for child in children:
        for step, value in zip(
            CHILD_STEPS, (child.first_name_encrypted, child.age, child.level), strict=True
        ):
            if value is None:
                return child_step(step, child)
    if draft.in_dtsen is None:
        return "more_children" if len(children) < MAX_CHILDREN else "dtsen"
    return SUMMARY


def apply_choice(
    draft: SchoolInterest, children: Sequence[SchoolInterestChild], step: str, value: str
) -> None:
    """A button answer on the current step; buttons of other steps change nothing."""
    current = parse_step(draft.step)
    if step != draft.step or value not in CHOICES.get(current.name, ()):
        return
    if current.name == "more_children":
        if value == "yes" and len(children) < MAX_CHILDREN:
            draft.step = "child_name"
        else:
            draft.step = "dtsen" if draft.in_dtsen is None else next_step(draft, children)
        return
    if current.name == "child_level":
        child = find_child(children, current.child_id)
        if child is None:
            return
        child.level = value
    elif current.name == "dtsen":
        draft.in_dtsen = value
    else:
        setattr(draft, current.name, value)
    draft.step = next_step(draft, children)


def step_back(draft: SchoolInterest, children: Sequence[SchoolInterestChild]) -> None:
    """One question back, keeping the answers given; from the first, back to the consent."""
    current = parse_step(draft.step)
    last = children[-1] if children else None
    if current.name in PARENT_STEPS:
        index = PARENT_STEPS.index(current.name)
        draft.step = PARENT_STEPS[index - 1] if index else CONSENT
    elif current.name == "child_name":
        ids = [child.id for child in children]
        if current.child_id not in ids:
            draft.step = "more_children" if last else "phone"
        else:
            index = ids.index(current.child_id)
            draft.step = child_step("child_level", children[index - 1]) if index else "phone"
    elif current.name in CHILD_STEPS:
        earlier = CHILD_STEPS[CHILD_STEPS.index(current.name) - 1]
        draft.step = str(Step(earlier, current.child_id))
    elif current.name == "more_children" and last is not None:
        draft.step = child_step("child_level", last)
    elif current.name == "dtsen" and last is not None:
        more = len(children) < MAX_CHILDREN
        draft.step = "more_children" if more else child_step("child_level", last)
    elif current.name == CHILD_MENU:
        draft.step = SUMMARY


def edit(draft: SchoolInterest, children: Sequence[SchoolInterestChild], step: str) -> None:
    """From the summary: ask one question again, open a child's menu, or add a child."""
    target = parse_step(step)
    if target.child_id is None:
        allowed = target.name in (*PARENT_STEPS, "dtsen") or (
            target.name == "child_name" and len(children) < MAX_CHILDREN
        )
    else:
        allowed = target.name in (*CHILD_STEPS, CHILD_MENU) and (
            find_child(children, target.child_id) is not None
        )
    if allowed:
        draft.step = str(target)


def child_number(children: Sequence[SchoolInterestChild], step: Step) -> int:
    """Which child (1, 2...) a step is about; a new child comes after the others."""
    ids = [child.id for child in children]
    return ids.index(step.child_id) + 1 if step.child_id in ids else len(ids) + 1


def parse_child_name(text: str) -> str:
    """A child's first name: a name in letters, at most 50 characters."""
    try:
        name = parse_full_name(text)
    except TypedAnswerError as error:
        raise TypedAnswerError(f"child_{error.reason}") from None
    if len(name) > MAX_CHILD_NAME:
        raise TypedAnswerError("child_name_too_long")
    return name


def parse_age(text: str) -> int:
    """A whole number of years from 4 to 18; "9", "9 tahun" and "9 years" all read as 9."""
    match = AGE.match(" ".join(text.strip().lower().split()))
    if not match:
        raise TypedAnswerError("age_not_number")
    age = int(match.group(1))
    if not MIN_AGE <= age <= MAX_AGE:
        raise TypedAnswerError("age_range")
    return age


# The questions answered by typing, by step name; a typed question there goes to the FAQ.
TYPED_QUESTIONS = {
    "name": TypedStep(StepKind.NAME, parse_full_name),
    "phone": TypedStep(StepKind.PHONE, parse_phone),
    "child_name": TypedStep(StepKind.NAME, parse_child_name),
    "child_age": TypedStep(StepKind.NUMBER, parse_age),
}
