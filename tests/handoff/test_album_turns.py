"""Albums in a hand-off, around their turn: staff closing while parts gather, two chats at
once, a complete album after an older one, a crash, and two processes of the bot."""

import asyncio

import pytest

from bot.config import Settings
from bot.offline.offline_bot import OfflineBot, offline_bot
from bot.offline.standin import TelegramStandIn
from handlers.handoff.albums import JOB_PREFIX
from tests.handoff.test_albums import album_calls, album_copied, end_the_wait
from tests.handoff.test_handoff import STAFF_CHAT, staff, talk_to_staff

CAME_AFTER_THE_END = (
    "Your photos or files came after the conversation with the staff had ended, so they were "
    "not passed on. To send them, start a new conversation: tap «💬 Ask a question» in the "
    "menu."
)


@pytest.mark.parametrize("command", ["/close", "/block"])
async def test_staff_ending_while_an_album_gathers_get_it_first_and_the_topic_stays_closed(
    bot: OfflineBot, command: str
) -> None:
    desk = staff(bot)
    user = bot.user(1501, language_code="en")
    await talk_to_staff(user)
    [topic] = bot.standin.forum_topics(STAFF_CHAT)
    await user.send_album(["photo", "photo"], caption="my KTP")
    await desk.say(command, topic=topic.message_thread_id)
    in_topic = [
        m.plain_text
        for m in bot.standin.history(STAFF_CHAT)
        if m.message_thread_id == topic.message_thread_id
    ]
    assert in_topic[-3:-1] == ["my KTP", ""]  # the album, then staff's answer to the command
    assert in_topic[-1].startswith(("Ditutup", "Diblokir"))
    told = [m.plain_text for m in bot.standin.history(1501)]
    assert told[-2] == "✅ Sent to the staff. They will answer here."
    assert told[-1].startswith("The centre has closed this conversation.")
    end_the_wait(bot)  # nothing was left waiting: the closed topic stays closed
    assert topic.closed and bot.standin.calls_to("reopenForumTopic") == []
    assert len(bot.standin.forum_topics(STAFF_CHAT)) == 1
    assert len(album_calls(bot.standin, user)) == 1


async def test_a_part_arriving_as_staff_close_is_not_sent_into_the_closed_topic(
    bot: OfflineBot,
) -> None:
    desk = staff(bot)
    user = bot.user(1502, language_code="en")
    await talk_to_staff(user)
    [topic] = bot.standin.forum_topics(STAFF_CHAT)
    await user.send_album(["photo", "photo"])
    album = bot.standin.incoming(1502, bot.standin.incoming_ids(1502)[-1])["media_group_id"]
    # Staff's /close sends the waiting album first; while Telegram copies it, a last part
    # comes in, for a conversation that is still open.
    copying = bot.standin.hold("copyMessages")
    closing = asyncio.create_task(desk.say("/close", topic=topic.message_thread_id))
    copy_asked = asyncio.create_task(
        bot.standin.wait_until(lambda: bool(bot.standin.calls_to("copyMessages")))
    )
    await asyncio.wait({closing, copy_asked}, return_when=asyncio.FIRST_COMPLETED)
    assert copy_asked.done() and not closing.done()  # staff's /close waits for the album
    await user.send_album(["photo"], media_group_id=album)
    copying.release()
    await closing
    assert topic.closed
    end_the_wait(bot)
    await bot.standin.wait_until(
        lambda: (
            user.last_reply.plain_text == CAME_AFTER_THE_END
            or len(album_calls(bot.standin, user)) > 1
        )
    )
    assert user.last_reply.plain_text == CAME_AFTER_THE_END
    assert user.last_reply.buttons == ["🏠 Main menu"]
    assert len(album_calls(bot.standin, user)) == 1  # the first two parts only
    assert topic.closed and bot.standin.calls_to("reopenForumTopic") == []
    assert len(bot.standin.forum_topics(STAFF_CHAT)) == 1


async def test_two_chats_albums_with_the_same_id_both_go(bot: OfflineBot) -> None:
    staff(bot)
    rina = bot.user(1503, language_code="en", first_name="Rina")
    budi = bot.user(1504, language_code="en", first_name="Budi")
    await talk_to_staff(rina)
    await talk_to_staff(budi)
    same = bot.standin.new_media_group_id()  # media_group_id is unique per chat only
    await rina.send_album(["photo", "photo"], media_group_id=same)
    await budi.send_album(["photo", "photo", "photo"], media_group_id=same)
    waiting = [job.name for job in bot.application.job_queue.jobs()]  # type: ignore[union-attr]
    assert f"{JOB_PREFIX} 1503 {same}" in waiting and f"{JOB_PREFIX} 1504 {same}" in waiting
    assert len(await album_copied(bot, rina)) == 2
    assert len(await album_copied(bot, budi)) == 3


async def test_a_complete_album_goes_after_the_chats_older_waiting_one(bot: OfflineBot) -> None:
    staff(bot)
    user = bot.user(1505, language_code="en")
    await talk_to_staff(user)
    await user.send_album(["photo", "photo"], caption="first")
    older = bot.standin.incoming_ids(1505)[-2:]
    await user.send_album(["photo"] * 10, caption="second")
    newer = bot.standin.incoming_ids(1505)[-10:]
    assert album_calls(bot.standin, user) == [older, newer]  # without the wait ending
    assert not [
        job
        for job in bot.application.job_queue.jobs()  # type: ignore[union-attr]
        if (job.name or "").startswith(JOB_PREFIX) and not job.removed
    ]


async def test_an_album_left_by_a_crash_reaches_staff_after_the_restart(
    settings: Settings,
) -> None:
    standin = TelegramStandIn()
    async with offline_bot(settings, standin) as bot:
        staff(bot)
        user = bot.user(1506, language_code="en")
        await talk_to_staff(user)
        await user.send_album(["photo", "photo", "photo"], caption="before the crash")
        parts = standin.incoming_ids(1506)[-3:]
        # The process dies: its timers (process memory) are gone, so nothing sends the album
        # at the stop; the parts are in the database.
        for job in bot.application.job_queue.jobs():  # type: ignore[union-attr]
            if (job.name or "").startswith(JOB_PREFIX):
                job.schedule_removal()
    assert standin.calls_to("copyMessages") == []
    async with offline_bot(settings, standin) as bot:
        user = bot.user(1506, language_code="en")
        copies = await album_copied(bot, user)
        assert [c.source for c in copies] == [(1506, part) for part in parts]
        assert copies[0].plain_text == "before the crash"
        [topic] = standin.forum_topics(STAFF_CHAT)
        assert {c.message_thread_id for c in copies} == {topic.message_thread_id}
        await standin.wait_until(
            lambda: user.last_reply.plain_text == "✅ Sent to the staff. They will answer here."
        )


async def test_a_part_another_process_received_goes_with_the_album(settings: Settings) -> None:
    standin = TelegramStandIn()
    async with offline_bot(settings, standin) as first:
        staff(first)
        user = first.user(1507, language_code="en")
        await talk_to_staff(user)
        async with offline_bot(settings, standin) as second:
            await user.send_album(["photo", "photo"], caption="three pages")
            album = standin.incoming(1507, standin.incoming_ids(1507)[-1])["media_group_id"]
            # Webhook replicas: the album's last part reaches the other process.
            await second.user(1507, language_code="en").send_album(["photo"], media_group_id=album)
            parts = standin.incoming_ids(1507)[-3:]
            await album_copied(first, user)
            assert album_calls(standin, user) == [parts]
            end_the_wait(second)  # its timer finds the album gone already
        assert album_calls(standin, user) == [parts]
