"""The documents of one registration for staff: the files themselves, sent to the staff
member's private chat by their Telegram file ids, and asking the applicant for a missing one.
Both are audited."""

import logging
from html import escape

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import BotContext
from bot.forms.documents import DocumentSpec, document_specs, find_spec, missing
from bot.i18n import Translator
from bot.navigation import ID, button
from bot.screens import Screen, show
from bot.staff.roles import staff_only
from db.audit import record_action
from db.documents import list_documents
from db.models import ACTIVE_STATUSES, Programme, Registration, RegistrationDocument
from db.review import get_registration
from db.users import get_user
from handlers.registration.document_screens import document_title, send_data
from handlers.reminders import Outgoing, deliver
from handlers.review.screens import P

logger = logging.getLogger(__name__)
CODE = r"([a-z][a-z0-9_]{0,15})"


def documents_data(registration_id: int, filter_id: int) -> str:
    return f"{P}:dc:{registration_id}:{filter_id}"


def ask_data(registration_id: int, filter_id: int) -> str:
    return f"{P}:da:{registration_id}:{filter_id}"


def card_lines(translator: Translator, specs: list[DocumentSpec], present: set[str]) -> str:
    """The card's documents: ✅ received, — not (optional ones marked)."""
    _ = translator.gettext
    lines = [_("Documents:")]
    for spec in specs:
        mark = "✅" if spec.code in present else "—"
        title = escape(document_title(translator, spec))
        if not spec.required:
            title = _("{document} (optional)").format(document=title)
        lines.append(f"{mark} {title}")
    return "\n".join(lines)


def card_buttons(
    translator: Translator,
    registration: Registration,
    specs: list[DocumentSpec],
    present: set[str],
    filter_id: int,
) -> list[list[InlineKeyboardButton]]:
    _ = translator.gettext
    rows = []
    if present:
        rows.append([button(_("📎 Documents"), documents_data(registration.id, filter_id))])
    if missing(specs, present) and registration.status in ACTIVE_STATUSES:
        rows.append([button(_("📨 Ask for a document"), ask_data(registration.id, filter_id))])
    return rows


async def wanted_and_present(
    session: AsyncSession, registration: Registration | None
) -> tuple[list[DocumentSpec], set[str]]:
    """The programme's documents and the codes of those received."""
    if registration is None:
        return [], set()
    programme = await session.get(Programme, registration.programme_code)
    specs = document_specs(programme.documents if programme else [])
    return specs, {document.code for document in await list_documents(session, registration.id)}


async def load(
    context: BotContext, registration_id: int
) -> tuple[Registration, list[DocumentSpec], list[RegistrationDocument]] | None:
    async with context.db_session() as session:
        registration = await get_registration(session, registration_id)
        if registration is None:
            return None
        programme = await session.get(Programme, registration.programme_code)
        specs = document_specs(programme.documents if programme else [])
        return registration, specs, list(await list_documents(session, registration_id))


@staff_only
async def send_documents(update: Update, context: BotContext) -> None:
    """📎 Documents: each file sent to the staff member privately, captioned with its title
    and the registration code; the viewing is audited."""
    registration_id = int(context.matches[0].group(1))
    found = await load(context, registration_id)
    _ = context.translator.gettext
    if found is None or not found[2]:
        await show(update, Screen(_("That registration has no documents any more.")))
        return
    registration, specs, documents = found
    async with context.db_session() as session, session.begin():
        await record_action(
            session,
            actor_id=context.user_id,
            action="registration.documents",
            subject=registration.code,
            details={"documents": [document.code for document in documents]},
        )
    for document in documents:
        spec = find_spec(specs, document.code)
        title = document_title(context.translator, spec) if spec else document.code
        caption = f"{escape(title)} · {registration.code}"
        try:
            await send_file(context, document, caption)
        except Forbidden:
            if update.callback_query is not None:
                await update.callback_query.answer(
                    _("Start a private chat with the bot to see documents."), show_alert=True
                )
            return
        except TelegramError:
            logger.warning("Could not send document %s", document.code, exc_info=True)
    if update.callback_query is not None:
        # Tapped in the staff group: the files went to the private chat, never the group.
        private = update.effective_chat is not None and update.effective_chat.id == context.user_id
        await update.callback_query.answer(
            None if private else _("The documents are in your private chat with the bot.")
        )


