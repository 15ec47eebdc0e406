"""/mydata: see everything stored about you, get it as a file, correct it, or delete it."""

import io
import json
from html import escape

from sqlalchemy import select
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import BotContext
from bot.data_export import personal_data_of
from bot.eligibility import ACTIVITIES, BANTEN_REGENCIES, EDUCATION_LEVELS, OUTSIDE_BANTEN
from bot.forms import enter_form, leave_form
from bot.i18n import N_
from bot.navigation import MY_DATA, menu_button
from bot.persistence import conversation_key, encode_key
from bot.profile_labels import answer_label
from bot.screens import Screen, show, show_screen
from bot.typed_answers import TypedAnswerError, parse_email, parse_full_name, parse_phone
from db.consents import withdraw_user_consents
from db.eligibility import save_answer
from db.models import Registration
from db.persistence import delete_conversation_states_of, delete_user_data
from db.registrations import anonymise_user_registrations
from db.users import delete_user, get_user

MY_DATA_PREFIX = "me"
CORRECTING = "correcting_data"
TYPED_FIELDS = {"full_name": parse_full_name, "phone": parse_phone, "email": parse_email}
CHOICE_FIELDS = {
    "education": EDUCATION_LEVELS,
    "activity": ACTIVITIES,
    "regency": (*BANTEN_REGENCIES, OUTSIDE_BANTEN),
}
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
OPEN_STATUSES = ("draft", "submitted", "verified", "test_scheduled", "accepted")


async def show_my_data(update: Update, context: BotContext) -> None:
    """Everything stored about the user, in words, NIK masked."""
    _ = context.translator.gettext
    async with context.db_session() as session:
        data = await personal_data_of(session, context.user_id or 0)
    lines = [_("🔐 <b>Your data in this bot</b>")]
    if data["telegram"]:
        lines.append(
            _("Telegram: {name}, language {language}").format(
                name=escape(data["telegram"]["first_name"]),
                language=data["telegram"]["language"] or context.locale,
            )
        )
    for question, value in data["eligibility_answers"].items():
        lines.append(f"• {escape(question)}: {escape(str(value))}")
    for registration in data["registrations"]:
        lines.append(
            _(
                "Registration {code} ({programme}): {name}, NIK {nik}, phone {phone}, "
                "e-mail {email}"
            ).format(
                code=registration["code"] or _("unfinished"),
                programme=registration["programme"],
                name=escape(registration["full_name"] or "–"),
                nik=registration["nik"] or "–",
                phone=registration["phone"] or "–",
                email=escape(registration["email"] or "–"),
            )
        )
    lines.append(_("Consents given: {count}").format(count=len(data["consents"])))
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(_("📄 Send me a file"), callback_data=f"{MY_DATA_PREFIX}:file")],
            [InlineKeyboardButton(_("✏️ Correct my data"), callback_data=f"{MY_DATA_PREFIX}:fix")],
            [
                InlineKeyboardButton(
                    _("🗑 Delete everything"), callback_data=f"{MY_DATA_PREFIX}:delete"
                )
            ],
            [menu_button(context.translator)],
        ]
    )
    await show_screen(update, "\n".join(lines), keyboard)


async def send_data_file(update: Update, context: BotContext) -> None:
    """The same data as a JSON file the user can keep."""
    async with context.db_session() as session:
        data = await personal_data_of(session, context.user_id or 0)
    if update.callback_query:
        await update.callback_query.answer()
    content = json.dumps(data, ensure_ascii=False, indent=2).encode()
    await update.effective_chat.send_document(  # type: ignore[union-attr]
        io.BytesIO(content),
        filename="my-data.json",
        caption=context.translator.gettext("Your data as stored by this bot (NIK masked)."),
    )


