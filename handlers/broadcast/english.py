"""The optional English version of a broadcast: sent after the main (Indonesian) message,
it is the copy that people who read the bot in English get."""

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.broadcast.audience import versions_changed
from bot.context import BotContext
from bot.forms.conversation import ended, enter_form, reply
from bot.navigation import ID
from bot.screens import show
from bot.staff.roles import staff_only
from db.broadcasts import DRAFT, get_broadcast
from handlers.broadcast import screens

P = screens.P
COMPOSING_ENGLISH = "composing_broadcast_english"
# Which draft the English version belongs to.
BROADCAST_ID = "broadcast_id"


@staff_only
async def ask_for_english(update: Update, context: BotContext) -> object:
    """🇬🇧 Add an English version: the next message is the copy English readers get."""
    broadcast_id = int(context.matches[0].group(1))
    async with context.db_session() as session, session.begin():
        broadcast = await get_broadcast(session, broadcast_id)
        if broadcast is None or broadcast.status != DRAFT:
            state = None
        else:
            state = await enter_form(session, update, COMPOSING_ENGLISH)
    if state is None:
        await show(update, screens.gone_screen(context.translator))
        return None
    context.user_data[BROADCAST_ID] = broadcast_id  # type: ignore[index]
    await show(update, screens.english_prompt_screen(context.translator))
    return state


@staff_only
async def save_english(update: Update, context: BotContext) -> object:
    """The English version is kept (a copy of this message); then the audience."""
    message = update.effective_message
    assert message is not None
    broadcast_id = context.user_data.get(BROADCAST_ID)  # type: ignore[union-attr]
    async with context.db_session() as session, session.begin():
        broadcast = await get_broadcast(session, broadcast_id) if broadcast_id else None
        if broadcast is None or broadcast.status != DRAFT:
            outcome = await ended(session, update, screens.gone_screen(context.translator))
        else:
            broadcast.english_message_id = message.message_id
            # A Send or Schedule button shown before now would send without this version.
            broadcast.audience = versions_changed(broadcast.audience)
            screen = screens.audience_screen(context.translator, broadcast.id, has_english=True)
            outcome = await ended(session, update, screen)
    return await reply(update, outcome)


def entry_points() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [CallbackQueryHandler(ask_for_english, pattern=rf"^{P}:{screens.ADD_ENGLISH}:({ID})$")]


def states() -> dict[object, list[BaseHandler]]:  # type: ignore[type-arg]
    # Like the main message, any kind of message: text, photo, document, video...
    message = filters.UpdateType.MESSAGE & ~filters.COMMAND
    return {COMPOSING_ENGLISH: [MessageHandler(message, save_english)]}
