"""Reading an NIK: structure, sex and birth date, the century of a two-digit year."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.privacy.nik import NikError, parse_nik

TODAY = date(2026, 11, 28)


def test_a_mans_nik_from_kota_serang() -> None:
    nik = parse_nik("3673011203040001", TODAY)
    assert (nik.sex, nik.birth_date, nik.region) == ("male", date(2004, 3, 12), "3673")
    assert nik.masked == "3673********0001"


def test_forty_is_added_to_the_day_for_women() -> None:
    nik = parse_nik("3604015203040002", TODAY)
    assert (nik.sex, nik.birth_date) == ("female", date(2004, 3, 12))


def test_spaces_dots_and_dashes_are_ignored() -> None:
    assert parse_nik("3673 0112 0304 0001", TODAY).digits == "3673011203040001"
    assert parse_nik("3673.0112.0304.0001", TODAY).digits == "3673011203040001"


def test_full_width_digits_and_separators_become_ascii() -> None:
    # A phone keyboard in full-width mode: the same NIK must be stored (and deduplicated) once.
    assert parse_nik("３６７３０１１２０３０４０００１", TODAY).digits == "3673011203040001"
    assert parse_nik("３６７３－０１１２　０３０４．０００１", TODAY).digits == "3673011203040001"
    assert parse_nik("3673０11２03040001", TODAY).digits == "3673011203040001"


@pytest.mark.parametrize(
    "text",
    [
        "٣٦٧٣٠١١٢٠٣٠٤٠٠٠١",  # Arabic-Indic digits: NFKC leaves them as they are
        "۳۶۷۳۰۱۱۲۰۳۰۴۰۰۰۱",  # Extended Arabic-Indic (Persian) digits
        "३६७३०११२०३०४०००१",  # Devanagari digits
        "367301120304000١",  # ASCII but for one Arabic-Indic digit
    ],
)
def test_digits_that_are_not_ascii_after_nfkc_are_refused(text: str) -> None:
    with pytest.raises(NikError) as error:
        parse_nik(text, TODAY)
    assert error.value.reason == "format"


@pytest.mark.parametrize(
    ("digits", "year"),
    [
        ("367301120326", 2026),  # born earlier this year
        ("367301281126", 2026),  # born today
        ("367301291126", 1926),  # "tomorrow" this century is impossible: a centenarian
        ("367301010199", 1999),
        ("367301010100", 2000),
    ],
)
def test_the_century_makes_the_person_0_to_100_years_old(digits: str, year: int) -> None:
    assert parse_nik(digits + "0001", TODAY).birth_date.year == year


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("367301120304000", "format"),
        ("36730112030400011", "format"),
        ("3673O11203040001", "format"),
        ("", "format"),
        ("9973011203040001", "region"),
        ("3600011203040001", "region"),
        ("3673001203040001", "region"),
        ("3673013203040001", "date"),  # day 32
        ("3673017203040001", "date"),  # day 72 (a woman's 32)
        ("3673011213040001", "date"),  # month 13
        ("3673013002040001", "date"),  # 30 February
        ("3673011203040000", "serial"),
    ],
)
def test_malformed_niks_say_why(text: str, reason: str) -> None:
    with pytest.raises(NikError) as error:
        parse_nik(text, TODAY)
    assert error.value.reason == reason


@given(st.text(max_size=40))
def test_any_text_is_either_an_nik_or_a_reasoned_refusal(text: str) -> None:
    try:
        nik = parse_nik(text, TODAY)
    except NikError as error:
        assert error.reason in {"format", "region", "date", "serial"}
    else:
        assert len(nik.digits) == 16 and nik.birth_date <= TODAY
        assert nik.digits.isascii() and nik.digits.isdigit()
