"""Questions asked in the middle of a form: answered from the FAQ with the same screens as
outside a form, then back to the form's pending question (bot/forms/side_questions.py says
which typed text is a question)."""

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.context import BotContext
from bot.forms.conversation import continue_form_button, current_form
from bot.navigation import CONTINUE_FORM
from bot.screens import Note, Screen, show
from handlers.questions.answers import (
    answer_screen,
    remember_question,
    search_screen,
)


async def side_answer(context: BotContext, text: str) -> Note:
    """The FAQ's answer to a question typed at a form's question, to show before it again."""
    remember_question(context, text[:500])
    screen = await search_screen(context, text[:500])
    return Note(screen.text, screen.keyboard, html=True)


def with_continue(screen: Screen, button: InlineKeyboardButton) -> Screen:
    """The screen with "Continue" as its first button (once, whatever the screen offered)."""
    rows = [
        [old for old in row if old.callback_data != CONTINUE_FORM and old.text != button.text]
        for row in (screen.keyboard.inline_keyboard if screen.keyboard else ())
    ]
    keyboard = InlineKeyboardMarkup([[button], *(row for row in rows if row)])
    return Screen(screen.text, keyboard, before=screen.before, after=screen.after)


async def with_continue_if_paused(context: BotContext, screen: Screen) -> Screen:
    async with context.db_session() as session:
        form = await current_form(session, context)
    if form is None:
        return screen
    return with_continue(screen, continue_form_button(context.translator, form))


async def answer_while_paused(update: Update, context: BotContext) -> None:
    """Typed text while a form is paused: a question, answered, with a way back to the form."""
    text = (update.effective_message.text or "")[:500]  # type: ignore[union-attr]
    remember_question(context, text)
    await show(update, await with_continue_if_paused(context, await search_screen(context, text)))


async def show_answer_while_paused(update: Update, context: BotContext) -> None:
    """An answer chosen from the suggestions while a form is paused, with the way back."""
    code, question = context.matches[0].group(1), context.matches[0].group(2)
    question_id = int(question) if question else None
    screen = await answer_screen(context, code, others=[], question_id=question_id)
    await show(update, await with_continue_if_paused(context, screen))
