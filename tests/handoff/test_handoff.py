"""Hand-off to staff: user -> topic -> staff reply -> user, with photos, closing, blocking,
the no-topics fallback, and a restart in the middle."""

import asyncio

from bot.config import Settings
from bot.offline.group_driver import GroupMember
from bot.offline.offline_bot import OfflineBot, offline_bot
from bot.offline.standin import TelegramStandIn

STAFF_CHAT = -1001234567890


def staff(bot: OfflineBot, *, forum: bool = True) -> GroupMember:
    return GroupMember(
        bot.application,
        bot.standin,
        chat_id=STAFF_CHAT,
        user_id=555,
        first_name="Petugas",
        forum=forum,
    )


async def talk_to_staff(user, question: str = "qwxz kapan tes tulis?") -> None:  # noqa: ANN001
    await user.send(question)
    await user.tap(next(b for b in user.buttons if b in ("💬 Ask a person", "💬 Tanya petugas")))


async def test_a_full_round_trip_with_a_photo(bot: OfflineBot) -> None:
    desk = staff(bot)
    user = bot.user(1301, language_code="en", first_name="Rina")
    await talk_to_staff(user)
    assert user.last_reply.plain_text.startswith("💬 You are connected to the centre's staff.")
    [topic] = bot.standin.forum_topics(STAFF_CHAT)
    assert topic.name.startswith("Rina · #")
    in_topic = [
        m
        for m in bot.standin.history(STAFF_CHAT)
        if m.message_thread_id == topic.message_thread_id
    ]
    assert in_topic[0].plain_text.startswith("👤 Rina") and "id 1301" in in_topic[0].plain_text
    assert in_topic[1].plain_text == "❓ qwxz kapan tes tulis?"  # the question that led here

    await user.send("Saya sudah daftar tapi belum ada kabar")
    assert user.last_reply.plain_text == "✅ Sent to the staff. They will answer here."
    await user.send_photo(caption="bukti pendaftaran")
    copies = [
        m
        for m in bot.standin.history(STAFF_CHAT)
        if m.message_thread_id == topic.message_thread_id
    ]
    assert copies[-2].plain_text == "Saya sudah daftar tapi belum ada kabar"
    assert copies[-1].photo and copies[-1].plain_text == "bukti pendaftaran"

    await desk.say("Halo Rina, tes tulis tanggal 5.", topic=topic.message_thread_id)
    reply = user.last_reply
    assert reply.plain_text == "Halo Rina, tes tulis tanggal 5."
    assert "Petugas" not in str(reply.raw)  # staff identity stays private
    await desk.send_photo_in(topic.message_thread_id, caption="jadwal")
    assert user.last_reply.photo and user.last_reply.plain_text == "jadwal"


async def test_staff_close_the_ticket_and_the_user_is_told(bot: OfflineBot) -> None:
    desk = staff(bot)
    user = bot.user(1302, language_code="id")
    await talk_to_staff(user)
    [topic] = bot.standin.forum_topics(STAFF_CHAT)
    await desk.say("/close", topic=topic.message_thread_id)
    assert user.last_reply.plain_text.startswith("Balai sudah menutup percakapan ini.")
    assert topic.closed
    await user.send("halo?")  # no longer relayed: an FAQ answer instead
    relayed = [m for m in bot.standin.history(STAFF_CHAT) if m.plain_text == "halo?"]
    assert relayed == []


async def test_a_blocked_user_cannot_reach_staff_again(bot: OfflineBot) -> None:
    desk = staff(bot)
    user = bot.user(1303, language_code="en")
    await talk_to_staff(user)
    [topic] = bot.standin.forum_topics(STAFF_CHAT)
    await desk.say("/block", topic=topic.message_thread_id)
    assert "no longer possible" in user.last_reply.plain_text
    await user.send("qwxz please")
    await user.tap("💬 Ask a person")
    assert user.last_reply.plain_text.startswith(
        "Messages to staff through the bot are not possible"
    )
    assert len(bot.standin.forum_topics(STAFF_CHAT)) == 1


async def test_without_topics_staff_reply_to_the_copied_message(bot: OfflineBot) -> None:
    desk = staff(bot, forum=False)
    user = bot.user(1304, language_code="en")
    await talk_to_staff(user)
    await user.send("Is there a dormitory?")
    copied = bot.standin.history(STAFF_CHAT)[-1]
    assert copied.plain_text == "Is there a dormitory?" and copied.message_thread_id is None
    await desk.say("No dormitory for trainees, sorry.", reply_to=copied.message_id)
    assert user.last_reply.plain_text == "No dormitory for trainees, sorry."
    await desk.say("staff chatting among themselves")  # not a reply: stays in the group
    assert user.last_reply.plain_text == "No dormitory for trainees, sorry."


