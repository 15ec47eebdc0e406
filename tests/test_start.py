"""/start, the main menu, /help, /cancel and the command menus, in both languages."""

from sqlalchemy import select

from bot.offline.offline_bot import OfflineBot
from db.models import User

MENU_ID = [
    "📚 Program",
    "✅ Cek syarat",
    "📝 Daftar",
    "📄 Status saya",
    "🏫 Sekolah Rakyat",
    "💬 Tanya",
    "ℹ️ Bantuan",
    "🌐 Bahasa",
]
MENU_EN = [
    "📚 Programmes",
    "✅ Check eligibility",
    "📝 Register",
    "📄 My status",
    "🏫 Sekolah Rakyat",
    "💬 Ask a question",
    "ℹ️ Help",
    "🌐 Language",
]


async def stored_user(bot: OfflineBot, user_id: int) -> User:
    async with bot.application.bot_data["services"].session_factory() as session:
        user = (await session.scalars(select(User).where(User.id == user_id))).one()
    return user


async def test_start_greets_in_indonesian_with_the_main_menu(bot: OfflineBot) -> None:
    user = bot.user(101, language_code="id")
    replies = await user.send("/start")
    assert len(replies) == 1
    assert replies[0].plain_text.startswith("Halo! 👋 Saya asisten BBPVP Serang")
    assert user.buttons == MENU_ID
    assert user.last_reply.button_rows[0] == ["📚 Program", "✅ Cek syarat"]


async def test_start_greets_in_english_for_an_english_telegram(bot: OfflineBot) -> None:
    user = bot.user(102, language_code="en-GB")
    await user.send("/start")
    assert user.last_reply.plain_text.startswith("Hello! 👋 I am the assistant of BBPVP Serang")
    assert user.buttons == MENU_EN


async def test_other_telegram_languages_get_the_default_indonesian(bot: OfflineBot) -> None:
    user = bot.user(103, language_code="ja")
    await user.send("/start")
    assert user.buttons == MENU_ID


async def test_the_first_deep_link_source_is_kept_and_later_ones_ignored(bot: OfflineBot) -> None:
    user = bot.user(104)
    await user.send("/start smkn2-serang-visit")
    await user.send("/start poster_alun_alun")
    assert (await stored_user(bot, 104)).campaign_source == "smkn2-serang-visit"


async def test_a_malformed_deep_link_is_not_stored_but_still_greets(bot: OfflineBot) -> None:
    user = bot.user(105)
    await user.send("/start <script>alert(1)</script>")
    assert user.buttons == MENU_ID
    assert (await stored_user(bot, 105)).campaign_source is None


async def test_help_explains_the_commands_and_leads_home(bot: OfflineBot) -> None:
    user = bot.user(106, language_code="en")
    await user.send("/help")
    assert "/programmes – training programmes" in user.last_reply.plain_text
    await user.tap("🏠 Main menu")
    assert user.last_reply.plain_text == "What would you like to do?"
    assert user.buttons == MENU_EN


async def test_help_from_the_menu_edits_the_menu_message(bot: OfflineBot) -> None:
    user = bot.user(107)
    await user.send("/start")
    menu_id = user.last_reply.message_id
    await user.tap("ℹ️ Bantuan")
    assert user.last_reply.message_id == menu_id
    assert user.last_reply.plain_text.startswith("Cara memakai bot ini")


async def test_cancel_outside_any_flow_returns_to_the_menu(bot: OfflineBot) -> None:
    user = bot.user(108)
    await user.send("/cancel")
    assert user.last_reply.plain_text == "Oke, sudah dihentikan. Mau apa sekarang?"
    assert user.buttons == MENU_ID


async def test_command_menus_are_set_in_each_language(bot: OfflineBot) -> None:
    calls = bot.standin.calls_to("setMyCommands")
    by_language = {call.params.get("language_code"): call.params["commands"] for call in calls}
    descriptions = {
        language: {command["command"]: command["description"] for command in commands}
        for language, commands in by_language.items()
    }
    assert descriptions["id"]["programmes"] == "Lihat program pelatihan"
    assert descriptions["en"]["programmes"] == "Browse training programmes"
    assert descriptions[None] == descriptions["id"]
