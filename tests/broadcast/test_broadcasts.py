"""Broadcasts: staff compose, choose an audience, preview and confirm; the outbox is drained at
a paced rate through 429s, 403s, timeouts and a crash, and can be paused and cancelled."""

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from bot.broadcast.schedule import centre_time
from bot.config import Settings
from bot.offline.offline_bot import OfflineBot, offline_bot
from bot.offline.standin import SentMessage, TelegramStandIn
from db.broadcasts import refresh_counts
from db.models import AuditEntry, Broadcast, BroadcastRecipient, User, utc_now

ADMIN, STAFF, OUTSIDER = 9001, 9002, 9003
REFUSAL = "This is for the centre's staff."
FORGED_BUTTONS = [
    "bc:back:1",
    "bc:seg:1:lang",
    "bc:aud:1:all:-",
    "bc:aud:1:lang:en",
    "bc:go:1:1:5",
    "bc:when:1:1",
    "bc:at:1:1:1999999999",
    "bc:type:1:1",
    "bc:unsch:1",
    "bc:del:1",
    "bc:delgo:1",
    "bc:drop:1",
    "bc:pause:1",
    "bc:resume:1",
    "bc:cancel:1",
]
SCHEDULED_NOTE = "Who gets it is worked out when it starts, so the count may change."
PROMPT = (
    "📣 Send me the message to broadcast: text, a photo, a document or a video, "
    "formatted as you like. Everyone will get an exact copy. /cancel to stop."
)


@pytest.fixture
def staff_settings(settings: Settings) -> Settings:
    # Fast in tests: a high rate, near-zero waits; the code paths are the production ones.
    return settings.model_copy(
        update={
            "admin_ids": (ADMIN,),
            "broadcast_rate": 100_000,
            "broadcast_wait_scale": 0.001,
            "broadcast_progress_seconds": 0.05,
        }
    )


@pytest.fixture
async def console(staff_settings: Settings) -> AsyncIterator[OfflineBot]:
    async with offline_bot(staff_settings) as running:
        await running.user(ADMIN, language_code="en").send(f"/addstaff {STAFF}")
        yield running


def session_factory(bot: OfflineBot):  # noqa: ANN201
    return bot.application.bot_data["services"].session_factory


async def add_users(bot: OfflineBot, ids: range, **fields: object) -> None:
    async with session_factory(bot)() as session, session.begin():
        session.add_all(
            User(id=user_id, first_name=f"User {user_id}", **fields) for user_id in ids
        )


async def reachable_user_ids(bot: OfflineBot) -> set[int]:
    async with session_factory(bot)() as session:
        query = select(User.id).where(User.blocked_bot.is_(False))
        return set((await session.scalars(query)).all())


async def the_broadcast(bot: OfflineBot) -> Broadcast:
    async with session_factory(bot)() as session:
        latest = (await session.scalars(select(Broadcast).order_by(Broadcast.id.desc()))).first()
        return await refresh_counts(session, latest)


async def wait_for_status(bot: OfflineBot, *statuses: str, sent_at_least: int = 0) -> Broadcast:
    """Until the latest broadcast reaches a status: read again after each Bot API call (each
    status change is followed by one: a copy, a progress edit, a report), with no clock
    involved; pytest-timeout fails a broadcast that never gets there."""
    latest: Broadcast | None = None

    async def reached() -> bool:
        nonlocal latest
        latest = await the_broadcast(bot)
        if latest.status in statuses and latest.sent_count >= sent_at_least:
            return True
        finished = latest.status in ("done", "cancelled") and latest.status not in statuses
        assert not finished, f"the broadcast ended {latest.status}, {latest.sent_count} sent"
        return False

    await bot.standin.wait_until_checked(reached)
    assert latest is not None
    return latest


async def worker_settled(bot: OfflineBot) -> None:
    """Until the broadcast worker has nothing to do for now: nobody has woken it, each of its
    loops waits to be woken, and no copy is on its way. What it has not sent by then, it sends
    only for a new reason (staff, a schedule coming due). A state, not a time: pytest-timeout
    fails a worker that never settles."""
    worker = bot.application.broadcast_worker
    wakeup = bot.application.bot_data["services"].broadcast_wakeup

    assert worker._kicks, "the worker is not running"

    def settled() -> bool:
        kicks = worker._kicks.values()
        windows = worker._windows.values()
        return (
            not wakeup.is_set()
            and all(kick._waiters and not kick.is_set() for kick in kicks)
            and not any(window.tasks for window in windows)
            and not any(window.held_until > time.monotonic() for window in windows)
        )

    while not settled():
        await asyncio.sleep(0.01)


