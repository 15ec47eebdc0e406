"""The one conversation for forms: a user fills at most one form (eligibility check or
registration) at a time, and where they are is committed before the bot replies."""

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import ConversationHandler

from bot.persistence import remember_step
from bot.screens import Screen, show

FORMS = "forms"


async def enter_form(session: AsyncSession, update: Update, state: str) -> str:
    """Record, in the handler's transaction, that typed text now belongs to this form."""
    await remember_step(session, update, FORMS, state)
    return state


async def leave_form(session: AsyncSession, update: Update) -> None:
    await remember_step(session, update, FORMS, None)


# What a form handler decides inside its transaction: the conversation's next state and the
# screen to show once the transaction has committed.
Outcome = tuple[object, Screen]


async def ended(session: AsyncSession, update: Update, screen: Screen) -> Outcome:
    """Leave the form (recorded with the transaction) and show this screen."""
    await leave_form(session, update)
    return ConversationHandler.END, screen


async def reply(update: Update, outcome: Outcome) -> object:
    """After the commit: show the screen, and hand PTB the conversation's new state."""
    state, screen = outcome
    await show(update, screen)
    return state
