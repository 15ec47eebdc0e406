"""A block by staff outlives the user's deletion of their data (kept as a keyed code, never the
plain id), and staff can lift it with /unblock, in the topic or by id; both are audited."""

import pytest
from sqlalchemy import select

from bot.offline.offline_bot import OfflineBot
from db.models import AuditEntry, HandoffBlock, User
from tests.handoff.test_handoff import STAFF_CHAT, staff, talk_to_staff

REFUSED = {
    "en": "Messages to staff through the bot are not possible for you. Please visit the centre.",
    "id": "Kamu tidak bisa lagi mengirim pesan ke petugas lewat bot. Silakan datang ke balai.",
}
BLOCK_KEPT = (
    "The centre has stopped you from writing to staff through the bot. That stop stays after "
    "deletion, kept only as an unreadable code made from your Telegram account, so it cannot "
    "be undone by deleting."
)


async def rows(bot: OfflineBot, model: type) -> list:  # type: ignore[type-arg]
    async with bot.application.bot_data["services"].session_factory() as session:
        return list((await session.scalars(select(model))).all())


def translated(bot: OfflineBot, locale: str, msgid: str) -> str:
    return bot.application.bot_data["services"].translators[locale].gettext(msgid)


async def delete_my_data(user) -> None:  # noqa: ANN001
    await user.send("/mydata")
    await user.tap(
        next(b for b in user.buttons if b in ("🗑 Delete everything", "🗑 Hapus semuanya"))
    )
    await user.tap(
        next(b for b in user.buttons if b in ("🗑 Yes, delete everything", "🗑 Ya, hapus semuanya"))
    )


@pytest.mark.parametrize("language", ["en", "id"])
async def test_a_blocked_user_who_deletes_their_data_is_still_refused(
    bot: OfflineBot, language: str
) -> None:
    desk = staff(bot)
    user_id = 1321 if language == "en" else 1322
    user = bot.user(user_id, language_code=language)
    await talk_to_staff(user)
    [topic] = bot.standin.forum_topics(STAFF_CHAT)
    await desk.say("/block", topic=topic.message_thread_id)

    await user.send("/mydata")
    assert translated(bot, language, BLOCK_KEPT) in user.last_reply.plain_text  # access: said
    await delete_my_data(user)
    assert translated(bot, language, BLOCK_KEPT) in user.last_reply.plain_text
    assert await rows(bot, User) == []  # the personal data is gone...

    await talk_to_staff(user)  # ...they come back and ask for a person
    assert user.last_reply.plain_text == REFUSED[language]
    assert len(bot.standin.forum_topics(STAFF_CHAT)) == 1
    [block] = await rows(bot, HandoffBlock)  # ...but the block stays, as a code only
    assert str(user_id) not in f"{block.user_hash} {block.blocked_by}"
    assert len(block.user_hash) == 64 and block.blocked_by == 555


async def test_a_block_from_before_the_codes_also_survives_deletion(bot: OfflineBot) -> None:
    user = bot.user(1323, language_code="en")
    await user.send("/start")
    async with bot.application.bot_data["services"].session_factory() as session:
        (await session.get(User, 1323)).handoff_blocked = True
        await session.commit()
    await user.send("/mydata")
    await user.tap("🗑 Delete everything")
    assert BLOCK_KEPT in user.last_reply.plain_text  # the confirmation says so before deleting
    await user.tap("🗑 Yes, delete everything")
    await talk_to_staff(user)
    assert user.last_reply.plain_text == REFUSED["en"]


async def test_deleting_without_a_block_keeps_no_code(bot: OfflineBot) -> None:
    user = bot.user(1324, language_code="en")
    await talk_to_staff(user)
    await delete_my_data(user)
    assert BLOCK_KEPT not in user.last_reply.plain_text
    assert await rows(bot, HandoffBlock) == []
    await talk_to_staff(user)
    assert user.last_reply.plain_text.startswith("💬 You are connected")


async def test_unblock_in_the_topic_lets_the_user_write_again(bot: OfflineBot) -> None:
    desk = staff(bot)
    user = bot.user(1325, language_code="en")
    await talk_to_staff(user)
    [topic] = bot.standin.forum_topics(STAFF_CHAT)
    await desk.say("/block", topic=topic.message_thread_id)
    await desk.say("/unblock", topic=topic.message_thread_id)
    assert user.last_reply.plain_text.startswith("You can write to the centre's staff")
    assert bot.standin.history(STAFF_CHAT)[-1].plain_text == translated(
        bot, "id", "Unblocked: the user can write to staff again."
    )
    assert await rows(bot, HandoffBlock) == []
    await talk_to_staff(user)
    assert user.last_reply.plain_text.startswith("💬 You are connected")
    actions = [(e.actor_id, e.action) for e in await rows(bot, AuditEntry)]
    assert actions == [(555, "handoff.block"), (555, "handoff.unblock")]
    assert all("1325" not in str(e.details) for e in await rows(bot, AuditEntry))


async def test_unblock_by_id_after_the_user_deleted_their_data(bot: OfflineBot) -> None:
    desk = staff(bot)
    user = bot.user(1326, language_code="en")
    await talk_to_staff(user)
    [topic] = bot.standin.forum_topics(STAFF_CHAT)
    await desk.say("/block", topic=topic.message_thread_id)
    await delete_my_data(user)
    await desk.say("/unblock", topic=topic.message_thread_id)  # the ticket went with the data
    usage = "Use /unblock inside the user's topic, or /unblock followed by their id."
    assert bot.standin.history(STAFF_CHAT)[-1].plain_text == translated(bot, "id", usage)
    await desk.say("/unblock 1326")
    assert await rows(bot, HandoffBlock) == []
    await desk.say("/unblock 1326")
    not_blocked = translated(bot, "id", "This user is not blocked.")
    assert bot.standin.history(STAFF_CHAT)[-1].plain_text == not_blocked
    await talk_to_staff(user)
    assert user.last_reply.plain_text.startswith("💬 You are connected")


async def test_unblock_outside_the_staff_group_changes_nothing(bot: OfflineBot) -> None:
    desk = staff(bot)
    user = bot.user(1327, language_code="en")
    await talk_to_staff(user)
    [topic] = bot.standin.forum_topics(STAFF_CHAT)
    await desk.say("/block", topic=topic.message_thread_id)
    outsider = bot.user(1328, language_code="en")
    await outsider.send("/unblock 1327")
    assert not outsider.last_reply.plain_text.startswith("Unblocked")
    assert len(await rows(bot, HandoffBlock)) == 1
    await talk_to_staff(user)
    assert user.last_reply.plain_text == REFUSED["en"]
