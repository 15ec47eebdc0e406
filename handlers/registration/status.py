"""/status: where each of the user's applications stands, and withdrawing one."""

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.forms.documents import DocumentSpec, document_specs, missing
from bot.i18n import N_, Translator
from bot.navigation import REGISTRATION_PREFIX, STATUS, button, menu_button
from bot.screens import show_screen
from db.documents import list_documents_of
from db.models import ACTIVE_STATUSES
from db.programmes import get_programme
from db.registrations import (
    get_draft,
    get_user_registration,
    list_user_registrations,
    set_registration_status,
)
from handlers.registration.document_screens import document_title, send_data

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
        titles, specs = {}, {}
        for registration in [*registrations, *([draft] if draft else [])]:
            programme = await get_programme(session, registration.programme_code)
            titles[registration.programme_code] = (
                programme.texts["title"][locale] if programme else registration.programme_code
            )
            specs[registration.programme_code] = document_specs(
                programme.documents if programme else []
            )
        received = await list_documents_of(session, [r.id for r in registrations])
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
            present = {document.code for document in received[registration.id]}
            wanted = specs[registration.programme_code]
            if wanted:
                lines[-1] += "\n" + documents_line(context.translator, wanted, present)
            rows.extend(
                [
                    button(
                        _("📎 Send {document}").format(
                            document=document_title(context.translator, spec)
                        ),
                        send_data(registration.id, spec.code),
                    )
                ]
                for spec in missing(wanted, present)
            )
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


def documents_line(translator: Translator, specs: list[DocumentSpec], present: set[str]) -> str:
    """Each document with ✅ when received and — when not (optional ones marked)."""
    marks = []
    for spec in specs:
        title = escape(document_title(translator, spec))
        if spec.code not in present and not spec.required:
            title = translator.gettext("{document} (optional)").format(document=title)
        marks.append(("✅ " if spec.code in present else "— ") + title)
    return translator.gettext("Documents: {documents}").format(documents=", ".join(marks))


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
