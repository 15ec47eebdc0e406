"""Joining an intake: the programmes open now, and being told when a closed one opens."""

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import BotContext
from bot.navigation import REGISTRATION_PICK, REGISTRATION_PREFIX
from bot.screens import show
from db.programmes import get_programme, list_trainee_programmes
from db.registrations import add_intake_watcher
from handlers.registration import outcomes


async def choose_programme(update: Update, context: BotContext) -> None:
    """The programmes open for registration now, as buttons."""
    async with context.db_session() as session:
        programmes = await list_trainee_programmes(session)
    await show(update, outcomes.open_programmes_screen(context, programmes))


async def watch_intake(update: Update, context: BotContext) -> None:
    """Remember to tell the user when a closed or planned intake opens."""
    code = context.matches[0].group(1)
    async with context.db_session() as session, session.begin():
        programme = await get_programme(session, code)
        if programme is None or context.user_id is None:
            screen = outcomes.gone_screen(context)
        else:
            await add_intake_watcher(session, user_id=context.user_id, programme_code=code)
            screen = outcomes.watching_screen(context, programme)
    await show(update, screen)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [
        CallbackQueryHandler(choose_programme, pattern=rf"^{REGISTRATION_PICK}$"),
        CallbackQueryHandler(watch_intake, pattern=rf"^{REGISTRATION_PREFIX}:watch:([a-z0-9_]+)$"),
    ]
