"""Showing a screen: edit the message whose button was tapped, or send a new one."""

import logging

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

logger = logging.getLogger(__name__)


async def show_screen(update: Update, text: str, keyboard: InlineKeyboardMarkup | None) -> None:
    """Replace the tapped message in place (less scrolling on small phones), else send anew."""
    query = update.callback_query
    if query is not None and query.message is not None and query.message.is_accessible:
        await query.answer()
        try:
            await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=keyboard)
            return
        except BadRequest as error:
            # A double tap asks for the screen already shown; nothing to do.
            if "not modified" in error.message:
                return
            logger.info("Could not edit the tapped message (%s); sending a new one", error)
    chat = update.effective_chat
    if chat is None:
        return
    await chat.send_message(text, parse_mode=ParseMode.HTML, reply_markup=keyboard)
