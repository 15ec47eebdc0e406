"""A person blocking and unblocking the bot: the next broadcast skips them without a failed
call, /stats counts them as blocked, and unblocking brings them back."""

from bot.offline.offline_bot import OfflineBot
from db.models import User
from tests.broadcast.test_broadcasts import (  # noqa: F401 (fixtures)
    STAFF,
    console,
    copies_delivered,
    send_to_everyone,
    session_factory,
    staff_settings,
)


async def blocked_bot(bot: OfflineBot, user_id: int) -> bool | None:
    async with session_factory(bot)() as session:
        user = await session.get(User, user_id)
        return None if user is None else user.blocked_bot


async def test_a_blocked_bot_is_skipped_by_the_next_broadcast_and_counted_in_stats(
    console: OfflineBot,  # noqa: F811
) -> None:
    rina = console.user(300, first_name="Rina")
    await rina.send("/start")
    assert await rina.block_bot() == []
    assert await blocked_bot(console, 300) is True

    staff = console.user(STAFF, language_code="en")
    await staff.send("/stats")
    assert "🚫 1 person has blocked the bot: broadcasts skip them." in staff.last_reply.plain_text

    await send_to_everyone(console, range(100, 103))
    assert 300 not in copies_delivered(console.standin)
    assert not [c for c in console.standin.calls_to("copyMessage") if c.params["chat_id"] == 300]
    assert set(copies_delivered(console.standin)) >= {100, 101, 102}

    await rina.unblock_bot()
    assert await blocked_bot(console, 300) is False
    await staff.send("/stats")
    assert "blocked the bot" not in staff.last_reply.plain_text


async def test_a_person_who_deleted_their_data_and_then_blocks_the_bot_stays_deleted(
    console: OfflineBot,  # noqa: F811
) -> None:
    lukas = console.user(301)
    await lukas.send("/start")
    assert await blocked_bot(console, 301) is False
    await lukas.send("/mydata")
    await lukas.tap_data("me:erase")
    assert await blocked_bot(console, 301) is None
    await lukas.block_bot()
    assert await blocked_bot(console, 301) is None
    await lukas.unblock_bot()
    assert await blocked_bot(console, 301) is None
