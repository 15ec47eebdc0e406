"""Talking to a person, the staff group's side: replies in a user's topic (or to one of their
messages) go to the user from the bot; /close and /block end the conversation, /unblock
lets a blocked user write again."""

import logging
import re

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.config import Settings
from bot.context import BotContext
from bot.i18n import Translator
from bot.navigation import TALK_TO_STAFF, USER_ID
from db.audit import record_action
from db.handoff_blocks import add_handoff_block, delete_handoff_block
from db.models import Ticket, User
from db.tickets import (
    close_ticket,
    find_ticket_by_staff_message,
    find_ticket_by_topic,
    list_open_tickets,
    record_message,
)
from db.users import get_user, mark_blocked
from handlers.handoff.albums import after_waiting_albums
from handlers.handoff.feedback import rating_keyboard, rating_question

logger = logging.getLogger(__name__)
# Staff may talk among themselves inside a topic: such messages are not passed on.
INTERNAL_NOTE = "#"


async def relay_to_user(update: Update, context: BotContext) -> None:
    """A staff message in a ticket's topic, or replying to one of its messages: to the user."""
    message: Message = update.effective_message  # type: ignore[assignment]
    if (message.text or message.caption or "").startswith(INTERNAL_NOTE):
        return
    async with context.db_session() as session:
        ticket = await ticket_of(session, message)
        user = await get_user(session, ticket.user_id) if ticket is not None else None
    if ticket is None:
        return  # staff talking among themselves, outside any ticket
    _ = staff_translator(context).gettext
    if ticket.status != "open" or user is None:
        await answer_staff(message, _("This conversation is closed: the message was not sent."))
        return
    try:
        copied = await message.copy(user.id, reply_markup=reply_keyboard(context, user))
    except Forbidden:
        async with context.db_session() as session, session.begin():
            await mark_blocked(session, [user.id])
        await answer_staff(message, _("The user has blocked the bot; the message was not sent."))
        return
    async with context.db_session() as session, session.begin():
        await record_message(
            session,
            ticket_id=ticket.id,
            staff_message_id=message.message_id,
            user_message_id=copied.message_id,
            from_staff=True,
        )


def staff_id(update: Update) -> int | None:
    return update.effective_user.id if update.effective_user else None


def staff_translator(context: BotContext) -> Translator:
    """Staff read the centre's default language, whatever the user's."""
    return context.services.translators[context.settings.default_locale]


def reply_keyboard(context: BotContext, user: User) -> InlineKeyboardMarkup:
    """Under each staff message, in the user's language: a way to answer back."""
    label = context.services.translator_for(user).gettext("↩️ Reply to the centre")
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=TALK_TO_STAFF)]])


async def ticket_of(session: object, message: Message) -> Ticket | None:
    if message.is_topic_message and message.message_thread_id:
        return await find_ticket_by_topic(session, message.message_thread_id)  # type: ignore[arg-type]
    if message.reply_to_message is not None:
        return await find_ticket_by_staff_message(session, message.reply_to_message.message_id)  # type: ignore[arg-type]
    return None


async def close_by_staff(update: Update, context: BotContext) -> None:
    """/close in a topic: the ticket ends and the user is told, in their language."""
    await end_by_staff(update, context, block=False)


async def block_by_staff(update: Update, context: BotContext) -> None:
    """/block in a topic: every ticket of the user closes and they cannot write to staff."""
    await end_by_staff(update, context, block=True)


async def end_by_staff(update: Update, context: BotContext, *, block: bool) -> None:
    message: Message = update.effective_message  # type: ignore[assignment]
    _ = staff_translator(context).gettext
    async with context.db_session() as session:
        found = await ticket_of(session, message)
    if found is None:
        await answer_staff(
            message, _("Use /close or /block inside a user's topic, or as a reply.")
        )
        return
    # What the user sent before this (an album still gathering parts) reaches staff first.
    async with after_waiting_albums(context, found.user_id):
        async with context.db_session() as session, session.begin():
            ticket = await session.get(Ticket, found.id)
            user = await get_user(session, found.user_id)
            already = ticket is None or (ticket.status != "open" and not block)
            if ticket is not None and not already:
                for open_ticket in {ticket, *await list_open_tickets(session, ticket.user_id)}:
                    await close_ticket(session, open_ticket)
                if block and user is not None:
                    await block_user(session, context, user, actor_id=staff_id(update))
    if ticket is None or already:
        await answer_staff(message, _("This conversation was already closed."))
        return
    await tell_user_it_ended(context, user, ticket_id=ticket.id, block=block)
    await answer_staff(
        message,
        _("Blocked and closed. /unblock here lifts the block.")
        if block
        else _("Closed; the user was told."),
    )
    if ticket.topic_id is not None:
        try:
            await context.bot.close_forum_topic(message.chat_id, ticket.topic_id)
        except TelegramError:
            logger.info("Could not close topic %s", ticket.topic_id)


