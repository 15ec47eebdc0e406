"""A form left for the menu mid-way: /start, /menu, the menu button or the Sekolah Rakyat
link pause it (its step is kept, and committed), typed text is then a question for the FAQ,
and "▶️ Continue" brings back the exact question the user left."""

from collections.abc import Awaitable, Callable
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.forms.conversation import (
    ELIGIBILITY_FORM,
    REGISTRATION_FORM,
    SCHOOL_INTEREST_FORM,
    Outcome,
    current_form,
    pause_form,
    paused,
    reply,
)
from bot.main_menu import main_menu_for
from bot.navigation import CONTINUE_FORM, MENU_HOME
from bot.screens import Screen
from handlers import start
from handlers.eligibility import check as eligibility
from handlers.questions import side_questions
from handlers.registration import register as registration
from handlers.school import about as school
from handlers.school import interest as school_interest

Callback = Callable[[Update, BotContext], Awaitable[object]]
PendingQuestion = Callable[[Update, BotContext, AsyncSession], Awaitable[Outcome]]

PENDING_QUESTIONS: dict[str, PendingQuestion] = {
    ELIGIBILITY_FORM: eligibility.pending_question,
    REGISTRATION_FORM: registration.pending_question,
    SCHOOL_INTEREST_FORM: school_interest.pending_question,
}


def pausing(show_screen: Callback, form: str) -> Callback:
    """The callback `show_screen`, after pausing the form in its own committed step."""

    async def pause_and_show(update: Update, context: BotContext) -> object:
        async with context.db_session() as session, session.begin():
            state = await pause_form(session, update, form)
        await show_screen(update, context)
        return state

    return pause_and_show


def pause_handlers(form: str) -> list[BaseHandler]:  # type: ignore[type-arg]
    """What pauses this form: the menu and the Sekolah Rakyat pages, as outside a form."""
    return [
        CommandHandler("start", pausing(school.show_home, form), filters=school.deep_link()),
        CommandHandler("start", pausing(start.start, form)),
        CommandHandler("menu", pausing(start.show_main_menu, form)),
        CommandHandler("sekolahrakyat", pausing(school.show_home, form)),
        CallbackQueryHandler(pausing(start.show_main_menu, form), pattern=rf"^{MENU_HOME}$"),
    ]


async def continue_form(update: Update, context: BotContext) -> object:
    """▶️ Continue: the form's pending question, below the answer the user read; a form
    already sent or stopped gets a word and the menu."""
    async with context.db_session() as session, session.begin():
        form = await current_form(session, context)
        if form is None:
            outcome: Outcome = (None, await form_gone_screen(context))
        else:
            outcome = await PENDING_QUESTIONS[form](update, context, session)
    state, screen = outcome
    return await reply(update, (state, replace(screen, edit=False)))


async def form_gone_screen(context: BotContext) -> Screen:
    text = context.translator.gettext(
        "That form is no longer open: it was sent or stopped. What would you like to do?"
    )
    return Screen(text, await main_menu_for(context))


def entry_points() -> list[BaseHandler]:  # type: ignore[type-arg]
    """Continue works from any message, even one sent before a restart."""
    return [CallbackQueryHandler(continue_form, pattern=rf"^{CONTINUE_FORM}$")]


def with_pausing(
    states: dict[object, list[BaseHandler]],  # type: ignore[type-arg]
) -> dict[object, list[BaseHandler]]:  # type: ignore[type-arg]
    """The forms' states, each form pausable, and the states of the paused forms."""
    typed = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND
    while_paused = [
        MessageHandler(typed, side_questions.answer_while_paused),
        CallbackQueryHandler(
            side_questions.show_answer_while_paused, pattern=side_questions.CHOSEN_ANSWER
        ),
    ]
    pausable = {
        state: [*pause_handlers(str(state)), *handlers] if state in PENDING_QUESTIONS else handlers
        for state, handlers in states.items()
    }
    return pausable | {paused(form): while_paused for form in PENDING_QUESTIONS}
