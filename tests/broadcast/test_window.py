"""The worker's window of copies in flight: with a network's round trip on every answer, copies
keep going out at the paced rate (a new one starts as soon as one is answered), never more than
`broadcast_in_flight` at once; a pause lets those in flight finish and starts no more."""

import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import select

from bot.config import Settings
from bot.offline.offline_bot import OfflineBot, offline_bot
from bot.offline.standin import TelegramStandIn
from db.models import Broadcast
from tests.broadcast import test_broadcasts
from tests.broadcast.test_broadcasts import (
    ADMIN,
    STAFF,
    add_users,
    compose_and_preview,
    copies_delivered,
    session_factory,
    the_broadcast,
    wait_for_status,
    worker_settled,
)

staff_settings = test_broadcasts.staff_settings
RECIPIENTS = range(10_000, 10_100)


@asynccontextmanager
async def staff_console(settings: Settings, standin: TelegramStandIn) -> AsyncIterator[OfflineBot]:
    async with offline_bot(settings, standin) as bot:
        await bot.user(ADMIN, language_code="en").send(f"/addstaff {STAFF}")
        await add_users(bot, RECIPIENTS, language="id")
        yield bot


async def test_copies_keep_flowing_while_each_answer_takes_a_round_trip(
    staff_settings: Settings,
) -> None:
    # 50 a second: a slot every 20 ms; each answer takes 180 ms, so 9 copies are always on
    # the way. Sent in batches of 10, each batch would take 9 slots + 180 ms = 360 ms, and
    # no more than 40 copies could be answered within 1.5 s of the first; kept in flight
    # one by one, about 67 are.
    settings = staff_settings.model_copy(update={"broadcast_rate": 50})
    in_flight = settings.broadcast_in_flight
    standin = TelegramStandIn()
    async with staff_console(settings, standin) as bot:
        staff = await compose_and_preview(bot, ["👥 Everyone"])
        standin.add_latency("copyMessage", 0.18)
        await staff.tap("📤 Send to 102 people")
        done = await wait_for_status(bot, "done")
    assert done.sent_count == 102
    copies = standin.calls_to("copyMessage")[1:]  # after the preview
    assert len(copies) == 102
    # Timed by the stand-in's clock, from the first copy received to each one answered.
    first = copies[0].received_at
    answered = [call.answered_at for call in copies]
    assert sum(1 for at in answered if at is not None and at - first <= 1.5) > 50
    # Never more in flight than a crash could repeat, and the window was kept full.
    assert standin.most_at_once["copymessage"] == in_flight


async def test_a_pause_lets_copies_in_flight_finish_and_starts_no_more(
    staff_settings: Settings,
) -> None:
    # 10 a second and 300 ms per answer: about 3 copies on the way, 7 waiting for their turn.
    settings = staff_settings.model_copy(update={"broadcast_rate": 10})
    standin = TelegramStandIn()
    async with staff_console(settings, standin) as bot:
        worker = bot.application.broadcast_worker
        staff = await compose_and_preview(bot, ["👥 Everyone"])
        standin.add_latency("copyMessage", 0.3)
        await staff.tap("📤 Send to 102 people")
        await wait_for_status(bot, "sending", sent_at_least=8)
        pausing = time.monotonic()
        await staff.tap("⏸ Pause")
        sent_before_pause = len(standin.calls_to("copyMessage"))
        await worker_settled(bot)
        paused = await the_broadcast(bot)
        copies = standin.calls_to("copyMessage")
        # Those on the way when staff paused were answered and recorded; at most the one
        # whose turn came while the worker was being told went out after.
        assert any(call.answered_at and call.answered_at > pausing for call in copies[1:])
        assert paused.status == "paused"
        assert paused.sent_count == len(copies) - 1
        assert len(copies) - sent_before_pause <= 1

        await staff.tap("▶️ Resume")
        worker.pacer._interval = 1 / 200  # the rest quickly
        done = await wait_for_status(bot, "done")
    assert done.sent_count == 102
    delivered = copies_delivered(standin)
    delivered[STAFF] -= 1  # the preview
    assert +delivered == Counter(dict.fromkeys([*RECIPIENTS, ADMIN, STAFF], 1))


async def test_two_broadcasts_at_once_share_the_pace_and_both_progress(
    staff_settings: Settings,
) -> None:
    settings = staff_settings.model_copy(update={"broadcast_rate": 50})
    standin = TelegramStandIn()
    async with staff_console(settings, standin) as bot:
        standin.add_latency("copyMessage", 0.1)
        first = await compose_and_preview(bot, ["👥 Everyone"])
        await first.tap("📤 Send to 102 people")
        await wait_for_status(bot, "sending", sent_at_least=5)
        second = await compose_and_preview(bot, ["👥 Everyone"])
        await second.tap("📤 Send to 102 people")
        await wait_for_status(bot, "done")
        await worker_settled(bot)
        async with session_factory(bot)() as session:
            statuses = list((await session.scalars(select(Broadcast.status))).all())
    assert statuses == ["done", "done"]
    to_recipients = [
        int(call.params["message_id"])
        for call in standin.calls_to("copyMessage")
        if int(call.params["chat_id"]) in RECIPIENTS
    ]
    earlier, later = to_recipients[0], to_recipients[-1]
    assert Counter(to_recipients) == {earlier: 100, later: 100}
    # Once the second started, the two took turns: the first did not wait for the second.
    started = to_recipients.index(later)
    turns = Counter(to_recipients[started : started + 20])
    assert turns[earlier] >= 5 and turns[later] >= 5, turns
    # Both windows together: never more in flight than the two could repeat after a crash.
    assert standin.most_at_once["copymessage"] <= 2 * settings.broadcast_in_flight
    delivered = copies_delivered(standin)
    assert all(delivered[user_id] == 2 for user_id in RECIPIENTS)
