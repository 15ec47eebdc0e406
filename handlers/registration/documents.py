"""Sending documents after the form: each of the programme's documents in turn, a photo or a
PDF checked against the catalogue, Skip or Later, and coming back from /status.

Only Telegram's file ids are stored: the bot never downloads a file. The document asked for
now is committed on the user's row (`sending_document`), so a restart or a week away changes
nothing; the next one is derived from the documents received.
"""

from collections.abc import Awaitable, Callable
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Message, Update
from telegram.constants import ChatType
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import BotContext
from bot.forms.conversation import Outcome, ended, enter_form, leave_form, reply
from bot.forms.documents import (
    PHOTO,
    DocumentSpec,
    Upload,
    document_specs,
    find_spec,
    missing,
    next_missing,
    refusal,
)
from bot.forms.side_questions import StepKind, reads_as_question
from bot.navigation import ID, MENU_HOME
from db.documents import get_sending_document, list_documents, save_document
from db.documents import set_sending_document as remember_document
from db.models import ACTIVE_STATUSES, Programme, Registration
from db.review import get_registration
from handlers import start
from handlers.questions.side_questions import side_answer
from handlers.registration import document_screens as screens
from handlers.registration import status
from handlers.registration.document_screens import P

SENDING_DOCUMENT = "sending_document"
CODE = r"([a-z][a-z0-9_]{0,15})"


async def own_registration(
    session: AsyncSession, context: BotContext, registration_id: int
) -> tuple[Registration, Programme] | None:
    """The user's own application still in play, with its programme."""
    registration = await get_registration(session, registration_id)
    if (
        registration is None
        or registration.user_id != context.user_id
        or registration.status not in ACTIVE_STATUSES
    ):
        return None
    programme = await session.get(Programme, registration.programme_code)
    return (registration, programme) if programme is not None else None


async def present_codes(session: AsyncSession, registration_id: int) -> set[str]:
    return {document.code for document in await list_documents(session, registration_id)}


async def request_next(
    update: Update,
    context: BotContext,
    session: AsyncSession,
    registration: Registration,
    programme: Programme,
    *,
    after: str | None = None,
    lead: str = "",
) -> Outcome:
    """Ask for the next document not received (after `after`), or say what is still missing."""
    specs = document_specs(programme.documents)
    present = await present_codes(session, registration.id)
    spec = next_missing(specs, present, after=after)
    if spec is None:
        await remember_document(
            session, user_id=context.user_id or 0, registration_id=None, code=None
        )
        return await ended(
            session, update, screens.done_screen(context, missing(specs, present), lead=lead)
        )
    return await request(update, context, session, registration, specs, spec, lead=lead)


async def request(
    update: Update,
    context: BotContext,
    session: AsyncSession,
    registration: Registration,
    specs: list[DocumentSpec],
    spec: DocumentSpec,
    *,
    lead: str = "",
) -> Outcome:
    await remember_document(
        session, user_id=context.user_id or 0, registration_id=registration.id, code=spec.code
    )
    state = await enter_form(session, update, SENDING_DOCUMENT)
    return state, screens.request_screen(context, registration.id, specs, spec, lead=lead)


