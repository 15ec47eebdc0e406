"""Where someone is in a form, the same in the bot's memory and in the database: after a button
that takes them out of a form, and after a step whose reply Telegram refused. A restart then
puts nobody in a form they are not in."""

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


async def test_a_step_whose_reply_was_refused_is_not_kept(settings: Settings) -> None:
    async with offline_bot(settings) as bot:
        user = bot.user(2602, language_code="en")
        user.raise_handler_errors = False
        await user.send("qwxz kapan tes tulis?")
        # They block the bot as they tap: the "you are connected" message is refused.
        bot.standin.inject("sendMessage", chat_id=2602, error="blocked")
        await user.tap("💬 Ask a person")
        assert steps_in_memory(bot) == {}
        assert await steps_on_disk(bot) == {}, "the database kept them talking to staff"
