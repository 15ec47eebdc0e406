"""Reading an NIK (Nomor Induk Kependudukan): its structure, and the sex and birth date in it.

There is no checksum; real validity is only known to Dukcapil. A birth date in the NIK that
differs from the one a person gives is not an error (the NIK cannot be corrected), only a
reason to ask them to double-check.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

# Province codes (BPS/Kemendagri), including the Papua provinces formed since 2022.
PROVINCES = frozenset(
    {
        11,
        12,
        13,
        14,
        15,
        16,
        17,
        18,
        19,
        21,
        31,
        32,
        33,
        34,
        35,
        36,
        51,
        52,
        53,
        61,
        62,
        63,
        64,
        65,
        71,
        72,
        73,
        74,
        75,
        76,
        81,
        82,
        91,
        92,
        93,
        94,
        95,
        96,
    }
)
SEPARATORS = re.compile(r"[\s.\-]")


class NikError(ValueError):
    """Why a text is not a well-formed NIK: format, region, date or serial."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Nik:
    digits: str
    sex: str
    birth_date: date

    @property
    def region(self) -> str:
        return self.digits[:4]

    @property
    def masked(self) -> str:
        return f"{self.digits[:4]}{'*' * 8}{self.digits[12:]}"


def parse_nik(text: str, today: date) -> Nik:
    """Check an NIK's structure and read its sex and birth date, or raise NikError."""
    # NFKC turns full-width digits into ASCII ones; digits it leaves alone (Arabic-Indic,
    # Devanagari...) are refused rather than stored in a form the duplicate check misses.
    digits = SEPARATORS.sub("", unicodedata.normalize("NFKC", text))
    if not re.fullmatch(r"[0-9]{16}", digits):
        raise NikError("format")
    if int(digits[:2]) not in PROVINCES or digits[2:4] == "00" or digits[4:6] == "00":
        raise NikError("region")
    day, month, two_digit_year = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    sex = "female" if day > 40 else "male"
    day = day - 40 if day > 40 else day
    # The century is not written: take the one that makes the person 0 to 99 years old.
    year = 2000 + two_digit_year
    if year > today.year:
        year -= 100
    try:
        birth = date(year, month, day)
    except ValueError:
        raise NikError("date") from None
    if birth > today:
        birth = date(year - 100, month, day) if _valid(year - 100, month, day) else birth
        if birth > today:
            raise NikError("date")
    if digits[12:] == "0000":
        raise NikError("serial")
    return Nik(digits=digits, sex=sex, birth_date=birth)


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True
