"""Showing a screen: edit the message whose button was tapped, or send a new one.

Handlers build a Screen inside their transaction and show it after the commit, so a user never
sees an answer the database does not have.
"""

import logging
from dataclasses import dataclass

from telegram import (
    Chat,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Note:
    """An extra message: the only way to bring up or take away a reply keyboard, or an answer
    shown before a screen (in HTML, with its own buttons)."""

    text: str
    keyboard: ReplyKeyboardMarkup | ReplyKeyboardRemove | InlineKeyboardMarkup | None
    html: bool = False


@dataclass(frozen=True)
class Screen:
    text: str
    keyboard: InlineKeyboardMarkup | None = None
    before: tuple[Note, ...] = ()
    after: tuple[Note, ...] = ()
    # False: always a new message, even when a button was tapped (the tapped one stays).
    edit: bool = True


async def show(update: Update, screen: Screen) -> None:
    chat = update.effective_chat
    if chat is not None:
        for note in screen.before:
            await send_note(chat, note)
    await show_screen(update, screen.text, screen.keyboard, edit=screen.edit and not screen.before)
    if chat is not None:
        for note in screen.after:
            await send_note(chat, note)


async def send_note(chat: Chat, note: Note) -> None:
    parse_mode = ParseMode.HTML if note.html else None
    await chat.send_message(note.text, parse_mode=parse_mode, reply_markup=note.keyboard)


async def show_screen(
    update: Update, text: str, keyboard: InlineKeyboardMarkup | None, *, edit: bool = True
) -> None:
    """Replace the tapped message in place (less scrolling on small phones), else send anew."""
    query = update.callback_query
    if query is not None:
        await query.answer()
    if edit and query is not None and query.message is not None and query.message.is_accessible:
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
