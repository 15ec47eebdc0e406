"""A form left for the menu mid-way: /start, /menu, the menu button or the Sekolah Rakyat
link pause it (its step is kept, and committed), typed text is then a question for the FAQ,
and "▶️ Continue" brings back the exact question the user left."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

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
from bot.forms.side_questions import TypedStep, answers_paused_form
from bot.main_menu import main_menu_for
from bot.navigation import CONTINUE_FORM, MENU_HOME
from bot.screens import Screen
from handlers import start
from handlers.eligibility import check as eligibility
from handlers.programmes import links as programme_links
from handlers.questions import side_questions
from handlers.questions.answers import CHOSEN_ANSWER
from handlers.registration import answers as registration_answers
from handlers.registration import register as registration
from handlers.school import about as school
from handlers.school import interest as school_interest

Callback = Callable[[Update, BotContext], Awaitable[object]]


@dataclass(frozen=True)
class PausableForm:
    """What pausing needs of a form: its pending question, whether that is answered by
    typing, and the handlers of a typed answer and of a shared contact (if it asks for one)."""

    pending_question: Callable[[Update, BotContext, AsyncSession], Awaitable[Outcome]]
    pending_typed_question: Callable[[AsyncSession, BotContext], Awaitable[TypedStep | None]]
    save_typed: Callback
    save_contact: Callback | None = None


PAUSABLE_FORMS = {
    ELIGIBILITY_FORM: PausableForm(
        eligibility.pending_question,
        eligibility.pending_typed_question,
        eligibility.save_typed_answer,
    ),
    REGISTRATION_FORM: PausableForm(
        registration.pending_question,
        registration.pending_typed_question,
        registration_answers.save_typed,
        registration_answers.save_contact,
    ),
    SCHOOL_INTEREST_FORM: PausableForm(
        school_interest.pending_question,
        school_interest.pending_typed_question,
        school_interest.save_typed,
        school_interest.save_contact,
    ),
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
    """What pauses this form: the menu, the Sekolah Rakyat pages and programme links, as
    outside a form."""
    return [
        CommandHandler("start", pausing(school.show_home, form), filters=school.deep_link()),
        CommandHandler(
            "start",
            pausing(programme_links.open_linked_programme, form),
            filters=programme_links.PROGRAMME_START,
        ),
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
            outcome = await PAUSABLE_FORMS[form].pending_question(update, context, session)
    state, screen = outcome
    return await reply(update, (state, replace(screen, edit=False)))


async def answer_while_paused(update: Update, context: BotContext) -> object:
    """Typed text while a form is paused: a question for the FAQ, unless it can only be the
    answer to the pending question (a valid age, date, NIK, phone number or e-mail)."""
    text = update.effective_message.text or ""  # type: ignore[union-attr]
    async with context.db_session() as session:
        form = await current_form(session, context)
        typed = (
            await PAUSABLE_FORMS[form].pending_typed_question(session, context) if form else None
        )
    if form is not None and answers_paused_form(typed, text):
        return await PAUSABLE_FORMS[form].save_typed(update, context)
    await side_questions.answer_while_paused(update, context)
    return None


async def save_contact_while_paused(update: Update, context: BotContext) -> object:
    """A contact shared while a form is paused (its share button stays on screen): the phone
    number the form asked for, or, if it asked for something else, its question again."""
    async with context.db_session() as session:
        form = await current_form(session, context)
    save_contact = PAUSABLE_FORMS[form].save_contact if form else None
    if save_contact is None:
        return await continue_form(update, context)
    return await save_contact(update, context)


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
        MessageHandler(typed, answer_while_paused),
        MessageHandler(filters.UpdateType.MESSAGE & filters.CONTACT, save_contact_while_paused),
        CallbackQueryHandler(side_questions.show_answer_while_paused, pattern=CHOSEN_ANSWER),
    ]
    pausable = {
        state: [*pause_handlers(str(state)), *handlers] if state in PAUSABLE_FORMS else handlers
        for state, handlers in states.items()
    }
    return pausable | {paused(form): while_paused for form in PAUSABLE_FORMS}
