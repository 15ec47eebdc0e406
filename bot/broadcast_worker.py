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

from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application

from bot.audience import Audience, find_recipients, reads_english_copy
from bot.broadcast_deletion import CopyDeleter
from bot.broadcast_pacing import Pacer, retry_seconds
from bot.broadcast_progress import (
    can_delete,
    progress_keyboard,
    progress_text,
    report_keyboard,
    report_text,
)
from bot.broadcast_schedule import as_utc
from bot.context import SERVICES, Services
from bot.i18n import Translator, resolve_locale
from db.broadcasts import (
    BLOCKED,
    CANCELLED,
    DONE,
    FAILED,
    SCHEDULED,
    SENDING,
    SENT,
    change_status,
    get_broadcast,
    list_deleting_ids,
    list_due_ids,
    list_pending,
    list_sending_ids,
    next_scheduled_time,
    oldest_copy_sent_at,
    record_outcome,
    refresh_counts,
    start_broadcast,
)
from db.models import Broadcast, utc_now
from db.users import get_user, mark_blocked

logger = logging.getLogger(__name__)
# Timeouts and network errors: tries per recipient before it counts as failed.
MAX_ATTEMPTS = 3
# Between tries to one chat: Telegram allows about one message per second per chat.
RETRY_PAUSE_SECONDS = 1.0
# A safety net: the worker also looks for work this often without being woken.
IDLE_SECONDS = 30.0


@dataclass(frozen=True)
class Outcome:
    status: str
    attempts: int
    message_id: int | None = None
    error: str | None = None


class BroadcastWorker:
    def __init__(self, application: Application) -> None:  # type: ignore[type-arg]
        self.application = application
        self.services: Services = application.bot_data[SERVICES]
        self.settings = self.services.settings
        self.pacer = Pacer(self.settings.broadcast_rate)
        self._task: asyncio.Task[None] | None = None
        self._progress_shown_at = 0.0
        # One outcome written at a time: concurrent writers make SQLite back off and sleep.
        self.writing = asyncio.Lock()
        self.deleter = CopyDeleter(self)

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
            idle = IDLE_SECONDS
            try:
                await self._start_due()
                async with self.services.session_factory() as session:
                    sending = await list_sending_ids(session)
                    deleting = await list_deleting_ids(session)
                    next_start = await next_scheduled_time(session)
                for broadcast_id in sending:
                    await self._drain(broadcast_id)
                for broadcast_id in deleting:
                    await self.deleter.drain(broadcast_id)
                if sending or deleting:
                    continue
                if next_start is not None:
                    until = (as_utc(next_start) - utc_now()).total_seconds()
                    idle = min(IDLE_SECONDS, max(until, 0.0))
            except Exception:
                logger.exception("The broadcast worker failed; it tries again shortly")
            with suppress(TimeoutError):
                await asyncio.wait_for(wakeup.wait(), idle)

    async def _start_due(self) -> None:
        """Scheduled broadcasts whose time has come: their audience is counted now."""
        async with self.services.session_factory() as session:
            due = await list_due_ids(session, utc_now())
        for broadcast_id in due:
            async with self.services.session_factory() as session, session.begin():
                broadcast = await get_broadcast(session, broadcast_id)
                if broadcast is None or broadcast.status != SCHEDULED:
                    continue
                recipients = await find_recipients(
                    session,
                    Audience.from_json(broadcast.audience),
                    default_locale=self.settings.default_locale,
                    now=utc_now(),
                )
                await start_broadcast(session, broadcast, [r.user_id for r in recipients])
            await self.show_progress(broadcast_id, new_message=True)

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
            await asyncio.gather(*(self._serve(broadcast, *row) for row in rows))
            if (
                time.monotonic() - self._progress_shown_at
                >= self.settings.broadcast_progress_seconds
            ):
                await self.show_progress(broadcast_id)

        if stopped:
            # Paused or cancelled by staff: the copies in flight then are counted now.
            await self.show_progress(broadcast_id)

    async def _serve(
        self,
        broadcast: Broadcast,
        row_id: int,
        user_id: int,
        language: str | None,
        telegram_language: str | None,
    ) -> None:
        locale = resolve_locale(language, telegram_language, self.settings.default_locale)
        english = reads_english_copy(locale, broadcast.english_message_id is not None)
        message_id = broadcast.english_message_id if english else broadcast.source_message_id
        outcome = await self._send(broadcast, user_id, message_id or broadcast.source_message_id)
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

    async def _send(self, broadcast: Broadcast, user_id: int, message_id: int) -> Outcome:
        scale = self.settings.broadcast_wait_scale
        attempts = 0
        while True:
            await self.pacer.wait()
            attempts += 1
            try:
                copied = await self.application.bot.copy_message(
                    chat_id=user_id,
                    from_chat_id=broadcast.source_chat_id,
                    message_id=message_id,
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

    def translator(self, language: str | None, telegram_language: str | None) -> Translator:
        locale = resolve_locale(language, telegram_language, self.settings.default_locale)
        return self.services.translators[locale]

    async def show_progress(
        self, broadcast_id: int, *, report: bool = False, new_message: bool = False
    ) -> None:
        """Edit the staff member's progress message (or send it, for a scheduled broadcast
        that has just started); at the end, also send the report."""
        self._progress_shown_at = time.monotonic()
        async with self.services.session_factory() as session, session.begin():
            broadcast = await get_broadcast(session, broadcast_id)
            if broadcast is None:
                return
            await refresh_counts(session, broadcast)
            staff = await get_user(session, broadcast.created_by)
            oldest = await oldest_copy_sent_at(session, broadcast_id)
        translator = self.translator(
            staff.language if staff else None, staff.telegram_language if staff else None
        )
        deletable = can_delete(broadcast, oldest, utc_now())
        bot = self.application.bot
        try:
            if new_message:
                sent = await bot.send_message(
                    broadcast.created_by,
                    progress_text(translator, broadcast, self.settings.broadcast_rate),
                    parse_mode=ParseMode.HTML,
                    reply_markup=progress_keyboard(translator, broadcast),
                )
                async with self.services.session_factory() as session, session.begin():
                    stored = await get_broadcast(session, broadcast_id)
                    if stored is not None:
                        stored.progress_message_id = sent.message_id
            elif broadcast.progress_message_id is not None:
                await bot.edit_message_text(
                    progress_text(translator, broadcast, self.settings.broadcast_rate),
                    chat_id=broadcast.created_by,
                    message_id=broadcast.progress_message_id,
                    parse_mode=ParseMode.HTML,
                    reply_markup=progress_keyboard(translator, broadcast),
                )
            if report or (broadcast.status == CANCELLED and broadcast.sent_count):
                await bot.send_message(
                    broadcast.created_by,
                    report_text(translator, broadcast),
                    parse_mode=ParseMode.HTML,
                    reply_markup=report_keyboard(translator, deletable, broadcast.id),
                )
        except BadRequest as error:
            if "not modified" not in error.message:
                logger.info("Could not show broadcast %s progress: %s", broadcast_id, error)
        except TelegramError:
            logger.warning("Could not show broadcast %s progress", broadcast_id, exc_info=True)
