"""What the broadcast worker tells the staff member who sent a broadcast: its progress message,
the report at the end, and why it paused if their message was deleted."""

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application

from bot.broadcast.progress import (
    can_delete,
    progress_keyboard,
    progress_text,
    report_keyboard,
    report_text,
    source_deleted_text,
)
from bot.context import Services
from bot.i18n import Translator, resolve_locale
from db.broadcasts import CANCELLED, get_broadcast, oldest_copy_sent_at, refresh_counts
from db.models import utc_now
from db.users import get_user

logger = logging.getLogger(__name__)


class StaffReports:
    def __init__(self, application: Application, services: Services) -> None:  # type: ignore[type-arg]
        self.application = application
        self.services = services
        self.settings = services.settings
        # When each broadcast's progress message was last edited (time.monotonic()).
        self.shown_at: dict[int, float] = {}

    def translator(self, language: str | None, telegram_language: str | None) -> Translator:
        locale = resolve_locale(language, telegram_language, self.settings.default_locale)
        return self.services.translators[locale]

    async def progress(
        self,
        broadcast_id: int,
        *,
        report: bool = False,
        new_message: bool = False,
        settled: bool = False,
    ) -> None:
        """Edit the staff member's progress message (or send it, for a scheduled broadcast
        that has just started); at the end, also send the report. A cancelled broadcast is
        reported once `settled`: when the copies in flight at the cancel are recorded."""
        async with self.services.progress_edits:
            await self._show_progress(
                broadcast_id, report=report, new_message=new_message, settled=settled
            )

    async def _show_progress(
        self, broadcast_id: int, *, report: bool, new_message: bool, settled: bool
    ) -> None:
        self.shown_at[broadcast_id] = time.monotonic()
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
        # The report goes out even when the progress message can't be edited (the staff
        # member deleted it, or it already shows the final figures).
        with self._logged_if_refused(broadcast_id):
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
        if report or (settled and broadcast.status == CANCELLED and broadcast.sent_count):
            with self._logged_if_refused(broadcast_id):
                await bot.send_message(
                    broadcast.created_by,
                    report_text(translator, broadcast),
                    parse_mode=ParseMode.HTML,
                    reply_markup=report_keyboard(translator, deletable, broadcast.id),
                )

    @contextmanager
    def _logged_if_refused(self, broadcast_id: int) -> Iterator[None]:
        """Telegram refusing a progress message or report is logged; the broadcast goes on."""
        try:
            yield
        except BadRequest as error:
            if "not modified" not in error.message:
                logger.info("Could not show broadcast %s progress: %s", broadcast_id, error)
        except TelegramError:
            logger.warning("Could not show broadcast %s progress", broadcast_id, exc_info=True)

    async def source_deleted(self, broadcast_id: int, message_id: int) -> None:
        """The broadcast paused because its message (or English version) was deleted."""
        async with self.services.session_factory() as session, session.begin():
            broadcast = await get_broadcast(session, broadcast_id)
            if broadcast is None:
                return
            await refresh_counts(session, broadcast)
            staff = await get_user(session, broadcast.created_by)
        translator = self.translator(
            staff.language if staff else None, staff.telegram_language if staff else None
        )
        english = message_id == broadcast.english_message_id
        with suppress(TelegramError):
            await self.application.bot.send_message(
                broadcast.created_by,
                source_deleted_text(translator, broadcast, english),
                parse_mode=ParseMode.HTML,
            )
        await self.progress(broadcast_id)