async def test_the_user_ends_the_conversation(bot: OfflineBot) -> None:
    user = bot.user(1305, language_code="en")
    await talk_to_staff(user)
    await user.tap("✖️ End the conversation")
    assert user.last_reply.plain_text.startswith("The conversation with the staff has ended.")
    assert bot.standin.history(STAFF_CHAT)[-1].plain_text == "Pengguna mengakhiri percakapan."


async def test_a_hand_off_survives_a_restart(settings: Settings) -> None:
    standin = TelegramStandIn()
    async with offline_bot(settings, standin) as bot:
        user = bot.user(1306, language_code="en")
        desk = staff(bot)
        await talk_to_staff(user)
        [topic] = bot.standin.forum_topics(STAFF_CHAT)
    async with offline_bot(settings, standin) as bot:
        user = bot.user(1306, language_code="en")
        desk = staff(bot)
        await user.send("Still waiting for an answer")
        relayed = bot.standin.history(STAFF_CHAT)[-1]
        assert relayed.plain_text == "Still waiting for an answer"
        assert relayed.message_thread_id == topic.message_thread_id
        await desk.say("Answer after the restart", topic=topic.message_thread_id)
        assert user.last_reply.plain_text == "Answer after the restart"


async def test_without_a_staff_group_the_bot_says_where_to_go(settings: Settings) -> None:
    async with offline_bot(settings.model_copy(update={"staff_chat_id": None})) as bot:
        user = bot.user(1307, language_code="en")
        await talk_to_staff(user)
        assert "Please visit the centre" in user.last_reply.plain_text


async def test_a_topic_closed_in_telegram_is_reopened_and_nothing_is_lost(bot: OfflineBot) -> None:
    staff(bot)
    user = bot.user(1308, language_code="en")
    await talk_to_staff(user)
    [topic] = bot.standin.forum_topics(STAFF_CHAT)
    await bot.application.bot.close_forum_topic(STAFF_CHAT, topic.message_thread_id)
    await user.send("Are you there?")
    assert not topic.closed
    assert bot.standin.history(STAFF_CHAT)[-1].plain_text == "Are you there?"


async def test_a_refusal_not_about_the_topic_makes_no_new_topic_and_the_user_is_told(
    bot: OfflineBot,
) -> None:
    staff(bot)
    user = bot.user(1312, language_code="id")
    await talk_to_staff(user)
    bot.standin.inject("copyMessage", error="bad_request")  # "chat not found"
    await user.send("Apakah berkas saya sudah diterima?")
    assert user.last_reply.plain_text == (
        "Maaf, pesan Anda tidak dapat diteruskan ke petugas. Silakan kirim lagi."
    )
    assert user.last_reply.buttons == ["✖️ Akhiri percakapan"]
    assert len(bot.standin.forum_topics(STAFF_CHAT)) == 1
    assert bot.standin.calls_to("reopenForumTopic") == []
    await user.send("Apakah berkas saya sudah diterima?")  # sent again, it goes
    assert bot.standin.history(STAFF_CHAT)[-1].plain_text == "Apakah berkas saya sudah diterima?"


async def test_a_message_as_staff_close_elsewhere_is_not_sent_into_the_closed_topic(
    settings: Settings,
) -> None:
    standin = TelegramStandIn()
    async with offline_bot(settings, standin) as first, offline_bot(settings, standin) as second:
        staff(first)
        user = first.user(1313, language_code="en")
        await talk_to_staff(user)
        [topic] = standin.forum_topics(STAFF_CHAT)
        # Webhook replicas: the user's message is on its way to the topic in one process
        # while staff close the conversation through the other.
        copying = standin.hold("copyMessage")
        sending = asyncio.create_task(user.send("One more thing"))
        await standin.wait_until(lambda: bool(standin.calls_to("copyMessage")))
        await staff(second).say("/close", topic=topic.message_thread_id)
        copying.release()
        await sending
        assert user.last_reply.plain_text.startswith("The conversation with the staff had ended")
        assert user.last_reply.buttons == ["🏠 Main menu"]
        assert topic.closed and standin.calls_to("reopenForumTopic") == []
        assert len(standin.forum_topics(STAFF_CHAT)) == 1


