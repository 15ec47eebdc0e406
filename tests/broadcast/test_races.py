"""Broadcasts when things happen at once: a cancel while the worker starts a scheduled
broadcast, two workers starting the same one, a scheduled start and a deletion while another
broadcast is sending, copies in flight when staff delete, and timeouts that hid a delivery."""

import asyncio
from collections import Counter

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

import bot.broadcast.deletion as deletion_module
import bot.broadcast.worker as worker_module
from bot.broadcast.copies import MAX_ATTEMPTS
from bot.offline.offline_bot import OfflineBot
from db.broadcasts import SCHEDULED, create_broadcast, get_broadcast, start_broadcast
from db.models import Broadcast, BroadcastRecipient, utc_now
from tests.broadcast import test_broadcasts
from tests.broadcast.test_broadcasts import (
    STAFF,
    add_users,
    compose_and_preview,
    copies_delivered,
    copies_left,
    move_schedule,
    send_to_everyone,
    session_factory,
    the_broadcast,
    wait_for_deletion,
    wait_for_message,
    wait_for_status,
    worker_settled,
)

# The staff console of the sending tests: an admin, a staff member, fast test pacing.
staff_settings = test_broadcasts.staff_settings
console = test_broadcasts.console


async def schedule_in_an_hour(bot: OfflineBot) -> Broadcast:
    staff = await compose_and_preview(bot, ["👥 Everyone"])
    [when] = await staff.tap("🕒 Schedule")
    await staff.tap(next(label for label in when.buttons if label.startswith("⏰ In 1 hour")))
    return await the_broadcast(bot)


def wake(bot: OfflineBot) -> None:
    bot.application.bot_data["services"].broadcast_wakeup.set()


async def status_of(bot: OfflineBot, broadcast_id: int) -> Broadcast:
    async with session_factory(bot)() as session:
        broadcast = await get_broadcast(session, broadcast_id)
        assert broadcast is not None
        return broadcast


async def test_a_cancel_while_the_worker_starts_the_broadcast_wins(
    console: OfflineBot, monkeypatch
) -> None:
    await add_users(console, range(100, 103), language="id")
    scheduled = await schedule_in_an_hour(console)
    staff = console.user(STAFF, language_code="en")
    # The worker has read the broadcast as scheduled and is about to start it (counting
    # 100,000 users takes a while) when the staff member cancels it.
    read, go_on = asyncio.Event(), asyncio.Event()
    real_get = worker_module.get_broadcast

    async def slow_get(session, broadcast_id):  # noqa: ANN001, ANN202
        found = await real_get(session, broadcast_id)
        if found is not None and found.status == SCHEDULED and not read.is_set():
            read.set()
            await go_on.wait()
        return found

    monkeypatch.setattr(worker_module, "get_broadcast", slow_get)
    await move_schedule(console, -1)
    wake(console)
    await read.wait()
    [cancelled] = await staff.tap("✖️ Cancel the scheduled broadcast")
    go_on.set()
    await worker_settled(console)
    assert cancelled.plain_text.endswith("is cancelled. Nothing was sent.")
    assert (await status_of(console, scheduled.id)).status == "cancelled"
    assert copies_delivered(console.standin) == Counter({STAFF: 1}), "only the preview"


async def test_two_workers_never_both_fill_the_outbox(console: OfflineBot) -> None:
    await add_users(console, range(100, 110), language="id")
    user_ids = list(range(100, 110))
    async with session_factory(console)() as session, session.begin():
        broadcast = await create_broadcast(
            session, created_by=STAFF, source_chat_id=STAFF, source_message_id=1
        )
        broadcast.status, broadcast.scheduled_for = SCHEDULED, utc_now()
    # Both read it as scheduled; each then starts it.
    first, second = session_factory(console)(), session_factory(console)()
    async with first, second:
        one = await get_broadcast(first, broadcast.id)
        other = await get_broadcast(second, broadcast.id)
        assert one is not None and other is not None and one.status == other.status
        assert await start_broadcast(first, one, user_ids) is True
        await first.commit()
        assert await start_broadcast(second, other, user_ids) is False
        await second.commit()
    async with session_factory(console)() as session:
        rows = await session.scalar(select(func.count()).select_from(BroadcastRecipient))
    assert rows == len(user_ids)


