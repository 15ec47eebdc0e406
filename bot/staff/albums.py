"""A user's album reaching staff as one album: copied into the ticket's topic (copyMessages
keeps the grouping), or, where the group has no topics, sent again from its files
(sendMediaGroup) as a reply to the user's header, since copyMessages cannot reply. Every
copy is recorded, so a staff reply to any part reaches the user."""

import logging
from collections.abc import Sequence

from telegram import ReplyParameters
from telegram.error import BadRequest

from bot.context import BotContext
from bot.staff.album_parts import input_media
from bot.staff.staff_group import reopen_or_replace, topic_is_gone
from db.models import PendingAlbumPart, Ticket
from db.tickets import count_user_messages, get_header_message_id, record_message

logger = logging.getLogger(__name__)
# What Telegram answers when none of the messages to copy is left (the user deleted them).
NOTHING_TO_COPY = ("no messages to copy", "message to copy not found")
# Each copy, with the user's message it stands for (None where that is not known).
Copies = list[tuple[int | None, int]]


async def deliver_album_to_staff(
    context: BotContext, ticket: Ticket, parts: Sequence[PendingAlbumPart]
) -> bool | None:
    """Whether it was the user's first message to staff; None when nothing was left to send
    (the user deleted every part meanwhile). ConversationEnded if the ticket closed."""
    staff_chat = context.settings.staff_chat_id or 0
    try:
        copies = await send_into_place(context, ticket, staff_chat, parts)
    except BadRequest as error:
        if not topic_is_gone(error):
            raise
        await reopen_or_replace(context, ticket, staff_chat)
        copies = await send_into_place(context, ticket, staff_chat, parts)
    if not copies:
        logger.info("Ticket %s: every part of an album was deleted before it went", ticket.id)
        return None
    async with context.db_session() as session, session.begin():
        before = await count_user_messages(session, ticket.id)
        for source, copied_id in copies:
            await record_message(
                session,
                ticket_id=ticket.id,
                staff_message_id=copied_id,
                user_message_id=source,
                from_staff=False,
            )
    return before == 0


async def send_into_place(
    context: BotContext, ticket: Ticket, staff_chat: int, parts: Sequence[PendingAlbumPart]
) -> Copies:
    try:
        if ticket.topic_id is not None:
            return await copy_into_topic(context, ticket.topic_id, staff_chat, parts)
        return await send_as_reply(context, ticket, staff_chat, parts)
    except BadRequest as error:
        if any(nothing in error.message.lower() for nothing in NOTHING_TO_COPY):
            return []
        raise


async def copy_into_topic(
    context: BotContext, topic_id: int, staff_chat: int, parts: Sequence[PendingAlbumPart]
) -> Copies:
    copied = await context.bot.copy_messages(
        staff_chat,
        parts[0].chat_id,
        [part.message_id for part in parts],
        message_thread_id=topic_id,
    )
    # Telegram skips parts it cannot copy (one the user deleted meanwhile, say): then which
    # copy is which part is unknown, and the copies are kept only for staff replies.
    if len(copied) == len(parts):
        return [(part.message_id, c.message_id) for part, c in zip(parts, copied, strict=True)]
    return [(None, c.message_id) for c in copied]


async def send_as_reply(
    context: BotContext, ticket: Ticket, staff_chat: int, parts: Sequence[PendingAlbumPart]
) -> Copies:
    async with context.db_session() as session:
        header_id = await get_header_message_id(session, ticket.id)
    # Delivered even if staff deleted the header: the copies are still recorded for replies.
    reply = ReplyParameters(header_id, allow_sending_without_reply=True) if header_id else None
    if len(parts) == 1:  # an album needs two parts (another process took the rest)
        copied = await context.bot.copy_message(
            staff_chat, parts[0].chat_id, parts[0].message_id, reply_parameters=reply
        )
        return [(parts[0].message_id, copied.message_id)]
    vault = context.services.vault
    sent = await context.bot.send_media_group(
        staff_chat, [input_media(part, vault) for part in parts], reply_parameters=reply
    )
    return [(part.message_id, m.message_id) for part, m in zip(parts, sent, strict=True)]