async def test_deleting_ones_data_closes_the_conversation_for_staff(bot: OfflineBot) -> None:
    desk = staff(bot)
    user = bot.user(1309, language_code="en")
    await talk_to_staff(user)
    [topic] = bot.standin.forum_topics(STAFF_CHAT)
    await user.send("/mydata")
    await user.tap("🗑 Delete everything")
    await user.tap("🗑 Yes, delete everything")
    notes = [m.plain_text for m in bot.standin.history(STAFF_CHAT)]
    assert "Pengguna menghapus datanya; percakapan ini ditutup." in notes
    assert topic.closed
    before = len(bot.standin.history(1309))
    await desk.say("Hello?", topic=topic.message_thread_id)
    assert len(bot.standin.history(1309)) == before  # nothing reaches a deleted user


async def test_block_in_an_old_topic_stops_the_current_conversation_too(bot: OfflineBot) -> None:
    desk = staff(bot)
    user = bot.user(1310, language_code="en")
    await talk_to_staff(user)
    await user.tap("✖️ End the conversation")
    await talk_to_staff(user)
    first, second = bot.standin.forum_topics(STAFF_CHAT)
    await desk.say("/block", topic=first.message_thread_id)
    await user.send("one more thing")
    assert all(m.plain_text != "one more thing" for m in bot.standin.history(STAFF_CHAT))


async def test_closing_twice_tells_the_user_once(bot: OfflineBot) -> None:
    desk = staff(bot)
    user = bot.user(1311, language_code="en")
    await talk_to_staff(user)
    [topic] = bot.standin.forum_topics(STAFF_CHAT)
    await desk.say("/close", topic=topic.message_thread_id)
    await desk.say("/close", topic=topic.message_thread_id)
    told = [m for m in bot.standin.history(1311) if "has closed this conversation" in m.plain_text]
    assert len(told) == 1
    confirmations = [
        m for m in bot.standin.history(STAFF_CHAT) if m.plain_text.startswith("Ditutup")
    ]
    assert len(confirmations) == 1


async def test_staff_notes_starting_with_a_hash_stay_in_the_group(bot: OfflineBot) -> None:
    desk = staff(bot)
    user = bot.user(1312, language_code="en")
    await talk_to_staff(user)
    [topic] = bot.standin.forum_topics(STAFF_CHAT)
    before = len(bot.standin.history(1312))
    await desk.say("# Pak Budi, tolong cek datanya", topic=topic.message_thread_id)
    assert len(bot.standin.history(1312)) == before


async def test_documents_and_stickers_reach_staff_and_the_reply_button_speaks_english(
    bot: OfflineBot,
) -> None:
    desk = staff(bot)
    user = bot.user(1313, language_code="en")
    await talk_to_staff(user)
    [topic] = bot.standin.forum_topics(STAFF_CHAT)
    await user.send_document("ijazah.pdf", b"%PDF-1.4")
    await user.send_sticker()
    copies = [
        m
        for m in bot.standin.history(STAFF_CHAT)
        if m.message_thread_id == topic.message_thread_id
    ]
    assert copies[-2].document[0] == "ijazah.pdf"
    await desk.say("Diterima, terima kasih.", topic=topic.message_thread_id)
    assert user.last_reply.buttons == ["↩️ Reply to the centre"]
    await user.tap("↩️ Reply to the centre")
    assert user.last_reply.plain_text.startswith("💬 You are connected")
    assert any(m.plain_text == "Diterima, terima kasih." for m in bot.standin.history(1313))


async def test_asking_in_words_for_a_person_offers_the_hand_off_first(bot: OfflineBot) -> None:
    user = bot.user(1314, language_code="en")
    await user.send("can I talk to a person?")
    assert user.buttons[0] == "💬 Talk to a person"
    await user.tap("💬 Talk to a person")
    topic_messages = [m.plain_text for m in bot.standin.history(STAFF_CHAT)]
    assert "❓ can I talk to a person?" in topic_messages


async def test_the_menu_reminds_a_user_who_is_still_talking_to_staff(bot: OfflineBot) -> None:
    user = bot.user(1315, language_code="en")
    await talk_to_staff(user)
    await user.send("/start")
    assert user.buttons[0] == "✖️ End the conversation with staff"
    await user.tap("✖️ End the conversation with staff")
    assert user.last_reply.plain_text.startswith("The conversation with the staff has ended.")
