"""The intake rules without a bot: typed dates and quotas, and what the dates do on their own."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.content.catalogue import CatalogueError, load_catalogue
from bot.intake.dates import (
    CLOSES_BEFORE_OPENS,
    CLOSING_DAY_PASSED,
    OPENING_DAY_CAME,
    QuotaError,
    centre_today,
    check_setting,
    dated_intake,
    parse_date,
    parse_quota,
    planned_by_opening_date,
)
from tests.factories import programme_entry, write_catalogue

DECEMBER_FIRST = date(2026, 12, 1)


@pytest.mark.parametrize(
    "typed",
    [
        "1/12/2026",
        "01/12/2026",
        "01-12-2026",
        "1.12.2026",
        "2026-12-01",
        "1 Des 2026",
        "1 des 2026",
        "1 Desember 2026",
        "1 Dec 2026",
        " 1  December 2026 ",
        "1 Des. 2026",
    ],
)
def test_dates_are_read_as_indonesians_write_them(typed: str) -> None:
    assert parse_date(typed) == DECEMBER_FIRST


@pytest.mark.parametrize(
    "typed", ["", "besok", "12/2026", "31/02/2026", "1/13/2026", "1 Foo 2026", "2026/12/01x"]
)
def test_nonsense_dates_are_not_guessed(typed: str) -> None:
    assert parse_date(typed) is None


def test_the_day_comes_first_in_slashed_dates() -> None:
    assert parse_date("3/4/2027") == date(2027, 4, 3)
    assert parse_date("17 Agustus 2027") == date(2027, 8, 17)
    assert parse_date("5 Mei 2027") == parse_date("5 May 2027") == date(2027, 5, 5)


def test_quotas_are_whole_numbers_or_no_limit() -> None:
    assert parse_quota("40") == 40
    assert parse_quota(" 1.000 ") == 1000
    assert parse_quota("none") is parse_quota("Tidak ada") is None
    for wrong in ("0", "-5", "forty", "2.5", "2.5x", "1.00", ""):
        with pytest.raises(QuotaError):
            parse_quota(wrong)


def test_the_centre_day_is_western_indonesian_time() -> None:
    assert centre_today(datetime(2026, 11, 30, 16, 59, tzinfo=UTC)) == date(2026, 11, 30)
    assert centre_today(datetime(2026, 11, 30, 17, 0, tzinfo=UTC)) == DECEMBER_FIRST


def test_a_planned_intake_opens_on_its_day_and_closes_after_its_last_day() -> None:
    opens, closes = DECEMBER_FIRST, date(2026, 12, 20)
    assert dated_intake("planned", opens, closes, date(2026, 11, 30)) == "planned"
    assert dated_intake("planned", opens, closes, opens) == "open"
    assert dated_intake("open", opens, closes, closes) == "open"
    assert dated_intake("open", opens, closes, date(2026, 12, 21)) == "closed"
    # A planned intake whose last day is over never opened: it is closed, not still "planned"
    # (users would read "Registration opens on" a day in the past).
    assert dated_intake("planned", opens, closes, date(2026, 12, 21)) == "closed"
    assert dated_intake("planned", None, closes, date(2026, 12, 21)) == "closed"
    assert dated_intake("planned", None, closes, closes) == "planned"
    # Staff closed it early: the opening date does not reopen it.
    assert dated_intake("closed", opens, closes, date(2026, 12, 5)) == "closed"
    assert dated_intake("open", None, None, date(2030, 1, 1)) == "open"


def test_settings_the_dates_would_undo_are_refused_with_the_reason() -> None:
    today = date(2026, 12, 10)
    dates = {"opens_on": DECEMBER_FIRST, "closes_on": date(2026, 12, 20)}
    refused = check_setting(dates, "closes_on", date(2026, 11, 30), today)
    assert refused is not None and refused.reason == CLOSES_BEFORE_OPENS
    assert check_setting(dates, "closes_on", DECEMBER_FIRST, today) is None
    past = {"opens_on": None, "closes_on": date(2026, 12, 1)}
    refused = check_setting(past, "intake", "open", today)
    assert refused is not None and refused.reason == CLOSING_DAY_PASSED
    refused = check_setting(dates, "intake", "planned", today)
    assert refused is not None and refused.reason == OPENING_DAY_CAME
    # Planned after the closing day would be closed at once by the dates: refused too.
    refused = check_setting(past, "intake", "planned", today)
    assert refused is not None and refused.reason == CLOSING_DAY_PASSED
    assert check_setting(dates, "intake", "closed", today) is None


def test_only_a_future_opening_date_on_an_intake_not_planned_plans_it() -> None:
    today, later = date(2026, 11, 20), DECEMBER_FIRST
    assert planned_by_opening_date("closed", "opens_on", later, today)
    assert planned_by_opening_date("open", "opens_on", later, today)
    assert not planned_by_opening_date("planned", "opens_on", later, today)
    assert not planned_by_opening_date("closed", "opens_on", today, today)
    assert not planned_by_opening_date("closed", "opens_on", None, today)
    assert not planned_by_opening_date("closed", "closes_on", later, today)


def test_the_catalogue_takes_dates_and_refuses_a_closing_before_the_opening(
    tmp_path: Path,
) -> None:
    good = write_catalogue(
        tmp_path / "good.yaml",
        ["courses"],
        [programme_entry("tiny", "courses", opens_on="2026-12-01", closes_on="2026-12-20")],
    )
    [row] = load_catalogue(good).programme_rows()
    assert (row["opens_on"], row["closes_on"]) == (DECEMBER_FIRST, date(2026, 12, 20))
    bad = write_catalogue(
        tmp_path / "bad.yaml",
        ["courses"],
        [programme_entry("tiny", "courses", opens_on="2026-12-20", closes_on="2026-12-01")],
    )
    with pytest.raises(CatalogueError) as error:
        load_catalogue(bad)
    assert "programmes entry #1 ('tiny')" in str(error.value)
    assert "closes_on is before opens_on" in str(error.value)
