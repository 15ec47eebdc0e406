"""Typed questions get answers that rest on ../shared/domain.md (issue 16): no promise of
in-person help, and the steps, rights and caveats people need, in Indonesian and English."""

from bot.offline.chat_driver import ChatUser
from bot.offline.offline_bot import OfflineBot


async def english_user(bot: OfflineBot, user_id: int) -> ChatUser:
    """A user whose Telegram is Indonesian but who chose English with /language."""
    user = bot.user(user_id, language_code="id")
    await user.send("/language")
    await user.tap("🇬🇧 English")
    return user


async def test_asking_to_register_in_person_says_to_ask_the_centre_first(
    bot: OfflineBot,
) -> None:
    user = bot.user(1601, language_code="id")
    await user.send("saya gaptek, bisa dibantu daftar di balai gak?")
    answer = user.last_reply.plain_text
    assert "Tanyakan dulu ke balai" in answer
    assert "Petugas bisa bantu" not in answer
    english = await english_user(bot, 1602)
    await english.send("can I register in person at the centre?")
    answer = english.last_reply.plain_text
    assert "We have not confirmed whether BBPVP Serang can help you register in person" in answer
    assert "Staff can help you register" not in answer
