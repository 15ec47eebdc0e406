"""A button that takes someone out of a form, remembered across a restart: the next thing they
type is not taken as an answer to the form they left."""

from bot.config import Settings
from bot.offline.offline_bot import offline_bot
from bot.offline.standin import TelegramStandIn
from tests.registration.test_registration import open_welding
from tests.test_arbitrary_updates import steps_in_memory, steps_on_disk


async def test_leaving_the_form_for_my_data_is_remembered_after_a_restart(
    settings: Settings,
) -> None:
    standin = TelegramStandIn()
    async with offline_bot(settings, standin) as bot:
        user = bot.user(2601, language_code="en")
        await open_welding(user, "en")
        await user.tap("✅ I agree")
        await user.send("Siti Aminah")
        assert "What is your NIK?" in user.last_reply.plain_text
        await user.send("/mydata")
        await user.tap("✏️ Correct my data")
        assert steps_in_memory(bot) == {}, "the correction screen is not the registration"
        assert await steps_on_disk(bot) == {}
    async with offline_bot(settings, standin) as again:
        assert steps_in_memory(again) == {}
