"""The process's log at LOG_LEVEL=DEBUG: no row, update or reply that names a person, with
or without SQL_DEBUG, through a whole registration; LOG_FORMAT=json gives one masked JSON object
per line."""

import json
import logging
from collections.abc import Iterator

import pytest

from bot.config import Settings
from bot.offline.offline_bot import offline_bot
from bot.privacy.log_masking import CONTENT_LOGGERS, SQL_LOGGERS, configure_logging

NAME = "Zubaidah"
# A whole registration's personal data, in the spellings the user typed.
FULL_NAME, NIK, EMAIL = "Budi Santoso", "3604011203040002", "budi.santoso@example.com"
PHONE_DIGITS = "81234567890"


@pytest.fixture
def process_logging() -> Iterator[None]:
    """configure_logging as `python -m bot` calls it; pytest's own handlers come back after."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    names = (*SQL_LOGGERS, *CONTENT_LOGGERS, "httpx")
    levels = {name: logging.getLogger(name).level for name in names}
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        for name, old in levels.items():
            logging.getLogger(name).setLevel(old)


async def greet(settings: Settings) -> None:
    async with offline_bot(settings) as running:
        await running.user(501, first_name=NAME).send("/start")
        logging.getLogger("bot").debug("the debug level is on")


@pytest.mark.usefixtures("process_logging")
async def test_debug_logs_never_name_the_user(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("DEBUG")
    await greet(settings)
    written = capsys.readouterr().err
    assert "the debug level is on" in written
    assert NAME not in written
    assert "INSERT INTO" not in written


@pytest.mark.usefixtures("process_logging")
async def test_sql_debug_shows_statements_but_not_their_values(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("DEBUG", sql_debug=True)
    await greet(settings)
    written = capsys.readouterr().err
    assert "INSERT INTO users" in written
    assert "[SQL parameters hidden due to hide_parameters=True]" in written
    assert NAME not in written


@pytest.mark.usefixtures("process_logging")
def test_json_lines_are_masked_objects(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", json_lines=True)
    try:
        raise ValueError("could not save 3673015203040001")
    except ValueError:
        logging.getLogger("bot.registration").exception("NIK 3673015203040001 from 081234567890")
    [line] = capsys.readouterr().err.splitlines()
    record = json.loads(line)
    assert record["level"] == "ERROR" and record["logger"] == "bot.registration"
    assert record["message"] == "NIK 3673********0001 from 0********890"
    assert "ValueError: could not save 3673********0001" in record["exc_info"]
    assert "3673015203040001" not in line and "time" in record


@pytest.mark.usefixtures("process_logging")
@pytest.mark.parametrize(
    ("sql_debug", "json_lines"), [(False, False), (True, False), (False, True)]
)
async def test_a_debug_log_of_a_registration_holds_no_personal_data(
    settings: Settings, capsys: pytest.CaptureFixture[str], sql_debug: bool, json_lines: bool
) -> None:
    configure_logging("DEBUG", sql_debug=sql_debug, json_lines=json_lines)

    async with offline_bot(settings) as bot:
        user = bot.user(2301, language_code="en")
        await user.send("/programmes")
        await user.tap("Courses at BBPVP Serang")
        await user.tap("🟡 Welding (not confirmed)")
        await user.tap("📝 Register")
        await user.tap("✅ I agree")
        await user.send(FULL_NAME)
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
        assert FULL_NAME in user.last_reply.plain_text  # shown to its owner, in the chat only

    log = capsys.readouterr().err
    lines = log.splitlines()
    assert any("DEBUG" in line for line in lines), "the log was not at DEBUG"
    if sql_debug:
        assert "INSERT INTO registrations" in log  # statements, never their parameters
    if json_lines:
        assert all(json.loads(line)["message"] is not None for line in lines)
    for secret in (
        FULL_NAME,
        "Santoso",
        EMAIL,
        "budi.santoso",
        NIK,
        PHONE_DIGITS,
        "812-3456-7890",
    ):
        assert secret.lower() not in log.lower(), secret
