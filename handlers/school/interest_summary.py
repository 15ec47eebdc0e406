"""The Sekolah Rakyat interest form's summary: change one answer, take a child out, and send
the request (the reference on screen, and the staff group told)."""

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler

from bot.context import BotContext
from bot.forms.conversation import Outcome, ended, leave_form, reply
from bot.forms.school_interest import SUMMARY, edit, find_child, next_step
from bot.navigation import ID
from db.models import SchoolInterest, SchoolInterestChild
from db.school_interests import delete_child, list_children, submit_interest
from handlers.school import interest_outcomes as outcomes
from handlers.school import interest_screens as screens
from handlers.school.interest import STEP, current_draft, on_draft, step_screen

REFERENCE_PREFIX = "SR"
P = screens.P


async def edit_answer(update: Update, context: BotContext) -> object:
    """From the summary: ask one question again (answering returns there), or add a child."""
    step = context.matches[0].group(1)

    async def work(session: AsyncSession, draft: SchoolInterest) -> Outcome:
        was_on_phone = draft.step == "phone"
        edit(draft, await list_children(session, draft.id), step)
        before = screens.keyboard_removed(was_on_phone and draft.step != "phone")
        return await step_screen(update, context, session, draft, before=before)

    return await on_draft(update, context, work)


async def remove_child(update: Update, context: BotContext) -> object:
    """Take one child out of the request (one child always stays), then the summary."""
    child_id = int(context.matches[0].group(1))

    async def work(session: AsyncSession, draft: SchoolInterest) -> Outcome:
        children = await list_children(session, draft.id)
        child = find_child(children, child_id)
        if child is not None and len(children) > 1:
            await delete_child(session, child)
            draft.step = next_step(draft, await list_children(session, draft.id))
        return await step_screen(update, context, session, draft)

    return await on_draft(update, context, work)


async def submit(update: Update, context: BotContext) -> object:
    """Commit the request, then show its reference and tell the staff group."""
    children: list[SchoolInterestChild] = []
    outcome: Outcome | None = None
    async with context.db_session() as session, session.begin():
        draft = await current_draft(session, context)
        if draft is None:
            await leave_form(session, update)
        else:
            children = await list_children(session, draft.id)
            outcome = await submit_draft(update, context, session, draft, children)
    if draft is None or outcome is None:
        # A second tap on Send: the reference on screen stays as it is.
        if update.callback_query is not None:
            await update.callback_query.answer(outcomes.already_sent_text(context))
        return ConversationHandler.END
    state = await reply(update, outcome)
    if draft.status == "submitted":
        await outcomes.notify_staff(context, draft, children)
    return state


async def submit_draft(
    update: Update,
    context: BotContext,
    session: AsyncSession,
    draft: SchoolInterest,
    children: Sequence[SchoolInterestChild],
) -> Outcome:
    if (step := next_step(draft, children)) != SUMMARY:
        draft.step = step
        return await step_screen(update, context, session, draft)
    code = await submit_interest(session, draft, prefix=REFERENCE_PREFIX)
    return await ended(session, update, outcomes.submitted_screen(context, code))


def entry_points() -> list[BaseHandler]:  # type: ignore[type-arg]
    """Summary buttons work from any message, even one sent before a restart."""
    return [
        CallbackQueryHandler(edit_answer, pattern=rf"^{P}:edit:{STEP}$"),
        CallbackQueryHandler(remove_child, pattern=rf"^{P}:drop:({ID})$"),
        CallbackQueryHandler(submit, pattern=rf"^{P}:submit$"),
    ]
