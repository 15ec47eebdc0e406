"""The forms conversation: the eligibility check, registration, the Sekolah Rakyat request and
staff forms, one at a time per user."""

import warnings

from telegram import Update
from telegram.ext import CommandHandler, ConversationHandler
from telegram.warnings import PTBUserWarning

from bot.context import BotContext
from bot.forms.conversation import FORMS, FormsConversation, leave_form
from bot.main_menu import main_menu_for
from bot.screens import show_screen
from db.eligibility import set_checking_programme
from handlers import paused_forms
from handlers.broadcast import compose as broadcast
from handlers.eligibility import check as eligibility
from handlers.handoff import feedback as handoff_feedback
from handlers.handoff import talking as handoff
from handlers.intake import settings as intake_settings
from handlers.privacy import my_data
from handlers.registration import documents as registration_documents
from handlers.registration import register as registration
from handlers.review import moves as review_moves
from handlers.school import interest as school_interest
from handlers.school import interest_summary as school_interest_summary
from handlers.staff import question_answers
from handlers.staff import roles as staff
from handlers.stats import campaigns


async def cancel_form(update: Update, context: BotContext) -> int:
    """/cancel inside a form: leave it (a registration draft stays, to resume later; a
    conversation with staff ends, and they are told)."""
    await handoff.close_open_ticket(update, context)
    async with context.db_session() as session, session.begin():
        await leave_form(session, update)
        if context.user_id is not None:
            await set_checking_programme(session, user_id=context.user_id, programme_code=None)
    text = context.translator.gettext("Okay, stopped. What would you like to do?")
    await show_screen(update, text, await main_menu_for(context))
    return ConversationHandler.END


def conversation() -> FormsConversation:
    # Buttons carry their own meaning (the draft in the database says where the user is), so
    # PTB's advice to track callback queries per message does not apply here.
    warnings.filterwarnings("ignore", message=".*per_message=False.*", category=PTBUserWarning)
    return FormsConversation(
        entry_points=[
            *eligibility.entry_points(),
            *registration.entry_points(),
            *registration_documents.entry_points(),
            *my_data.entry_points(),
            *handoff.entry_points(),
            *handoff_feedback.entry_points(),
            *school_interest.entry_points(),
            *school_interest_summary.entry_points(),
            *review_moves.entry_points(),
            *staff.entry_points(),
            *broadcast.entry_points(),
            *intake_settings.entry_points(),
            *campaigns.entry_points(),
            *question_answers.entry_points(),
            *paused_forms.entry_points(),
        ],
        states=paused_forms.with_pausing(
            {
                **eligibility.states(),
                **registration.states(),
                **registration_documents.states(),
                **my_data.states(),
                **handoff.states(),
                **handoff_feedback.states(),
                **school_interest.states(),
                **review_moves.states(),
                **staff.states(),
                **broadcast.states(),
                **intake_settings.states(),
                **campaigns.states(),
                **question_answers.states(),
            }
        ),
        fallbacks=[CommandHandler("cancel", cancel_form)],
        name=FORMS,
        persistent=True,
        allow_reentry=True,
    )
