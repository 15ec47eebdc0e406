"""The staff group's side of a hand-off: a ticket's topic and header, and copying messages
into it. Telegram calls happen outside database transactions; the mapping is recorded after."""

import logging
from html import escape

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from bot.context import BotContext
from bot.i18n import N_
from db.models import Ticket, User
from db.registrations import list_user_registrations
from db.tickets import (
    count_user_messages,
    create_ticket,
    get_header_message_id,
    record_message,
    set_topic,
)

logger = logging.getLogger(__name__)
HOW_TO_REPLY = N_(
    "Reply in this topic (or to this message) to answer. Messages starting with # stay "
    "among staff. /close ends the conversation, /block stops this user from writing."
)


async def open_ticket_in_group(context: BotContext, user: User, staff_chat: int) -> Ticket:
    """A new ticket, its topic (where the group has topics) and the message saying who it is."""
    async with context.db_session() as session, session.begin():
        ticket = await create_ticket(session, user_id=user.id)
        header = await who_is_writing(context, session, user)
    await introduce(context, ticket, staff_chat, header)
    return ticket


async def introduce(context: BotContext, ticket: Ticket, staff_chat: int, header: str) -> None:
    topic_id = await new_topic(context, staff_chat, f"{user_label(header)} · #{ticket.id}")
    sent = await context.bot.send_message(
        staff_chat, header, parse_mode=ParseMode.HTML, message_thread_id=topic_id
    )
    ticket.topic_id = topic_id
    async with context.db_session() as session, session.begin():
        await set_topic(session, ticket.id, topic_id)
        await record_message(
            session,
            ticket_id=ticket.id,
            staff_message_id=sent.message_id,
            user_message_id=None,
            from_staff=False,
        )


def user_label(header: str) -> str:
    return header.split("</b>")[0].removeprefix("👤 <b>")[:100]


async def new_topic(context: BotContext, staff_chat: int, name: str) -> int | None:
    """A forum topic, or None where the group has none or the bot may not create them."""
    services = context.services
    if services.staff_forum is None:
        services.staff_forum = bool((await context.bot.get_chat(staff_chat)).is_forum)
    if not services.staff_forum:
        return None
    try:
        topic = await context.bot.create_forum_topic(staff_chat, name=name)
    except TelegramError:
        logger.warning("Cannot create a topic in the staff group; replying to copies instead")
        services.staff_forum = None  # ask again next time: the right may be granted
        return None
    return topic.message_thread_id


async def who_is_writing(context: BotContext, session: AsyncSession, user: User) -> str:
    """The first message staff see: who this is, in what language, and what they applied for."""
    registrations = await list_user_registrations(session, user.id)
    applied = (
        "\n".join(
            f"• {r.code} · {r.programme_code} · {r.status} · NIK {r.nik_masked}"
            for r in registrations
        )
        or "• –"
    )
    username = f" @{user.username}" if user.username else ""
    staff = context.services.translators[context.settings.default_locale].gettext
    name, handle = escape(user.first_name), escape(username)
    who = f"👤 <b>{name}</b>{handle} · {context.locale} · id {user.id}"
    return f"{who}\n{applied}\n\n{staff(HOW_TO_REPLY)}"


# What Telegram answers when a ticket's topic was closed or deleted in Telegram itself (by
# staff, say): then the topic is reopened or replaced. Any other refusal is not about the topic.
TOPIC_GONE = ("topic_closed", "topic_deleted", "message thread not found")


class ConversationEnded(Exception):
    """The ticket closed before what the user sent could reach staff."""


def topic_is_gone(error: BadRequest) -> bool:
    return any(gone in error.message.lower() for gone in TOPIC_GONE)


async def deliver_to_staff(context: BotContext, ticket: Ticket, message: Message) -> bool:
    """Copy a user's message into the ticket's place; returns whether it was their first."""
    staff_chat = context.settings.staff_chat_id or 0
    async with context.db_session() as session:
        header_id = await get_header_message_id(session, ticket.id)
    try:
        copied_id = await copy_into(message, staff_chat, ticket, header_id)
    except BadRequest as error:
        if not topic_is_gone(error):
            raise
        await reopen_or_replace(context, ticket, staff_chat)
        async with context.db_session() as session:
            header_id = await get_header_message_id(session, ticket.id)
        copied_id = await copy_into(message, staff_chat, ticket, header_id)
    async with context.db_session() as session, session.begin():
        await record_message(
            session,
            ticket_id=ticket.id,
            staff_message_id=copied_id,
            user_message_id=message.message_id,
            from_staff=False,
        )
        return await count_user_messages(session, ticket.id) == 1


async def copy_into(
    message: Message, staff_chat: int, ticket: Ticket, header_id: int | None
) -> int:
    if ticket.topic_id is not None:
        copied = await message.copy(staff_chat, message_thread_id=ticket.topic_id)
    else:
        # Without topics, each copy replies to the user's header, so staff can tell users apart.
        copied = await message.copy(staff_chat, reply_to_message_id=header_id)
    return copied.message_id


async def reopen_or_replace(context: BotContext, ticket: Ticket, staff_chat: int) -> None:
    """The ticket's topic is closed or gone in Telegram: reopen it, or start a new one. Not
    when the ticket itself has closed meanwhile (staff's /close): ConversationEnded."""
    async with context.db_session() as session:
        current = await session.get(Ticket, ticket.id)
    if current is None or current.status != "open":
        raise ConversationEnded(ticket.id)
    logger.info("Ticket %s: its topic is gone or closed; opening it again", ticket.id)
    if ticket.topic_id is not None:
        try:
            await context.bot.reopen_forum_topic(staff_chat, ticket.topic_id)
            return
        except TelegramError:
            pass
    async with context.db_session() as session, session.begin():
        user = await session.get(User, ticket.user_id)
        header = await who_is_writing(context, session, user)  # type: ignore[arg-type]
    await introduce(context, ticket, staff_chat, header)


async def tell_staff(
    context: BotContext, ticket: Ticket, text: str, *, close: bool = False
) -> None:
    """A note in the ticket's topic (or as a reply to its header); optionally close the topic."""
    staff_chat = context.settings.staff_chat_id
    if staff_chat is None:
        return
    async with context.db_session() as session:
        header_id = await get_header_message_id(session, ticket.id)
    try:
        await context.bot.send_message(
            staff_chat,
            text,
            message_thread_id=ticket.topic_id,
            reply_to_message_id=header_id if ticket.topic_id is None else None,
        )
        if close and ticket.topic_id is not None:
            await context.bot.close_forum_topic(staff_chat, ticket.topic_id)
    except TelegramError:
        logger.info("Could not tell staff about ticket %s", ticket.id)


async def erase_from_staff_group(
    bot: Bot, staff_chat: int, *, topic_id: int | None, message_ids: list[int]
) -> bool:
    """A conversation's copies leave the staff group when its retention ends: the whole topic,
    or the copies one by one where the group has no topics. False when Telegram refused (the
    bot lacks the Delete messages right, say): the record is kept to try again."""
    try:
        if topic_id is not None:
            await bot.delete_forum_topic(staff_chat, topic_id)
            return True
        for start in range(0, len(message_ids), 100):
            await bot.delete_messages(staff_chat, message_ids[start : start + 100])
    except BadRequest as error:
        if any(gone in error.message.lower() for gone in ("thread not found", "topic_id_invalid")):
            return True  # staff deleted the topic already
        logger.warning("Could not delete an expired conversation in the staff group: %s", error)
        return False
    except TelegramError as error:
        logger.warning("Could not delete an expired conversation in the staff group: %s", error)
        return False
    return True
