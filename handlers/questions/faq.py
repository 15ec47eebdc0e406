"""Typed questions outside a form: the FAQ answers, and "this didn't help" reaches a person."""

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.context import BotContext
from bot.navigation import ASK_QUESTION, TALK_TO_STAFF, menu_button
from bot.privacy.retention import days_text
from bot.screens import Screen, show
from handlers.questions.answers import (
    CHOSEN_ANSWER,
    SEARCH_TYPED,
    TYPED_IN_FORM,
    answer_screen,
    remember_question,
    search_screen,
)

P = "faq"


async def answer_question(update: Update, context: BotContext) -> None:
    """Match typed text against the FAQ: one answer, a choice of answers, or a person."""
    text = (update.effective_message.text or "")[:500]  # type: ignore[union-attr]
    remember_question(context, text)
    await show(update, await search_screen(context, text))


async def answer_typed_before(update: Update, context: BotContext) -> None:
    """From inside a form: search the FAQ for what the user typed, then lead back."""
    text = context.user_data.get(TYPED_IN_FORM, "")  # type: ignore[union-attr]
    remember_question(context, text)
    await show(update, await search_screen(context, text))


async def show_answer(update: Update, context: BotContext) -> None:
    """An answer chosen from the suggestions."""
    code, question = context.matches[0].group(1), context.matches[0].group(2)
    question_id = int(question) if question else None
    await show(update, await answer_screen(context, code, others=[], question_id=question_id))


async def invite_question(update: Update, context: BotContext) -> None:
    """ "Ask a question" from the menu: say how."""
    _ = context.translator.gettext
    text = _(
        "💬 Type your question in your own words, for example: "
        "<i>kapan pendaftaran las dibuka?</i>\n\n"
        "Questions are kept {kept} (without NIK or phone numbers) so that staff can add the "
        "answers people miss."
    ).format(kept=days_text(context.translator, context.settings.keep_questions_days))
    rows = [[InlineKeyboardButton(_("💬 Talk to a person"), callback_data=TALK_TO_STAFF)]]
    await show(
        update, Screen(text, InlineKeyboardMarkup([*rows, [menu_button(context.translator)]]))
    )


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    typed = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND
    return [
        CallbackQueryHandler(invite_question, pattern=rf"^{ASK_QUESTION}$"),
        CallbackQueryHandler(answer_typed_before, pattern=rf"^{SEARCH_TYPED}$"),
        CallbackQueryHandler(show_answer, pattern=CHOSEN_ANSWER),
        MessageHandler(typed, answer_question),
    ]
