"""Every button for applicants, parents and visitors, found by walking the real Application's
handlers, answers a forged or stale tap kindly: huge numbers in its data (which would overflow
the database's integers), or the simplest data its pattern accepts tapped by someone with no
form open (a button from last week's message). Nobody gets the apology for a crash; nor
does staff typing a user id too long to be one.

The staff buttons have the same guard in tests/staff/test_staff_guard.py.
"""

import re

import pytest
from telegram.ext import CallbackQueryHandler

from bot.navigation import SCHOOL_INTEREST_START
from bot.offline.offline_bot import OfflineBot
from tests.factories import add_applicant
from tests.handoff.test_blocks import translated
from tests.handoff.test_handoff import STAFF_CHAT, staff
from tests.staff.test_staff import ADMIN, console  # noqa: F401  (fixture)
from tests.staff.test_staff_guard import (
    APOLOGY,
    OUTDATED,
    STAFF_MODULES,
    application_handlers,
    forged_data,
    with_numbers,
)

HUGE = "9" * 18
SCHOOL_INTEREST_AGREE = "sri:agree"


def public_buttons(bot: OfflineBot) -> list[CallbackQueryHandler]:
    """Every button handler outside the staff console, but not the catch-all for old ones."""
    return [
        handler
        for handler in application_handlers(bot)
        if isinstance(handler, CallbackQueryHandler)
        and handler.pattern is not None
        and not STAFF_MODULES.match(handler.callback.__module__)
    ]


def crashed(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "handlers.errors"]


# What someone tapping a button the bot no longer knows reads, in English and Indonesian.
OUT_OF_DATE = {
    "en": (OUTDATED, "This button is out of date."),
    "id": (
        "Tombol itu dari pesan lama dan sudah tidak berlaku. Ini menunya:",
        "Tombol ini sudah kedaluwarsa.",
    ),
}


# 18 digits overflow every integer column; 10 and 9 are just beyond and at an id's bound.
@pytest.mark.parametrize("language, digits", [("en", 18), ("id", 18), ("en", 10), ("id", 9)])
async def test_public_buttons_with_huge_forged_numbers_get_an_answer_not_an_error(
    bot: OfflineBot, caplog: pytest.LogCaptureFixture, language: str, digits: int
) -> None:
    """An applicant mid-way through the bot taps every button with huge numbers in it: a
    number too big for what it names makes an out-of-date button, never a crash."""
    registration = await add_applicant(bot, number=1, language=language)
    applicant = bot.user(registration.user_id, language_code=language)
    await applicant.send("/start")
    # Half-way through the Sekolah Rakyat form, whose steps name a child by its id.
    await applicant.tap_data(SCHOOL_INTEREST_START)
    await applicant.tap_data(SCHOOL_INTEREST_AGREE)
    tried, outdated = 0, 0
    for handler in public_buttons(bot):
        data = with_numbers(handler, digits)
        if "9" * digits not in data:
            continue
        tried += 1
        answers_before = len(applicant.answered_callbacks)
        shown = [reply.plain_text for reply in await applicant.tap_data(data)]
        assert not any(APOLOGY in text or "Maaf, ada gangguan" in text for text in shown), data
        assert not crashed(caplog), (data, crashed(caplog))
        assert len(applicant.answered_callbacks) > answers_before, (data, "left spinning")
        if not re.fullmatch(handler.pattern, data):
            outdated += 1
            message, toast = OUT_OF_DATE[language]
            assert (shown, applicant.answered_callbacks[-1]) == ([message], toast), data
    assert tried >= 15, "the walk found too few buttons with numbers"
    if digits == 18:
        # A child's step, a child taken out, two programme pages and two withdrawal codes.
        assert outdated >= 6, "every pattern with a number should bound its length"


@pytest.mark.parametrize("language, apology", [("en", APOLOGY), ("id", "Maaf, ada gangguan")])
async def test_every_public_button_from_an_old_message_gets_a_friendly_answer(
    bot: OfflineBot, caplog: pytest.LogCaptureFixture, language: str, apology: str
) -> None:
    """Someone with no form open and nothing stored taps, on a message from last week, a
    button as the simplest data its pattern accepts: something to read, and no apology."""
    buttons = public_buttons(bot)
    assert len(buttons) > 50, "the walk found too few buttons: is the module list right?"
    for number, handler in enumerate(buttons):
        data = forged_data(handler)
        stranger = bot.user(7_000_000 + number, language_code=language)
        await bot.application.bot.send_message(stranger.chat_id, "A message from last week")
        shown = [reply.plain_text for reply in await stranger.tap_data(data)]
        assert not any(apology in text for text in shown), (data, shown)
        assert not crashed(caplog), (data, crashed(caplog))
        assert stranger.answered_callbacks, (data, "left spinning")
        assert shown or stranger.answered_callbacks[-1], (data, "nothing to read")


async def test_a_huge_typed_user_id_is_refused_as_no_id(
    console: OfflineBot,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Telegram user ids typed by staff fit 16 digits; a longer one (too big for the database)
    gets the usage hint like any other non-id, in a chat or in the staff group."""
    admin = console.user(ADMIN, language_code="en")
    await admin.send("/removestaff " + HUGE * 2)
    assert admin.last_reply.plain_text == "Whom? For example /removestaff 123456789."
    await admin.send("/addstaff " + HUGE * 2)
    assert (
        admin.last_reply.plain_text
        == "A Telegram id is a number, for example /addstaff 123456789."
    )
    desk = staff(console)
    await desk.say("/unblock " + HUGE * 2)
    usage = "Use /unblock inside the user's topic, or /unblock followed by their id."
    assert console.standin.history(STAFF_CHAT)[-1].plain_text == translated(console, "id", usage)
    assert not crashed(caplog), crashed(caplog)
