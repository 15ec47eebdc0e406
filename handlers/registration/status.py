"""/status: where each of the user's applications stands, and withdrawing one."""

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.i18n import N_
from bot.navigation import REGISTRATION_PREFIX, STATUS, menu_button
from bot.screens import show_screen
from db.models import ACTIVE_STATUSES
from db.programmes import get_programme
from db.registrations import (
    get_draft,
    get_user_registration,
    list_user_registrations,
    set_registration_status,
)

STATUS_PREFIX = "st"
STAGES = {
    "submitted": N_("📨 Submitted"),
    "verified": N_("✔️ Data verified"),
    "test_scheduled": N_("🗓 Test scheduled"),
    "accepted": N_("🎉 Accepted"),
    "rejected": N_("Not accepted"),
    "withdrawn": N_("↩️ Withdrawn"),
}


async def show_status(update: Update, context: BotContext) -> None:
    """Each registration with its programme, stage and the date of the last change."""
    _ = context.translator.gettext
    locale = context.locale
    lines, rows = [], []
    async with context.db_session() as session:
        registrations = await list_user_registrations(session, context.user_id or 0)
        draft = await get_draft(session, context.user_id or 0)
        titles = {}
        for registration in [*registrations, *([draft] if draft else [])]:
            programme = await get_programme(session, registration.programme_code)
            titles[registration.programme_code] = (
                programme.texts["title"][locale] if programme else registration.programme_code
            )
    for registration in registrations:
        lines.append(
            _("<b>{code}</b> · {programme}\n{stage} · since {date}").format(
                code=registration.code,
                programme=escape(titles[registration.programme_code]),
                stage=_(STAGES[registration.status]),
                date=context.translator.format_date(registration.status_changed_at.date()),
            )
        )
        if registration.status in ACTIVE_STATUSES:
            rows.append(
                [
                    InlineKeyboardButton(
                        _("↩️ Withdraw {code}").format(code=registration.code),
                        callback_data=f"{STATUS_PREFIX}:withdraw:{registration.code}",
                    )
                ]
            )
    text = _("📄 <b>Your registrations</b>") + "\n\n"
    text += "\n\n".join(lines) if lines else _("You have not registered for a programme yet.")
    if draft is not None:
        text += "\n\n" + _("You have an unfinished registration for {programme}.").format(
            programme=escape(titles[draft.programme_code])
        )
        rows.insert(
            0,
            [
                InlineKeyboardButton(
                    _("▶️ Continue registration"), callback_data=f"{REGISTRATION_PREFIX}:resume"
                )
            ],
        )
    rows.append([menu_button(context.translator)])
    await show_screen(update, text, InlineKeyboardMarkup(rows))


async def confirm_withdrawal(update: Update, context: BotContext) -> None:
    """Ask before withdrawing: it cannot be undone from the bot."""
    code = context.matches[0].group(1)
    _ = context.translator.gettext
    text = _(
        "Withdraw registration <b>{code}</b>? The centre will no longer consider it. "
        "You can register again while the intake is open."
    ).format(code=escape(code))
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("↩️ Yes, withdraw"), callback_data=f"{STATUS_PREFIX}:withdrawn:{code}"
                )
            ],
            [InlineKeyboardButton(_("No, keep it"), callback_data=STATUS)],
        ]
    )
    await show_screen(update, text, keyboard)


async def withdraw(update: Update, context: BotContext) -> None:
    """Withdraw the registration (once, however often the button is tapped), then list."""
    code = context.matches[0].group(1)
    async with context.db_session() as session, session.begin():
        registration = await get_user_registration(
            session, user_id=context.user_id or 0, code=code
        )
        if registration is not None and registration.status in ACTIVE_STATUSES:
            await set_registration_status(session, registration, "withdrawn")
    await show_status(update, context)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    code = r"([A-Z]{2,6}-\d{4}-\d{6})"
    return [
        CommandHandler("status", show_status),
        CallbackQueryHandler(show_status, pattern=rf"^{STATUS}$"),
        CallbackQueryHandler(confirm_withdrawal, pattern=rf"^{STATUS_PREFIX}:withdraw:{code}$"),
        CallbackQueryHandler(withdraw, pattern=rf"^{STATUS_PREFIX}:withdrawn:{code}$"),
    ]
