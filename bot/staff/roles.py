"""Who may do what in the staff console, checked on the server for every command and button.

A button is not a permission: callback data can be forged or a message forwarded, so each
staff callback is wrapped here and looks the role up again before doing anything.
"""

import functools
from collections.abc import Awaitable, Callable

from telegram import Update

from bot.context import BotContext
from db.staff import get_role

ADMIN = "admin"
STAFF = "staff"
Callback = Callable[[Update, BotContext], Awaitable[object]]


def is_staff(role: str | None) -> bool:
    return role in (ADMIN, STAFF)


def is_admin(role: str | None) -> bool:
    return role == ADMIN


async def current_role(context: BotContext) -> str | None:
    if context.user_id is None:
        return None
    async with context.db_session() as session:
        return await get_role(session, context.user_id)


async def refuse(update: Update, context: BotContext) -> None:
    """The only answer a non-staff user gets: a short line, and nothing changes."""
    text = context.translator.gettext("This is for the centre's staff.")
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_chat is not None:
        await update.effective_chat.send_message(text)


def _requiring(allowed: Callable[[str | None], bool]) -> Callable[[Callback], Callback]:
    def decorate(callback: Callback) -> Callback:
        @functools.wraps(callback)
        async def checked(update: Update, context: BotContext) -> object:
            if not allowed(await current_role(context)):
                await refuse(update, context)
                # None keeps whatever conversation state the user was in (a form, say).
                return None
            return await callback(update, context)

        return checked

    return decorate


staff_only = _requiring(is_staff)
admin_only = _requiring(is_admin)
