"""Edits during a hand-off: when a user edits a message they sent to staff, or a staff member
edits a reply, the bot's copy on the other side changes too, marked as edited. Only messages
of an open conversation are followed; anything else edited is left alone, as before."""

import logging

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import MessageLimit
from telegram.error import TelegramError
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.config import Settings
from bot.context import BotContext
from bot.i18n import N_, Translator
from db.tickets import find_staff_copy, find_user_copy
from db.users import get_user
from handlers.handoff.desk import INTERNAL_NOTE, reply_keyboard, staff_translator

logger = logging.getLogger(__name__)
# Telegram shows its own "edited" label, but not on bot messages with an inline keyboard
# (the staff replies users get), so the copy says it in words.
EDITED = N_("✏️ edited")


async def follow_user_edit(update: Update, context: BotContext) -> None:
    """A user edited a message they sent to staff: the copy in their topic follows."""
    edited: Message = update.edited_message  # type: ignore[assignment]
    async with context.db_session() as session:
        copy_id = await find_staff_copy(
            session, user_id=context.user_id or 0, user_message_id=edited.message_id
        )
    if copy_id is None or context.settings.staff_chat_id is None:
        return  # not sent to staff, sent before the mapping existed, or the talk is over
    await apply_edit(
        context, edited, context.settings.staff_chat_id, copy_id, staff_translator(context)
    )


async def follow_staff_edit(update: Update, context: BotContext) -> None:
    """A staff member edited a reply in the topic: the user's copy follows."""
    edited: Message = update.edited_message  # type: ignore[assignment]
    if (edited.text or edited.caption or "").startswith(INTERNAL_NOTE):
        return  # a reply turned into a note among staff: the user keeps what they got
    async with context.db_session() as session:
        found = await find_user_copy(session, staff_message_id=edited.message_id)
        user = await get_user(session, found[0]) if found is not None else None
    if found is None or user is None:
        return
    translator = context.services.translator_for(user)
    keyboard = reply_keyboard(context, user)
    await apply_edit(context, edited, user.id, found[1], translator, keyboard)


async def apply_edit(
    context: BotContext,
    edited: Message,
    chat_id: int,
    copy_id: int,
    translator: Translator,
    keyboard: InlineKeyboardMarkup | None = None,
) -> None:
    """Put the new text (or caption) on the copy; one that cannot be edited is logged."""
    mark = translator.gettext(EDITED)
    try:
        if edited.text is not None:
            await context.bot.edit_message_text(
                with_mark(edited.text, mark, MessageLimit.MAX_TEXT_LENGTH),
                chat_id=chat_id,
                message_id=copy_id,
                entities=edited.entities,
                parse_mode=None,
                reply_markup=keyboard,
            )
        else:
            await context.bot.edit_message_caption(
                chat_id=chat_id,
                message_id=copy_id,
                caption=with_mark(edited.caption or "", mark, MessageLimit.CAPTION_LENGTH),
                caption_entities=edited.caption_entities,
                parse_mode=None,
                reply_markup=keyboard,
            )
    except TelegramError as error:
        # The copy was deleted, or is no longer editable: the edit is lost, nothing else.
        logger.info("Could not apply an edit to copy %s: %s", copy_id, error.message)


def with_mark(text: str, mark: str, limit: int) -> str:
    """The text with the mark after it; without, if both would not fit (UTF-16 units)."""
    marked = f"{text}\n\n{mark}" if text else mark
    return marked if len(marked.encode("utf-16-le")) // 2 <= limit else text


def handlers(settings: Settings) -> list[BaseHandler]:  # type: ignore[type-arg]
    """Edits in private chats and, when there is one, in the staff group."""
    private = filters.ChatType.PRIVATE & filters.UpdateType.EDITED_MESSAGE
    found: list[BaseHandler] = [MessageHandler(private, follow_user_edit)]  # type: ignore[type-arg]
    if settings.staff_chat_id is not None:
        staff = filters.Chat(settings.staff_chat_id) & filters.UpdateType.EDITED_MESSAGE
        found.append(MessageHandler(staff, follow_staff_edit))
    return found
