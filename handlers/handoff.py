"""Talking to a person: the user's messages go to the staff group (one forum topic per user,
or replies to forwarded copies where the group has no topics), and staff replies come back
from the bot, so the user sees the centre and never a staff member's own account."""

import logging
from html import escape

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.config import Settings
from bot.context import BotContext
from bot.faq_answers import LAST_QUESTION, search_screen
from bot.forms import enter_form, leave_form
from bot.i18n import resolve_locale
from bot.navigation import TALK_TO_STAFF, menu_button
from bot.screens import Screen, show
from db.models import Ticket, User
from db.registrations import list_user_registrations
from db.tickets import (
    close_ticket,
    count_user_messages,
    create_ticket,
    find_ticket_by_staff_message,
    find_ticket_by_topic,
    get_open_ticket,
    record_message,
)
from db.users import get_user

logger = logging.getLogger(__name__)
P = "ho"
TALKING = "talking_to_staff"
END = f"{P}:end"


async def start_talking(update: Update, context: BotContext) -> object:
    """Open (or reopen) the line to the staff; the question that led here goes first."""
    _ = context.translator.gettext
    staff_chat = context.settings.staff_chat_id
    async with context.db_session() as session, session.begin():
        user = await get_user(session, context.user_id or 0)
        if staff_chat is None or user is None:
            return await finish(update, unavailable_screen(context))
        if user.handoff_blocked:
            return await finish(update, blocked_screen(context))
        ticket = await get_open_ticket(session, user.id)
        if ticket is None:
            ticket = await open_ticket(context, session, user, staff_chat)
        question = context.user_data.pop(LAST_QUESTION, None)  # type: ignore[union-attr]
        if question:
            sent = await context.bot.send_message(
                staff_chat, "❓ " + question, message_thread_id=ticket.topic_id
            )
            await record_message(
                session,
                ticket_id=ticket.id,
                staff_message_id=sent.message_id,
                user_message_id=None,
                from_staff=False,
            )
        state = await enter_form(session, update, TALKING)
    text = _(
        "💬 You are connected to the centre's staff. Type your message here; photos and "
        "documents are welcome too. They answer in this chat during working hours."
    )
    await show(update, Screen(text, talking_keyboard(context)))
    return state


async def open_ticket(
    context: BotContext, session: AsyncSession, user: User, staff_chat: int
) -> Ticket:
    """A new ticket, its topic (if the group has topics) and the message saying who it is."""
    ticket = await create_ticket(session, user_id=user.id)
    if await staff_group_has_topics(context, staff_chat):
        topic = await context.bot.create_forum_topic(
            staff_chat, name=f"{user.first_name[:100]} · #{ticket.id}"
        )
        ticket.topic_id = topic.message_thread_id
    header = await context.bot.send_message(
        staff_chat,
        await who_is_writing(session, user, context),
        parse_mode=ParseMode.HTML,
        message_thread_id=ticket.topic_id,
    )
    await record_message(
        session,
        ticket_id=ticket.id,
        staff_message_id=header.message_id,
        user_message_id=None,
        from_staff=False,
    )
    return ticket


async def staff_group_has_topics(context: BotContext, staff_chat: int) -> bool:
    services = context.services
    if services.staff_forum is None:
        services.staff_forum = bool((await context.bot.get_chat(staff_chat)).is_forum)
    return services.staff_forum


async def who_is_writing(session: AsyncSession, user: User, context: BotContext) -> str:
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
    return (
        f"👤 <b>{escape(user.first_name)}</b>{escape(username)} · {context.locale} · "
        f"id {user.id}\n{applied}\n\n"
        "Reply in this topic (or to this message) to answer. /close ends it, /block stops "
        "this user from writing to staff."
    )


def talking_keyboard(context: BotContext) -> InlineKeyboardMarkup:
    label = context.translator.gettext("✖️ End the conversation")
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=END)]])


async def relay_to_staff(update: Update, context: BotContext) -> object:
    """A user's message while talking: copied into their topic, mapped for the reply."""
    message: Message = update.effective_message  # type: ignore[assignment]
    staff_chat = context.settings.staff_chat_id
    async with context.db_session() as session, session.begin():
        ticket = await get_open_ticket(session, context.user_id or 0)
        if ticket is None or staff_chat is None:
            # Staff closed it meanwhile: the message is answered as any typed question would be.
            await leave_form(session, update)
    if ticket is None or staff_chat is None:
        context.user_data[LAST_QUESTION] = (message.text or "")[:500]  # type: ignore[index]
        return await finish(update, await search_screen(context, message.text or ""))
    async with context.db_session() as session, session.begin():
        copied = await message.copy(staff_chat, message_thread_id=ticket.topic_id)
        await record_message(
            session,
            ticket_id=ticket.id,
            staff_message_id=copied.message_id,
            user_message_id=message.message_id,
            from_staff=False,
        )
        first = await count_user_messages(session, ticket.id) == 1
    if first:
        text = context.translator.gettext("✅ Sent to the staff. They will answer here.")
        await show(update, Screen(text, talking_keyboard(context)))
    return None


async def end_talking(update: Update, context: BotContext) -> object:
    """The user ends the conversation; staff see that in the topic."""
    staff_chat = context.settings.staff_chat_id
    async with context.db_session() as session, session.begin():
        ticket = await get_open_ticket(session, context.user_id or 0)
        if ticket is not None:
            await close_ticket(session, ticket)
        await leave_form(session, update)
    if ticket is not None and staff_chat is not None:
        await tell_staff(context, staff_chat, ticket, "The user ended the conversation.")
    return await finish(update, ended_screen(context))


