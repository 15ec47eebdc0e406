"""Albums in a hand-off: a user's album reaches staff as one album, in their own topic, with
its caption; staff replies to any part reach the user; a single photo goes as before."""

import asyncio
from datetime import UTC, datetime

from bot.config import Settings
from bot.offline.chat_driver import ChatUser
from bot.offline.offline_bot import OfflineBot, offline_bot
from bot.offline.standin import SentMessage, TelegramStandIn
from handlers.handoff.albums import JOB_PREFIX
from tests.handoff.test_handoff import STAFF_CHAT, staff, talk_to_staff


def end_the_wait(bot: OfflineBot) -> None:
    """Let HANDOFF_ALBUM_WAIT_SECONDS pass now, with no clock: the albums' sending is due."""
    now = datetime.now(UTC)
    for job in bot.application.job_queue.jobs():  # type: ignore[union-attr]
        if job.name is not None and job.name.startswith(JOB_PREFIX):
            job.job.modify(next_run_time=now)


def album_calls(standin: TelegramStandIn, user: ChatUser) -> list[list[int]]:
    """The ids of each copyMessages call made from this user's chat."""
    return [
        list(call.params["message_ids"])
        for call in standin.calls_to("copyMessages")
        if call.params["from_chat_id"] == user.chat_id and call.error is None
    ]


async def album_copied(bot: OfflineBot, user: ChatUser, count: int = 1) -> list[SentMessage]:
    """End the wait, then wait for the bot to copy this user's album(s) to staff; the copies
    of the last one."""
    end_the_wait(bot)
    await bot.standin.wait_until(lambda: len(album_calls(bot.standin, user)) >= count)
    last = album_calls(bot.standin, user)[-1]
    return [
        m
        for m in bot.standin.history(STAFF_CHAT)
        if m.source is not None and m.source[0] == user.chat_id and m.source[1] in last
    ]


async def test_an_album_reaches_staff_as_one_album_and_a_reply_to_a_part_comes_back(
    bot: OfflineBot,
) -> None:
    desk = staff(bot)
    user = bot.user(1401, language_code="en", first_name="Rina")
    await talk_to_staff(user)
    [topic] = bot.standin.forum_topics(STAFF_CHAT)
    replies = await user.send_album(["photo", "photo", "photo"], caption="ijazah, KTP, KK")
    assert replies == []  # nothing yet: the bot waits for the last part
    parts = bot.standin.incoming_ids(1401)[-3:]

    copies = await album_copied(bot, user)
    assert album_calls(bot.standin, user) == [parts]
    assert [c.source for c in copies] == [(1401, part) for part in parts]
    assert all(c.photo and c.message_thread_id == topic.message_thread_id for c in copies)
    groups = {c.raw.get("media_group_id") for c in copies}
    assert len(groups) == 1 and None not in groups
    assert [c.plain_text for c in copies] == ["ijazah, KTP, KK", "", ""]
    assert bot.standin.calls_to("copyMessage") == []  # no part went on its own
    # Answered once for the album, as for a first message.
    await bot.standin.wait_until(
        lambda: user.last_reply.plain_text == "✅ Sent to the staff. They will answer here."
    )
    acknowledgements = [
        m for m in bot.standin.history(1401) if m.plain_text.startswith("✅ Sent to the staff")
    ]
    assert len(acknowledgements) == 1

    await desk.say("Foto kedua buram, kirim ulang ya.", reply_to=copies[1].message_id)
    assert user.last_reply.plain_text == "Foto kedua buram, kirim ulang ya."
    await user.edit(parts[0], "ijazah, KTP, KK (2024)")  # each part is mapped to its copy
    assert copies[0].plain_text == "ijazah, KTP, KK (2024)\n\n✏️ diubah"


async def test_two_users_albums_at_once_each_reach_their_own_topic(bot: OfflineBot) -> None:
    staff(bot)
    rina = bot.user(1402, language_code="en", first_name="Rina")
    budi = bot.user(1403, language_code="id", first_name="Budi")
    await talk_to_staff(rina)
    await talk_to_staff(budi)
    topics = {
        t.name.split(" · ")[0]: t.message_thread_id for t in bot.standin.forum_topics(STAFF_CHAT)
    }
    await asyncio.gather(
        rina.send_album(["photo", "photo"], caption="punya Rina"),
        budi.send_album(["sertifikat.pdf", "ijazah.pdf", "kk.pdf"], caption="punya Budi"),
    )
    rina_copies = await album_copied(bot, rina)
    budi_copies = await album_copied(bot, budi)
    assert len(rina_copies) == 2 and len(budi_copies) == 3
    assert {c.message_thread_id for c in rina_copies} == {topics["Rina"]}
    assert {c.message_thread_id for c in budi_copies} == {topics["Budi"]}
    assert [c.document[0] for c in budi_copies] == ["sertifikat.pdf", "ijazah.pdf", "kk.pdf"]  # type: ignore[index]
    rina_group = {c.raw["media_group_id"] for c in rina_copies}
    budi_group = {c.raw["media_group_id"] for c in budi_copies}
    assert len(rina_group) == len(budi_group) == 1 and rina_group != budi_group
    assert budi_copies[0].plain_text == "punya Budi"
    await bot.standin.wait_until(
        lambda: (
            budi.last_reply.plain_text == "✅ Terkirim ke petugas. Mereka akan menjawab di sini."
        )
    )


