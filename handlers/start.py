"""/start with its welcome and main menu, /help, and /cancel."""

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.main_menu import main_menu_for
from bot.navigation import CAMPAIGN_SOURCE, HELP, MENU_HOME, back_to_menu_keyboard
from bot.screens import show_screen
from db.funnel import record_bot_start


async def start(update: Update, context: BotContext) -> None:
    """Greet the user, keep the campaign they came from, and show the main menu."""
    if context.user_id is not None:
        payload = context.args[0] if context.args else ""
        async with context.db_session() as session, session.begin():
            await record_bot_start(
                session,
                user_id=context.user_id,
                campaign_source=payload if CAMPAIGN_SOURCE.match(payload) else None,
                first_contact=context.first_contact,
            )
    _ = context.translator.gettext
    text = _(
        "Hello! 👋 I am the assistant of <b>BBPVP Serang</b>, the vocational training centre "
        "of the Ministry of Manpower in Serang, Banten.\n\n"
        "I can show you our free training programmes, apprenticeships and work abroad, "
        "and Sekolah Rakyat for parents. Choose from the menu:"
    )
    await show_screen(update, text, await main_menu_for(context))


async def show_main_menu(update: Update, context: BotContext) -> None:
    """Show the main menu, from a button or /menu."""
    text = context.translator.gettext("What would you like to do?")
    await show_screen(update, text, await main_menu_for(context))


async def show_help(update: Update, context: BotContext) -> None:
    """Explain in a few lines how to use the bot."""
    _ = context.translator.gettext
    text = _(
        "<b>How to use this bot</b>\n\n"
        "Tap the buttons: it is quicker than typing.\n"
        "/start – main menu\n"
        "/programmes – training programmes\n"
        "/status – your registrations\n"
        "/mydata – see, correct or delete your data\n"
        "/language – Bahasa Indonesia or English\n"
        "/cancel – stop what you are doing\n\n"
        "Everything you send is kept, so you can stop and come back later."
    )
    await show_screen(update, text, back_to_menu_keyboard(context.translator))


async def cancel(update: Update, context: BotContext) -> None:
    """Leave whatever the user was doing and go back to the menu."""
    text = context.translator.gettext("Okay, stopped. What would you like to do?")
    await show_screen(update, text, await main_menu_for(context))


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [
        CommandHandler("start", start),
        CommandHandler("menu", show_main_menu),
        CommandHandler("help", show_help),
        CommandHandler("cancel", cancel),
        CallbackQueryHandler(show_main_menu, pattern=rf"^{MENU_HOME}$"),
        CallbackQueryHandler(show_help, pattern=rf"^{HELP}$"),
    ]