async def wait_for_message(standin: TelegramStandIn, chat_id: int, fragment: str) -> None:
    """The worker posts its report just after it commits the final status: wait for it (woken
    by the stand-in's calls, not by a clock; pytest-timeout fails a report that never comes)."""
    await standin.wait_until(
        lambda: any(fragment in sent.plain_text for sent in standin.history(chat_id))
    )


def copies_left(bot: OfflineBot, user_ids: range) -> list[SentMessage]:
    """Messages still in these people's chats (a deletion should leave none)."""
    return [
        sent for user_id in user_ids for sent in bot.standin.history(user_id) if not sent.deleted
    ]


def copies_delivered(standin: TelegramStandIn) -> Counter[int]:
    """Successful copyMessage calls per chat (refused and timed-out ones excluded)."""
    return Counter(
        int(call.params["chat_id"])
        for call in standin.calls_to("copyMessage")
        if call.error is None
    )


async def compose_and_preview(bot: OfflineBot, audience_taps: list[str], user_id: int = STAFF):
    staff = bot.user(user_id, language_code="en")
    # A broadcast already sending may edit its progress in this chat meanwhile.
    assert PROMPT in [reply.plain_text for reply in await staff.send("/broadcast")]
    await staff.send_photo(caption="Welding course opens Monday")
    for label in audience_taps:
        await staff.tap(label)
    return staff


async def test_outsiders_are_refused_broadcast_and_every_button(console: OfflineBot) -> None:
    outsider = console.user(OUTSIDER, language_code="en")
    assert [r.plain_text for r in await outsider.send("/broadcast")] == [REFUSAL]
    await outsider.send("please send this to everyone")
    for data in FORGED_BUTTONS:
        assert await outsider.tap_data(data) == [], data
        assert outsider.answered_callbacks[-1] == REFUSAL, data
    async with session_factory(console)() as session:
        assert (await session.scalar(select(func.count()).select_from(Broadcast))) == 0
    assert console.standin.calls_to("copyMessage") == []


async def test_compose_preview_confirm_and_everyone_gets_one_copy(console: OfflineBot) -> None:
    await add_users(console, range(100, 130), language="id")
    await add_users(console, range(200, 210), language="en")
    await add_users(console, range(300, 305), blocked_bot=True)
    staff = await compose_and_preview(console, ["👥 Everyone"])
    expected = await reachable_user_ids(console)
    # The preview is a copy of the staff member's own message, then the count to confirm.
    [preview] = console.standin.calls_to("copyMessage")
    assert int(preview.params["chat_id"]) == STAFF
    confirm = staff.last_reply.plain_text
    assert f"It will go to {len(expected)} people (everyone)" in confirm
    assert copies_delivered(console.standin) == Counter({STAFF: 1}), "nothing sent yet"

    await staff.tap(f"📤 Send to {len(expected)} people")
    done = await wait_for_status(console, "done")
    assert (done.sent_count, done.failed_count, done.blocked_count) == (len(expected), 0, 0)
    delivered = copies_delivered(console.standin)
    delivered[STAFF] -= 1  # the preview
    assert +delivered == Counter(dict.fromkeys(expected, 1))
    copy = console.standin.history(205)[-1]
    assert copy.raw.get("photo") and copy.plain_text == "Welding course opens Monday"
    report = f"finished: {len(expected)} sent, 0 failed, 0 had blocked the bot"
    await wait_for_message(console.standin, STAFF, report)
    assert report in staff.last_reply.plain_text
    progress = console.standin.message(STAFF, done.progress_message_id)
    assert "finished" in progress.plain_text and not progress.has_inline_keyboard
    async with session_factory(console)() as session:
        [entry] = (
            await session.scalars(select(AuditEntry).where(AuditEntry.action == "broadcast.send"))
        ).all()
    assert (entry.actor_id, entry.details["recipients"]) == (STAFF, len(expected))