async def send_file(context: BotContext, document: RegistrationDocument, caption: str) -> None:
    # Personal documents go only to the staff member's private chat, never to a group.
    chat_id = context.user_id or 0
    if document.kind == "photo":
        await context.bot.send_photo(
            chat_id, document.file_id, caption=caption, parse_mode=ParseMode.HTML
        )
    else:
        await context.bot.send_document(
            chat_id, document.file_id, caption=caption, parse_mode=ParseMode.HTML
        )


@staff_only
async def choose_missing(update: Update, context: BotContext) -> None:
    """📨 Ask for a document: which of the missing ones?"""
    registration_id, filter_id = (int(group) for group in context.matches[0].groups())
    found = await load(context, registration_id)
    _ = context.translator.gettext
    if found is None:
        await show(update, Screen(_("That registration no longer exists.")))
        return
    registration, specs, documents = found
    wanted = missing(specs, {document.code for document in documents})
    text = _("Which document should <b>{code}</b> send? The applicant gets a button for it.")
    rows = [
        [
            button(
                document_title(context.translator, spec),
                f"{P}:dq:{registration.id}:{spec.code}:{filter_id}",
            )
        ]
        for spec in wanted
    ]
    rows.append([button(_("✖️ Cancel"), f"{P}:o:{registration.id}:{filter_id}")])
    await show(update, Screen(text.format(code=registration.code), InlineKeyboardMarkup(rows)))


@staff_only
async def ask_applicant(update: Update, context: BotContext) -> None:
    """Send the applicant a request for this document, with the button that starts its step."""
    registration_id, code, filter_id = context.matches[0].groups()
    _ = context.translator.gettext
    outgoing: list[Outgoing] = []
    async with context.db_session() as session, session.begin():
        registration = await get_registration(session, int(registration_id))
        programme = (
            await session.get(Programme, registration.programme_code) if registration else None
        )
        spec = find_spec(document_specs(programme.documents if programme else []), code)
        user = (
            await get_user(session, registration.user_id)
            if registration and registration.user_id
            else None
        )
        if registration is None or spec is None or user is None:
            text = _("That registration can no longer be asked for documents.")
        else:
            await record_action(
                session,
                actor_id=context.user_id,
                action="registration.ask_document",
                subject=registration.code,
                details={"document": code},
            )
            translator = context.services.translator_for(user)
            outgoing.append(applicant_request(translator, user.id, registration, spec))
            text = _("📨 Asked for {document}; the applicant is being told.").format(
                document=escape(document_title(context.translator, spec))
            )
    back = [[button(_("⬅️ Back"), f"{P}:o:{registration_id}:{filter_id}")]]
    await show(update, Screen(text, InlineKeyboardMarkup(back)))
    await deliver(context.application, outgoing)


def applicant_request(
    translator: Translator, user_id: int, registration: Registration, spec: DocumentSpec
) -> Outgoing:
    """What the applicant reads, in their language, with the button for that document."""
    _ = translator.gettext
    text = _(
        "📎 <b>The centre asks for a document for your registration {code}:</b> {document}.\n"
        "Tap the button when you have it at hand."
    ).format(code=registration.code, document=escape(document_title(translator, spec)))
    label = _("📎 Send {document}").format(document=document_title(translator, spec))
    keyboard = InlineKeyboardMarkup([[button(label, send_data(registration.id, spec.code))]])
    return Outgoing(user_id, text, keyboard)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [
        CallbackQueryHandler(send_documents, pattern=rf"^{P}:dc:({ID}):({ID})$"),
        CallbackQueryHandler(choose_missing, pattern=rf"^{P}:da:({ID}):({ID})$"),
        CallbackQueryHandler(ask_applicant, pattern=rf"^{P}:dq:({ID}):{CODE}:({ID})$"),
    ]
