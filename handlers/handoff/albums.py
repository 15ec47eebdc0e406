"""Albums in a hand-off: the parts of a user's album wait in the database until none has come
for HANDOFF_ALBUM_WAIT_SECONDS, then reach staff as one album, and the user is answered once
for it. What the user sends meanwhile waits for the album, so staff read it in the order sent.
A part received by another process of the bot is included, and albums a crash left waiting
are sent at the next start."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import InlineKeyboardMarkup, Message
from telegram.constants import MediaGroupLimit
from telegram.error import TelegramError
from telegram.ext import Application, JobQueue

from bot.context import BotContext
from bot.i18n import N_
from bot.navigation import end_talking_keyboard, menu_button
from bot.staff.album_parts import AlbumPart
from bot.staff.albums import deliver_album_to_staff
from bot.staff.staff_group import ConversationEnded
from db.models import Ticket
from db.pending_albums import add_pending_album_part, list_pending_albums, take_pending_album

logger = logging.getLogger(__name__)
SENT_TO_STAFF = N_("✅ Sent to the staff. They will answer here.")
NOT_SENT = N_(
    "Sorry, your photos or files could not be passed on to the staff. Please send them again."
)
CAME_AFTER_THE_END = N_(
    "Your photos or files came after the conversation with the staff had ended, so they were "
    "not passed on. To send them, start a new conversation: tap «💬 Ask a question» in the "
    "menu."
)
JOB_PREFIX = "handoff album"


async def collect_album_part(
    context: BotContext, ticket: Ticket, message: Message, part: AlbumPart
) -> None:
    """A part of an album: kept, and the album's sending put off until parts stop coming."""
    chat_id, media_group_id = message.chat_id, str(message.media_group_id)
    async with context.db_session() as session, session.begin():
        parts = await add_pending_album_part(
            session,
            chat_id=chat_id,
            media_group_id=media_group_id,
            message_id=message.message_id,
            ticket_id=ticket.id,
            locale=context.locale,
            kind=part.kind,
            file_id=part.file_id,
            caption_sealed=part.caption_sealed,
        )
    job_queue = jobs(context)
    stop_waiting(job_queue, chat_id, media_group_id)
    if parts >= MediaGroupLimit.MAX_MEDIA_LENGTH:  # no album has more
        await send_albums_up_to(context, chat_id, media_group_id)
        return
    wait_for_more(context, job_queue, chat_id, media_group_id)


def job_name(chat_id: int, media_group_id: str) -> str:
    return f"{JOB_PREFIX} {chat_id} {media_group_id}"


def jobs(context: BotContext) -> JobQueue[BotContext]:
    assert context.job_queue is not None
    return context.job_queue


def wait_for_more(
    context: BotContext, job_queue: JobQueue[BotContext], chat_id: int, media_group_id: str
) -> None:
    job_queue.run_once(
        send_album_when_complete,
        context.settings.handoff_album_wait_seconds,
        data=(chat_id, media_group_id),
        name=job_name(chat_id, media_group_id),
    )


def stop_waiting(job_queue: JobQueue[BotContext], chat_id: int, media_group_id: str) -> None:
    for job in job_queue.get_jobs_by_name(job_name(chat_id, media_group_id)):
        job.schedule_removal()


async def send_album_when_complete(context: BotContext) -> None:
    """No part came for a while: the album goes to staff (unless it went already)."""
    assert context.job is not None
    chat_id, media_group_id = context.job.data  # type: ignore[misc]
    async with context.services.delivery_order.in_order(chat_id):
        await send_album(context, chat_id, media_group_id)


async def send_albums_up_to(context: BotContext, chat_id: int, media_group_id: str) -> None:
    """An album complete before its wait: the chat's older albums go first, in order."""
    async with context.services.delivery_order.in_order(chat_id):
        async with context.db_session() as session:
            waiting = [album for _, album in await list_pending_albums(session, chat_id=chat_id)]
        older = waiting[: waiting.index(media_group_id)] if media_group_id in waiting else []
        for album in [*older, media_group_id]:
            stop_waiting(jobs(context), chat_id, album)
            await send_album(context, chat_id, album)


@asynccontextmanager
async def after_waiting_albums(context: BotContext, chat_id: int) -> AsyncIterator[None]:
    """The chat's albums still gathering parts go to staff first, oldest first; then, in the
    chat's turn, what came after them (a message, or staff ending the conversation)."""
    async with context.services.delivery_order.in_order(chat_id):
        async with context.db_session() as session:
            waiting = await list_pending_albums(session, chat_id=chat_id)
        for _, album in waiting:
            stop_waiting(jobs(context), chat_id, album)
            await send_album(context, chat_id, album)
        yield


async def send_waiting_albums_at_start(application: Application) -> None:  # type: ignore[type-arg]
    """Albums left waiting by a crash (or by another process) are sent after the usual wait,
    by whichever process takes them first."""
    context = BotContext(application)
    async with context.db_session() as session:
        waiting = await list_pending_albums(session)
    for chat_id, album in waiting:
        wait_for_more(context, jobs(context), chat_id, album)


async def send_every_waiting_album(application: Application) -> None:  # type: ignore[type-arg]
    """At shutdown: the albums this process waits for go as they are, rather than wait for
    the next start."""
    context = BotContext(application)
    job_queue = jobs(context)
    mine = {job.data for job in job_queue.jobs() if (job.name or "").startswith(JOB_PREFIX)}
    async with context.db_session() as session:
        waiting = await list_pending_albums(session)
    for chat_id, album in waiting:
        if (chat_id, album) in mine:
            async with context.services.delivery_order.in_order(chat_id):
                stop_waiting(job_queue, chat_id, album)
                await send_album(context, chat_id, album)


async def send_album(context: BotContext, chat_id: int, media_group_id: str) -> None:
    """To staff if the conversation is still open (read now: staff may have closed it), and
    the user told once: that it went (the first time), that it did not, or why."""
    async with context.db_session() as session, session.begin():
        parts = await take_pending_album(session, chat_id=chat_id, media_group_id=media_group_id)
        ticket = await session.get(Ticket, parts[0].ticket_id) if parts else None
    if not parts:
        return  # sent already, by this process or another
    locale = parts[0].locale
    if ticket is None or ticket.status != "open":
        await tell_user(context, chat_id, locale, CAME_AFTER_THE_END, ended=True)
        return
    try:
        first = await deliver_album_to_staff(context, ticket, parts)
    except ConversationEnded:
        await tell_user(context, chat_id, locale, CAME_AFTER_THE_END, ended=True)
        return
    except TelegramError as error:
        logger.warning("Could not pass an album on to staff (ticket %s): %s", ticket.id, error)
        await tell_user(context, chat_id, locale, NOT_SENT)
        return
    if first:
        await tell_user(context, chat_id, locale, SENT_TO_STAFF)


async def tell_user(
    context: BotContext, chat_id: int, locale: str, text: str, *, ended: bool = False
) -> None:
    translator = context.services.translators[locale]
    keyboard = (
        InlineKeyboardMarkup([[menu_button(translator)]])
        if ended
        else end_talking_keyboard(translator)
    )
    try:
        await context.bot.send_message(chat_id, translator.gettext(text), reply_markup=keyboard)
    except TelegramError:
        logger.info("Could not tell a user about their album to staff")
