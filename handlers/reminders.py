"""Messages the bot starts itself: one reminder for a registration left unfinished, the news
that an awaited intake has opened, and the retention clean-up. All are driven by the database,
so a restart loses none; each marks its work and commits before sending, so the database is
never locked while Telegram is slow, and nobody gets the same message twice."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application

from bot.context import SERVICES, BotContext, Services
from bot.navigation import REGISTRATION_PREFIX, REGISTRATION_RESUME, registration_start_data
from bot.privacy.retention import retention_as_of
from bot.staff.staff_group import erase_from_staff_group
from db.audit import forget_old_requesters
from db.eligibility import delete_answers_of_inactive
from db.faq_questions import delete_questions_asked_before
from db.handoff_ratings import forget_ticket_ratings
from db.models import utc_now
from db.programmes import get_programme, list_watchers_to_notify
from db.registrations import delete_stale_drafts, list_drafts_to_remind, purge_finished
from db.school_interests import delete_expired_interests
from db.tickets import delete_tickets, list_expired_tickets, list_staff_message_ids
from db.users import get_user, mark_blocked
from handlers.review.cohort_links import retire_anonymous_invites

logger = logging.getLogger(__name__)
CHECK_EVERY_SECONDS = 15 * 60
PURGE_EVERY_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class Outgoing:
    user_id: int
    text: str
    keyboard: InlineKeyboardMarkup


async def send_reminders(application: Application) -> int:  # type: ignore[type-arg]
    """Remind each owner of a draft idle for the configured hours, once; returns the count."""
    services: Services = application.bot_data[SERVICES]
    idle_since = utc_now() - timedelta(hours=services.settings.reminder_after_hours)
    outgoing = []
    async with services.session_factory() as session, session.begin():
        for draft in await list_drafts_to_remind(session, idle_since=idle_since):
            draft.reminder_sent_at = utc_now()
            user = await get_user(session, draft.user_id or 0)
            programme = await get_programme(session, draft.programme_code)
            if user is None or programme is None or programme.intake != "open":
                continue
            _ = services.translator_for(user).gettext
            locale = services.translator_for(user).locale
            text = _(
                "👋 You started registering for <b>{programme}</b> and stopped at one question. "
                "Everything you typed is kept: continue where you left off?"
            ).format(programme=escape(programme.texts["title"][locale]))
            keyboard = InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            _("▶️ Continue registration"), callback_data=REGISTRATION_RESUME
                        )
                    ],
                    [
                        InlineKeyboardButton(
                            _("✖️ Cancel"), callback_data=f"{REGISTRATION_PREFIX}:cancel"
                        )
                    ],
                ]
            )
            outgoing.append(Outgoing(user.id, text, keyboard))
    return await deliver(application, outgoing)


async def announce_opened_intakes(application: Application, codes: list[str]) -> int:  # type: ignore[type-arg]
    """Tell everyone who asked that registration for these programmes is open; once each."""
    services: Services = application.bot_data[SERVICES]
    outgoing = []
    async with services.session_factory() as session, session.begin():
        for code in codes:
            programme = await get_programme(session, code)
            for watcher in await list_watchers_to_notify(session, code):
                watcher.notified_at = utc_now()
                user = await get_user(session, watcher.user_id)
                if user is None or programme is None:
                    continue
                translator = services.translator_for(user)
                text = translator.gettext(
                    "🔔 Registration for <b>{programme}</b> is open now."
                ).format(programme=escape(programme.texts["title"][translator.locale]))
                keyboard = InlineKeyboardMarkup(
                    [
                        [
                            InlineKeyboardButton(
                                translator.gettext("📝 Register"),
                                callback_data=registration_start_data(code),
                            )
                        ]
                    ]
                )
                outgoing.append(Outgoing(user.id, text, keyboard))
    return await deliver(application, outgoing)


async def deliver(application: Application, outgoing: list[Outgoing]) -> int:  # type: ignore[type-arg]
    """Send after the commit; remember who blocked the bot. Returns how many arrived."""
    services: Services = application.bot_data[SERVICES]
    sent, blocked = 0, []
    for message in outgoing:
        try:
            await application.bot.send_message(
                message.user_id,
                message.text,
                parse_mode=ParseMode.HTML,
                reply_markup=message.keyboard,
            )
            sent += 1
        except Forbidden:
            blocked.append(message.user_id)
        except TelegramError:
            logger.warning("Could not message user %s", message.user_id, exc_info=True)
    if blocked:
        async with services.session_factory() as session, session.begin():
            await mark_blocked(session, blocked)
    return sent


async def purge_expired_data(application: Application) -> None:  # type: ignore[type-arg]
    """Keep the consents' promises, with the periods they quote (the retention settings)."""
    services: Services = application.bot_data[SERVICES]
    cut = retention_as_of(utc_now(), services.settings)
    async with services.session_factory() as session, session.begin():
        await purge_finished(session, finished_before=cut.registrations_finished_before)
        await forget_old_requesters(
            session,
            declined_before=cut.join_requests_declined_before,
            others_before=cut.registrations_finished_before,
        )
        await delete_answers_of_inactive(session, seen_before=cut.eligibility_last_seen_before)
        await delete_expired_interests(
            session,
            submitted_before=cut.school_requests_sent_before,
            idle_since=cut.drafts_idle_since,
        )
        await delete_stale_drafts(session, idle_since=cut.drafts_idle_since)
        await delete_questions_asked_before(session, before=cut.questions_asked_before)
    await retire_anonymous_invites(application)
    await erase_expired_conversations(application, closed_before=cut.handoffs_closed_before)


async def erase_expired_conversations(
    application: Application,  # type: ignore[type-arg]
    *,
    closed_before: datetime,
) -> None:
    """Closed conversations past their period leave the staff group, then the database."""
    services: Services = application.bot_data[SERVICES]
    async with services.session_factory() as session:
        tickets = await list_expired_tickets(session, closed_before=closed_before)
        expired = [
            (ticket.id, ticket.topic_id, await list_staff_message_ids(session, ticket.id))
            for ticket in tickets
        ]
    staff_chat = services.settings.staff_chat_id
    erased = [
        ticket_id
        for ticket_id, topic_id, message_ids in expired
        if staff_chat is None
        or await erase_from_staff_group(
            application.bot, staff_chat, topic_id=topic_id, message_ids=message_ids
        )
    ]
    if erased:
        async with services.session_factory() as session, session.begin():
            await forget_ticket_ratings(session, erased)
            await delete_tickets(session, erased)


async def remind_unfinished_registrations(context: BotContext) -> None:
    """The JobQueue's periodic run."""
    await send_reminders(context.application)


async def purge_regularly(context: BotContext) -> None:
    await purge_expired_data(context.application)
