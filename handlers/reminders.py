"""Messages the bot starts itself: one reminder for a registration left unfinished, and the
news that an intake someone waited for has opened. Both are driven by the database."""

import logging
from datetime import timedelta
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application

from bot.context import SERVICES, BotContext, Services
from bot.i18n import resolve_locale
from bot.navigation import REGISTRATION_PREFIX, registration_start_data
from db.models import utc_now
from db.programmes import get_programme, list_watchers_to_notify
from db.registrations import list_drafts_to_remind
from db.users import get_user

logger = logging.getLogger(__name__)
CHECK_EVERY_SECONDS = 15 * 60


async def send_reminders(application: Application) -> int:  # type: ignore[type-arg]
    """Remind each owner of a draft idle for the configured hours, once; returns the count."""
    services: Services = application.bot_data[SERVICES]
    idle_since = utc_now() - timedelta(hours=services.settings.reminder_after_hours)
    sent = 0
    async with services.session_factory() as session, session.begin():
        for draft in await list_drafts_to_remind(session, idle_since=idle_since):
            user = await get_user(session, draft.user_id or 0)
            programme = await get_programme(session, draft.programme_code)
            if user is None or programme is None:
                continue
            locale = resolve_locale(
                user.language, user.telegram_language, services.settings.default_locale
            )
            translator = services.translators[locale]
            _ = translator.gettext
            text = _(
                "👋 You started registering for <b>{programme}</b> and stopped at one question. "
                "Everything you typed is kept: continue where you left off?"
            ).format(programme=escape(programme.texts["title"][locale]))
            keyboard = InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            _("▶️ Continue registration"),
                            callback_data=f"{REGISTRATION_PREFIX}:resume",
                        )
                    ],
                    [
                        InlineKeyboardButton(
                            _("✖️ Cancel"), callback_data=f"{REGISTRATION_PREFIX}:cancel"
                        )
                    ],
                ]
            )
            draft.reminder_sent_at = utc_now()
            try:
                await application.bot.send_message(
                    user.id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard
                )
                sent += 1
            except Forbidden:
                user.blocked_bot = True
            except TelegramError:
                logger.warning("Could not remind user %s", user.id, exc_info=True)
    return sent


async def remind_unfinished_registrations(context: BotContext) -> None:
    """The JobQueue's periodic run."""
    await send_reminders(context.application)


async def announce_opened_intakes(application: Application, codes: list[str]) -> int:  # type: ignore[type-arg]
    """Tell everyone who asked that registration for these programmes is open; once each."""
    services: Services = application.bot_data[SERVICES]
    sent = 0
    async with services.session_factory() as session, session.begin():
        for code in codes:
            programme = await get_programme(session, code)
            if programme is None:
                continue
            for watcher in await list_watchers_to_notify(session, code):
                user = await get_user(session, watcher.user_id)
                watcher.notified_at = utc_now()
                if user is None:
                    continue
                locale = resolve_locale(
                    user.language, user.telegram_language, services.settings.default_locale
                )
                _ = services.translators[locale].gettext
                text = _("🔔 Registration for <b>{programme}</b> is open now.").format(
                    programme=escape(programme.texts["title"][locale])
                )
                keyboard = InlineKeyboardMarkup(
                    [
                        [
                            InlineKeyboardButton(
                                _("📝 Register"), callback_data=registration_start_data(code)
                            )
                        ]
                    ]
                )
                try:
                    await application.bot.send_message(
                        user.id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard
                    )
                    sent += 1
                except Forbidden:
                    user.blocked_bot = True
                except TelegramError:
                    logger.warning("Could not tell user %s about %s", user.id, code, exc_info=True)
    return sent
