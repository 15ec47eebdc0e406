"""At LOG_LEVEL=DEBUG, with the process's real logging set-up, a whole registration leaves no
personal data in the log: not the name, the NIK, the phone or the e-mail, in any spelling."""

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.config import Settings
from bot.offline.offline_bot import offline_bot
from bot.privacy.log_masking import CONTENT_LOGGERS, SQL_LOGGERS, configure_logging

NAME, NIK, EMAIL = "Budi Santoso", "3604011203040002", "budi.santoso@example.com"
PHONE_DIGITS = "81234567890"


@pytest.fixture
def process_log() -> Iterator[io.StringIO]:
    """Whatever configure_logging writes, captured; the logging set-up is put back after."""
    root = logging.getLogger()
    names = ("httpx", *SQL_LOGGERS, *CONTENT_LOGGERS)
    saved = (root.handlers[:], root.level, {n: logging.getLogger(n).level for n in names})
    output = io.StringIO()
    yield output
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    for name, level in saved[2].items():
        logging.getLogger(name).setLevel(level)


@pytest.mark.parametrize(
    ("sql_debug", "json_lines"), [(False, False), (True, False), (False, True)]
)
async def test_a_debug_log_of_a_registration_holds_no_personal_data(
    settings: Settings, process_log: io.StringIO, sql_debug: bool, json_lines: bool
) -> None:
    configure_logging("DEBUG", sql_debug=sql_debug, json_lines=json_lines)
    [handler] = logging.getLogger().handlers
    handler.setStream(process_log)  # type: ignore[attr-defined]

    async with offline_bot(settings) as bot:
        user = bot.user(2301, language_code="en")
        await user.send("/programmes")
        await user.tap("Courses at BBPVP Serang")
        await user.tap("🟡 Welding (not confirmed)")
        await user.tap("📝 Register")
        await user.tap("✅ I agree")
        await user.send(NAME)
        await user.send(NIK)
        await user.tap("✅ Yes, that's right")
        await user.send("+62 812-3456-7890")
        await user.tap("S1 or higher")
        await user.tap("💼 Working")
        await user.tap("Outside Banten")
        await user.send(EMAIL)
        await user.tap("✅ Submit my registration")
        assert user.last_reply.plain_text.startswith("✅ Registration received.")
        await user.send("/mydata")
        assert NAME in user.last_reply.plain_text  # shown to its owner, in the chat only

    log = process_log.getvalue()
    lines = log.splitlines()
    assert any("DEBUG" in line for line in lines), "the log was not at DEBUG"
    if sql_debug:
        assert "INSERT INTO registrations" in log  # statements, never their parameters
    if json_lines:
        assert all(json.loads(line)["message"] is not None for line in lines)
    for secret in (NAME, "Santoso", EMAIL, "budi.santoso", NIK, PHONE_DIGITS, "812-3456-7890"):
        assert secret.lower() not in log.lower(), secret
