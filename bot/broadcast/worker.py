"""The broadcast worker: drains each sending broadcast's outbox with copyMessage, paced below
Telegram's bulk limit, and commits every recipient's outcome right after its send.

Three loops share one pacer, so Telegram's overall limit holds for their sum:
- sending: keeps each sending broadcast's window of `broadcast_in_flight` copies full, a new
  copy starting as soon as one is recorded, so two broadcasts both progress and a network's
  round trip overlaps the pacer's next slots;
- starting: a scheduled broadcast starts at its time even while another one is sending
  (claimed with a conditional update, so a cancel committed first wins);
- deleting: copies are taken back while other broadcasts send.

How many extra copies a recipient can get (Telegram has no idempotent send):
- a crash repeats only the copies in flight at that moment: at most `broadcast_in_flight`
  recipients whose copy went out but whose outcome was not yet committed;
- a timeout (TimedOut, NetworkError) may hide a delivered copy, and is retried: a recipient
  gets at most MAX_ATTEMPTS copies (bot/broadcast/copies.py), so at most MAX_ATTEMPTS - 1 extra
  per timed-out recipient.
Together: extra copies <= broadcast_in_flight + (MAX_ATTEMPTS - 1) x timed-out recipients.
"""

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from contextlib import suppress
from functools import partial

from telegram.ext import Application

from bot.broadcast.audience import Audience, reads_english_copy, recipients_query
from bot.broadcast.copies import NOT_SENT, SOURCE_DELETED, send_copy
from bot.broadcast.deletion import CopyDeleter
from bot.broadcast.pacing import Pacer
from bot.broadcast.reports import StaffReports
from bot.broadcast.schedule import as_utc
from bot.broadcast.window import SendWindow
from bot.context import SERVICES, Services
from bot.i18n import resolve_locale
from db.broadcasts import (
    BLOCKED,
    DONE,
    PAUSED,
    SCHEDULED,
    SENDING,
    change_status,
    get_broadcast,
    list_deleting_ids,
    list_due_ids,
    list_pending,
    list_sending_ids,
    next_scheduled_time,
    record_outcome,
    start_broadcast,
)
from db.models import utc_now
from db.users import mark_blocked

logger = logging.getLogger(__name__)
# A safety net: each loop also looks for work this often without being woken.
IDLE_SECONDS = 30.0
SENDING_LOOP, STARTING_LOOP, DELETING_LOOP = "sending", "starting", "deleting"


