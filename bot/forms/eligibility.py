"""Who qualifies for what: programme rules as data, judged against a person's answers.

Pure code with no Telegram and no database, so every boundary is tested on its own.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# Last completed education, lowest first. SMA, SMK and MA are one level (SLTA).
EDUCATION_LEVELS = ("none", "sd", "smp", "sma", "diploma", "bachelor")
ACTIVITIES = ("working", "studying", "seeking", "other")
SEXES = ("male", "female")
BANTEN_REGENCIES = {
    "3601": "Kab. Pandeglang",
    "3602": "Kab. Lebak",
    "3603": "Kab. Tangerang",
    "3604": "Kab. Serang",
    "3671": "Kota Tangerang",
    "3672": "Kota Cilegon",
    "3673": "Kota Serang",
    "3674": "Kota Tangerang Selatan",
}
OUTSIDE_BANTEN = "other"

# The questions a rule needs answered; yes/no checks add their own codes.
BIRTH_DATE, SEX, EDUCATION, ACTIVITY, REGENCY = (
    "birth_date",
    "sex",
    "education",
    "activity",
    "regency",
)
QUESTION_ORDER = (BIRTH_DATE, SEX, EDUCATION, ACTIVITY, REGENCY)


@dataclass(frozen=True)
class YesNoCheck:
    code: str
    question: Mapping[str, str]
    disqualifying_answer: bool
    explanation: Mapping[str, str]


@dataclass(frozen=True)
class Rules:
    min_age: int | None = None
    max_age: int | None = None
    # Ages are taken on this date (e.g. the selection test); None means today.
    age_reference: date | None = None
    min_education: str | None = None
    sex: str | None = None
    banten_only: bool = False
    not_working: bool = False
    not_in_school: bool = False
    checks: tuple[YesNoCheck, ...] = ()

    @property
    def is_empty(self) -> bool:
        return self == Rules()


@dataclass(frozen=True)
class Failure:
    """One rule the person does not meet, with what is needed to explain it."""

    rule: str
    details: Mapping[str, Any] = field(default_factory=dict)


def age_on(birth: date, on: date) -> int:
    """Whole years completed on a date; a 29 February birthday counts from 1 March."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def questions_for(rules: Rules) -> list[str]:
    """The questions a person must have answered before these rules can be judged."""
    needed = []
    if rules.min_age is not None or rules.max_age is not None:
        needed.append(BIRTH_DATE)
    if rules.sex:
        needed.append(SEX)
    if rules.min_education:
        needed.append(EDUCATION)
    if rules.not_working or rules.not_in_school:
        needed.append(ACTIVITY)
    if rules.banten_only:
        needed.append(REGENCY)
    return needed + [check.code for check in rules.checks]


def missing_questions(rules: Rules, answers: Mapping[str, Any]) -> list[str]:
    return [question for question in questions_for(rules) if question not in answers]


def judge(rules: Rules, answers: Mapping[str, Any], today: date) -> list[Failure]:
    """Every rule the answers fail; an empty list means the person qualifies."""
    if missing := missing_questions(rules, answers):
        raise ValueError(f"unanswered questions: {', '.join(missing)}")
    failures = []
    if BIRTH_DATE in answers and (rules.min_age is not None or rules.max_age is not None):
        age = age_on(answers[BIRTH_DATE], rules.age_reference or today)
        too_young = rules.min_age is not None and age < rules.min_age
        too_old = rules.max_age is not None and age > rules.max_age
        if too_young or too_old:
            failures.append(
                Failure("age", {"age": age, "min": rules.min_age, "max": rules.max_age})
            )
    if rules.sex and answers[SEX] != rules.sex:
        failures.append(Failure("sex", {"sex": rules.sex}))
    if rules.min_education and EDUCATION_LEVELS.index(answers[EDUCATION]) < (
        EDUCATION_LEVELS.index(rules.min_education)
    ):
        failures.append(
            Failure("education", {"needed": rules.min_education, "have": answers[EDUCATION]})
        )
    if rules.not_working and answers[ACTIVITY] == "working":
        failures.append(Failure("working"))
    if rules.not_in_school and answers[ACTIVITY] == "studying":
        failures.append(Failure("studying"))
    if rules.banten_only and answers[REGENCY] not in BANTEN_REGENCIES:
        failures.append(Failure("domicile"))
    for check in rules.checks:
        if answers[check.code] == check.disqualifying_answer:
            failures.append(Failure("check", {"explanation": check.explanation}))
    return failures


def qualifies(rules: Rules, answers: Mapping[str, Any], today: date) -> bool:
    """Whether the answers given so far meet every rule; not while one is still unanswered."""
    return not missing_questions(rules, answers) and not judge(rules, answers, today)


def qualifying(
    programmes: list[tuple[str, Rules]], answers: Mapping[str, Any], today: date
) -> list[str]:
    """Codes of programmes with rules, all of whose questions are answered and met."""
    return [
        code
        for code, rules in programmes
        if not rules.is_empty and qualifies(rules, answers, today)
    ]
