"""Logging that never shows a whole NIK, phone number or the bot token."""

import logging
import re

# A 16-digit NIK keeps its region code and serial: 3673********0001.
NIK = re.compile(r"(?<!\d)(\d{4})\d{8}(\d{4})(?!\d)")
# An NIK typed in groups ("3673 0152 0304 0001", "3673.0152.0304.0001", "367301-520304-0001"):
# 16 digits with single spaces, dots or dashes between them. A dot or dash right before or
# after would make it part of a longer number, so that is not one.
GROUPED_NIK = re.compile(r"(?<!\d)(?<!\d[.\-])\d(?:[ .\-]?\d){15}(?!\d)(?![.\-]\d)")
# Indonesian mobile numbers (+62 / 62 / 0, then 8 and 8..13 digits), possibly typed with
# spaces, dots or dashes, keep only their prefix and last three digits: 0*******890.
PHONE = re.compile(r"(?<!\d)(\+?62|0)[ .\-]?(8(?:[ .\-]?\d){8,13})(?!\d)")
BOT_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
SEPARATOR = re.compile(r"[ .\-]")


def _mask_grouped_nik(match: re.Match[str]) -> str:
    groups = SEPARATOR.split(match.group(0))
    # A decimal number (1764367501.123456) or a list of small numbers is not an NIK.
    if (len(groups) == 2 and "." in match.group(0)) or min(map(len, groups)) < 2:
        return match.group(0)
    digits = "".join(groups)
    return f"{digits[:4]}{'*' * 8}{digits[12:]}"


def _mask_phone_number(match: re.Match[str]) -> str:
    digits = SEPARATOR.sub("", match.group(2))
    return match.group(1) + "*" * (len(digits) - 3) + digits[-3:]


def mask_personal_data(text: str) -> str:
    """Mask NIKs, phone numbers and the bot token wherever they appear in text."""
    text = BOT_TOKEN.sub("<bot-token>", text)
    text = NIK.sub(r"\1********\2", text)
    text = GROUPED_NIK.sub(_mask_grouped_nik, text)
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


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(PersonalDataFilter())
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
