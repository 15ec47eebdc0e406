"""Broadcast buttons that move a broadcast on also end any typed step left open (a time being
typed, an English version awaited), so the next message is not taken as that answer."""

import functools
from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import BotContext
from bot.forms.conversation import leave_form

Callback = Callable[[Update, BotContext], Awaitable[object]]


def leaves_form(callback: Callback) -> Callback:
    """Wrap a button's callback: the typed step is left (committed first), the callback runs,
    and the forms conversation ends. Such buttons are the conversation's entry points, so
    they are seen in every typed step. Put it under @staff_only: a refusal changes nothing."""

    @functools.wraps(callback)
    async def left(update: Update, context: BotContext) -> object:
        async with context.db_session() as session, session.begin():
            await leave_form(session, update)
        await callback(update, context)
        return ConversationHandler.END

    return left
