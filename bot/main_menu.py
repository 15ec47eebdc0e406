"""The main menu, shown by /start, /cancel and every dead end, so it lives outside features."""

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.context import BotContext
from bot.forms.conversation import REGISTRATION_FORM, continue_form_button, current_form
from bot.i18n import N_, Translator
from bot.navigation import (
    ASK_QUESTION,
    CATEGORIES,
    ELIGIBILITY_PICK,
    END_TALKING,
    HELP,
    LANGUAGE_CHOOSE,
    REGISTRATION_PICK,
    REGISTRATION_RESUME,
    SCHOOL_HOME,
    STATUS,
)
from db.registrations import get_draft
from db.tickets import get_open_ticket

# (label, callback data); two buttons a row.
MAIN_MENU = (
    (N_("📚 Programmes"), CATEGORIES),
    (N_("✅ Check eligibility"), ELIGIBILITY_PICK),
    (N_("📝 Register"), REGISTRATION_PICK),
    (N_("📄 My status"), STATUS),
    (N_("🏫 Sekolah Rakyat"), SCHOOL_HOME),
    (N_("💬 Ask a question"), ASK_QUESTION),
    (N_("ℹ️ Help"), HELP),
    (N_("🌐 Language"), LANGUAGE_CHOOSE),
)


def main_menu_keyboard(
    translator: Translator,
    *,
    unfinished: bool = False,
    talking: bool = False,
    paused_form: str | None = None,
) -> InlineKeyboardMarkup:
    """The main menu; a form left mid-way, an unfinished registration, or a conversation with
    staff still open (typed messages go to staff), shows first."""
    buttons = [
        InlineKeyboardButton(translator.gettext(label), callback_data=data)
        for label, data in MAIN_MENU
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    if paused_form is not None:
        rows.insert(0, [continue_form_button(translator, paused_form)])
    if unfinished and paused_form != REGISTRATION_FORM:
        label = translator.gettext("▶️ Continue registration")
        rows.insert(0, [InlineKeyboardButton(label, callback_data=REGISTRATION_RESUME)])
    if talking:
        label = translator.gettext("✖️ End the conversation with staff")
        rows.insert(0, [InlineKeyboardButton(label, callback_data=END_TALKING)])
    return InlineKeyboardMarkup(rows)


async def main_menu_for(context: BotContext) -> InlineKeyboardMarkup:
    """The menu for this user, with "Continue" if they left a form or a registration
    unfinished."""
    async with context.db_session() as session:
        draft = await get_draft(session, context.user_id) if context.user_id else None
        ticket = await get_open_ticket(session, context.user_id) if context.user_id else None
        form = await current_form(session, context)
    return main_menu_keyboard(
        context.translator,
        unfinished=draft is not None,
        talking=ticket is not None,
        paused_form=form,
    )