def is_private(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type == ChatType.PRIVATE


async def start_document(update: Update, context: BotContext) -> object:
    """📎 Send <document>, from /status or the centre's request: that document's step."""
    registration_id, code = int(context.matches[0].group(1)), context.matches[0].group(2)
    if not is_private(update):
        return await reply(update, (None, screens.private_only_screen(context)))
    async with context.db_session() as session, session.begin():
        found = await own_registration(session, context, registration_id)
        specs = document_specs(found[1].documents) if found else []
        spec = find_spec(specs, code)
        if found is None or spec is None:
            outcome = await ended(session, update, screens.nothing_asked_screen(context))
        else:
            outcome = await request(update, context, session, found[0], specs, spec)
    return await reply(update, outcome)


async def skip_document(update: Update, context: BotContext) -> object:
    """Skip (optional) or Send it later (required): on to the next document."""
    registration_id, code = int(context.matches[0].group(1)), context.matches[0].group(2)
    async with context.db_session() as session, session.begin():
        found = await own_registration(session, context, registration_id)
        if found is None:
            outcome = await ended(session, update, screens.nothing_asked_screen(context))
        else:
            outcome = await request_next(update, context, session, *found, after=code)
    return await reply(update, outcome)


def upload_of(message: Message) -> Upload:
    """What was sent, as Telegram describes it; the largest size of a photo."""
    if message.photo:
        largest = max(
            message.photo, key=lambda size: (size.width * size.height, size.file_size or 0)
        )
        return Upload(PHOTO, largest.file_id, largest.file_unique_id, largest.file_size)
    if message.document:
        document = message.document
        return Upload(
            "document",
            document.file_id,
            document.file_unique_id,
            document.file_size,
            document.mime_type,
            document.file_name,
        )
    return Upload("other")


async def receive_document(update: Update, context: BotContext) -> object:
    """An upload at a document step: stored (file id only) and on to the next, or refused
    with an example of what to send."""
    upload = upload_of(update.effective_message)  # type: ignore[arg-type]
    async with context.db_session() as session, session.begin():
        outcome = await take_upload(update, context, session, upload)
    return await reply(update, outcome)


async def take_upload(
    update: Update, context: BotContext, session: AsyncSession, upload: Upload
) -> Outcome:
    asked = await get_sending_document(session, context.user_id or 0)
    found = await own_registration(session, context, asked[0]) if asked else None
    spec = find_spec(document_specs(found[1].documents), asked[1]) if found and asked else None
    if found is None or spec is None or not is_private(update):
        return await ended(session, update, screens.nothing_asked_screen(context))
    registration, programme = found
    reason = refusal(spec, upload)
    if reason is not None:
        screen = screens.refused_screen(context, registration.id, spec, reason)
        return await enter_form(session, update, SENDING_DOCUMENT), screen
    await save_document(
        session,
        registration_id=registration.id,
        code=spec.code,
        kind=upload.kind,
        file_id=upload.file_id,
        file_unique_id=upload.file_unique_id,
        size=upload.size,
    )
    lead = screens.received_line(context.translator, spec)
    return await request_next(
        update, context, session, registration, programme, after=spec.code, lead=lead
    )


async def request_again(update: Update, context: BotContext, session: AsyncSession) -> Outcome:
    """The document asked for now, asked again."""
    asked = await get_sending_document(session, context.user_id or 0)
    found = await own_registration(session, context, asked[0]) if asked else None
    specs = document_specs(found[1].documents) if found else []
    spec = find_spec(specs, asked[1]) if asked else None
    if found is None or spec is None:
        return await ended(session, update, screens.nothing_asked_screen(context))
    return await request(update, context, session, found[0], specs, spec)


async def answer_typed(update: Update, context: BotContext) -> object:
    """Text at a document step: a question is answered (then the request again); anything
    else gets the example of what to send."""
    text = update.effective_message.text or ""  # type: ignore[union-attr]
    search = context.services.faq.search
    if reads_as_question(StepKind.NAME, text, valid=False, search=search):
        answer = await side_answer(context, text)
        async with context.db_session() as session, session.begin():
            state, screen = await request_again(update, context, session)
        return await reply(update, (state, replace(screen, before=(answer,))))
    return await receive_document(update, context)


def leaving(
    show_screen: Callable[[Update, BotContext], Awaitable[None]],
) -> Callable[[Update, BotContext], Awaitable[object]]:
    """The menu, /start or /status at a document step: the step ends (the documents stay to send
    from /status), so typed text is a question again."""

    async def leave_and_show(update: Update, context: BotContext) -> object:
        async with context.db_session() as session, session.begin():
            await leave_form(session, update)
        await show_screen(update, context)
        return ConversationHandler.END

    return leave_and_show


def entry_points() -> list[BaseHandler]:  # type: ignore[type-arg]
    """Document buttons work from any message, even one sent days before."""
    return [
        CallbackQueryHandler(start_document, pattern=rf"^{P}:send:({ID}):{CODE}$"),
        CallbackQueryHandler(skip_document, pattern=rf"^{P}:skip:({ID}):{CODE}$"),
    ]


def states() -> dict[object, list[BaseHandler]]:  # type: ignore[type-arg]
    new = filters.UpdateType.MESSAGE  # an edited old message is not a new upload
    return {
        SENDING_DOCUMENT: [
            # A /start with a payload (a programme or school link) is left to its feature.
            CommandHandler("start", leaving(start.start), filters=filters.Regex(r"^/start$")),
            CommandHandler("menu", leaving(start.show_main_menu)),
            CommandHandler("status", leaving(status.show_status)),
            CallbackQueryHandler(leaving(start.show_main_menu), pattern=rf"^{MENU_HOME}$"),
            MessageHandler(new & filters.TEXT & ~filters.COMMAND, answer_typed),
            MessageHandler(new & ~filters.COMMAND & ~filters.StatusUpdate.ALL, receive_document),
        ]
    }
