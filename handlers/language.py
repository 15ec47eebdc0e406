"""/language: switch between Bahasa Indonesia and English at any time."""

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.config import SUPPORTED_LOCALES
from bot.context import BotContext
from bot.navigation import LANGUAGE_CHOOSE, menu_button
from bot.screens import show_screen
from db.users import set_user_language

LANGUAGE_PREFIX = "lang"
# Each language is offered in its own name, so a reader of either can find theirs.
LANGUAGE_NAMES = {"id": "🇮🇩 Bahasa Indonesia", "en": "🇬🇧 English"}


def language_keyboard(current: str) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                ("✓ " if code == current else "") + LANGUAGE_NAMES[code],
                callback_data=f"{LANGUAGE_PREFIX}:set:{code}",
            )
        ]
        for code in SUPPORTED_LOCALES
    ]
    return InlineKeyboardMarkup(rows)


async def ask_for_language(update: Update, context: BotContext) -> None:
    """Offer the languages, marking the one in use."""
    text = "🌐 Pilih bahasa / Choose your language:"
    await show_screen(update, text, language_keyboard(context.locale))


async def save_language(update: Update, context: BotContext) -> None:
    """Store the chosen language and answer in it from now on."""
    code = context.matches[0].group(1) if context.matches else None
    if code not in SUPPORTED_LOCALES or context.user_id is None:
        await ask_for_language(update, context)
        return
    async with context.db_session() as session, session.begin():
        await set_user_language(session, user_id=context.user_id, language=code)
    context.remember_language(code)
    _ = context.translator.gettext
    text = _("Done: I will write to you in English.")
    keyboard = InlineKeyboardMarkup([[menu_button(context.translator)]])
    await show_screen(update, text, keyboard)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [
        CommandHandler("language", ask_for_language),
        CallbackQueryHandler(ask_for_language, pattern=rf"^{LANGUAGE_CHOOSE}$"),
        CallbackQueryHandler(save_language, pattern=rf"^{LANGUAGE_PREFIX}:set:(\w+)$"),
    ]
