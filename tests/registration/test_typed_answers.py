"""Typed form answers: birth dates (two- and four-digit years), names, phones and e-mails."""

from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.forms.typed_answers import (
    MAX_NAME_LENGTH,
    TypedAnswerError,
    parse_birth_date,
    parse_email,
    parse_full_name,
    parse_phone,
)

TODAY = date(2026, 11, 28)


def refusal(parse: Callable[[str], object], text: str) -> str:
    """The reason a parser gives for refusing text."""
    with pytest.raises(TypedAnswerError) as error:
        parse(text)
    return error.value.reason


@pytest.mark.parametrize(
    ("text", "born"),
    [
        ("12-03-2004", date(2004, 3, 12)),
        ("12/03/2004", date(2004, 3, 12)),
        ("12.03.2004", date(2004, 3, 12)),
        ("12 03 2004", date(2004, 3, 12)),
        ("1-3-2004", date(2004, 3, 1)),
        ("  12 / 3 / 2004 ", date(2004, 3, 12)),
        ("2004-03-12", date(2004, 3, 12)),
        ("2004-3-1", date(2004, 3, 1)),
        ("12 Maret 2004", date(2004, 3, 12)),
        ("12 March 2004", date(2004, 3, 12)),
        ("12 mar 2004", date(2004, 3, 12)),
        ("12 Mar. 2004", date(2004, 3, 12)),
        ("17 Agustus 1945", date(1945, 8, 17)),
        ("28-11-2026", TODAY),
        ("01-01-1926", date(1926, 1, 1)),  # 100 years by the calendar year: still accepted
    ],
)
def test_four_digit_years_in_every_format(text: str, born: date) -> None:
    assert parse_birth_date(text, TODAY) == born


@pytest.mark.parametrize(
    ("text", "born"),
    [
        ("15/08/93", date(1993, 8, 15)),
        ("15-8-05", date(2005, 8, 15)),
        ("28-11-26", date(2026, 11, 28)),  # today: born this century
        ("29-11-26", date(1926, 11, 29)),  # tomorrow this century is the future: 99 years old
        ("27-11-26", date(2026, 11, 27)),
        ("01-01-00", date(2000, 1, 1)),
        ("31-12-99", date(1999, 12, 31)),
        ("01-01-27", date(1927, 1, 1)),
        ("29-02-00", date(2000, 2, 29)),  # 2000 was a leap year, 1900 was not
        ("29-02-28", date(1928, 2, 29)),  # 2028 is in the future, 1928 was a leap year
        ("12 Maret 04", date(2004, 3, 12)),
        ("12 mar 93", date(1993, 3, 12)),
    ],
)
def test_a_two_digit_year_takes_the_century_that_makes_a_past_date(text: str, born: date) -> None:
    assert parse_birth_date(text, TODAY) == born


def test_the_century_moves_with_today() -> None:
    assert parse_birth_date("01-01-99", date(2099, 6, 1)) == date(2099, 1, 1)
    assert parse_birth_date("01-07-99", date(2099, 6, 1)) == date(1999, 7, 1)
    assert parse_birth_date("31-12-99", date(1999, 12, 31)) == date(1999, 12, 31)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31-02-2004", "date_invalid"),
        ("29-02-2005", "date_invalid"),
        ("2004-13-01", "date_invalid"),
        ("00-01-2004", "date_invalid"),
        ("31-04-93", "date_invalid"),
        ("29-02-01", "date_invalid"),  # neither 2001 nor 1901 was a leap year
        ("29-11-2026", "date_implausible"),  # tomorrow
        ("01-01-2030", "date_implausible"),
        ("31-12-1925", "date_implausible"),  # over 100 years
        ("12 Maret 1900", "date_implausible"),
        ("", "date_format"),
        ("kemarin", "date_format"),
        ("12-03", "date_format"),
        ("12-03-204", "date_format"),
        ("12-03-20045", "date_format"),
        ("12 Marchember 2004", "date_format"),
        ("2004/03/12", "date_format"),
        ("12-03-2004 jam 10", "date_format"),
    ],
)
def test_bad_dates_say_why(text: str, reason: str) -> None:
    assert refusal(lambda typed: parse_birth_date(typed, TODAY), text) == reason