async def test_a_single_photo_still_goes_as_before(bot: OfflineBot) -> None:
    staff(bot)
    user = bot.user(1404, language_code="en")
    await talk_to_staff(user)
    await user.send_photo(caption="bukti transfer")
    assert user.last_reply.plain_text == "✅ Sent to the staff. They will answer here."
    copy = bot.standin.history(STAFF_CHAT)[-1]
    assert copy.photo and copy.plain_text == "bukti transfer"
    assert "media_group_id" not in copy.raw
    assert bot.standin.calls_to("copyMessages") == []


async def test_a_message_right_after_an_album_reaches_staff_after_it(bot: OfflineBot) -> None:
    staff(bot)
    user = bot.user(1405, language_code="en")
    await talk_to_staff(user)
    await user.send("Here are my documents")
    await user.send_album(["photo", "photo"])
    await user.send("Is that enough?")  # sent before the album's wait is over
    texts = [m.plain_text if not m.photo else "photo" for m in bot.standin.history(STAFF_CHAT)]
    assert texts[-4:] == ["Here are my documents", "photo", "photo", "Is that enough?"]


async def test_ending_the_conversation_sends_a_waiting_album_first(bot: OfflineBot) -> None:
    staff(bot)
    user = bot.user(1406, language_code="en")
    await talk_to_staff(user)
    await user.send_album(["photo", "photo"], caption="last thing")
    await user.tap("✖️ End the conversation")
    in_group = bot.standin.history(STAFF_CHAT)
    assert [m.plain_text for m in in_group[-3:]] == [
        "last thing",
        "",
        "Pengguna mengakhiri percakapan.",
    ]


async def test_an_album_waiting_at_shutdown_is_sent_not_lost(settings: Settings) -> None:
    standin = TelegramStandIn()
    async with offline_bot(settings, standin) as bot:
        staff(bot)
        user = bot.user(1407, language_code="en")
        await talk_to_staff(user)
        await user.send_album(["photo", "photo", "photo"])
        assert standin.calls_to("copyMessages") == []
    [call] = standin.calls_to("copyMessages")
    assert len(call.params["message_ids"]) == 3 and call.error is None


async def test_a_topic_deleted_meanwhile_is_replaced_and_the_album_goes_there(
    bot: OfflineBot,
) -> None:
    staff(bot)
    user = bot.user(1408, language_code="en")
    await talk_to_staff(user)
    [old] = bot.standin.forum_topics(STAFF_CHAT)
    await bot.application.bot.delete_forum_topic(STAFF_CHAT, old.message_thread_id)
    await user.send_album(["photo", "photo"], caption="again")
    copies = await album_copied(bot, user)
    [new] = bot.standin.forum_topics(STAFF_CHAT)
    assert new.message_thread_id != old.message_thread_id
    assert {c.message_thread_id for c in copies} == {new.message_thread_id}
    assert copies[0].plain_text == "again"


async def test_an_album_that_cannot_be_passed_on_is_said_so_and_makes_no_new_topic(
    bot: OfflineBot,
) -> None:
    staff(bot)
    user = bot.user(1409, language_code="id")
    await talk_to_staff(user)
    bot.standin.inject("copyMessages", error="bad_request")  # "chat not found": not the topic
    await user.send_album(["photo", "photo"])
    end_the_wait(bot)
    await bot.standin.wait_until(
        lambda: user.last_reply.plain_text.startswith(("Maaf, foto atau berkas Anda", "✅"))
    )
    assert user.last_reply.plain_text.startswith("Maaf, foto atau berkas Anda")
    assert user.last_reply.buttons == ["✖️ Akhiri percakapan"]
    assert len(bot.standin.forum_topics(STAFF_CHAT)) == 1
    assert bot.standin.calls_to("reopenForumTopic") == []


async def test_a_topic_closed_in_telegram_is_reopened_for_an_album(bot: OfflineBot) -> None:
    staff(bot)
    user = bot.user(1420, language_code="en")
    await talk_to_staff(user)
    [topic] = bot.standin.forum_topics(STAFF_CHAT)
    await bot.application.bot.close_forum_topic(STAFF_CHAT, topic.message_thread_id)
    await user.send_album(["photo", "photo"], caption="again")
    copies = await album_copied(bot, user)
    assert not topic.closed and bot.standin.forum_topics(STAFF_CHAT) == [topic]
    assert {c.message_thread_id for c in copies} == {topic.message_thread_id}


