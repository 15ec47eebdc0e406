"""Taking a broadcast back from every chat within Telegram's 48 hours: paced through 429s,
refused after 48 hours or while still sending, resumed after a restart."""

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from telegram.error import BadRequest, RetryAfter

from bot.config import Settings
from bot.offline.offline_bot import OfflineBot, offline_bot
from bot.offline.standin import TelegramStandIn
from db.models import (
    BroadcastRecipient,
    utc_now,
)
from tests.broadcast import test_broadcasts
from tests.broadcast.test_broadcasts import (
    ADMIN,
    STAFF,
    add_users,
    audit_actions,
    compose_and_preview,
    copies_left,
    send_to_everyone,
    session_factory,
    the_broadcast,
    wait_for_deletion,
    wait_for_message,
    wait_for_status,
)

# The staff console of the sending tests: an admin, a staff member, fast test pacing.
staff_settings = test_broadcasts.staff_settings
console = test_broadcasts.console


# --- deleting -------------------------------------------------------------------------------


async def test_delete_from_every_chat_through_a_429(console: OfflineBot) -> None:
    done = await send_to_everyone(console, range(100, 110))
    staff = console.user(STAFF, language_code="en")
    assert "🗑 Delete from every chat" in staff.buttons
    copies = {
        user_id: console.standin.history(user_id)[-1] for user_id in (*range(100, 110), ADMIN)
    }
    console.standin.inject("deleteMessage", chat_id=104, error="retry_after", retry_after=1)
    # One recipient's copy is older than Telegram allows, whatever our records say.
    console.standin.age_messages(49 * 3600, chat_id=109)
    [confirm] = await staff.tap("🗑 Delete from every chat")
    assert "12 copies will disappear from recipients' chats" in confirm.plain_text
    await staff.tap("🗑 Yes, delete 12 copies")
    deleted = await wait_for_deletion(console)
    assert deleted.id == done.id
    assert all(copy.deleted for user_id, copy in copies.items() if user_id != 109)
    assert not copies[109].deleted
    to_104 = [c for c in console.standin.calls_to("deleteMessage") if c.params["chat_id"] == 104]
    assert [call.error is not None for call in to_104] == [True, False], "429, then again"
    await wait_for_message(console.standin, STAFF, "Deleted: 11")
    report = staff.last_reply.plain_text
    assert "Deleted: 11 · Could not be deleted: 1" in report
    async with session_factory(console)() as session:
        outcomes = Counter((await session.scalars(select(BroadcastRecipient.deletion))).all())
    assert outcomes == Counter({"deleted": 11, "failed": 1})
    assert await audit_actions(console) == ["broadcast.send", "broadcast.delete"]
    # Asking again is refused, with the reason.
    [again] = await staff.tap_data(f"bc:del:{done.id}")
    assert "already deleted from every chat" in again.plain_text


async def test_deleting_is_refused_after_48_hours(console: OfflineBot) -> None:
    done = await send_to_everyone(console, range(100, 103))
    async with session_factory(console)() as session, session.begin():
        await session.execute(
            update(BroadcastRecipient).values(sent_at=utc_now() - timedelta(hours=49))
        )
    staff = console.user(STAFF, language_code="en")
    [refused] = await staff.tap_data(f"bc:del:{done.id}")
    assert (
        "can no longer be deleted: Telegram lets a bot delete a message only within 48 hours"
        in (refused.plain_text)
    )
    [forced] = await staff.tap_data(f"bc:delgo:{done.id}")
    assert "can no longer be deleted" in forced.plain_text
    assert console.standin.calls_to("deleteMessage") == []
    # /broadcasts no longer offers it either.
    await staff.send("/broadcasts")
    [report] = await staff.tap(f"#{done.id}")
    assert "🗑 Delete from every chat" not in report.buttons


