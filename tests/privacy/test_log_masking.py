"""Logs never show a whole NIK, phone number or bot token, however they were typed."""

import io
import logging
from collections.abc import Iterator

import pytest

from bot.privacy.log_masking import PersonalDataFilter, mask_personal_data

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@pytest.fixture
def log() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A real logger whose only handler masks personal data and writes to a string."""
    output = io.StringIO()
    handler = logging.StreamHandler(output)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(PersonalDataFilter())
    logger = logging.getLogger("tests.log_privacy")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    logger.addHandler(handler)
    try:
        yield logger, output
    finally:
        logger.removeHandler(handler)
        logger.propagate = True


NIKS = [
    ("3673015203040001", "3673********0001"),
    ("3673 0152 0304 0001", "3673********0001"),
    ("3673.0152.0304.0001", "3673********0001"),
    ("3673-0152-0304-0001", "3673********0001"),
    ("367301 520304 0001", "3673********0001"),
    ("36.73.01.520304.0001", "3673********0001"),
    # Typed with odd spacing, as staff notes and applicants' messages have them.
    ("3673 - 0152 - 0304 - 0001", "3673********0001"),
    ("3 6 7 3 0 1 5 2 0 3 0 4 0 0 0 1", "3673********0001"),
    ("3673/0152/0304/0001", "3673********0001"),
    ("3673 . 0152/0304-0001", "3673********0001"),
]
PHONES = [
    ("081234567890", "0********890"),
    ("0812 3456 7890", "0********890"),
    ("0812-3456-7890", "0********890"),
    ("+6281234567890", "+62********890"),
    ("+62 812-3456-7890", "+62********890"),
    ("+62 812 3456 7890", "+62********890"),
    ("(0812) 3456 7890", "0********890"),
    ("+62 (812) 3456-7890", "+62********890"),
    ("0812 - 3456 - 7890", "0********890"),
    ("62 812/3456/7890", "62********890"),
]
SECRETS = [
    *NIKS,
    *PHONES,
    (TOKEN, "<bot-token>"),
    (
        f"https://api.telegram.org/bot{TOKEN}/getMe",
        "https://api.telegram.org/bot<bot-token>/getMe",
    ),
]


def digits_of(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


@pytest.mark.parametrize(("secret", "masked"), SECRETS)
def test_message_arguments_are_masked(
    log: tuple[logging.Logger, io.StringIO], secret: str, masked: str
) -> None:
    logger, output = log
    # As PTB logs an incoming update at DEBUG: the text inside a dict's repr.
    logger.debug("Processing update %s", {"message": {"text": secret, "chat": {"id": 42}}})
    written = output.getvalue()
    assert f"'text': '{masked}'" in written
    assert secret not in written
    assert "'id': 42" in written


@pytest.mark.parametrize(("secret", "masked"), SECRETS)
def test_the_whole_message_and_the_traceback_are_masked(
    log: tuple[logging.Logger, io.StringIO], secret: str, masked: str
) -> None:
    logger, output = log
    try:
        raise ValueError(f"could not save {secret}")
    except ValueError:
        logger.exception(f"saving {secret} failed")
    written = output.getvalue()
    assert f"saving {masked} failed" in written
    assert "Traceback (most recent call last)" in written
    assert f"ValueError: could not save {masked}" in written
    assert secret not in written
    if secret != TOKEN and "bot" not in secret:
        assert digits_of(secret) not in digits_of(written)


def test_an_nik_among_other_numbers_is_still_masked() -> None:
    assert mask_personal_data("NIK 3673 0152 0304 0001 2026") == "NIK 3673********0001 2026"
    assert mask_personal_data("NIK: 3673-0152-0304-0001.") == "NIK: 3673********0001."
    assert mask_personal_data("call 0812 3456 7890, thanks") == "call 0********890, thanks"
    assert (
        mask_personal_data("NIK 3 6 7 3 0 1 5 2 0 3 0 4 0 0 0 1 2026")
        == "NIK 3673********0001 2026"
    )
    assert mask_personal_data("HP (0812) 3456 7890.") == "HP 0********890."


@pytest.mark.parametrize(
    "text",
    [
        "2026",
        "Rp20.000",
        "Rp20.000.000 per 2026",
        "Batch 1 of 2026, 160 JP",
        "2026-11-28 21:25:01,462",
        "update_id=123456789 chat_id=-1001234567890",
        "took 1764367501.123456 s",
        "1 2 3 4 5 6 7 8 9 10 11 12 13",
        "021 123456",
        "version 1.2.3",
        # Dates, codes, amounts, counts and times, even when they add up to 16 digits.
        "2026-12-01",
        "2026-12-01 2026-12-31",
        "01/12/2026 31/12/2026",
        "SRG-2026-000123",
        "SRG-2026-000123 SRG-2026-000124",
        "12 registrations, 30 days",
        "10:05 - 12:30",
        "Rp 15.000.000 25.000.000",
        "20.000 / 30.000 / 40.000 / 50.000",
        "0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15",
        "1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7",
        "page 1 of 3, 250 recipients 25/s",
        "2026-08-12 10:00",
        "(021) 5555 1234",
    ],
)
def test_ordinary_numbers_are_left_alone(
    log: tuple[logging.Logger, io.StringIO], text: str
) -> None:
    logger, output = log
    logger.info("note: %s", text)
    assert output.getvalue() == f"INFO tests.log_privacy: note: {text}\n"