async def test_without_topics_an_album_goes_as_one_album_replying_to_the_header(
    bot: OfflineBot,
) -> None:
    desk = staff(bot, forum=False)
    user = bot.user(1410, language_code="en")
    await talk_to_staff(user)
    header = bot.standin.history(STAFF_CHAT)[0]
    bold = [{"type": "bold", "offset": 0, "length": 3}]
    replies = await user.send_album(
        ["photo", "photo", "photo"], caption="two pages", caption_entities=bold
    )
    assert replies == []  # the bot waits for the last part, as with topics
    parts = bot.standin.incoming_ids(1410)[-3:]
    end_the_wait(bot)
    await bot.standin.wait_until(
        lambda: user.last_reply.plain_text == "✅ Sent to the staff. They will answer here."
    )
    [call] = bot.standin.calls_to("sendMediaGroup")
    copies = bot.standin.history(STAFF_CHAT)[-3:]
    assert all(c.photo for c in copies)
    assert all(c.raw["reply_to_message"]["message_id"] == header.message_id for c in copies)
    groups = {c.raw.get("media_group_id") for c in copies}
    assert len(groups) == 1 and None not in groups
    assert [c.plain_text for c in copies] == ["two pages", "", ""]
    assert copies[0].entities == bold
    assert bot.standin.calls_to("copyMessage") == []  # no part went on its own
    # The user's own photos, by file.
    sent_files = [item["media"] for item in call.params["media"]]
    assert sent_files == [bot.standin.incoming(1410, p)["photo"][-1]["file_id"] for p in parts]
    await desk.say("Thanks, received.", reply_to=copies[1].message_id)
    assert user.last_reply.plain_text == "Thanks, received."
    await user.edit(parts[0], "two pages (2024)")  # each part is mapped to its copy
    assert copies[0].plain_text.startswith("two pages (2024)")


async def test_without_topics_documents_go_as_one_album_of_documents(bot: OfflineBot) -> None:
    staff(bot, forum=False)
    user = bot.user(1421, language_code="id")
    await talk_to_staff(user)
    await user.send_album(["sertifikat.pdf", "ijazah.pdf"], caption="punya Budi")
    end_the_wait(bot)
    await bot.standin.wait_until(
        lambda: user.last_reply.plain_text.startswith("✅ Terkirim ke petugas")
    )
    copies = bot.standin.history(STAFF_CHAT)[-2:]
    assert [c.document[0] for c in copies] == ["sertifikat.pdf", "ijazah.pdf"]  # type: ignore[index]
    assert len({c.raw["media_group_id"] for c in copies}) == 1
    assert copies[0].plain_text == "punya Budi"


async def test_an_album_whose_every_part_was_deleted_is_dropped_quietly(bot: OfflineBot) -> None:
    staff(bot)
    user = bot.user(1422, language_code="en")
    await talk_to_staff(user)
    await user.send_album(["photo", "photo"])
    for part in bot.standin.incoming_ids(1422)[-2:]:
        bot.standin.user_deletes(1422, part)
    end_the_wait(bot)
    await bot.standin.wait_until(lambda: bool(bot.standin.calls_to("copyMessages")))
    # The next message waits for the album's turn to end, then goes as usual.
    await user.send("Sorry, wrong photos.")
    assert user.last_reply.plain_text == "✅ Sent to the staff. They will answer here."
    assert not any(
        m.plain_text.startswith("Sorry, your photos") for m in bot.standin.history(1422)
    )
    assert len(bot.standin.forum_topics(STAFF_CHAT)) == 1
    assert bot.standin.calls_to("reopenForumTopic") == []
    assert bot.standin.history(STAFF_CHAT)[-1].plain_text == "Sorry, wrong photos."


async def test_a_part_deleted_during_the_wait_leaves_the_rest_going(bot: OfflineBot) -> None:
    desk = staff(bot)
    user = bot.user(1411, language_code="en")
    await talk_to_staff(user)
    await user.send_album(["photo", "photo", "photo"], caption="three pages")
    first, second, third = bot.standin.incoming_ids(1411)[-3:]
    bot.standin.user_deletes(1411, second)
    copies = await album_copied(bot, user)
    assert [c.source for c in copies] == [(1411, first), (1411, third)]
    assert len({c.raw["media_group_id"] for c in copies}) == 1
    await bot.standin.wait_until(  # the bot's record of the copies comes before the answer
        lambda: user.last_reply.plain_text == "✅ Sent to the staff. They will answer here."
    )
    await desk.say("Page two is missing.", reply_to=copies[1].message_id)
    assert user.last_reply.plain_text == "Page two is missing."


async def test_an_album_of_ten_goes_at_once_no_album_being_longer(bot: OfflineBot) -> None:
    staff(bot)
    user = bot.user(1412, language_code="en")
    await talk_to_staff(user)
    await user.send_album(["photo"] * 10)
    [ids] = album_calls(bot.standin, user)  # without the wait ending
    assert ids == bot.standin.incoming_ids(1412)[-10:]
    assert user.last_reply.plain_text == "✅ Sent to the staff. They will answer here."
