"""The rules engine on its own: ages at boundaries, education, sex, activity and checks."""

from dataclasses import replace
from datetime import date

import pytest

from bot.config import DEFAULT_CATALOGUE
from bot.content.catalogue import load_catalogue
from bot.forms.eligibility import (
    Age,
    Failure,
    Rules,
    YesNoCheck,
    age_on,
    judge,
    missing_questions,
    months_on,
    questions_for,
    reaching,
)

JAPAN = next(
    p.rules.to_rules()
    for p in load_catalogue(DEFAULT_CATALOGUE).programmes
    if p.code == "japan_apprenticeship"
)
TODAY = date(2026, 11, 28)
FIT_FOR_JAPAN = {
    "birth_date": date(2004, 3, 12),
    "sex": "male",
    "education": "sma",
    "senior_school": "smk",
    "glasses": False,
    "tattoo": False,
    "colour_blind": False,
}


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(2008, 11, 28), date(2026, 11, 27), 17),  # the day before the 18th birthday
        (date(2008, 11, 28), date(2026, 11, 28), 18),  # the birthday itself
        (date(2008, 2, 29), date(2026, 2, 28), 17),  # leap-day birthday in a common year
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        (date(2008, 2, 29), date(2028, 2, 29), 20),
    ],
)
def test_age_on_a_date(birth: date, on: date, age: int) -> None:
    assert age_on(birth, on) == age


def test_a_fit_applicant_qualifies_for_japan() -> None:
    assert judge(JAPAN, FIT_FOR_JAPAN, TODAY) == []


def smk_failure(age: Age, *, reaches: date | None = None) -> Failure:
    return Failure(
        "age",
        {"age": age, "min": Age(18), "max": Age(26), "school": "smk", "on": None, "from": reaches},
    )


def test_the_day_before_the_eighteenth_birthday_an_smk_graduate_is_too_young() -> None:
    answers = {**FIT_FOR_JAPAN, "birth_date": date(2008, 11, 29)}
    assert judge(JAPAN, answers, TODAY) == [smk_failure(Age(17, 11), reaches=date(2026, 11, 29))]
    assert judge(JAPAN, {**answers, "birth_date": date(2008, 11, 28)}, TODAY) == []


def test_twenty_six_qualifies_until_the_twenty_seventh_birthday() -> None:
    assert judge(JAPAN, {**FIT_FOR_JAPAN, "birth_date": date(1999, 11, 29)}, TODAY) == []
    too_old = judge(JAPAN, {**FIT_FOR_JAPAN, "birth_date": date(1999, 11, 28)}, TODAY)
    assert too_old == [smk_failure(Age(27))]


# The source (../shared/domain.md, Japan): SMA graduates 18 years 6 months to 26, counted on
# the selection test day. Here the test is on 15 March 2027.
SELECTION_DAY = date(2027, 3, 15)
JAPAN_WITH_A_TEST_DAY = replace(JAPAN, age_reference=SELECTION_DAY)
SMA_GRADUATE = {**FIT_FOR_JAPAN, "senior_school": "sma"}


def test_an_sma_graduate_just_under_eighteen_and_a_half_on_the_test_day_is_told_when() -> None:
    born = date(2008, 12, 15)  # 18 years 3 months on the test day
    failures = judge(JAPAN_WITH_A_TEST_DAY, {**SMA_GRADUATE, "birth_date": born}, TODAY)
    assert failures == [
        Failure(
            "age",
            {
                "age": Age(18, 3),
                "min": Age(18, 6),
                "max": Age(26),
                "school": "sma",
                "on": SELECTION_DAY,
                "from": date(2027, 6, 15),
            },
        )
    ]
    # The same person as an SMK graduate qualifies: 18 is enough.
    assert judge(JAPAN_WITH_A_TEST_DAY, {**FIT_FOR_JAPAN, "birth_date": born}, TODAY) == []


def test_eighteen_and_a_half_is_reached_on_the_test_day_itself() -> None:
    on_the_day = {**SMA_GRADUATE, "birth_date": date(2008, 9, 15)}
    assert judge(JAPAN_WITH_A_TEST_DAY, on_the_day, TODAY) == []
    a_day_late = {**SMA_GRADUATE, "birth_date": date(2008, 9, 16)}
    [failure] = judge(JAPAN_WITH_A_TEST_DAY, a_day_late, TODAY)
    assert failure.details["age"] == Age(18, 5)
    assert failure.details["from"] == date(2027, 3, 16)


