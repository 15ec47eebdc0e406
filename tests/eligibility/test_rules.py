"""The rules engine on its own: ages at boundaries, education, sex, activity and checks."""

from datetime import date

import pytest

from bot.config import DEFAULT_CATALOGUE
from bot.content.catalogue import load_catalogue
from bot.forms.eligibility import Failure, Rules, YesNoCheck, age_on, judge, missing_questions

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


def test_the_day_before_the_eighteenth_birthday_is_too_young() -> None:
    answers = {**FIT_FOR_JAPAN, "birth_date": date(2008, 11, 29)}
    assert judge(JAPAN, answers, TODAY) == [Failure("age", {"age": 17, "min": 18, "max": 26})]
    assert judge(JAPAN, {**answers, "birth_date": date(2008, 11, 28)}, TODAY) == []


def test_twenty_six_qualifies_until_the_twenty_seventh_birthday() -> None:
    assert judge(JAPAN, {**FIT_FOR_JAPAN, "birth_date": date(1999, 11, 29)}, TODAY) == []
    too_old = judge(JAPAN, {**FIT_FOR_JAPAN, "birth_date": date(1999, 11, 28)}, TODAY)
    assert too_old == [Failure("age", {"age": 27, "min": 18, "max": 26})]


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
    rules = Rules(min_age=18, age_reference=date(2027, 1, 15))
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