async def choose_field(update: Update, context: BotContext) -> None:
    """Which answer to correct."""
    _ = context.translator.gettext
    buttons = [
        InlineKeyboardButton(_(label), callback_data=f"{MY_DATA_PREFIX}:fix:{field}")
        for field, label in FIELD_LABELS.items()
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([InlineKeyboardButton(_("« Back"), callback_data=MY_DATA)])
    await show_screen(update, _("✏️ What would you like to correct?"), InlineKeyboardMarkup(rows))


async def ask_correction(update: Update, context: BotContext) -> object:
    """Ask for the new value: typed, or with buttons."""
    field = context.matches[0].group(1)
    _ = context.translator.gettext
    back = [InlineKeyboardButton(_("« Back"), callback_data=f"{MY_DATA_PREFIX}:fix")]
    if field in CHOICE_FIELDS:
        buttons = [
            InlineKeyboardButton(
                answer_label(context.translator, field, value),
                callback_data=f"{MY_DATA_PREFIX}:set:{field}:{value}",
            )
            for value in CHOICE_FIELDS[field]
        ]
        rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
        await show_screen(
            update, _(FIELD_LABELS[field]) + ":", InlineKeyboardMarkup([*rows, back])
        )
        return None
    async with context.db_session() as session, session.begin():
        user = await get_user(session, context.user_id or 0)
        if user is not None:
            user.correcting = field
        state = await enter_form(session, update, CORRECTING)
    await show_screen(update, _(FIELD_QUESTIONS[field]), InlineKeyboardMarkup([back]))
    return state


async def save_typed_correction(update: Update, context: BotContext) -> object:
    """Apply a typed correction to every open registration, or say what was wrong."""
    text = update.effective_message.text or ""  # type: ignore[union-attr]
    async with context.db_session() as session, session.begin():
        user = await get_user(session, context.user_id or 0)
        field = user.correcting if user else None
        if field not in TYPED_FIELDS:
            await leave_form(session, update)
            screen = Screen(context.translator.gettext("Nothing is being corrected now."))
            state: object = ConversationHandler.END
        else:
            try:
                value = TYPED_FIELDS[field](text)
            except TypedAnswerError:
                screen = Screen(
                    context.translator.gettext("That does not fit. Please try again, or go back.")
                    + "\n\n"
                    + context.translator.gettext(FIELD_QUESTIONS[field])
                )
                state = None
            else:
                await apply_correction(session, context.user_id or 0, field, value)
                user.correcting = None  # type: ignore[union-attr]
                await leave_form(session, update)
                screen = corrected_screen(context)
                state = ConversationHandler.END
    await show(update, screen)
    return state


async def save_choice_correction(update: Update, context: BotContext) -> None:
    field, value = context.matches[0].group(1), context.matches[0].group(2)
    if field in CHOICE_FIELDS and value in CHOICE_FIELDS[field]:
        async with context.db_session() as session, session.begin():
            await apply_correction(session, context.user_id or 0, field, value)
            await save_answer(session, user_id=context.user_id or 0, question=field, answer=value)
    await show(update, corrected_screen(context))


async def apply_correction(session, user_id: int, field: str, value: str) -> None:  # noqa: ANN001
    query = select(Registration).where(
        Registration.user_id == user_id, Registration.status.in_(OPEN_STATUSES)
    )
    for registration in (await session.scalars(query)).all():
        setattr(registration, field, value)


def corrected_screen(context: BotContext) -> Screen:
    _ = context.translator.gettext
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(_("🔐 My data"), callback_data=MY_DATA)],
            [menu_button(context.translator)],
        ]
    )
    return Screen(_("✅ Corrected."), keyboard)


async def confirm_deletion(update: Update, context: BotContext) -> None:
    _ = context.translator.gettext
    text = _(
        "🗑 Delete everything this bot stores about you? Your answers and registrations are "
        "erased; only anonymous counts (programme and stage) stay for statistics. "
        "This cannot be undone."
    )
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("🗑 Yes, delete everything"), callback_data=f"{MY_DATA_PREFIX}:erase"
                )
            ],
            [InlineKeyboardButton(_("No, keep it"), callback_data=MY_DATA)],
        ]
    )
    await show_screen(update, text, keyboard)


async def delete_everything(update: Update, context: BotContext) -> object:
    """Erase the person's data, keeping anonymous registration counts only."""
    user_id = context.user_id or 0
    async with context.db_session() as session, session.begin():
        await anonymise_user_registrations(session, user_id)
        await withdraw_user_consents(session, user_id)
        await delete_user_data(session, user_id)
        await delete_conversation_states_of(session, encode_key(conversation_key(update)))
        await delete_user(session, user_id)
    context.application.drop_user_data(user_id)
    context.remember_language(None)
    text = context.translator.gettext(
        "Done: everything is deleted. If you write to the bot again, it will only know your "
        "Telegram name and language."
    )
    await show_screen(update, text, InlineKeyboardMarkup([[menu_button(context.translator)]]))
    return ConversationHandler.END


def entry_points() -> list[BaseHandler]:  # type: ignore[type-arg]
    fields = "|".join(TYPED_FIELDS)
    return [
        CallbackQueryHandler(ask_correction, pattern=rf"^{MY_DATA_PREFIX}:fix:({fields})$"),
        CallbackQueryHandler(delete_everything, pattern=rf"^{MY_DATA_PREFIX}:erase$"),
    ]


def states() -> dict[object, list[BaseHandler]]:  # type: ignore[type-arg]
    return {CORRECTING: [MessageHandler(filters.TEXT & ~filters.COMMAND, save_typed_correction)]}


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    choices = "|".join(CHOICE_FIELDS)
    return [
        CommandHandler("mydata", show_my_data),
        CallbackQueryHandler(show_my_data, pattern=rf"^{MY_DATA}$"),
        CallbackQueryHandler(send_data_file, pattern=rf"^{MY_DATA_PREFIX}:file$"),
        CallbackQueryHandler(choose_field, pattern=rf"^{MY_DATA_PREFIX}:fix$"),
        CallbackQueryHandler(ask_correction, pattern=rf"^{MY_DATA_PREFIX}:fix:({choices})$"),
        CallbackQueryHandler(
            save_choice_correction, pattern=rf"^{MY_DATA_PREFIX}:set:({choices}):(\w+)$"
        ),
        CallbackQueryHandler(confirm_deletion, pattern=rf"^{MY_DATA_PREFIX}:delete$"),
    ]
