"""Edits during a hand-off follow to the other side's copy, marked as edited, in the reader's
language; edits of anything else are left alone, and a copy that is gone is only logged."""

import logging

import pytest

from bot.config import Settings
from bot.offline.offline_bot import OfflineBot, offline_bot
from bot.offline.standin import TelegramStandIn
from tests.handoff.test_handoff import STAFF_CHAT, staff, talk_to_staff


def edited(bot: OfflineBot, locale: str) -> str:
    return bot.application.bot_data["services"].translators[locale].gettext("✏️ edited")


def in_topic(bot: OfflineBot, topic_id: int) -> list:  # type: ignore[type-arg]
    return [m for m in bot.standin.history(STAFF_CHAT) if m.message_thread_id == topic_id]


async def test_a_users_edit_changes_the_copy_staff_read(bot: OfflineBot) -> None:
    staff(bot)
    user = bot.user(1341, language_code="en")
    await talk_to_staff(user)
    [topic] = bot.standin.forum_topics(STAFF_CHAT)
    await user.send("I was born in 2004")
    copy = in_topic(bot, topic.message_thread_id)[-1]
    await user.edit(user.last_sent_id, "I was born in 2005")
    # Staff read the centre's language, whatever the user's.
    assert copy.plain_text == f"I was born in 2005\n\n{edited(bot, 'id')}"
    assert copy.edit_count == 1 and len(in_topic(bot, topic.message_thread_id)) == 3
    assert user.replies == []  # the user is not answered again


async def test_a_staff_edit_changes_the_users_copy_and_keeps_its_button(bot: OfflineBot) -> None:
    desk = staff(bot)
    user = bot.user(1342, language_code="en")
    await talk_to_staff(user)
    [topic] = bot.standin.forum_topics(STAFF_CHAT)
    await desk.say("The test is on the 5th.", topic=topic.message_thread_id)
    copy = user.last_reply
    await desk.edit(desk.last_sent_id, "The test is on the 6th.")
    assert copy.plain_text == "The test is on the 6th.\n\n✏️ edited"
    assert copy.buttons == ["↩️ Reply to the centre"]


async def test_captions_are_edited_both_ways(bot: OfflineBot) -> None:
    desk = staff(bot)
    user = bot.user(1343, language_code="en")
    await talk_to_staff(user)
    [topic] = bot.standin.forum_topics(STAFF_CHAT)
    await user.send_photo(caption="my certificate")
    staff_copy = in_topic(bot, topic.message_thread_id)[-1]
    await user.edit(user.last_sent_id, "my school certificate")
    assert staff_copy.photo
    assert staff_copy.plain_text == f"my school certificate\n\n{edited(bot, 'id')}"
    await desk.send_photo_in(topic.message_thread_id, caption="schedule")
    user_copy = user.last_reply
    await desk.edit(desk.last_sent_id, "new schedule")
    assert user_copy.photo and user_copy.plain_text == "new schedule\n\n✏️ edited"


async def test_edits_follow_after_a_restart(settings: Settings) -> None:
    standin = TelegramStandIn()
    async with offline_bot(settings, standin) as bot:
        desk, user = staff(bot), bot.user(1344, language_code="en")
        await talk_to_staff(user)
        [topic] = bot.standin.forum_topics(STAFF_CHAT)
        await user.send("Question one")
        users_message, copy = user.last_sent_id, in_topic(bot, topic.message_thread_id)[-1]
        await desk.say("Answer one", topic=topic.message_thread_id)
        staff_message, reply = desk.last_sent_id, user.last_reply
    async with offline_bot(settings, standin) as bot:
        desk, user = staff(bot), bot.user(1344, language_code="en")
        await user.edit(users_message, "Question one, corrected")
        assert copy.plain_text.startswith("Question one, corrected\n\n")
        await desk.edit(staff_message, "Answer one, corrected")
        assert reply.plain_text == "Answer one, corrected\n\n✏️ edited"


async def test_edits_outside_an_open_hand_off_are_left_alone(bot: OfflineBot) -> None:
    desk = staff(bot)
    user = bot.user(1345, language_code="en")
    await user.send("will it rain tomorrow?")  # no answer for that: the way to a person
    before_hand_off = user.last_sent_id
    await user.tap("💬 Ask a person")
    [topic] = bot.standin.forum_topics(STAFF_CHAT)
    await user.edit(before_hand_off, "when is the interview?")  # never copied as such
    await desk.say("# internal", topic=topic.message_thread_id)
    await desk.edit(desk.last_sent_id, "# internal, corrected")  # a note, not a reply
    await user.send("Hello")
    await desk.say("Hi", topic=topic.message_thread_id)
    await desk.say("/close", topic=topic.message_thread_id)
    staff_before = [(m.plain_text, m.edit_count) for m in bot.standin.history(STAFF_CHAT)]
    user_before = [(m.plain_text, m.edit_count) for m in bot.standin.history(1345)]
    await user.edit(user.last_sent_id, "Hello again")  # the conversation is closed
    await desk.edit(desk.last_sent_id, "/close now")
    assert [(m.plain_text, m.edit_count) for m in bot.standin.history(STAFF_CHAT)] == staff_before
    assert [(m.plain_text, m.edit_count) for m in bot.standin.history(1345)] == user_before


async def test_an_edit_elsewhere_gets_no_answer(bot: OfflineBot) -> None:
    user = bot.user(1346, language_code="en")
    await user.send("what programmes are there?")
    before = len(bot.standin.history(1346))
    assert await user.edit(user.last_sent_id, "what courses are there?") == []
    assert len(bot.standin.history(1346)) == before
    assert bot.standin.history(STAFF_CHAT) == []


async def test_an_edit_whose_copy_was_deleted_is_logged(
    bot: OfflineBot, caplog: pytest.LogCaptureFixture
) -> None:
    staff(bot)
    user = bot.user(1347, language_code="en")
    await talk_to_staff(user)
    await user.send("typo here")
    copy = bot.standin.history(STAFF_CHAT)[-1]
    await bot.application.bot.delete_message(STAFF_CHAT, copy.message_id)
    with caplog.at_level(logging.INFO, logger="handlers.handoff.edits"):
        await user.edit(user.last_sent_id, "no typo here")
    assert "message to edit not found" in caplog.text.lower()
    assert copy.plain_text == "typo here"
