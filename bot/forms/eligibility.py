"""Who qualifies for what: programme rules as data, judged against a person's answers.

Pure code with no Telegram and no database, so every boundary is tested on its own.
"""

from calendar import monthrange
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bot.forms.side_questions import StepKind, TypedStep
from bot.forms.typed_answers import parse_birth_date

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

# The senior secondary school finished, asked only where a programme's ages depend on it
# (the Japan apprenticeship: SMK 18 to 26, SMA 18 years 6 months to 26). MA counts as SMA.
SENIOR_SCHOOLS = ("smk", "sma")
SENIOR_LEVEL = "sma"

# The questions a rule needs answered; yes/no checks add their own codes.
BIRTH_DATE, SEX, EDUCATION, SENIOR_SCHOOL, ACTIVITY, REGENCY = (
    "birth_date",
    "sex",
    "education",
    "senior_school",
    "activity",
    "regency",
)
QUESTION_ORDER = (BIRTH_DATE, SEX, EDUCATION, SENIOR_SCHOOL, ACTIVITY, REGENCY)


@dataclass(frozen=True, order=True)
class Age:
    """An age limit in years and months. A maximum in whole years runs to the next birthday
    ("up to 26" takes a 26-year-11-month-old); one with months ends at that month."""

    years: int
    months: int = 0

    @property
    def in_months(self) -> int:
        return self.years * 12 + self.months

    @property
    def last_month(self) -> int:
        """The oldest age, in completed months, that is still within this maximum."""
        return self.in_months + (11 if self.months == 0 else 0)


@dataclass(frozen=True)
class AgeBand:
    minimum: Age | None = None
    maximum: Age | None = None


@dataclass(frozen=True)
class YesNoCheck:
    code: str
    question: Mapping[str, str]
    disqualifying_answer: bool
    explanation: Mapping[str, str]


@dataclass(frozen=True)
class Rules:
    min_age: Age | None = None
    max_age: Age | None = None
    # Ages are taken on this date (the intake's selection test); None, or a day already past,
    # means today, and the verdict says so.
    age_reference: date | None = None
    # Other ages for graduates of one kind of senior school, e.g. (("sma", AgeBand(...)),).
    school_ages: tuple[tuple[str, AgeBand], ...] = ()
    min_education: str | None = None
    sex: str | None = None
    sex_explanation: Mapping[str, str] | None = None
    banten_only: bool = False
    not_working: bool = False
    not_in_school: bool = False
    checks: tuple[YesNoCheck, ...] = ()

    @property
    def is_empty(self) -> bool:
        return self == Rules()

    @property
    def has_ages(self) -> bool:
        return self.min_age is not None or self.max_age is not None or bool(self.school_ages)

    def ages_for(self, answers: Mapping[str, Any]) -> tuple[AgeBand, str | None]:
        """The age band that applies to this person, and the school it is for (None: all)."""
        school = answers.get(SENIOR_SCHOOL) if asks_senior_school(self, answers) else None
        for code, band in self.school_ages:
            if code == school:
                return band, school
        return AgeBand(self.min_age, self.max_age), None

    def ages_counted_on(self, today: date) -> date | None:
        """The selection test day ages are counted on, or None when that is today."""
        if self.age_reference is None or self.age_reference <= today:
            return None
        return self.age_reference


@dataclass(frozen=True)
class Failure:
    """One rule the person does not meet, with what is needed to explain it."""

    rule: str
    details: Mapping[str, Any] = field(default_factory=dict)


def age_on(birth: date, on: date) -> int:
    """Whole years completed on a date; a 29 February birthday counts from 1 March."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def months_on(birth: date, on: date) -> int:
    """Whole months completed on a date; a month counts from the same day of the month, or
    from the 1st of the next one when the month is too short (31 January: from 1 March)."""
    return (on.year - birth.year) * 12 + on.month - birth.month - (on.day < birth.day)


def reaching(birth: date, age: Age) -> date:
    """The day a person born on `birth` completes `age`."""
    year, month = divmod(birth.month - 1 + age.in_months, 12)
    year, month = birth.year + year, month + 1
    if birth.day > monthrange(year, month)[1]:
        return date(year, month, monthrange(year, month)[1]) + timedelta(days=1)
    return date(year, month, birth.day)


def asks_senior_school(rules: Rules, answers: Mapping[str, Any]) -> bool:
    """Whether the senior school matters: the ages depend on it and the person finished one
    (or has not said yet how far they went)."""
    if not rules.school_ages:
        return False
    education = answers.get(EDUCATION)
    return education is None or EDUCATION_LEVELS.index(education) >= EDUCATION_LEVELS.index(
        SENIOR_LEVEL
    )


def questions_for(rules: Rules, answers: Mapping[str, Any] | None = None) -> list[str]:
    """The questions a person must have answered before these rules can be judged; the
    senior school is skipped once the answers show none was finished."""
    needed = []
    if rules.has_ages:
        needed.append(BIRTH_DATE)
    if rules.sex:
        needed.append(SEX)
    if rules.min_education or rules.school_ages:
        needed.append(EDUCATION)
    if asks_senior_school(rules, answers or {}):
        needed.append(SENIOR_SCHOOL)
    if rules.not_working or rules.not_in_school:
        needed.append(ACTIVITY)
    if rules.banten_only:
        needed.append(REGENCY)
    return needed + [check.code for check in rules.checks]


def missing_questions(rules: Rules, answers: Mapping[str, Any]) -> list[str]:
    return [question for question in questions_for(rules, answers) if question not in answers]


def judge(rules: Rules, answers: Mapping[str, Any], today: date) -> list[Failure]:
    """Every rule the answers fail; an empty list means the person qualifies."""
    if missing := missing_questions(rules, answers):
        raise ValueError(f"unanswered questions: {', '.join(missing)}")
    failures = []
    if rules.has_ages and (failure := judge_age(rules, answers, today)) is not None:
        failures.append(failure)
    if rules.sex and answers[SEX] != rules.sex:
        failures.append(Failure("sex", {"sex": rules.sex, "explanation": rules.sex_explanation}))
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


def judge_age(rules: Rules, answers: Mapping[str, Any], today: date) -> Failure | None:
    """The age rule on the selection test day (or today): how old the person will be, the
    band that applies, and, when too young, the day they reach its minimum."""
    band, school = rules.ages_for(answers)
    birth = answers[BIRTH_DATE]
    counted_on = rules.ages_counted_on(today)
    months = months_on(birth, counted_on or today)
    too_young = band.minimum is not None and months < band.minimum.in_months
    too_old = band.maximum is not None and months > band.maximum.last_month
    if not (too_young or too_old):
        return None
    return Failure(
        "age",
        {
            "age": Age(*divmod(months, 12)),
            "min": band.minimum,
            "max": band.maximum,
            "school": school,
            "on": counted_on,
            "from": reaching(birth, band.minimum) if too_young and band.minimum else None,
        },
    )


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


def typed_questions(today: date) -> dict[str, TypedStep]:
    """The one question of a check answered by typing; a typed question there goes to the FAQ."""
    return {BIRTH_DATE: TypedStep(StepKind.DATE, lambda text: parse_birth_date(text, today))}