async def test_a_scheduled_start_and_a_deletion_go_ahead_while_another_broadcast_sends(
    console: OfflineBot,
) -> None:
    earlier = await send_to_everyone(console, range(100, 110))
    scheduled = await schedule_in_an_hour(console)
    await add_users(console, range(10_000, 10_400), language="id")
    worker = console.application.broadcast_worker
    worker.pacer._interval = 1 / 150  # the long one takes about 3 s on its own
    staff = await compose_and_preview(console, ["👥 Everyone"])
    await staff.tap("📤 Send to 412 people")
    long_one = await wait_for_status(console, "sending", sent_at_least=20)
    # 08:00 comes, and the earlier broadcast is taken back, while the long one sends.
    await staff.tap_data(f"bc:delgo:{earlier.id}")
    await move_schedule(console, -1)
    wake(console)
    started = deleted = long_one

    async def both_went_ahead() -> bool:
        nonlocal started, deleted
        started = await status_of(console, scheduled.id)
        deleted = await status_of(console, earlier.id)
        return started.status != "scheduled" and deleted.deletion == "deleted"

    await console.standin.wait_until_checked(both_went_ahead)
    still = await status_of(console, long_one.id)
    assert started.status in ("sending", "done") and deleted.deletion == "deleted"
    assert still.status == "sending", "both went ahead before the long broadcast finished"
    assert any("is taken back" in m.plain_text for m in console.standin.history(STAFF))
    await wait_for_status(console, "done")


async def test_copies_in_flight_when_deleting_are_deleted_too(console: OfflineBot) -> None:
    await add_users(console, range(10_000, 10_100), language="id")
    worker = console.application.broadcast_worker
    worker.pacer._interval = 1 / 25
    staff = await compose_and_preview(console, ["👥 Everyone"])
    # Each answer takes a second: when staff cancel and delete, copies are on the way.
    console.standin.add_latency("copyMessage", 1.0)
    await staff.tap("📤 Send to 102 people")
    sending = await wait_for_status(console, "sending", sent_at_least=3)
    await staff.tap_data(f"bc:cancel:{sending.id}", message_id=sending.progress_message_id)
    # The worker may report the cancel to the same chat meanwhile.
    replies = await staff.tap_data(f"bc:delgo:{sending.id}")
    [deleting] = [reply for reply in replies if "Deleting " in reply.plain_text]
    asked_for = int(deleting.plain_text.split("Deleting ")[1].split(" ")[0])
    await wait_for_deletion(console)
    finished = await the_broadcast(console)
    assert finished.sent_count > asked_for, "some copies were still in flight"
    assert copies_left(console, range(10_000, 10_100)) == []
    await wait_for_message(
        console.standin, STAFF, f"Deleted: {finished.sent_count} · Could not be deleted: 0"
    )