class BroadcastWorker:
    def __init__(self, application: Application) -> None:  # type: ignore[type-arg]
        self.application = application
        self.services: Services = application.bot_data[SERVICES]
        self.settings = self.services.settings
        self.pacer = Pacer(self.settings.broadcast_rate)
        self._tasks: list[asyncio.Task[None]] = []
        self._kicks: dict[str, asyncio.Event] = {}
        self.reports = StaffReports(application, self.services)
        # Broadcasts sent to in the last round: one that stops sending shows its final counts.
        self._sending: set[int] = set()
        # Each broadcast's copies being sent, up to broadcast_in_flight.
        self._windows: dict[int, SendWindow] = {}
        # Copies being sent right now, per broadcast: a deletion waits for them.
        self.in_flight: Counter[int] = Counter()
        # One outcome written at a time: concurrent writers make SQLite back off and sleep.
        self.writing = asyncio.Lock()
        self.deleter = CopyDeleter(
            application.bot,
            self.services,
            self.pacer,
            self.reports,
            in_flight=self.in_flight,
            writing=self.writing,
        )

    def start(self) -> None:
        """Begin, resuming any broadcast left in status "sending" by a restart or a crash."""
        if any(not task.done() for task in self._tasks):
            return
        loops: dict[str, Callable[[], Awaitable[float]]] = {
            SENDING_LOOP: self._send_round,
            STARTING_LOOP: self._start_due,
            DELETING_LOOP: self._delete_round,
        }
        self._kicks = {name: asyncio.Event() for name in loops}
        self._tasks = [asyncio.create_task(self._relay_wakeups(), name="broadcast wakeups")]
        self._tasks += [
            asyncio.create_task(self._loop(name, work), name=f"broadcast {name}")
            for name, work in loops.items()
        ]

    async def stop(self) -> None:
        """Stop at once; rows not yet recorded stay pending and are sent after a restart."""
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        windows, self._windows, self._sending = self._windows, {}, set()
        tasks += [task for window in windows.values() for task in window.cancel()]
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _relay_wakeups(self) -> None:
        """Handlers set one event (services.broadcast_wakeup); every loop is told."""
        wakeup = self.services.broadcast_wakeup
        while True:
            await wakeup.wait()
            wakeup.clear()
            for kick in self._kicks.values():
                kick.set()

    async def _loop(self, name: str, work: Callable[[], Awaitable[float]]) -> None:
        """Run work until it says how long there is nothing to do; then wait that long or
        until woken."""
        kick = self._kicks[name]
        while True:
            kick.clear()
            try:
                idle = await work()
            except Exception:
                logger.exception("The broadcast %s loop failed; it tries again shortly", name)
                idle = IDLE_SECONDS
            if idle <= 0:
                await asyncio.sleep(0)
                continue
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for drops a cancel that
            # arrives as the kick does, and stop() would then wait for this loop forever.
            with suppress(TimeoutError):
                async with asyncio.timeout(idle):
                    await kick.wait()

    async def _start_due(self) -> float:
        """Scheduled broadcasts whose time has come: their audience is counted now, in the
        database. Returns the seconds until the next one is due."""
        async with self.services.session_factory() as session:
            due = await list_due_ids(session, utc_now())
        for broadcast_id in due:
            async with self.services.session_factory() as session, session.begin():
                broadcast = await get_broadcast(session, broadcast_id)
                if broadcast is None or broadcast.status != SCHEDULED:
                    continue
                query = recipients_query(
                    Audience.from_json(broadcast.audience),
                    default_locale=self.settings.default_locale,
                    now=utc_now(),
                )
                # Claimed only if still scheduled: a cancel committed meanwhile wins.
                started = await start_broadcast(session, broadcast, query)
            if started:
                await self.reports.progress(broadcast_id, new_message=True)
                self._kicks[SENDING_LOOP].set()
        async with self.services.session_factory() as session:
            next_start = await next_scheduled_time(session)
        if next_start is None:
            return IDLE_SECONDS
        return min(IDLE_SECONDS, max((as_utc(next_start) - utc_now()).total_seconds(), 0.01))

    async def _send_round(self) -> float:
        """Refill each sending broadcast's window of copies in flight. Woken again as soon as
        one of them finishes (or by staff), so a new copy starts as soon as one is done."""
        for broadcast_id, window in list(self._windows.items()):
            gone = window.harvest()
            if gone and window.deleted_source is None:
                if await self._pause_for_deleted_source(broadcast_id):
                    window.deleted_source = gone[0]
        async with self.services.session_factory() as session:
            sending = await list_sending_ids(session)
        # Paused or cancelled by staff: counted once the copies in flight then are recorded.
        for stopped in self._sending - set(sending):
            window = self._windows.get(stopped)
            if window is not None:
                window.open = False
            if window is None or not window.tasks:
                self._windows.pop(stopped, None)
                self._sending.discard(stopped)
                if window is not None and window.deleted_source is not None:
                    await self.reports.source_deleted(stopped, window.deleted_source)
                else:
                    await self.reports.progress(stopped, settled=True)
        self._sending.update(sending)
        for broadcast_id in sending:
            await self._refill(broadcast_id)
        now = time.monotonic()
        held = [window.held_until - now for window in self._windows.values()]
        return min([IDLE_SECONDS, *(seconds for seconds in held if seconds > 0)])

    async def _delete_round(self) -> float:
        async with self.services.session_factory() as session:
            deleting = await list_deleting_ids(session)
        for broadcast_id in deleting:
            await self.deleter.drain(broadcast_id)
        return 0 if deleting else IDLE_SECONDS

    async def _refill(self, broadcast_id: int) -> None:
        window = self._windows.get(broadcast_id)
        if window is None:
            async with self.services.session_factory() as session:
                broadcast = await get_broadcast(session, broadcast_id)
            if broadcast is None:
                return
            window = SendWindow(broadcast, self.settings.broadcast_in_flight)
            self._windows[broadcast_id] = window
        window.open = True  # read as sending in this round
        free = window.free()
        if free:
            # Counted in flight before the rows are read: a deletion asked for meanwhile
            # waits for whatever this refill starts.
            self.in_flight[broadcast_id] += free
            try:
                finished = await self._claim(window, free)
            finally:
                self.in_flight[broadcast_id] -= free
            if finished:
                return
        if (
            time.monotonic() - self.reports.shown_at.get(broadcast_id, 0.0)
            >= self.settings.broadcast_progress_seconds
        ):
            await self.reports.progress(broadcast_id)

    async def _claim(self, window: SendWindow, free: int) -> bool:
        """Start sends for up to `free` of the lowest pending rows not in flight, if the
        broadcast is still sending; True if it turned out to be done."""
        broadcast_id, claimed = window.broadcast.id, window.claimed()
        async with self.services.session_factory() as session:
            rows = await list_pending(session, broadcast_id, limit=free + len(claimed))
        rows = [row for row in rows if row[0] not in claimed][:free]
        if not rows and not window.tasks:
            async with self.services.session_factory() as session, session.begin():
                finished = await change_status(
                    session, broadcast_id, from_statuses=(SENDING,), to=DONE
                )
            if finished:  # else paused or cancelled meanwhile: the next round sees it
                self._windows.pop(broadcast_id, None)
                self._sending.discard(broadcast_id)
                await self.reports.progress(broadcast_id, report=True)
            return finished
        for row in rows:
            self.in_flight[broadcast_id] += 1
            window.launch(row[0], self._serve(window, *row), partial(self._sent, broadcast_id))
        return False

    def _sent(self, broadcast_id: int, _task: asyncio.Task[int | None]) -> None:
        self.in_flight[broadcast_id] -= 1
        self._kicks[SENDING_LOOP].set()

    async def _pause_for_deleted_source(self, broadcast_id: int) -> bool:
        """The staff member deleted the message being copied: every further copy would fail,
        so the broadcast pauses (nobody is counted as failed). They are told plainly once the
        copies in flight are recorded, so the count they read is final."""
        async with self.services.session_factory() as session, session.begin():
            return await change_status(session, broadcast_id, from_statuses=(SENDING,), to=PAUSED)

    async def _serve(
        self,
        window: SendWindow,
        row_id: int,
        user_id: int,
        language: str | None,
        telegram_language: str | None,
    ) -> int | None:
        """Send one copy and record its outcome; the message id if it turned out to be
        deleted from the staff member's chat (then nothing is recorded)."""
        locale = resolve_locale(language, telegram_language, self.settings.default_locale)
        broadcast = window.broadcast
        english = reads_english_copy(locale, broadcast.english_message_id is not None)
        message_id = broadcast.english_message_id if english else broadcast.source_message_id
        message_id = message_id or broadcast.source_message_id
        outcome = await send_copy(
            self.application.bot,
            self.pacer,
            window,
            user_id,
            message_id,
            self.settings.broadcast_wait_scale,
        )
        if outcome.status == SOURCE_DELETED:
            return message_id
        if outcome.status == NOT_SENT:
            return None
        async with self.writing, self.services.session_factory() as session, session.begin():
            await record_outcome(
                session,
                row_id=row_id,
                status=outcome.status,
                attempts=outcome.attempts,
                message_id=outcome.message_id,
                error=outcome.error,
            )
            if outcome.status == BLOCKED:
                await mark_blocked(session, [user_id])
        self.services.metrics.broadcast_copies.labels(outcome.status).inc()
        return None