def test_a_test_day_already_past_counts_ages_today() -> None:
    past = replace(JAPAN, age_reference=date(2026, 1, 10))
    [failure] = judge(past, {**SMA_GRADUATE, "birth_date": date(2008, 8, 1)}, TODAY)
    assert failure.details["on"] is None
    assert failure.details["age"] == Age(18, 3)
    assert failure.details["from"] == date(2027, 2, 1)


def test_the_senior_school_is_asked_only_of_those_who_finished_one() -> None:
    assert "senior_school" in questions_for(JAPAN, {})
    assert "senior_school" in questions_for(JAPAN, {"education": "diploma"})
    assert "senior_school" not in questions_for(JAPAN, {"education": "smp"})
    assert "senior_school" not in questions_for(Rules(min_age=Age(17)), {"education": "sma"})


@pytest.mark.parametrize(
    ("birth", "on", "months"),
    [
        (date(2008, 9, 15), date(2027, 3, 14), 221),
        (date(2008, 9, 15), date(2027, 3, 15), 222),
        (date(2008, 8, 31), date(2027, 2, 28), 221),  # no 31 February: from 1 March
        (date(2008, 8, 31), date(2027, 3, 1), 222),
    ],
)
def test_months_on_a_date(birth: date, on: date, months: int) -> None:
    assert months_on(birth, on) == months
    assert (reaching(birth, Age(*divmod(months, 12))) <= on) is True


def test_a_woman_asking_about_japan_is_pointed_to_the_caregiver_track() -> None:
    [failure] = judge(JAPAN, {**FIT_FOR_JAPAN, "sex": "female"}, TODAY)
    assert failure.rule == "sex"
    assert "caregiver" in failure.details["explanation"]["en"]
    assert "caregiver" in failure.details["explanation"]["id"]


def test_every_failed_rule_is_listed() -> None:
    answers = {
        "birth_date": date(1995, 1, 1),
        "sex": "female",
        "education": "smp",
        "glasses": True,
        "tattoo": False,
        "colour_blind": True,
    }
    assert [failure.rule for failure in judge(JAPAN, answers, TODAY)] == [
        "age",
        "sex",
        "education",
        "check",
        "check",
    ]


def test_a_reference_date_fixes_the_age_for_the_selection_test() -> None:
    rules = Rules(min_age=Age(18), age_reference=date(2027, 1, 15))
    assert judge(rules, {"birth_date": date(2009, 1, 15)}, TODAY) == []


def test_activity_and_domicile_rules() -> None:
    rules = Rules(not_working=True, not_in_school=True, banten_only=True)
    assert judge(rules, {"activity": "seeking", "regency": "3673"}, TODAY) == []
    failures = judge(rules, {"activity": "working", "regency": "other"}, TODAY)
    assert [f.rule for f in failures] == ["working", "domicile"]
    assert [f.rule for f in judge(rules, {"activity": "studying", "regency": "3601"}, TODAY)] == [
        "studying"
    ]


def test_only_unanswered_questions_are_asked() -> None:
    assert missing_questions(JAPAN, {"birth_date": date(2004, 1, 1), "glasses": False}) == [
        "sex",
        "education",
        "senior_school",
        "tattoo",
        "colour_blind",
    ]
    assert missing_questions(Rules(), {}) == []


def test_judging_with_unanswered_questions_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unanswered questions: sex"):
        judge(Rules(sex="male"), {}, TODAY)


def test_a_check_fails_only_on_its_disqualifying_answer() -> None:
    check = YesNoCheck("has_ktp", {"id": "?", "en": "?"}, False, {"id": "!", "en": "!"})
    rules = Rules(checks=(check,))
    assert judge(rules, {"has_ktp": True}, TODAY) == []
    assert judge(rules, {"has_ktp": False}, TODAY) == [
        Failure("check", {"explanation": {"id": "!", "en": "!"}})
    ]
