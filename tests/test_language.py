"""/language: switching language at any time, and the choice outliving a restart."""

from bot.config import Settings
from bot.offline.offline_bot import OfflineBot, offline_bot


async def test_switch_to_english_and_back(bot: OfflineBot) -> None:
    user = bot.user(301, language_code="id")
    await user.send("/language")
    assert user.last_reply.plain_text == "🌐 Pilih bahasa / Choose your language:"
    assert user.buttons == ["✓ 🇮🇩 Bahasa Indonesia", "🇬🇧 English"]
    await user.tap("🇬🇧 English")
    assert user.last_reply.plain_text == "Done: I will write to you in English."
    await user.tap("🏠 Main menu")
    assert "📚 Programmes" in user.buttons
    await user.send("/language")
    assert user.buttons == ["🇮🇩 Bahasa Indonesia", "✓ 🇬🇧 English"]
    await user.tap("🇮🇩 Bahasa Indonesia")
    assert user.last_reply.plain_text == "Siap! Mulai sekarang saya memakai Bahasa Indonesia."


async def test_the_chosen_language_beats_telegrams_and_survives_a_restart(
    settings: Settings,
) -> None:
    async with offline_bot(settings) as bot:
        user = bot.user(302, language_code="id")
        await user.send("/start")
        await user.tap("🌐 Bahasa")
        await user.tap("🇬🇧 English")
    async with offline_bot(settings) as bot:
        user = bot.user(302, language_code="id")
        await user.send("/start")
        assert user.last_reply.plain_text.startswith("Hello!")


async def test_a_forged_language_button_offers_the_real_choices(bot: OfflineBot) -> None:
    user = bot.user(303, language_code="en")
    await user.send("/start")
    await user.tap_data("lang:set:fr")
    assert user.buttons == ["🇮🇩 Bahasa Indonesia", "✓ 🇬🇧 English"]