async def test_a_copy_recorded_while_the_deletion_reads_is_deleted_too(
    console: OfflineBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The deletion reads the copies left to delete and finds none, while the last copies in
    flight are being recorded (marked for deletion): it must not take that for "all done"."""
    await add_users(console, range(10_000, 10_030), language="id")
    worker = console.application.broadcast_worker
    worker.pacer._interval = 1 / 25
    real_list = deletion_module.list_pending_deletions
    stale_reads = 0

    async def read_as_the_last_copies_land(session: AsyncSession, broadcast_id: int, **kw: int):  # noqa: ANN202
        nonlocal stale_reads
        rows = await real_list(session, broadcast_id, **kw)
        if not rows and worker.in_flight[broadcast_id] and not stale_reads:
            stale_reads += 1
            # The copies on their way are recorded meanwhile, after the read.
            await asyncio.gather(*worker._windows[broadcast_id].tasks, return_exceptions=True)
        return rows

    monkeypatch.setattr(deletion_module, "list_pending_deletions", read_as_the_last_copies_land)
    staff = await compose_and_preview(console, ["👥 Everyone"])
    console.standin.add_latency("copyMessage", 1.0)
    await staff.tap("📤 Send to 32 people")
    sending = await wait_for_status(console, "sending", sent_at_least=3)
    await staff.tap_data(f"bc:cancel:{sending.id}", message_id=sending.progress_message_id)
    await staff.tap_data(f"bc:delgo:{sending.id}")
    await wait_for_deletion(console)
    assert stale_reads == 1, "the deletion never read while copies were in flight"
    assert copies_left(console, range(10_000, 10_030)) == []


async def test_timeouts_after_delivery_repeat_a_copy_at_most_max_attempts_times(
    console: OfflineBot,
) -> None:
    await add_users(console, range(100, 120), language="id")
    standin = console.standin
    for chat_id in range(100, 105):  # every try is delivered, and every answer is lost
        standin.inject("copyMessage", chat_id=chat_id, error="delivered_timeout", times=9)
    for chat_id in range(105, 110):  # the first answer is lost
        standin.inject("copyMessage", chat_id=chat_id, error="delivered_timeout")
    staff = await compose_and_preview(console, ["👥 Everyone"])
    await staff.tap("📤 Send to 22 people")
    done = await wait_for_status(console, "done")
    in_chat = {chat_id: len(standin.history(chat_id)) for chat_id in range(100, 120)}
    assert all(in_chat[chat_id] == MAX_ATTEMPTS for chat_id in range(100, 105))
    assert all(in_chat[chat_id] == 2 for chat_id in range(105, 110))
    assert all(in_chat[chat_id] == 1 for chat_id in range(110, 120))
    # The documented bound: extra copies <= in flight at a crash (none here) +
    # (MAX_ATTEMPTS - 1) x recipients whose answer timed out.
    extra = sum(count - 1 for count in in_chat.values())
    assert extra <= (MAX_ATTEMPTS - 1) * 10
    # Five were delivered but look failed to staff: the cost of not retrying forever.
    assert (done.sent_count, done.failed_count) == (17, 5)


async def test_a_second_tap_on_send_leaves_the_progress_message_alone(
    console: OfflineBot,
) -> None:
    """Two quick taps on the same Send, handed over as polling does: the first tap's progress
    screen wins and the second only gets a short answer (issue 16)."""
    await add_users(console, range(400, 430), language="id")
    staff = await compose_and_preview(console, ["👥 Everyone"])
    preview = staff.last_reply
    send = next(label for label in preview.buttons if label.startswith("📤 Send to"))
    await staff.tap_through_queue(send, preview.message_id)
    await staff.tap_through_queue(send, preview.message_id)
    await console.standin.wait_until(lambda: ALREADY_STARTED in staff.answered_callbacks)
    done = await wait_for_status(console, "done")
    await wait_for_message(console.standin, STAFF, f"Broadcast #{done.id} finished:")
    assert_progress_never_replaced(console, preview.message_id)
    assert done.sent_count == 30 + 2  # everyone once, not twice
    copies = copies_delivered(console.standin)
    assert {copies[user] for user in range(400, 430)} == {1}


async def test_a_second_tap_running_alongside_the_first_leaves_it_alone(
    console: OfflineBot,
) -> None:
    """The same two taps with no ordering between them (both read the draft): the one that
    loses the start only gets a short answer."""
    await add_users(console, range(400, 430), language="id")
    staff = await compose_and_preview(console, ["👥 Everyone"])
    preview = staff.last_reply
    send = next(label for label in preview.buttons if label.startswith("📤 Send to"))
    data = str(preview.button(send)["callback_data"])
    await asyncio.gather(staff.tap(send), staff.tap_data(data, message_id=preview.message_id))
    assert ALREADY_STARTED in staff.answered_callbacks
    done = await wait_for_status(console, "done")
    await wait_for_message(console.standin, STAFF, f"Broadcast #{done.id} finished:")
    assert_progress_never_replaced(console, preview.message_id)
    assert done.sent_count == 30 + 2


ALREADY_STARTED = "This broadcast was already started (or cancelled): see its progress message."


def assert_progress_never_replaced(bot: OfflineBot, message_id: int) -> None:
    """Every edit of the confirmation message after the start is the progress message."""
    edits = [
        str(call.params.get("text", ""))
        for call in bot.standin.calls_to("editMessageText")
        if int(call.params.get("message_id", 0)) == message_id
    ]
    assert edits, "the confirmation never became the progress message"
    assert [text for text in edits if "Broadcast #" not in text] == []


async def idle_loops(worker: worker_module.BroadcastWorker) -> None:
    """Until every loop of the worker waits to be woken (its work is done for now)."""
    async with asyncio.timeout(60):  # a fail-safe only: nothing waits for it
        while not all(kick._waiters for kick in worker._kicks.values()):
            await asyncio.sleep(0.01)


async def test_the_worker_stops_when_woken_as_it_is_stopped(console: OfflineBot) -> None:
    """A wake-up (staff tapping Send) arriving as the bot shuts down: the shutdown still
    finishes, whichever comes first by a few steps of the event loop."""
    worker = console.application.broadcast_worker
    for steps_between in range(8):
        await idle_loops(worker)
        loops = list(worker._tasks)
        wake(console)
        for _ in range(steps_between):
            await asyncio.sleep(0)
        # Only a fail-safe, so that a stop that hangs fails instead: nothing waits for it.
        async with asyncio.timeout(60):
            await worker.stop()
        assert all(task.done() for task in loops)
        worker.start()
