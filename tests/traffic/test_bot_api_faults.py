"""The Bot API failing for a while in the middle of a registration: Telegram answering 429 or
500, a timeout, a dropped connection. The answer already given is kept, the bot does not retry
in a loop, and once Telegram answers again the user carries on, with no restart."""

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.offline.offline_bot import OfflineBot, offline_bot
from db.models import Registration
from tests.registration.test_registration import open_welding

USER = 2401
NIK = "3604011203040002"
FAULTS = ["retry_after", "server_error", "timeout", "connection_reset"]


async def stored_registrations(bot: OfflineBot) -> list[Registration]:
    sessions = bot.application.bot_data["services"].session_factory
    async with sessions() as session:
        return list((await session.scalars(select(Registration))).all())


@pytest.mark.parametrize("fault", FAULTS)
async def test_a_registration_survives_the_bot_api_failing_for_a_while(
    settings: Settings, fault: str
) -> None:
    async with offline_bot(settings) as bot:
        user = bot.user(USER, language_code="en")
        user.raise_handler_errors = False  # the error handler's own work is what is tested
        await open_welding(user, "en")
        await user.tap("✅ I agree")
        await user.send("Budi Santoso")
        # The reply to the NIK fails, and so does the apology: the user sees nothing.
        bot.standin.inject("sendMessage", chat_id=USER, error=fault, retry_after=1, times=2)

        assert await user.send(NIK) == []

        [draft] = await stored_registrations(bot)
        assert draft.nik_masked == "3604********0002"  # the answer was kept
        failed = [c for c in bot.standin.calls_to("sendMessage") if c.error is not None]
        assert len(failed) == 2  # the reply and one apology: no retrying in a loop

        # Telegram answers again: the user sends their message again, as people do.
        await user.send(NIK)
        assert "From your NIK 3604********0002 I read" in user.last_reply.plain_text
        await user.tap("✅ Yes, that's right")
        await user.send("+62 812-3456-7890")
        await user.tap("S1 or higher")
        await user.tap("💼 Working")
        await user.tap("Outside Banten")
        await user.tap("Skip")
        await user.tap("✅ Submit my registration")
        assert user.last_reply.plain_text.startswith("✅ Registration received.")
        [registration] = await stored_registrations(bot)
        assert registration.status == "submitted" and registration.code


async def test_the_apology_reaches_the_user_when_only_the_reply_failed(
    settings: Settings,
) -> None:
    async with offline_bot(settings) as bot:
        user = bot.user(USER + 1, language_code="id")
        user.raise_handler_errors = False
        await open_welding(user)
        await user.tap("✅ Saya setuju")
        bot.standin.inject("sendMessage", chat_id=USER + 1, error="server_error")

        await user.send("Siti Aminah")

        assert user.last_reply.plain_text.startswith(
            "Maaf, ada gangguan di sistem kami. Jawabanmu sebelumnya aman"
        )
        [draft] = await stored_registrations(bot)
        assert draft.full_name == "Siti Aminah"
        await user.send(NIK)  # the question the lost reply asked
        assert "Dari NIK 3604********0002 saya baca" in user.last_reply.plain_text
