"""Albums in a hand-off: the parts of a user's album are gathered until none has come for
HANDOFF_ALBUM_WAIT_SECONDS, then reach staff as one album, and the user is answered once for
it. What the user sends meanwhile waits for the album, so staff read it in the order sent."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import Message
from telegram.constants import MediaGroupLimit
from telegram.error import TelegramError
from telegram.ext import Application

from bot.context import SERVICES, BotContext
from bot.i18n import N_
from bot.navigation import end_talking_keyboard
from bot.staff.albums import PendingAlbum
from bot.staff.staff_group import deliver_album_to_staff
from db.models import Ticket

logger = logging.getLogger(__name__)
SENT_TO_STAFF = N_("✅ Sent to the staff. They will answer here.")
NOT_SENT = N_(
    "Sorry, your photos or files could not be passed on to the staff. Please send them again."
)
JOB_PREFIX = "handoff album"


async def collect_album_part(context: BotContext, ticket: Ticket, message: Message) -> None:
    """A part of an album: kept, and the album's sending put off until parts stop coming."""
    album = context.services.albums.add(message, ticket=ticket, locale=context.locale)
    name = f"{JOB_PREFIX} {album.media_group_id}"
    job_queue = context.job_queue
    assert job_queue is not None
    for job in job_queue.get_jobs_by_name(name):
        job.schedule_removal()
    if len(album.messages) == MediaGroupLimit.MAX_MEDIA_LENGTH:  # no album has more
        await send_album_now(context, album.chat_id, album.media_group_id)
        return
    job_queue.run_once(
        send_album_when_complete,
        context.settings.handoff_album_wait_seconds,
        data=(album.chat_id, album.media_group_id),
        name=name,
    )


async def send_album_when_complete(context: BotContext) -> None:
    """No part came for a while: the album goes to staff (unless it went already)."""
    assert context.job is not None
    chat_id, media_group_id = context.job.data  # type: ignore[misc]
    await send_album_now(context, chat_id, media_group_id)


async def send_album_now(context: BotContext, chat_id: int, media_group_id: str) -> None:
    albums = context.services.albums
    async with albums.in_order(chat_id):
        for album in albums.take(chat_id, media_group_id):
            await send_album(context, album)


@asynccontextmanager
async def after_waiting_albums(context: BotContext, chat_id: int) -> AsyncIterator[None]:
    """The chat's albums still gathering parts go to staff first; then, in the chat's turn,
    what the user sent after them."""
    albums = context.services.albums
    async with albums.in_order(chat_id):
        for album in albums.take(chat_id):
            await send_album(context, album)
        yield


async def send_every_waiting_album(application: Application) -> None:  # type: ignore[type-arg]
    """At shutdown: albums still gathering parts go as they are, rather than being lost."""
    context = BotContext(application)
    for chat_id in application.bot_data[SERVICES].albums.chats():
        async with after_waiting_albums(context, chat_id):
            pass


async def send_album(context: BotContext, album: PendingAlbum) -> None:
    """To staff, and the user told once: that it went (the first time), or that it did not."""
    try:
        first = await deliver_album_to_staff(context, album.ticket, album.messages)
    except TelegramError as error:
        logger.warning(
            "Could not pass an album on to staff (ticket %s): %s", album.ticket.id, error
        )
        await tell_user(context, album, NOT_SENT)
        return
    if first:
        await tell_user(context, album, SENT_TO_STAFF)


async def tell_user(context: BotContext, album: PendingAlbum, text: str) -> None:
    translator = context.services.translators[album.locale]
    try:
        await context.bot.send_message(
            album.chat_id, translator.gettext(text), reply_markup=end_talking_keyboard(translator)
        )
    except TelegramError:
        logger.info("Could not tell a user about their album to staff")
