"""Logging that never shows a whole NIK, phone number or the bot token."""

import logging
import re

# A 16-digit NIK keeps its region code and serial: 3673********0001.
NIK = re.compile(r"(?<!\d)(\d{4})\d{8}(\d{4})(?!\d)")
# Indonesian phone numbers (+62 / 62 / 0 then 8..13 digits) keep only the last three digits.
PHONE = re.compile(r"(?<!\d)(\+?62|0)(8\d{5,10})(\d{3})(?!\d)")
BOT_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")


def mask_personal_data(text: str) -> str:
    text = BOT_TOKEN.sub("<bot-token>", text)
    text = NIK.sub(r"\1********\2", text)
    return PHONE.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), text)


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
        return True


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(PersonalDataFilter())
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