async def test_segments_count_only_their_people(console: OfflineBot) -> None:
    now = utc_now()
    await add_users(console, range(100, 110), language="id", last_seen_at=now - timedelta(days=20))
    await add_users(console, range(200, 204), language="en", campaign_source="smk-serang-2026")
    await add_users(console, range(300, 302), telegram_language="en")
    # Four chose English, two follow an English Telegram, and so do the admin and staff.
    staff = await compose_and_preview(console, ["🗣 By language", "🇬🇧 English"])
    assert "It will go to 8 people (people reading 🇬🇧 English)" in staff.last_reply.plain_text
    await staff.tap("◀️ Change audience")
    await staff.tap("📣 By campaign")
    await staff.tap("smk-serang-2026")
    assert "It will go to 4 people" in staff.last_reply.plain_text
    await staff.tap("◀️ Change audience")
    await staff.tap("🕒 Active in 7 days")
    # The 10 users seen 20 days ago are left out; the admin, staff and the rest are recent.
    assert "It will go to 8 people" in staff.last_reply.plain_text
    await staff.tap("✖️ Cancel")
    assert staff.last_reply.plain_text == "Okay, the broadcast is cancelled. Nothing was sent."
    assert [int(c.params["chat_id"]) for c in console.standin.calls_to("copyMessage")] == [
        STAFF
    ] * 3


async def test_staff_texts_follow_the_staff_members_language(console: OfflineBot) -> None:
    translators = console.application.bot_data["services"].translators
    staff = console.user(STAFF, language_code="id")
    [prompt] = await staff.send("/broadcast")
    assert prompt.plain_text == translators["id"].gettext(PROMPT)
    await staff.send("Halo semua")
    assert staff.last_reply.plain_text == translators["id"].gettext(
        "Who should get it? People who blocked the bot are always left out."
    )
    assert translators["en"].gettext(PROMPT) == PROMPT


async def test_two_thousand_recipients_through_429s_403s_timeouts_and_a_crash(
    staff_settings: Settings,
) -> None:
    settings = staff_settings.model_copy(update={"broadcast_rate": 2000})
    standin = TelegramStandIn()
    recipients = range(10_000, 12_000)
    blocked = set(range(10_000, 12_000, 100))
    async with offline_bot(settings, standin) as first:
        await first.user(ADMIN, language_code="en").send(f"/addstaff {STAFF}")
        await add_users(first, recipients, language="id")
        for chat_id in blocked:
            standin.inject("copyMessage", chat_id=chat_id, error="blocked")
        for chat_id in range(10_001, 12_000, 250):
            standin.inject("copyMessage", chat_id=chat_id, error="retry_after", retry_after=1)
        for chat_id in range(10_002, 12_000, 400):
            standin.inject("copyMessage", chat_id=chat_id, error="timeout", times=2)
        standin.inject("copyMessage", chat_id=11_999, error="bad_request")
        staff = await compose_and_preview(first, ["👥 Everyone"])
        await staff.tap("📤 Send to 2002 people")  # 2,000 users, the admin and the staff member
        await wait_for_status(first, "sending", sent_at_least=600)
        # The crash: the worker dies with copies in flight.
        await first.application.broadcast_worker.stop()
        interrupted = await the_broadcast(first)
        assert interrupted.status == "sending" and interrupted.sent_count < 1900
    async with offline_bot(settings, standin) as second:
        done = await wait_for_status(second, "done")
        async with session_factory(second)() as session:
            outcomes = Counter((await session.scalars(select(BroadcastRecipient.status))).all())
            marked = set(
                (await session.scalars(select(User.id).where(User.blocked_bot.is_(True)))).all()
            )
    assert outcomes == Counter({"sent": 2002 - len(blocked) - 1, "blocked": 20, "failed": 1})
    assert (done.sent_count, done.blocked_count, done.failed_count) == (1981, 20, 1)
    assert marked == blocked
    delivered = copies_delivered(standin)
    delivered[STAFF] -= 1  # the preview
    served = set(recipients) - blocked - {11_999} | {ADMIN, STAFF}
    assert set(+delivered) == served, "nobody skipped, nobody blocked served"
    duplicates = sum(count - 1 for count in delivered.values() if count > 1)
    assert duplicates <= settings.broadcast_in_flight

    # Those who blocked the bot are left out of the next broadcast.
    async with offline_bot(settings, standin) as third:
        again = await compose_and_preview(third, ["👥 Everyone"])
        assert "It will go to 1982 people" in again.last_reply.plain_text