async def test_a_broadcast_still_sending_must_be_cancelled_before_deleting(
    console: OfflineBot,
) -> None:
    await add_users(console, range(10_000, 10_200), language="id")
    console.application.broadcast_worker.pacer._interval = 1 / 300
    staff = await compose_and_preview(console, ["👥 Everyone"])
    await staff.tap("📤 Send to 202 people")
    sending = await wait_for_status(console, "sending", sent_at_least=10)
    # From /broadcasts, as the progress message keeps changing while it sends.
    replies = await staff.send("/broadcasts")
    listing = next(reply for reply in replies if "Recent broadcasts" in reply.plain_text)
    await staff.tap_data(f"bc:delgo:{sending.id}", message_id=listing.message_id)
    refused = console.standin.message(STAFF, listing.message_id)
    assert "is still being sent. Cancel it first, then delete it." in refused.plain_text
    await staff.tap_data(f"bc:cancel:{sending.id}", message_id=sending.progress_message_id)
    await wait_for_status(console, "cancelled")
    # Reported once the copies in flight are recorded: the counts are final then.
    await wait_for_message(console.standin, STAFF, "cancelled: ")
    cancelled = await the_broadcast(console)
    assert "cancelled: " in staff.last_reply.plain_text
    reports = [m for m in console.standin.history(STAFF) if "cancelled: " in m.plain_text]
    assert len(reports) == 1, "reported once, with the final counts"
    assert f"cancelled: {cancelled.sent_count} sent" in reports[0].plain_text
    await staff.tap("🗑 Delete from every chat")
    await staff.tap(f"🗑 Yes, delete {cancelled.sent_count} copies")
    await wait_for_deletion(console)
    assert copies_left(console, range(10_000, 10_200)) == []


async def test_deleting_carries_on_after_a_restart(staff_settings: Settings) -> None:
    standin = TelegramStandIn()
    async with offline_bot(staff_settings, standin) as first:
        await first.user(ADMIN, language_code="en").send(f"/addstaff {STAFF}")
        done = await send_to_everyone(first, range(100, 120))
        # The worker is down (a crash) when staff confirm: the copies stay pending.
        await first.application.broadcast_worker.stop()
        staff = first.user(STAFF, language_code="en")
        await staff.tap("🗑 Delete from every chat")
        [deleting] = await staff.tap("🗑 Yes, delete 22 copies")
        assert "Deleting 22 copies of broadcast" in deleting.plain_text
        assert standin.calls_to("deleteMessage") == []
    async with offline_bot(staff_settings, standin) as second:
        deleted = await wait_for_deletion(second)
        assert deleted.id == done.id
        assert all(
            sent.deleted for user_id in range(100, 120) for sent in standin.history(user_id)
        )
        await wait_for_message(standin, STAFF, "Deleted: 22")
        report = standin.history(STAFF)[-1].plain_text
        assert "Deleted: 22 · Could not be deleted: 0" in report


async def test_the_standin_deletes_like_telegram(console: OfflineBot) -> None:
    """deleteMessage: gone from the chat; after 48 hours or when gone, Telegram's errors."""
    bot = console.application.bot
    user = console.user(4242, language_code="en")
    await user.send("/start")
    first, old = (await bot.send_message(4242, "first"), await bot.send_message(4242, "old"))
    console.standin.age_messages(48 * 3600, chat_id=4242)
    newest = await bot.send_message(4242, "newest")
    assert await bot.delete_message(4242, newest.message_id) is True
    assert console.standin.message(4242, newest.message_id).deleted
    with pytest.raises(BadRequest, match="Message can't be deleted for everyone"):
        await bot.delete_message(4242, old.message_id)
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(4242, newest.message_id)
    # deleteMessages skips what it cannot delete.
    assert await bot.delete_messages(4242, [first.message_id, 999_999]) is True
    assert not console.standin.message(4242, first.message_id).deleted
    # Faults can be injected, as for every method.
    console.standin.inject("deleteMessage", chat_id=4242, error="retry_after", retry_after=2)
    again = await bot.send_message(4242, "again")
    with pytest.raises(RetryAfter):
        await bot.delete_message(4242, again.message_id)
    assert await bot.delete_message(4242, again.message_id) is True