async def finish(update: Update, screen: Screen) -> object:
    await show(update, screen)
    return ConversationHandler.END


async def relay_to_user(update: Update, context: BotContext) -> None:
    """A staff message in a ticket's topic (or a reply to one of its messages): to the user."""
    message: Message = update.effective_message  # type: ignore[assignment]
    async with context.db_session() as session, session.begin():
        ticket = await ticket_of(session, message)
        if ticket is None:
            return  # staff talking among themselves
        if ticket.status != "open":
            await message.reply_text("This conversation is closed; the user was told.")
            return
        try:
            copied = await message.copy(ticket.user_id, reply_markup=reply_keyboard(context))
        except Forbidden:
            await message.reply_text(
                "The user has blocked the bot; the message was not delivered."
            )
            return
        await record_message(
            session,
            ticket_id=ticket.id,
            staff_message_id=message.message_id,
            user_message_id=copied.message_id,
            from_staff=True,
        )


def reply_keyboard(context: BotContext) -> InlineKeyboardMarkup:
    """Under each staff message: a way to answer back (users may have left the chat mode)."""
    services = context.services
    translator = services.translators[services.settings.default_locale]
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    translator.gettext("↩️ Reply to the centre"), callback_data=TALK_TO_STAFF
                )
            ]
        ]
    )


async def ticket_of(session: AsyncSession, message: Message) -> Ticket | None:
    if message.is_topic_message and message.message_thread_id:
        return await find_ticket_by_topic(session, message.message_thread_id)
    if message.reply_to_message is not None:
        return await find_ticket_by_staff_message(session, message.reply_to_message.message_id)
    return None


async def close_by_staff(update: Update, context: BotContext) -> None:
    """/close in a topic: the ticket ends and the user is told, in their language."""
    await end_by_staff(update, context, block=False)


async def block_by_staff(update: Update, context: BotContext) -> None:
    """/block in a topic: the user can no longer reach staff through the bot."""
    await end_by_staff(update, context, block=True)


async def end_by_staff(update: Update, context: BotContext, *, block: bool) -> None:
    message: Message = update.effective_message  # type: ignore[assignment]
    async with context.db_session() as session, session.begin():
        ticket = await ticket_of(session, message)
        if ticket is None:
            await message.reply_text("Use /close or /block inside a user's topic, or as a reply.")
            return
        user = await get_user(session, ticket.user_id)
        await close_ticket(session, ticket)
        if block and user is not None:
            user.handoff_blocked = True
    await notify_user_of_end(context, user, block=block)
    await message.reply_text("Blocked and closed." if block else "Closed; the user was told.")
    if ticket.topic_id is not None:
        try:
            await context.bot.close_forum_topic(message.chat_id, ticket.topic_id)
        except TelegramError:
            logger.info("Could not close topic %s", ticket.topic_id)


async def notify_user_of_end(context: BotContext, user: User | None, *, block: bool) -> None:
    if user is None:
        return
    services = context.services
    locale = resolve_locale(
        user.language, user.telegram_language, services.settings.default_locale
    )
    _ = services.translators[locale].gettext
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
    try:
        await context.bot.send_message(user.id, text)
    except TelegramError:
        logger.info("Could not tell user %s the conversation ended", user.id)


async def tell_staff(context: BotContext, staff_chat: int, ticket: Ticket, text: str) -> None:
    try:
        await context.bot.send_message(staff_chat, text, message_thread_id=ticket.topic_id)
    except TelegramError:
        logger.info("Could not tell staff about ticket %s", ticket.id)


def unavailable_screen(context: BotContext) -> Screen:
    text = context.translator.gettext(
        "Sorry, staff cannot be reached through the bot right now. Please visit the centre: "
        "Jl. Raya Pandeglang KM 3, Karundang, Cipocok Jaya, Kota Serang."
    )
    return Screen(text, InlineKeyboardMarkup([[menu_button(context.translator)]]))


def blocked_screen(context: BotContext) -> Screen:
    text = context.translator.gettext(
        "Messages to staff through the bot are not possible for you. Please visit the centre."
    )
    return Screen(text, InlineKeyboardMarkup([[menu_button(context.translator)]]))


def ended_screen(context: BotContext) -> Screen:
    text = context.translator.gettext(
        "The conversation with the staff has ended. You can start a new one at any time."
    )
    return Screen(text, InlineKeyboardMarkup([[menu_button(context.translator)]]))


def entry_points() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [
        CallbackQueryHandler(start_talking, pattern=rf"^{TALK_TO_STAFF}$"),
        CallbackQueryHandler(end_talking, pattern=rf"^{END}$"),
    ]


def states() -> dict[object, list[BaseHandler]]:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    return {
        TALKING: [
            MessageHandler(private & ~filters.COMMAND & ~filters.StatusUpdate.ALL, relay_to_staff)
        ]
    }


def handlers(settings: Settings) -> list[BaseHandler]:  # type: ignore[type-arg]
    """The staff group's side; without a staff group configured there is none."""
    if settings.staff_chat_id is None:
        return []
    staff = filters.Chat(settings.staff_chat_id) & filters.UpdateType.MESSAGE
    return [
        CommandHandler("close", close_by_staff, filters=staff),
        CommandHandler("block", block_by_staff, filters=staff),
        MessageHandler(staff & ~filters.COMMAND & ~filters.StatusUpdate.ALL, relay_to_user),
    ]
