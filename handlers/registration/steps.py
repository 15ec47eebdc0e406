"""Where a registration stands: its conversation state and the screen for its current step."""

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update

from bot.context import BotContext
from bot.forms.conversation import REGISTRATION_FORM, Outcome, enter_form
from bot.screens import Note
from db.models import Registration
from db.programmes import get_programme
from db.registrations import get_draft
from handlers.registration import screens

REGISTERING = REGISTRATION_FORM
CONSENT_PURPOSE = "registration"
MAX_FAILURES = 3


async def step_screen(
    update: Update,
    context: BotContext,
    session: AsyncSession,
    draft: Registration,
    *,
    hint: str | None = None,
    before: tuple[Note, ...] = (),
) -> Outcome:
    """Record the position with the transaction, and build the screen asking its question."""
    state = await enter_form(session, update, REGISTERING)
    programme = await get_programme(session, draft.programme_code)
    return state, screens.step_screen(context, draft, programme, hint=hint, before=before)


async def current_draft(session: AsyncSession, context: BotContext) -> Registration | None:
    return await get_draft(session, context.user_id) if context.user_id else None
