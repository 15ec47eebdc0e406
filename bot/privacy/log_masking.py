"""Logging that never shows a whole NIK, phone number or the bot token."""

import logging
import re

from pythonjsonlogger.json import JsonFormatter

# A 16-digit NIK keeps its region code and serial: 3673********0001.
NIK = re.compile(r"(?<!\d)(\d{4})\d{8}(\d{4})(?!\d)")
# Numbers however they were typed: digit groups joined by spaces, dots, dashes or slashes, in
# any mix ("3673 - 0152 - 0304 - 0001", "3673/0152/0304/0001", "3 6 7 3 0 1 ...").
DIGIT_RUN = re.compile(r"\d+(?:(?:[ \t]{0,3}[./\-][ \t]{0,3}|[ \t]{1,3})\d+)*")
DIGITS = re.compile(r"\d+")
# Indonesian mobile numbers (+62 / 62 / 0, then 8 and 8..13 digits), possibly typed with
# spaces, dots, dashes, slashes or the area code in brackets ("(0812) 3456 7890",
# "+62 (812) 3456-7890"), keep only their prefix and last three digits: 0*******890.
PHONE = re.compile(
    r"(?<!\d)(?:\([ \t]?)?(\+?62|0)((?:[ \t().\-/]{0,4}8)(?:[ \t().\-/]{0,4}\d){8,13})(?!\d)"
)
BOT_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
NIK_DIGITS = 16


def _is_date(day_first: bool, parts: list[str]) -> bool:
    """A date inside a run of numbers: 2026-12-01 or 01/12/2026."""
    year, month, day = (parts[2], parts[1], parts[0]) if day_first else parts
    return (
        len(year) == 4
        and 1900 <= int(year) <= 2099
        and len(month) <= 2
        and len(day) <= 2
        and 1 <= int(month) <= 12
        and 1 <= int(day) <= 31
    )


def _looks_like_nik(groups: list[str], separators: list[str]) -> bool:
    """16 digits in groups that are not a decimal, an amount, dates or a list of counts."""
    if len(groups) == 1:
        return True
    if all(len(group) == 1 for group in groups):
        return True  # spaced out digit by digit: "3 6 7 3 0 1 5 2 0 3 0 4 0 0 0 1"
    if min(map(len, groups)) < 2:
        return False  # "1 2 3 4 5 6 7 8 9 10 11 12 13": counting, not an NIK
    if len(groups) == 2 and "." in separators[0]:
        return False  # a decimal number: 1764367501.123456
    if any("." in sep and len(groups[i + 1]) == 3 for i, sep in enumerate(separators)):
        return False  # an amount with thousands separators: 15.000.000 25.000.000
    for i in range(len(groups) - 2):
        same = separators[i].strip() == separators[i + 1].strip()
        triple = groups[i : i + 3]
        if same and (_is_date(False, triple) or _is_date(True, triple)):
            return False
    return True


def _mask_niks_in_run(match: re.Match[str]) -> str:
    """Mask each stretch of whole digit groups holding exactly 16 digits that reads as an NIK.

    The groups around a stretch of single digits must not be single digits themselves, else it
    is a longer list of small numbers."""
    run = match.group(0)
    spans = [m.span() for m in DIGITS.finditer(run)]
    groups = [run[a:b] for a, b in spans]
    separators = [run[spans[i][1] : spans[i + 1][0]] for i in range(len(spans) - 1)]
    pieces, done, first = [], 0, 0
    while first < len(groups):
        total, last = 0, first
        while last < len(groups) and total < NIK_DIGITS:
            total += len(groups[last])
            last += 1
        chosen = groups[first:last]
        singles = all(len(group) == 1 for group in chosen)
        alone = not singles or (
            (first == 0 or len(groups[first - 1]) > 1)
            and (last == len(groups) or len(groups[last]) > 1)
        )
        if total == NIK_DIGITS and alone and _looks_like_nik(chosen, separators[first : last - 1]):
            digits = "".join(chosen)
            start, end = spans[first][0], spans[last - 1][1]
            pieces += [run[done:start], f"{digits[:4]}{'*' * 8}{digits[12:]}"]
            done, first = end, last
        else:
            first += 1
    return "".join(pieces) + run[done:]


def _mask_phone_number(match: re.Match[str]) -> str:
    digits = "".join(DIGITS.findall(match.group(2)))
    return match.group(1) + "*" * (len(digits) - 3) + digits[-3:]


def mask_personal_data(text: str) -> str:
    """Mask NIKs, phone numbers and the bot token wherever they appear in text."""
    text = BOT_TOKEN.sub("<bot-token>", text)
    text = DIGIT_RUN.sub(_mask_niks_in_run, text)
    return PHONE.sub(_mask_phone_number, text)


def mask_nik(nik: str) -> str:
    return NIK.sub(r"\1********\2", nik)


def mask_phone(phone: str) -> str:
    """+6281234567890 -> +62812*****890: enough for its owner to recognise it."""
    if len(phone) < 9:
        return phone
    return phone[:6] + "*" * (len(phone) - 9) + phone[-3:]


class PersonalDataFilter(logging.Filter):
    """Rewrites each record's final message with personal data masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        masked = mask_personal_data(message)
        record.msg, record.args = masked, None
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal_data(record.stack_info)
        return True


class MaskedJsonFormatter(JsonFormatter):
    """One JSON object per line (time, level, logger, message, exc_info); the traceback it
    formats itself is masked too."""

    def formatException(self, ei):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN201, N802
        return mask_personal_data(super().formatException(ei))


# Their DEBUG (and the database libraries' INFO) lines quote rows read and written, updates
# and replies: names, e-mails, children's names. The database ones are shown only when
# SQL_DEBUG asks for them, and then without parameters (db/engine.py); PTB's never.
SQL_LOGGERS = ("sqlalchemy", "aiosqlite", "asyncpg")
CONTENT_LOGGERS = ("telegram.Bot", "telegram.ext.Application", "telegram.ext.ExtBot")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: str, *, sql_debug: bool = False, json_lines: bool = False) -> None:
    """One handler for the process: every line masked, as text or as one JSON object."""
    handler = logging.StreamHandler()
    if json_lines:
        handler.setFormatter(
            MaskedJsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            )
        )
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    handler.addFilter(PersonalDataFilter())
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # bm25s notes every FAQ index it builds (at start, /reload and each staff addition).
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    for name in SQL_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO if sql_debug else logging.WARNING)
    for name in CONTENT_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLogger().level))