async def block_user(
    session: AsyncSession, context: BotContext, user: User, *, actor_id: int | None
) -> None:
    """The flag on the user, and the same block kept by code, so it outlives their data."""
    user.handoff_blocked = True
    code = context.services.vault.user_code(user.id)
    await add_handoff_block(session, code, blocked_by=actor_id)
    await record_action(
        session, actor_id=actor_id, action="handoff.block", details={"user_code": code[:12]}
    )


async def unblock_by_staff(update: Update, context: BotContext) -> None:
    """/unblock in a blocked user's topic, or /unblock <their id>: they may write again."""
    message: Message = update.effective_message  # type: ignore[assignment]
    _ = staff_translator(context).gettext
    async with context.db_session() as session, session.begin():
        user_id = await user_to_unblock(session, message, context.args or [])
        user = await get_user(session, user_id) if user_id is not None else None
        lifted = user_id is not None and await lift_block(session, context, user_id, user)
        if lifted:
            code = context.services.vault.user_code(user_id)  # type: ignore[arg-type]
            await record_action(
                session,
                actor_id=staff_id(update),
                action="handoff.unblock",
                details={"user_code": code[:12]},
            )
    if user_id is None:
        usage = _("Use /unblock inside the user's topic, or /unblock followed by their id.")
        await answer_staff(message, usage, or_in_general=True)
    elif not lifted:
        await answer_staff(message, _("This user is not blocked."), or_in_general=True)
    else:
        await tell_user_they_may_write(context, user)
        text = _("Unblocked: the user can write to staff again.")
        await answer_staff(message, text, or_in_general=True)


async def user_to_unblock(session: AsyncSession, message: Message, args: list[str]) -> int | None:
    if args:
        return int(args[0]) if re.fullmatch(USER_ID, args[0]) else None
    ticket = await ticket_of(session, message)
    return ticket.user_id if ticket is not None else None


async def lift_block(
    session: AsyncSession, context: BotContext, user_id: int, user: User | None
) -> bool:
    lifted = await delete_handoff_block(session, context.services.vault.user_code(user_id))
    if user is not None and user.handoff_blocked:
        user.handoff_blocked = False
        lifted = True
    return lifted


async def tell_user_they_may_write(context: BotContext, user: User | None) -> None:
    if user is None:
        return  # they deleted their data: nothing says which language they read
    text = context.services.translator_for(user).gettext(
        "You can write to the centre's staff through the bot again: tap «💬 Ask a question» "
        "in the menu."
    )
    try:
        await context.bot.send_message(user.id, text)
    except TelegramError:
        logger.info("Could not tell a user they may write to staff again")


async def tell_user_it_ended(
    context: BotContext, user: User | None, *, ticket_id: int, block: bool
) -> None:
    """In the user's language; after /close (not /block) with the rating buttons, once."""
    if user is None:
        return
    translator = context.services.translator_for(user)
    _ = translator.gettext
    keyboard = None
    if block:
        text = _(
            "The centre has closed this conversation. Messages to staff through the bot "
            "are no longer possible; please visit the centre."
        )
    else:
        text = _(
            "The centre has closed this conversation. If you need more help, tap "
            "«💬 Ask a question» in the menu."
        )
        text += "\n\n" + rating_question(translator)
        keyboard = rating_keyboard(ticket_id)
    try:
        await context.bot.send_message(user.id, text, reply_markup=keyboard)
    except TelegramError:
        logger.info("Could not tell user %s the conversation ended", user.id)


async def answer_staff(message: Message, text: str, *, or_in_general: bool = False) -> None:
    """A reply to the staff member; optionally in the group's General topic when the reply
    cannot go where they wrote (a topic closed by /block, say)."""
    try:
        await message.reply_text(text)
        return
    except TelegramError:
        logger.info("Could not answer in the staff group")
    if or_in_general:
        try:
            await message.get_bot().send_message(message.chat_id, text)
        except TelegramError:
            logger.info("Could not answer in the staff group's General topic either")


def handlers(settings: Settings) -> list[BaseHandler]:  # type: ignore[type-arg]
    """The staff group's side; without a staff group configured there is none."""
    if settings.staff_chat_id is None:
        return []
    staff = filters.Chat(settings.staff_chat_id) & filters.UpdateType.MESSAGE
    return [
        CommandHandler("close", close_by_staff, filters=staff),
        CommandHandler("block", block_by_staff, filters=staff),
        CommandHandler("unblock", unblock_by_staff, filters=staff),
        MessageHandler(staff & ~filters.COMMAND & ~filters.StatusUpdate.ALL, relay_to_user),
    ]
