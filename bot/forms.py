"""The one conversation for forms: a user fills at most one form (eligibility check or
registration) at a time, and where they are is committed before the bot replies."""

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update

from bot.persistence import remember_step

FORMS = "forms"


async def enter_form(session: AsyncSession, update: Update, state: str) -> str:
    """Record, in the handler's transaction, that typed text now belongs to this form."""
    await remember_step(session, update, FORMS, state)
    return state


async def leave_form(session: AsyncSession, update: Update) -> None:
    await remember_step(session, update, FORMS, None)
