"""The registration form's rules, with no Telegram: which question comes next, what a button
answer changes, one step back, and whether the answers meet the programme's rules."""

from datetime import date
from typing import Any

from bot.forms.eligibility import (
    ACTIVITIES,
    BANTEN_REGENCIES,
    EDUCATION_LEVELS,
    OUTSIDE_BANTEN,
    SEX,
    Failure,
    Rules,
    judge,
    missing_questions,
)
from bot.forms.side_questions import StepKind, TypedStep
from bot.forms.typed_answers import parse_birth_date, parse_email, parse_full_name, parse_phone
from bot.privacy.nik import parse_nik
from db.models import Registration

# Questions in order; a step is asked when its answer is missing (or the user edits it).
STEPS = ("name", "nik", "birth_date", "phone", "education", "activity", "regency", "email")
TYPED_STEPS = ("name", "nik", "birth_date", "phone", "email")
CHOICES = {
    "education": EDUCATION_LEVELS,
    "activity": ACTIVITIES,
    "regency": (*BANTEN_REGENCIES, OUTSIDE_BANTEN),
}
FIELDS = {"name": "full_name", "nik": "nik_hash", "phone": "phone_encrypted"}
PREFILLED_FROM_ELIGIBILITY = ("birth_date", "education", "activity", "regency")


def next_step(draft: Registration) -> str:
    """The first question still unanswered, or the summary."""
    for step in STEPS:
        if step == "email":
            if draft.email is None and not draft.email_skipped:
                return step
        elif getattr(draft, FIELDS.get(step, step)) is None:
            return step
    return "summary"


def apply_choice(
    draft: Registration, step: str, value: str, *, nik_birth_date: date | None
) -> None:
    """A button answer on the current step; buttons of other steps change nothing."""
    if step != draft.step:
        return
    if step in CHOICES and value in CHOICES[step]:
        setattr(draft, step, value)
    elif step == "nik_check" and value == "yes":
        draft.birth_date = nik_birth_date
    elif step == "nik_check" and value == "retype":
        clear_nik(draft)
        draft.step = "nik"
        return
    elif step == "nik_check" and value == "differs":
        draft.birth_date, draft.step = None, "birth_date"
        return
    elif step == "email" and value == "skip":
        draft.email, draft.email_skipped = None, True
    else:
        return
    draft.step = next_step(draft)


def step_back(draft: Registration) -> None:
    """One question back; from the NIK check, back to typing the NIK."""
    order = [*STEPS, "summary"]
    if draft.step == "nik_check":
        clear_nik(draft)
        draft.step = "nik"
    elif draft.step in ("birth_date", "phone") and draft.nik_hash is not None:
        # The birth date came from the NIK unless the user said it differs: show that check.
        draft.step = "nik_check"
    elif draft.step in order and order.index(draft.step) > 0:
        draft.step = order[order.index(draft.step) - 1]


def edit(draft: Registration, step: str) -> None:
    """Ask one question again from the summary; a new NIK must be read again."""
    if step in STEPS:
        if step == "nik":
            clear_nik(draft)
        draft.step = step


def clear_nik(draft: Registration) -> None:
    draft.nik_encrypted = draft.nik_hash = draft.nik_masked = draft.sex = None
    draft.birth_date = None


def form_answers(draft: Registration, answers: dict[str, Any]) -> dict[str, Any]:
    """The form's answers over the eligibility check's (yes/no checks, the senior school)."""
    return {
        **answers,
        "birth_date": draft.birth_date,
        "sex": draft.sex,
        "education": draft.education,
        "activity": draft.activity,
        "regency": draft.regency,
    }


def rule_failures(
    rules: Rules, draft: Registration, answers: dict[str, Any], today: date
) -> list[Failure]:
    """The programme's rules judged on the form's answers (and yes/no checks answered before)."""
    return judge(rules, form_answers(draft, answers), today)


def unanswered_checks(
    rules: Rules, answers: dict[str, Any], draft: Registration | None = None
) -> list[str]:
    """Requirements the form does not ask (yes/no checks, which senior school): they come from
    the eligibility check. With a draft, its answers count (a changed education may need one)."""
    known = answers if draft is None else form_answers(draft, answers)
    asked_by_form = (*STEPS, SEX)
    return [q for q in missing_questions(rules, known) if q not in asked_by_form]


def typed_questions(today: date) -> dict[str, TypedStep]:
    """The questions answered by typing, by step; a typed question there goes to the FAQ."""
    return {
        "name": TypedStep(StepKind.NAME, parse_full_name),
        "nik": TypedStep(StepKind.NIK, lambda text: parse_nik(text, today)),
        "birth_date": TypedStep(StepKind.DATE, lambda text: parse_birth_date(text, today)),
        "phone": TypedStep(StepKind.PHONE, parse_phone),
        "email": TypedStep(StepKind.EMAIL, parse_email),
    }
