"""Taking a broadcast back: the worker deletes every recipient's copy with deleteMessage, paced
like sending and through 429s, records each copy's outcome, and reports to staff at the end.
After a restart it carries on with the copies still pending. Copies that were in flight when
deletion was asked for are deleted too, once they are recorded as sent."""

import asyncio
import logging
from collections import Counter

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.broadcast.pacing import Pacer, retry_seconds
from bot.broadcast.progress import deletion_text
from bot.broadcast.reports import StaffReports
from bot.context import Services
from db.broadcasts import (
    DELETED,
    DELETING,
    FAILED,
    finish_deletion,
    get_broadcast,
    list_pending_deletions,
    mark_copies_for_deletion,
    record_deletion,
)
from db.users import get_user

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
RETRY_PAUSE_SECONDS = 1.0
IN_FLIGHT_POLL_SECONDS = 0.05


class CopyDeleter:
    """Shares the worker's pacer, its count of copies in flight and its one writer at a time."""

    def __init__(
        self,
        bot: Bot,
        services: Services,
        pacer: Pacer,
        reports: StaffReports,
        *,
        in_flight: Counter[int],
        writing: asyncio.Lock,
    ) -> None:
        self.bot = bot
        self.services = services
        self.pacer = pacer
        self.reports = reports
        self.in_flight = in_flight
        self.writing = writing

    async def drain(self, broadcast_id: int) -> None:
        services = self.services
        while True:
            # Counted before the rows are read: a copy recorded while they are being read
            # (marked for deletion, but not among them) was in flight then, so it is waited
            # for and read next time round, never taken for "nothing left".
            in_flight = self.in_flight[broadcast_id]
            async with services.session_factory() as session:
                broadcast = await get_broadcast(session, broadcast_id)
                if broadcast is None or broadcast.deletion != DELETING:
                    return
                rows = await list_pending_deletions(
                    session, broadcast_id, limit=services.settings.broadcast_in_flight
                )
            if not rows and in_flight:
                # Copies still being sent when deletion was asked for: they are marked for
                # deletion as they are recorded (db.broadcasts.record_outcome); wait for them.
                await asyncio.sleep(IN_FLIGHT_POLL_SECONDS)
                continue
            if not rows:
                # A copy whose outcome was being written while staff asked to delete may have
                # missed both the marking and record_outcome's check (PostgreSQL lets the two
                # transactions pass each other): nothing is in flight now, so mark it here.
                async with services.session_factory() as session, session.begin():
                    missed = await mark_copies_for_deletion(session, broadcast_id)
                if missed:
                    continue
                await self.report(broadcast_id)
                return
            await asyncio.gather(*(self._serve(*row) for row in rows))

    async def _serve(self, row_id: int, user_id: int, message_id: int) -> None:
        outcome, error = await self._delete(user_id, message_id)
        services = self.services
        async with self.writing, services.session_factory() as session, session.begin():
            await record_deletion(session, row_id=row_id, outcome=outcome, error=error)

    async def _delete(self, user_id: int, message_id: int) -> tuple[str, str | None]:
        scale = self.services.settings.broadcast_wait_scale
        attempts = 0
        while True:
            await self.pacer.wait()
            attempts += 1
            try:
                await self.bot.delete_message(user_id, message_id)
                return DELETED, None
            except RetryAfter as error:
                attempts -= 1
                self.pacer.hold(retry_seconds(error) * scale)
            except (BadRequest, Forbidden) as error:
                # Includes "message can't be deleted for everyone" (older than 48 hours) and
                # "message to delete not found" (the recipient already deleted it).
                return FAILED, error.message
            except NetworkError as error:
                if attempts >= MAX_ATTEMPTS:
                    return FAILED, error.message
                await asyncio.sleep(RETRY_PAUSE_SECONDS * scale)
            except TelegramError as error:
                return FAILED, error.message

    async def report(self, broadcast_id: int) -> None:
        """Mark the broadcast deleted and tell the staff member who asked how it went."""
        services = self.services
        async with services.session_factory() as session, session.begin():
            tallies = await finish_deletion(session, broadcast_id)
            broadcast = await get_broadcast(session, broadcast_id)
            if broadcast is None:
                return
            await session.refresh(broadcast)
            staff = await get_user(session, broadcast.created_by)
        translator = self.reports.translator(
            staff.language if staff else None, staff.telegram_language if staff else None
        )
        try:
            await self.bot.send_message(
                broadcast.created_by,
                deletion_text(translator, broadcast, tallies),
                parse_mode=ParseMode.HTML,
            )
        except TelegramError:
            logger.warning("Could not report broadcast %s deletion", broadcast_id, exc_info=True)
