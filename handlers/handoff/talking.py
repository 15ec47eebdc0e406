"""Talking to a person, the user's side: their messages go to the staff group (one forum
topic per user, or copies replying to the user's header where the group has no topics) and
staff replies come back from the bot, so users see the centre, never a staff account."""

import logging

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import BotContext
from bot.forms.conversation import enter_form, leave_form
from bot.i18n import N_
from bot.navigation import (
    END_TALKING,
    ID,
    TALK_ABOUT_QUESTION,
    TALK_TO_STAFF,
    end_talking_keyboard,
    menu_button,
)
from bot.privacy.retention import months_text
from bot.screens import Screen, show
from bot.staff.album_parts import album_part
from bot.staff.staff_group import (
    ConversationEnded,
    deliver_to_staff,
    open_ticket_in_group,
    tell_staff,
)
from db.faq_questions import mark_didnt_help
from db.handoff_blocks import is_handoff_blocked
from db.models import User, utc_now
from db.tickets import close_ticket, get_open_ticket
from db.users import get_user
from handlers.handoff.albums import SENT_TO_STAFF, after_waiting_albums, collect_album_part
from handlers.questions.answers import DIDNT_HELP_PREFIX, LAST_QUESTION, search_screen

logger = logging.getLogger(__name__)
P = "ho"
TALKING = "talking_to_staff"
END = END_TALKING
USER_ENDED = N_("The user ended the conversation.")


async def start_talking(update: Update, context: BotContext) -> object:
    """Open (or reopen) the line to staff; from an FAQ screen, its question goes first."""
    question = None
    data = update.callback_query.data if update.callback_query else None
    if data == TALK_ABOUT_QUESTION or (data or "").startswith(DIDNT_HELP_PREFIX):
        question = context.user_data.pop(LAST_QUESTION, None)  # type: ignore[union-attr]
    if context.matches and context.matches[0].group(2):
        await mark_unhelpful(context, int(context.matches[0].group(2)))
    staff_chat = context.settings.staff_chat_id
    async with context.db_session() as session, session.begin():
        user = await get_user(session, context.user_id or 0)
        if staff_chat is None or user is None:
            return await finish(update, unavailable_screen(context))
        if await is_blocked_from_staff(session, context, user):
            return await finish(update, blocked_screen(context))
        ticket = await get_open_ticket(session, user.id)
    if ticket is None:
        ticket = await open_ticket_in_group(context, user, staff_chat)
    if question:
        await tell_staff(context, ticket, "❓ " + question)
    async with context.db_session() as session, session.begin():
        state = await enter_form(session, update, TALKING)
    text = context.translator.gettext(
        "💬 You are connected to the centre's staff. Type your message here; photos and "
        "documents are welcome too. They answer in this chat during working hours.\n\n"
        "What you send here is deleted {kept} after the conversation ends."
    ).format(kept=months_text(context.translator, context.settings.keep_handoff_months))
    # A new message, never an edit: the tap may come from under a staff answer.
    await show(update, Screen(text, talking_keyboard(context), edit=False))
    return state


async def mark_unhelpful(context: BotContext, question_id: int) -> None:
    """For the desk; the person is not contacted again about it, only this hand-off opens."""
    async with context.db_session() as session, session.begin():
        await mark_didnt_help(
            session, question_id=question_id, user_id=context.user_id or 0, at=utc_now()
        )


async def is_blocked_from_staff(
    session: AsyncSession, context: BotContext, user: User | None
) -> bool:
    """Blocked by staff: the flag on the user, or the code kept when they deleted their data."""
    if user is None:
        return False
    code = context.services.vault.user_code(user.id)
    return user.handoff_blocked or await is_handoff_blocked(session, code)


def talking_keyboard(context: BotContext) -> InlineKeyboardMarkup:
    return end_talking_keyboard(context.translator)


async def relay_to_staff(update: Update, context: BotContext) -> object:
    """A user's message while talking: copied into their topic and mapped for the reply;
    an album's parts are gathered first, to go as one album."""
    message: Message = update.effective_message  # type: ignore[assignment]
    async with context.db_session() as session, session.begin():
        user = await get_user(session, context.user_id or 0)
        ticket = await get_open_ticket(session, context.user_id or 0)
        if ticket is None or user is None or user.handoff_blocked:
            # Staff closed it meanwhile: the message is answered as any typed question would be.
            await leave_form(session, update)
    if ticket is None or user is None or user.handoff_blocked:
        return await finish(update, await search_screen(context, message.text or ""))
    part = album_part(message, context.services.vault) if message.media_group_id else None
    if part is not None:
        await collect_album_part(context, ticket, message, part)
        return None
    try:
        async with after_waiting_albums(context, message.chat_id):
            first = await deliver_to_staff(context, ticket, message)
    except ConversationEnded:
        return await finish(update, ended_before_sent_screen(context))
    except TelegramError:
        logger.warning("Could not pass a message on to staff (ticket %s)", ticket.id)
        text = context.translator.gettext(
            "Sorry, your message could not be passed on to the staff. Please send it again."
        )
        await show(update, Screen(text, talking_keyboard(context)))
        return None
    if first:
        text = context.translator.gettext(SENT_TO_STAFF)
        await show(update, Screen(text, talking_keyboard(context)))
    return None


async def end_talking(update: Update, context: BotContext) -> object:
    """The user ends the conversation; staff see that in the topic, which is closed."""
    await close_open_ticket(update, context)
    return await finish(update, ended_screen(context))


async def close_open_ticket(
    update: Update, context: BotContext, *, note: str = USER_ENDED
) -> None:
    """Close the user's open ticket (if any) and tell staff; also for /cancel and deletion.
    An album still gathering parts reaches staff before they read that it ended."""
    async with after_waiting_albums(context, context.user_id or 0):
        async with context.db_session() as session, session.begin():
            ticket = await get_open_ticket(session, context.user_id or 0)
            if ticket is not None:
                await close_ticket(session, ticket)
            await leave_form(session, update)
        if ticket is not None:
            staff = context.services.translators[context.settings.default_locale].gettext
            await tell_staff(context, ticket, staff(note), close=True)


async def finish(update: Update, screen: Screen) -> object:
    await show(update, screen)
    return ConversationHandler.END


def ended_before_sent_screen(context: BotContext) -> Screen:
    text = context.translator.gettext(
        "The conversation with the staff had ended just before this, so it was not passed on. "
        "To write to them again, tap «💬 Ask a question» in the menu."
    )
    return Screen(text, InlineKeyboardMarkup([[menu_button(context.translator)]]))


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
        CallbackQueryHandler(
            start_talking,
            pattern=rf"^({TALK_TO_STAFF}|{TALK_ABOUT_QUESTION}|{DIDNT_HELP_PREFIX}:({ID}))$",
        ),
        CallbackQueryHandler(end_talking, pattern=rf"^{END}$"),
    ]


def states() -> dict[object, list[BaseHandler]]:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    content = private & ~filters.COMMAND & ~filters.StatusUpdate.ALL
    return {TALKING: [MessageHandler(content, relay_to_staff)]}
