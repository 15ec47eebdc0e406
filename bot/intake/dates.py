"""Intake settings as rules without I/O: what staff may set, how typed dates and quotas are
read, and when the registration period opens or closes an intake by itself."""

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.config import CENTRE_TIMEZONE
from bot.forms.typed_answers import date_parts

INTAKE_STATES = ("open", "closed", "planned")
# The fields staff may set from the bot; everything else comes from the catalogue file only.
SETTABLE = ("intake", "quota", "opens_on", "closes_on")
DATE_FIELDS = ("opens_on", "closes_on")
# 40, 1000, 1.000 or 1,000: a thousands separator only between groups of three digits.
PLACES = re.compile(r"^(\d+|\d{1,3}([.,]\d{3})+)$")
NO_LIMIT = {"none", "no", "no limit", "unlimited", "-", "tidak", "tidak ada", "tanpa batas"}


def centre_today(now: datetime) -> date:
    """The centre's calendar day (WIB) at this moment."""
    return now.astimezone(CENTRE_TIMEZONE).date()


def parse_date(typed: str) -> date | None:
    """1/12/2026, 01-12-2026, 1.12.2026, 2026-12-01, 1 Des 2026 or 1 December 2026 (the
    forms a birth date is typed in); a two-digit year is this century's; else None."""
    parts = date_parts(typed)
    if parts is None:
        return None
    written_year, month, day = parts
    year = int(written_year) + (2000 if len(written_year) == 2 else 0)
    try:
        return date(year, month, day)
    except ValueError:
        return None


class QuotaError(ValueError):
    """Typed text that is not a number of places."""


def parse_quota(typed: str) -> int | None:
    """A whole number above zero, or None for "no limit"; raises QuotaError otherwise."""
    text = " ".join(typed.strip().lower().split())
    if text in NO_LIMIT:
        return None
    if not PLACES.match(text):
        raise QuotaError(typed)
    places = int(text.replace(".", "").replace(",", ""))
    if not 0 < places <= 100_000:
        raise QuotaError(typed)
    return places


def decode_values(raw: dict[str, Any]) -> dict[str, Any]:
    """An override's stored JSON as row values (dates as dates); unknown keys are ignored."""
    values = {key: raw[key] for key in SETTABLE if key in raw}
    for key in DATE_FIELDS:
        if isinstance(values.get(key), str):
            values[key] = date.fromisoformat(values[key])
    return values


def encode_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def dated_intake(intake: str, opens_on: date | None, closes_on: date | None, today: date) -> str:
    """The intake the registration period asks for today: once its closing day (included) is
    over, an open or planned intake is closed; a planned one opens on its opening day. An
    intake staff closed stays closed: the opening date does not reopen it."""
    if intake in ("open", "planned") and closes_on is not None and today > closes_on:
        return "closed"
    if intake == "planned" and opens_on is not None and opens_on <= today:
        return "open"
    return intake


def planned_by_opening_date(intake: str, field: str, value: Any, today: date) -> bool:
    """Whether this setting is a future opening date on an intake that is not planned: it
    then becomes planned, so that the date opens it (a date alone would never act)."""
    return field == "opens_on" and value is not None and value > today and intake != "planned"


@dataclass(frozen=True)
class Conflict:
    """Why a staff setting cannot be taken as it is; `reason` names one of the cases below."""

    reason: str
    day: date | None = None


CLOSES_BEFORE_OPENS = "closes_before_opens"
CLOSING_DAY_PASSED = "closing_day_passed"
OPENING_DAY_CAME = "opening_day_came"


def check_setting(current: dict[str, Any], field: str, value: Any, today: date) -> Conflict | None:
    """Whether setting `field` to `value` on an intake now `current` makes sense; a setting
    that the dates would undo at once is refused with the reason, rather than silently lost."""
    after = {**current, field: value}
    opens_on, closes_on = after.get("opens_on"), after.get("closes_on")
    if opens_on is not None and closes_on is not None and closes_on < opens_on:
        return Conflict(CLOSES_BEFORE_OPENS, opens_on)
    if (
        field == "intake"
        and value in ("open", "planned")
        and closes_on is not None
        and today > closes_on
    ):
        return Conflict(CLOSING_DAY_PASSED, closes_on)
    if (
        field == "intake"
        and value == "planned"
        and dated_intake("planned", opens_on, closes_on, today) == "open"
    ):
        return Conflict(OPENING_DAY_CAME, opens_on)
    return None
