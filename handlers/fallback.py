"""Whatever no feature took: unknown commands, media and outdated buttons."""

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.context import BotContext
from bot.main_menu import main_menu_for
from bot.screens import show_screen


async def explain_unknown_command(update: Update, context: BotContext) -> None:
    """An unknown /command: say so and show the menu."""
    text = context.translator.gettext(
        "I don't know that command. Tap a button below, or send /help."
    )
    await show_screen(update, text, await main_menu_for(context))


async def explain_media(update: Update, context: BotContext) -> None:
    """A sticker, photo, voice note or file where none is needed."""
    text = context.translator.gettext(
        "I can only read text and button taps here. Please choose from the menu below."
    )
    await show_screen(update, text, await main_menu_for(context))


async def explain_outdated_button(update: Update, context: BotContext) -> None:
    """A button this version of the bot no longer knows: answer it and offer the menu."""
    if update.callback_query is not None:
        await update.callback_query.answer(
            context.translator.gettext("This button is out of date.")
        )
    text = context.translator.gettext(
        "That button is from an older message and no longer works. Here is the menu:"
    )
    if update.effective_chat is not None:
        await update.effective_chat.send_message(text, reply_markup=await main_menu_for(context))


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    return [
        MessageHandler(private & filters.COMMAND, explain_unknown_command),
        MessageHandler(private & ~filters.StatusUpdate.ALL, explain_media),
        CallbackQueryHandler(explain_outdated_button),
    ]
