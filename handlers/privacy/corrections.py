"""/mydata corrections: name, phone and e-mail typed, school, activity and home by button;
every registration still in play (and the matching eligibility answer) is corrected."""

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    ConversationHandler,
)

from bot.context import BotContext
from bot.forms.conversation import enter_form, leave_form
from bot.forms.profile_labels import answer_label
from bot.forms.registration import CHOICES
from bot.forms.typed_answers import TypedAnswerError, parse_email, parse_full_name, parse_phone
from bot.i18n import N_
from bot.navigation import MY_DATA, menu_button
from bot.privacy.contact_data import phone_columns
from bot.screens import Screen, show
from db.eligibility import save_answer
from db.registrations import correct_open_registrations
from db.school_interests import correct_user_interests
from db.users import get_user
from handlers.registration.screens import error_text

P = "me"
CORRECTING = "correcting_data"
FIX = f"{P}:fix"
TYPED_FIELDS = {"full_name": parse_full_name, "phone": parse_phone, "email": parse_email}
FIELD_LABELS = {
    "full_name": N_("Name"),
    "phone": N_("Phone"),
    "email": N_("E-mail"),
    "education": N_("Last school"),
    "activity": N_("Activity"),
    "regency": N_("Home"),
}
FIELD_QUESTIONS = {
    "full_name": N_("✍️ What is your full name, as written on your KTP?"),
    "phone": N_("📱 Type your phone number, for example 0812 3456 7890."),
    "email": N_("📧 Type your e-mail address, for example nama@gmail.com."),
}


async def choose_field(update: Update, context: BotContext) -> object:
    """Which answer to correct (leaving any correction in progress)."""
    _ = context.translator.gettext
    async with context.db_session() as session, session.begin():
        await stop_correcting(session, update, context)
    buttons = [
        InlineKeyboardButton(_(label), callback_data=f"{FIX}:{field}")
        for field, label in FIELD_LABELS.items()
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([InlineKeyboardButton(_("« Back"), callback_data=MY_DATA)])
    await show(update, Screen(_("✏️ What would you like to correct?"), InlineKeyboardMarkup(rows)))
    return ConversationHandler.END


async def ask_correction(update: Update, context: BotContext) -> object:
    """Ask for the new value: typed (the position is committed first), or with buttons."""
    field = context.matches[0].group(1)
    _ = context.translator.gettext
    back = [InlineKeyboardButton(_("« Back"), callback_data=FIX)]
    if field in CHOICES:
        buttons = [
            InlineKeyboardButton(
                answer_label(context.translator, field, value),
                callback_data=f"{P}:set:{field}:{value}",
            )
            for value in CHOICES[field]
        ]
        rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
        await show(
            update, Screen(_(FIELD_LABELS[field]) + ":", InlineKeyboardMarkup([*rows, back]))
        )
        return None
    async with context.db_session() as session, session.begin():
        user = await get_user(session, context.user_id or 0)
        if user is not None:
            user.correcting = field
        state = await enter_form(session, update, CORRECTING)
    await show(update, Screen(_(FIELD_QUESTIONS[field]), InlineKeyboardMarkup([back])))
    return state


async def save_typed_correction(update: Update, context: BotContext) -> object:
    """Apply a typed correction to every registration in play, or say what was wrong."""
    text = update.effective_message.text or ""  # type: ignore[union-attr]
    back = InlineKeyboardMarkup(
        [[InlineKeyboardButton(context.translator.gettext("« Back"), callback_data=FIX)]]
    )
    async with context.db_session() as session, session.begin():
        user = await get_user(session, context.user_id or 0)
        field = user.correcting if user else None
        if field not in TYPED_FIELDS:
            await stop_correcting(session, update, context)
            return await finish(update, corrected_screen(context, 0))
        try:
            value = TYPED_FIELDS[field](text)
        except TypedAnswerError as error:
            hint = error_text(context, error.reason)
            question = context.translator.gettext(FIELD_QUESTIONS[field])
            screen = Screen(f"⚠️ {hint}\n\n{question}", back)
        else:
            values = stored_columns(context, field, value)
            changed = await correct_open_registrations(
                session, user_id=context.user_id or 0, values=values
            )
            changed += await correct_user_interests(
                session, user_id=context.user_id or 0, values=values
            )
            await stop_correcting(session, update, context)
            return await finish(update, corrected_screen(context, changed))
    await show(update, screen)
    return None


def stored_columns(context: BotContext, field: str, value: str) -> dict[str, str]:
    """The columns a typed correction sets: a phone is stored encrypted, with its masked form."""
    if field == "phone":
        return phone_columns(context.services.vault, value)
    return {field: value}


async def finish(update: Update, screen: Screen) -> object:
    await show(update, screen)
    return ConversationHandler.END


async def save_choice_correction(update: Update, context: BotContext) -> None:
    """A button correction: the registrations in play and the eligibility answer alike."""
    field, value = context.matches[0].group(1), context.matches[0].group(2)
    changed = 0
    if field in CHOICES and value in CHOICES[field]:
        async with context.db_session() as session, session.begin():
            changed = await correct_open_registrations(
                session, user_id=context.user_id or 0, values={field: value}
            )
            changed += await correct_user_interests(
                session, user_id=context.user_id or 0, values={field: value}
            )
            await save_answer(session, user_id=context.user_id or 0, question=field, answer=value)
            changed += 1
    await show(update, corrected_screen(context, changed))


async def stop_correcting(session: Any, update: Update, context: BotContext) -> None:
    user = await get_user(session, context.user_id or 0)
    if user is not None and user.correcting is not None:
        user.correcting = None
        await leave_form(session, update)


def corrected_screen(context: BotContext, changed: int) -> Screen:
    _ = context.translator.gettext
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(_("🔐 My data"), callback_data=MY_DATA)],
            [menu_button(context.translator)],
        ]
    )
    if not changed:
        return Screen(_("There was nothing to correct: you have no registration yet."), keyboard)
    return Screen(_("✅ Corrected."), keyboard)
