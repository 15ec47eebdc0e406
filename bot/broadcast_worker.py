"""The broadcast worker: drains each sending broadcast's outbox with copyMessage, paced below
Telegram's bulk limit, and commits every recipient's outcome right after its send.

A crash can therefore repeat only the copies in flight at that moment: at most
`broadcast_in_flight` recipients whose copy went out but whose outcome was not yet committed.
"""

import asyncio
import logging
import time
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta

from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application

from bot.broadcast_progress import progress_keyboard, progress_text, report_text
from bot.context import SERVICES, Services
from bot.i18n import Translator, resolve_locale
from db.broadcasts import (
    BLOCKED,
    DONE,
    FAILED,
    SENDING,
    SENT,
    change_status,
    get_broadcast,
    list_pending,
    list_sending_ids,
    record_outcome,
    refresh_counts,
)
from db.models import Broadcast
from db.users import get_user, mark_blocked

logger = logging.getLogger(__name__)
# Timeouts and network errors: tries per recipient before it counts as failed.
MAX_ATTEMPTS = 3
# Between tries to one chat: Telegram allows about one message per second per chat.
RETRY_PAUSE_SECONDS = 1.0
# A safety net: the worker also looks for work this often without being woken.
IDLE_SECONDS = 30.0


class Pacer:
    """One send at a time every 1/rate seconds (no bursts), and a shared hold after a 429."""

    def __init__(self, rate: float) -> None:
        self._interval = 1.0 / rate
        self._next = 0.0
        self._hold_until = 0.0
        self._lock = asyncio.Lock()

    def hold(self, seconds: float) -> None:
        self._hold_until = max(self._hold_until, time.monotonic() + seconds)

    async def wait(self) -> None:
        async with self._lock:
            now = time.monotonic()
            start = max(now, self._next, self._hold_until)
            self._next = start + self._interval
        if start > now:
            await asyncio.sleep(start - now)


@dataclass(frozen=True)
class Outcome:
    status: str
    attempts: int
    message_id: int | None = None
    error: str | None = None


def retry_seconds(error: RetryAfter) -> float:
    value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class BroadcastWorker:
    def __init__(self, application: Application) -> None:  # type: ignore[type-arg]
        self.application = application
        self.services: Services = application.bot_data[SERVICES]
        self.settings = self.services.settings
        self.pacer = Pacer(self.settings.broadcast_rate)
        self._task: asyncio.Task[None] | None = None
        self._progress_shown_at = 0.0
        # One outcome written at a time: concurrent writers make SQLite back off and sleep.
        self._writing = asyncio.Lock()

    def start(self) -> None:
        """Begin, resuming any broadcast left in status "sending" by a restart or a crash."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="broadcast worker")

    async def stop(self) -> None:
        """Stop at once; rows not yet recorded stay pending and are sent after a restart."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        wakeup = self.services.broadcast_wakeup
        while True:
            wakeup.clear()
            try:
                async with self.services.session_factory() as session:
                    sending = await list_sending_ids(session)
                for broadcast_id in sending:
                    await self._drain(broadcast_id)
                if sending:
                    continue
            except Exception:
                logger.exception("The broadcast worker failed; it tries again shortly")
            with suppress(TimeoutError):
                await asyncio.wait_for(wakeup.wait(), IDLE_SECONDS)

    async def _drain(self, broadcast_id: int) -> None:
        while True:
            async with self.services.session_factory() as session:
                broadcast = await get_broadcast(session, broadcast_id)
                if broadcast is None or broadcast.status != SENDING:
                    stopped = broadcast is not None
                    break
                rows = await list_pending(
                    session, broadcast_id, limit=self.settings.broadcast_in_flight
                )
            if not rows:
                async with self.services.session_factory() as session, session.begin():
                    finished = await change_status(
                        session, broadcast_id, from_statuses=(SENDING,), to=DONE
                    )
                if finished:
                    await self.show_progress(broadcast_id, report=True)
                return
            await asyncio.gather(*(self._serve(broadcast, row_id, user) for row_id, user in rows))
            if (
                time.monotonic() - self._progress_shown_at
                >= self.settings.broadcast_progress_seconds
            ):
                await self.show_progress(broadcast_id)

        if stopped:
            # Paused or cancelled by staff: the copies in flight then are counted now.
            await self.show_progress(broadcast_id)

    async def _serve(self, broadcast: Broadcast, row_id: int, user_id: int) -> None:
        outcome = await self._send(broadcast, user_id)
        async with self._writing, self.services.session_factory() as session, session.begin():
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

    async def _send(self, broadcast: Broadcast, user_id: int) -> Outcome:
        scale = self.settings.broadcast_wait_scale
        attempts = 0
        while True:
            await self.pacer.wait()
            attempts += 1
            try:
                copied = await self.application.bot.copy_message(
                    chat_id=user_id,
                    from_chat_id=broadcast.source_chat_id,
                    message_id=broadcast.source_message_id,
                )
                return Outcome(SENT, attempts, copied.message_id)
            except RetryAfter as error:
                # Telegram asks every sender to wait, so the whole broadcast holds; the same
                # recipient is tried again and the refused try does not count.
                attempts -= 1
                self.pacer.hold(retry_seconds(error) * scale)
            except Forbidden as error:
                return Outcome(BLOCKED, attempts, error=error.message)
            except BadRequest as error:
                return Outcome(FAILED, attempts, error=error.message)
            except NetworkError as error:
                # Includes TimedOut: perhaps delivered, perhaps not; retried a bounded number.
                if attempts >= MAX_ATTEMPTS:
                    return Outcome(FAILED, attempts, error=error.message)
                await asyncio.sleep(RETRY_PAUSE_SECONDS * scale)
            except TelegramError as error:
                return Outcome(FAILED, attempts, error=error.message)

    def _translator(self, language: str | None, telegram_language: str | None) -> Translator:
        locale = resolve_locale(language, telegram_language, self.settings.default_locale)
        return self.services.translators[locale]

    async def show_progress(self, broadcast_id: int, *, report: bool = False) -> None:
        """Edit the staff member's progress message; at the end, also send the report."""
        self._progress_shown_at = time.monotonic()
        async with self.services.session_factory() as session, session.begin():
            broadcast = await get_broadcast(session, broadcast_id)
            if broadcast is None:
                return
            await refresh_counts(session, broadcast)
            staff = await get_user(session, broadcast.created_by)
        translator = self._translator(
            staff.language if staff else None, staff.telegram_language if staff else None
        )
        bot = self.application.bot
        try:
            if broadcast.progress_message_id is not None:
                await bot.edit_message_text(
                    progress_text(translator, broadcast, self.settings.broadcast_rate),
                    chat_id=broadcast.created_by,
                    message_id=broadcast.progress_message_id,
                    parse_mode=ParseMode.HTML,
                    reply_markup=progress_keyboard(translator, broadcast),
                )
            if report:
                await bot.send_message(
                    broadcast.created_by,
                    report_text(translator, broadcast),
                    parse_mode=ParseMode.HTML,
                )
        except BadRequest as error:
            if "not modified" not in error.message:
                logger.info("Could not show broadcast %s progress: %s", broadcast_id, error)
        except TelegramError:
            logger.warning("Could not show broadcast %s progress", broadcast_id, exc_info=True)
