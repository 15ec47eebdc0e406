"""Every staff command and every staff button, found by walking the real Application's
handlers, refuses someone who is not staff: a forged callback changes nothing.

The per-feature tests forge the buttons they know; this one also catches a button or a
command added later without its role check.
"""

import re
from collections.abc import Iterator

import pytest
from hypothesis import Phase, find, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample
from sqlalchemy import func, select
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
)

from bot.offline.offline_bot import OfflineBot
from bot.staff.command_menus import ADMIN_COMMANDS, STAFF_COMMANDS
from db.models import AuditEntry, Broadcast, Campaign, IntakeOverride, Registration
from tests.factories import add_applicant
from tests.staff.test_staff import ADMIN, OUTSIDER, REFUSAL, STAFF, console  # noqa: F401  (fixture)

# The packages whose every command and button is for staff; the staff group's own handlers
# (handlers.handoff.desk) answer only inside the staff group and are tested there.
STAFF_MODULES = re.compile(r"^handlers\.(staff|review|broadcast|stats|intake)\.\w+$")
APOLOGY = "Sorry, something went wrong"
# What the catch-all for buttons it no longer knows says (handlers/fallback.py).
OUTDATED = "That button is from an older message and no longer works. Here is the menu:"
# Telegram's limit on callback data.
CALLBACK_DATA_BYTES = 64


def all_handlers(handlers: list[BaseHandler]) -> Iterator[BaseHandler]:
    for handler in handlers:
        if isinstance(handler, ConversationHandler):
            yield from all_handlers(handler.entry_points)
            for state_handlers in handler.states.values():
                yield from all_handlers(state_handlers)
            yield from all_handlers(handler.fallbacks)
        else:
            yield handler


def application_handlers(bot: OfflineBot) -> list[BaseHandler]:
    """Every handler of the running Application, conversations opened up."""
    return [h for group in bot.application.handlers.values() for h in all_handlers(group)]


def staff_handlers(bot: OfflineBot) -> list[BaseHandler]:
    return [h for h in application_handlers(bot) if STAFF_MODULES.match(h.callback.__module__)]


def forged_data(handler: CallbackQueryHandler) -> str:
    """The simplest callback data the handler's pattern accepts."""
    pattern = handler.pattern
    assert isinstance(pattern, re.Pattern | str), (handler.callback, pattern)
    return find(
        st.from_regex(pattern, fullmatch=True),
        lambda data: len(data.encode()) <= CALLBACK_DATA_BYTES,
        # Any match will do: no shrinking, and nothing kept between runs.
        settings=settings(phases=[Phase.generate], database=None, derandomize=True),
    )


def with_numbers(handler: CallbackQueryHandler, digits: int) -> str:
    """Callback data the handler's pattern accepts, with as many separate numbers as it can
    hold (up to three, so optional numbered parts are filled in too), each made that many
    nines. The data may no longer match: a pattern refuses a number too big for its use."""

    def nines(data: str) -> str:
        return re.sub(r"\d+", "9" * digits, data)

    for runs in (3, 2, 1):
        try:
            return nines(
                find(
                    st.from_regex(handler.pattern, fullmatch=True),
                    lambda data, runs=runs: (
                        len(re.findall(r"\d+", data)) >= runs
                        and len(nines(data).encode()) <= CALLBACK_DATA_BYTES
                    ),
                    settings=settings(phases=[Phase.generate], database=None, derandomize=True),
                )
            )
        except NoSuchExample:
            continue
    return forged_data(handler)


async def count(bot: OfflineBot, model: type) -> int:
    async with bot.application.bot_data["services"].session_factory() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


async def test_every_staff_button_refuses_an_outsider(console: OfflineBot) -> None:  # noqa: F811
    await add_applicant(console, number=1)
    staff = console.user(STAFF, language_code="en")
    await staff.send("/registrations")
    outsider = console.user(OUTSIDER, language_code="en")
    await outsider.send("/start")
    tables = (AuditEntry, Registration, Broadcast, Campaign, IntakeOverride)
    before = [await count(console, table) for table in tables]
    buttons = [h for h in staff_handlers(console) if isinstance(h, CallbackQueryHandler)]
    assert len(buttons) > 40, "the walk found too few staff buttons: is the module list right?"
    for handler in buttons:
        data = forged_data(handler)
        sent_before = len(console.standin.calls)
        replies = await outsider.tap_data(data)
        assert replies == [], (data, handler.callback.__qualname__)
        assert outsider.answered_callbacks[-1] == REFUSAL, (data, handler.callback.__qualname__)
        methods = {call.method for call in console.standin.calls[sent_before:]}
        assert methods <= {"answerCallbackQuery"}, (data, methods)
    assert [await count(console, table) for table in tables] == before


@pytest.mark.parametrize("language, refusal", [("en", REFUSAL), ("id", None)])
async def test_every_staff_command_refuses_an_outsider(
    console: OfflineBot,  # noqa: F811
    language: str,
    refusal: str | None,
) -> None:
    outsider = console.user(OUTSIDER, language_code=language)
    commands = {
        command
        for handler in staff_handlers(console)
        if isinstance(handler, CommandHandler)
        for command in handler.commands
    }
    assert {name for name, _ in STAFF_COMMANDS + ADMIN_COMMANDS} <= commands
    answers = set()
    for command in sorted(commands):
        replies = await outsider.send(f"/{command}")
        assert len(replies) == 1, command
        answers.add(replies[0].plain_text)
    assert len(answers) == 1
    if refusal is not None:
        assert answers == {refusal}
    else:
        assert answers != {REFUSAL}, "the refusal is not translated"


# 18 digits overflow every integer column; 10 and 9 are just beyond and at an id's bound.
@pytest.mark.parametrize("digits", [18, 10, 9])
async def test_staff_buttons_with_huge_forged_numbers_get_an_answer_not_an_error(
    console: OfflineBot,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
    digits: int,
) -> None:
    """Numbers in callback data are ids and pages; a forged huge one must not overflow the
    database's integers (PostgreSQL refuses them) into the apology for a crash. A pattern that
    refuses it leaves it to the catch-all, which says the button is out of date."""
    await add_applicant(console, number=1)
    admin = console.user(ADMIN, language_code="en")
    await admin.send("/registrations")
    buttons = [h for h in staff_handlers(console) if isinstance(h, CallbackQueryHandler)]
    tried, outdated = 0, 0
    for handler in buttons:
        data = with_numbers(handler, digits)
        if "9" * digits not in data:
            continue
        tried += 1
        answers_before = len(admin.answered_callbacks)
        replies = await admin.tap_data(data)
        shown = [reply.plain_text for reply in replies]
        assert not any(APOLOGY in text for text in shown), (data, shown)
        assert len(admin.answered_callbacks) > answers_before, (data, "left spinning")
        if not re.fullmatch(handler.pattern, data):
            outdated += 1
            assert shown == [OUTDATED], (data, shown)
    assert tried > 30
    if digits == 18:
        assert outdated > 25, "every pattern with an id, a page or a count should bound it"
    assert not [r for r in caplog.records if r.name == "handlers.errors"]
