"""Whatever people send: each gets a short, friendly answer in their language and a way back."""

from bot.offline.offline_bot import OfflineBot

MENU_LABEL_ID = "📚 Program"


async def test_an_unknown_command_is_explained(bot: OfflineBot) -> None:
    user = bot.user(401)
    await user.send("/daftarsekarang")
    assert user.last_reply.plain_text.startswith("Saya tidak mengenal perintah itu.")
    assert MENU_LABEL_ID in user.buttons


async def test_media_gets_a_hint_in_english(bot: OfflineBot) -> None:
    user = bot.user(402, language_code="en")
    for send in (user.send_sticker, user.send_photo, user.send_voice):
        replies = await send()
        assert [r.plain_text for r in replies] == [
            "I can only read text and button taps here. Please choose from the menu below."
        ]
    await user.send_document("cv.pdf", b"%PDF-1.4")
    assert "📚 Programmes" in user.buttons


async def test_typed_text_of_any_kind_is_answered_without_echoing_it(bot: OfflineBot) -> None:
    user = bot.user(403)
    for text in ("halo kak 🙏", "<b>kapan daftar</b> & <script>", "a" * 4096, "🤖" * 500):
        replies = await user.send(text)
        assert len(replies) == 1
        assert "<script>" not in replies[0].plain_text and "a" * 100 not in replies[0].plain_text
        assert "🏠 Menu utama" in user.buttons or "📚 Program" in user.buttons


async def test_a_button_from_an_unknown_old_version_is_answered(bot: OfflineBot) -> None:
    user = bot.user(404)
    await user.send("/start")
    replies = await user.tap_data("reg:step:7:old")
    assert user.answered_callbacks[-1] == "Tombol ini sudah kedaluwarsa."
    assert (
        replies[-1].plain_text
        == "Tombol itu dari pesan lama dan sudah tidak berlaku. Ini menunya:"
    )
    assert MENU_LABEL_ID in user.buttons


async def test_a_double_tap_shows_the_screen_once_and_raises_nothing(bot: OfflineBot) -> None:
    user = bot.user(405)
    await user.send("/start")
    await user.tap("📚 Program")
    message_id = user.last_reply.message_id
    await user.tap_data("prog:cats", message_id=message_id)
    assert user.last_reply.message_id == message_id
    assert user.last_reply.plain_text == "📚 Program kami\nPilih kategori:"
    assert len(bot.standin.history(405)) == 1  # one message, edited in place, no duplicate


async def test_a_button_on_a_message_that_can_no_longer_be_edited_sends_a_new_one(
    bot: OfflineBot,
) -> None:
    user = bot.user(406)
    await user.send("/start")
    message_id = user.last_reply.message_id
    bot.standin.inject("editMessageText", chat_id=406, error="bad_request")
    await user.tap("📚 Program")
    assert user.last_reply.message_id != message_id
    assert user.last_reply.plain_text == "📚 Program kami\nPilih kategori:"


async def test_a_forged_page_number_or_programme_is_answered_kindly(bot: OfflineBot) -> None:
    user = bot.user(407, language_code="en")
    await user.send("/start")
    await user.tap_data("prog:list:courses:9999")
    assert user.last_reply.plain_text.startswith("That programme is no longer in our list.")
    await user.tap_data("prog:detail:nosuchcourse:0")
    assert user.last_reply.plain_text.startswith("That programme is no longer in our list.")
