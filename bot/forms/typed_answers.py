"""Reading what people type into a form: dates, names, phone numbers and e-mail addresses.

Each parser returns the clean value or raises TypedAnswerError; the handler explains the error.
"""

import re
import unicodedata
from datetime import date

MAX_NAME_LENGTH = 100
MONTHS = {
    # Indonesian and English month names and common abbreviations.
    "januari": 1,
    "january": 1,
    "jan": 1,
    "februari": 2,
    "february": 2,
    "feb": 2,
    "pebruari": 2,
    "maret": 3,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "june": 6,
    "jun": 6,
    "juli": 7,
    "july": 7,
    "jul": 7,
    "agustus": 8,
    "august": 8,
    "agu": 8,
    "aug": 8,
    "agt": 8,
    "ags": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "october": 10,
    "okt": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "nopember": 11,
    "desember": 12,
    "december": 12,
    "des": 12,
    "dec": 12,
}
NUMERIC_DATE = re.compile(r"^(\d{1,2})[\s./-]+(\d{1,2})[\s./-]+(\d{4}|\d{2})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
WORDED_DATE = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?\s+(\d{4}|\d{2})$")
PHONE = re.compile(r"^(?:\+?62|0)(8\d{7,11})$")
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}$")


class TypedAnswerError(ValueError):
    """Why a typed answer was not accepted (a short code the handler turns into advice)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def date_parts(text: str) -> tuple[str, int, int] | None:
    """(year as written, month, day) of a date typed day-month-year in digits (1/12/2026,
    01-12-26, 1.12.2026) or with a month name (1 Des 2026, 1 December 2026), or ISO
    (2026-12-01); None for anything else. The year may have two digits: the caller decides."""
    cleaned = " ".join(text.strip().lower().split())
    if match := NUMERIC_DATE.match(cleaned):
        day, month, written_year = match.groups()
        return written_year, int(month), int(day)
    if match := ISO_DATE.match(cleaned):
        written_year, month, day = match.groups()
        return written_year, int(month), int(day)
    if (match := WORDED_DATE.match(cleaned)) and match.group(2) in MONTHS:
        return match.group(3), MONTHS[match.group(2)], int(match.group(1))
    return None


def parse_birth_date(text: str, today: date) -> date:
    """Day-month-year in digits or with a month name, or ISO; a plausible birth date."""
    parts = date_parts(text)
    if parts is None:
        raise TypedAnswerError("date_format")
    born = _date(*parts, today)
    if born > today or today.year - born.year > 100:
        raise TypedAnswerError("date_implausible")
    return born


def _date(written_year: str, month: int, day: int, today: date) -> date:
    """The date, a two-digit year taking the latest century that does not put it after today."""
    if len(written_year) != 2:
        years = [int(written_year)]
    else:
        century = today.year // 100 * 100
        years = [century + int(written_year), century - 100 + int(written_year)]
    valid: list[date] = []
    for year in years:
        try:
            valid.append(date(year, month, day))
        except ValueError:
            continue
    if not valid:
        raise TypedAnswerError("date_invalid")
    past = [born for born in valid if born <= today]
    # With no past candidate the first valid one is returned, and refused as implausible.
    return max(past) if past else valid[0]


def parse_full_name(text: str) -> str:
    """A person's name: letters with spaces, apostrophes, dots, commas and hyphens."""
    name = " ".join(text.split())
    if len(name) > MAX_NAME_LENGTH:
        raise TypedAnswerError("name_too_long")
    letters = [c for c in name if unicodedata.category(c).startswith("L")]
    allowed = all(unicodedata.category(c).startswith(("L", "M")) or c in " '.,-" for c in name)
    if len(letters) < 2 or not allowed:
        raise TypedAnswerError("name_invalid")
    return name


def parse_phone(text: str) -> str:
    """An Indonesian mobile number, normalised to +62…."""
    digits = re.sub(r"[\s().-]", "", text)
    match = PHONE.match(digits)
    if not match:
        raise TypedAnswerError("phone_invalid")
    return f"+62{match.group(1)}"


def parse_email(text: str) -> str:
    address = text.strip()
    if len(address) > 254 or not EMAIL.match(address):
        raise TypedAnswerError("email_invalid")
    return address.lower()