DATE_LIKE = st.from_regex(r"\A\d{1,2}[-/. ]\d{1,2}[-/. ](\d{2}|\d{4})\Z")
WORDED = st.builds(
    "{} {} {}".format,
    st.integers(0, 40),
    st.sampled_from(["maret", "march", "mar", "agt", "foo"]),
    st.one_of(st.integers(0, 99).map("{:02d}".format), st.integers(1, 2999).map(str)),
)


@given(st.one_of(st.text(max_size=30), DATE_LIKE, WORDED), st.dates(date(1950, 1, 1)))
def test_any_text_is_a_recent_birth_date_or_a_reasoned_refusal(text: str, today: date) -> None:
    try:
        born = parse_birth_date(text, today)
    except TypedAnswerError as error:
        assert error.reason in {"date_format", "date_invalid", "date_implausible"}
    else:
        assert born <= today
        assert today.year - born.year <= 100


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Siti Aminah", "Siti Aminah"),
        ("  siti   aminah ", "siti aminah"),
        ("Nur'aini", "Nur'aini"),
        ("M. Rizki", "M. Rizki"),
        ("Siti Ámina", "Siti Ámina"),
        ("Siti A\u0301mina", "Siti A\u0301mina"),  # a combining accent
        ("Ahmad-Fauzi, S.Kom", "Ahmad-Fauzi, S.Kom"),
        ("A" * MAX_NAME_LENGTH, "A" * MAX_NAME_LENGTH),
    ],
)
def test_names_people_really_have_are_accepted(text: str, name: str) -> None:
    assert parse_full_name(text) == name


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Siti 2", "name_invalid"),
        ("12345", "name_invalid"),
        ("😀😀", "name_invalid"),
        ("Siti 😀", "name_invalid"),
        ("<b>x</b>", "name_invalid"),
        ("<b>Siti</b>", "name_invalid"),
        ("Siti@Aminah", "name_invalid"),
        ("A", "name_invalid"),
        ("", "name_invalid"),
        ("A" * (MAX_NAME_LENGTH + 1), "name_too_long"),
    ],
)
def test_things_that_are_not_names_are_refused(text: str, reason: str) -> None:
    assert refusal(parse_full_name, text) == reason


@pytest.mark.parametrize(
    "text",
    [
        "081234567890",
        "0812 3456 7890",
        "0812-3456-7890",
        "(0812) 3456 7890",
        "+6281234567890",
        "+62 812-3456-7890",
        "6281234567890",
    ],
)
def test_mobile_numbers_are_normalised(text: str) -> None:
    assert parse_phone(text) == "+6281234567890"


@pytest.mark.parametrize(
    "text",
    ["021 123456", "(021) 5551234", "0812", "12345", "+1 415 555 0100", "0812 abcd 7890", ""],
)
def test_landlines_and_non_numbers_are_refused(text: str) -> None:
    assert refusal(parse_phone, text) == "phone_invalid"


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("siti@example.com", "siti@example.com"),
        ("Siti.Aminah@Example.CO.ID", "siti.aminah@example.co.id"),
        ("  SITI+bbpvp@gmail.com ", "siti+bbpvp@gmail.com"),
    ],
)
def test_emails_are_lower_cased(text: str, address: str) -> None:
    assert parse_email(text) == address


@pytest.mark.parametrize(
    "text",
    ["siti", "siti@", "@example.com", "siti at example.com", "siti@example", "siti@@example.com"],
)
def test_things_that_are_not_emails_are_refused(text: str) -> None:
    assert refusal(parse_email, text) == "email_invalid"