async def progress_message(bot: OfflineBot) -> SentMessage:
    return bot.standin.message(STAFF, (await the_broadcast(bot)).progress_message_id)


async def test_the_report_comes_even_after_the_progress_message_was_deleted(
    console: OfflineBot,
) -> None:
    await add_users(console, range(10_000, 10_300), language="en")
    console.application.broadcast_worker.pacer._interval = 1 / 300  # still sending meanwhile
    staff = await compose_and_preview(console, ["👥 Everyone"])
    await staff.tap("📤 Send to 302 people")
    await wait_for_status(console, "sending", sent_at_least=20)
    (await progress_message(console)).deleted = True  # the staff member tidies the chat
    done = await wait_for_status(console, "done")
    await wait_for_message(
        console.standin, STAFF, f"Broadcast #{done.id} finished: 302 sent, 0 failed"
    )


async def test_pause_resume_and_cancel(console: OfflineBot, staff_settings: Settings) -> None:
    await add_users(console, range(10_000, 10_300), language="en")
    worker = console.application.broadcast_worker
    worker.pacer._interval = 1 / 300  # slow enough to tap while it runs
    staff = await compose_and_preview(console, ["👥 Everyone"])
    await staff.tap("📤 Send to 302 people")
    await wait_for_status(console, "sending", sent_at_least=20)
    await staff.tap("⏸ Pause")
    assert "paused" in (await progress_message(console)).plain_text
    await wait_for_status(console, "paused")
    # Settled while paused: every copy that went out is counted (the +1 is the preview).
    await worker_settled(console)
    paused = await the_broadcast(console)
    assert len(console.standin.calls_to("copyMessage")) == paused.sent_count + 1
    assert paused.sent_count < 302
    assert "▶️ Resume" in (await progress_message(console)).buttons
    await staff.tap("▶️ Resume")
    await wait_for_status(console, "sending", sent_at_least=paused.sent_count + 10)
    await staff.tap("✖️ Cancel")
    await wait_for_status(console, "cancelled")
    await worker_settled(console)
    cancelled = await the_broadcast(console)
    assert cancelled.sent_count < 302
    assert sum(copies_delivered(console.standin).values()) == cancelled.sent_count + 1
    progress = await progress_message(console)
    assert "cancelled" in progress.plain_text and not progress.has_inline_keyboard
    async with session_factory(console)() as session:
        actions = (await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id))).all()
    assert [a for a in actions if a.startswith("broadcast.")] == [
        "broadcast.send",
        "broadcast.pause",
        "broadcast.resume",
        "broadcast.cancel",
    ]


# --- shared by the tests of scheduling, deleting and /broadcasts ---------------------------


async def audit_actions(bot: OfflineBot) -> list[str]:
    async with session_factory(bot)() as session:
        actions = (await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id))).all()
    return [action for action in actions if action.startswith("broadcast.")]


async def move_schedule(bot: OfflineBot, seconds_from_now: float) -> None:
    """Time passes: the scheduled broadcast is due this many seconds from now."""
    async with session_factory(bot)() as session, session.begin():
        await session.execute(
            update(Broadcast)
            .where(Broadcast.status == "scheduled")
            .values(scheduled_for=utc_now() + timedelta(seconds=seconds_from_now))
        )


async def wait_for_deletion(bot: OfflineBot) -> Broadcast:
    """Until the latest broadcast is marked deleted (its report to staff follows)."""
    latest: Broadcast | None = None

    async def deleted() -> bool:
        nonlocal latest
        latest = await the_broadcast(bot)
        return latest.deletion == "deleted"

    await bot.standin.wait_until_checked(deleted)
    assert latest is not None
    return latest


def typed(moment_offset: timedelta) -> str:
    """A WIB date and time as staff would type it, this far from now."""
    local = centre_time(utc_now() + moment_offset)
    return f"{local.day}/{local.month}/{local.year} {local:%H:%M}"


async def send_to_everyone(bot: OfflineBot, people: range) -> Broadcast:
    await add_users(bot, people, language="id")
    staff = await compose_and_preview(bot, ["👥 Everyone"])
    count = len(people) + 2
    await staff.tap(f"📤 Send to {count} people")
    done = await wait_for_status(bot, "done")
    # The report (with its delete button) follows the final status: wait for it too, so a
    # test's next tap is not answered alongside it.
    await wait_for_message(bot.standin, STAFF, f"Broadcast #{done.id} finished:")
    return done
