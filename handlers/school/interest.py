"""A parent asks to be contacted about Sekolah Rakyat: consent first (children's data, UU 27/2022
Pasal 25), then their details and each child's, a summary, and a reference.

Where the parent is lives in their draft row (`step`), committed before every reply, so a
restart or a detour through the menu brings them back to the same question. The summary's
buttons (change an answer, take a child out, send) are handlers/school/interest_summary.py.
"""

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    MessageHandler,
    filters,
)

from bot.context import BotContext
from bot.forms.conversation import SCHOOL_INTEREST_FORM, Outcome, ended, enter_form, reply
from bot.forms.school_interest import (
    CONSENT,
    MAX_CHILDREN,
    PARENT_STEPS,
    TYPED_QUESTIONS,
    apply_choice,
    find_child,
    next_step,
    parse_age,
    parse_child_name,
    parse_step,
    step_back,
)
from bot.forms.side_questions import TypedStep, is_side_question
from bot.forms.typed_answers import TypedAnswerError, parse_full_name, parse_phone
from bot.navigation import ID, SCHOOL_INTEREST_START
from bot.privacy.contact_data import store_child_name, store_phone
from bot.screens import Note
from db.consents import create_consent
from db.models import SchoolInterest
from db.school_interests import (
    add_child,
    create_interest_draft,
    delete_interest_draft,
    get_interest_draft,
    list_children,
)
from handlers.questions.side_questions import side_answer
from handlers.school import interest_outcomes as outcomes
from handlers.school import interest_screens as screens

FILLING_IN = SCHOOL_INTEREST_FORM
CONSENT_PURPOSE = "school_interest"
P = screens.P
STEP = rf"([a-z_]+(?::{ID})?)"

Work = Callable[[AsyncSession, SchoolInterest], Awaitable[Outcome]]


async def step_screen(
    update: Update,
    context: BotContext,
    session: AsyncSession,
    draft: SchoolInterest,
    *,
    hint: str | None = None,
    before: tuple[Note, ...] = (),
) -> Outcome:
    """Record the position with the transaction, and build the screen asking its question."""
    state = await enter_form(session, update, FILLING_IN)
    children = await list_children(session, draft.id)
    return state, screens.step_screen(context, draft, children, hint=hint, before=before)


async def current_draft(session: AsyncSession, context: BotContext) -> SchoolInterest | None:
    return await get_interest_draft(session, context.user_id) if context.user_id else None


async def on_draft(update: Update, context: BotContext, work: Work) -> object:
    """One transaction on the parent's draft (or the news that there is none), then reply."""
    async with context.db_session() as session, session.begin():
        draft = await current_draft(session, context)
        if draft is None:
            outcome = await ended(session, update, outcomes.no_draft_screen(context))
        else:
            outcome = await work(session, draft)
    return await reply(update, outcome)


async def start_interest(update: Update, context: BotContext) -> object:
    """From the Sekolah Rakyat pages: the consent first, or back to an unfinished form."""
    async with context.db_session() as session, session.begin():
        draft = await current_draft(session, context)
        if draft is None:
            outcome: Outcome = (None, screens.consent_screen(context))
        else:
            outcome = await step_screen(update, context, session, draft)
    return await reply(update, outcome)


async def pending_typed_question(session: AsyncSession, context: BotContext) -> TypedStep | None:
    """The question the parent left, if it is answered by typing."""
    draft = await current_draft(session, context)
    return TYPED_QUESTIONS.get(parse_step(draft.step).name) if draft else None


async def pending_question(update: Update, context: BotContext, session: AsyncSession) -> Outcome:
    """The question the parent left for the menu, or the news that the request is gone."""
    draft = await current_draft(session, context)
    if draft is None:
        return await ended(session, update, outcomes.no_draft_screen(context))
    return await step_screen(update, context, session, draft)


async def accept_consent(update: Update, context: BotContext) -> object:
    """Record the consent (text version and time), open a draft and ask the first question."""
    if context.user_id is None:
        return None
    async with context.db_session() as session, session.begin():
        draft = await current_draft(session, context)
        if draft is None:
            consent = await create_consent(
                session,
                user_id=context.user_id,
                purpose=CONSENT_PURPOSE,
                version=screens.CONSENT_VERSION,
                locale=context.locale,
            )
            draft = await create_interest_draft(
                session, user_id=context.user_id, consent_id=consent.id
            )
        if draft.step in (None, CONSENT):
            draft.step = PARENT_STEPS[0]
        outcome = await step_screen(update, context, session, draft)
    return await reply(update, outcome)


async def decline_consent(update: Update, context: BotContext) -> object:
    """No consent, no data: say so kindly; a form begun before is thrown away."""
    async with context.db_session() as session, session.begin():
        draft = await current_draft(session, context)
        if draft is None:
            outcome = await ended(session, update, outcomes.declined_screen(context))
        else:
            await delete_interest_draft(session, draft)
            outcome = await ended(session, update, outcomes.cancelled_screen(context))
    return await reply(update, outcome)


async def save_typed(update: Update, context: BotContext) -> object:
    """A typed answer to the current question, validated, or a hint with an example; a
    question instead is answered from the FAQ, and the same question asked again."""
    text = update.effective_message.text or ""  # type: ignore[union-attr]

    async def work(session: AsyncSession, draft: SchoolInterest) -> Outcome:
        step = parse_step(draft.step).name
        if is_side_question(TYPED_QUESTIONS, step, text, context.services.faq.search):
            answer = await side_answer(context, text)
            return await step_screen(update, context, session, draft, before=(answer,))
        return await answer_typed(update, context, session, draft, text)

    return await on_draft(update, context, work)


async def answer_typed(
    update: Update, context: BotContext, session: AsyncSession, draft: SchoolInterest, text: str
) -> Outcome:
    step = parse_step(draft.step)
    children = await list_children(session, draft.id)
    child = find_child(children, step.child_id)
    before: tuple[Note, ...] = ()
    vault = context.services.vault
    try:
        if step.name == "name":
            draft.parent_name = parse_full_name(text)
        elif step.name == "phone":
            phone = parse_phone(text)
            store_phone(vault, draft, phone)
            before = (screens.phone_saved_note(context, phone),)
        elif step.name == "child_name" and child is not None:
            store_child_name(vault, child, parse_child_name(text))
        elif step.name == "child_name" and len(children) < MAX_CHILDREN:
            name = vault.encrypt(parse_child_name(text))
            await add_child(session, draft, first_name_encrypted=name)
        elif step.name == "child_age" and child is not None:
            child.age = parse_age(text)
        else:
            raise TypedAnswerError("use_buttons")
    except TypedAnswerError as error:
        return await failed(update, context, session, draft, error.reason)
    draft.step = next_step(draft, await list_children(session, draft.id))
    return await step_screen(update, context, session, draft, before=before)


async def failed(
    update: Update, context: BotContext, session: AsyncSession, draft: SchoolInterest, reason: str
) -> Outcome:
    """The same question again, with what was wrong and an example of a right answer."""
    hint = screens.error_text(context, reason)
    return await step_screen(update, context, session, draft, hint=hint)


async def save_contact(update: Update, context: BotContext) -> object:
    """A shared contact: accepted only as the parent's own number, on the phone question."""
    contact = update.effective_message.contact  # type: ignore[union-attr]

    async def work(session: AsyncSession, draft: SchoolInterest) -> Outcome:
        if draft.step != "phone":
            return await step_screen(update, context, session, draft)
        if contact is None or contact.user_id != context.user_id:
            return await failed(update, context, session, draft, "contact_not_own")
        return await answer_typed(update, context, session, draft, contact.phone_number)

    return await on_draft(update, context, work)


async def nudge_media(update: Update, context: BotContext) -> object:
    """A sticker, photo or voice note mid-form: the question again, with a friendly word."""

    async def work(session: AsyncSession, draft: SchoolInterest) -> Outcome:
        return await failed(update, context, session, draft, "media")

    return await on_draft(update, context, work)


async def save_choice(update: Update, context: BotContext) -> object:
    """A button answer: relationship, regency, level, another child, DTSEN."""
    step, value = context.matches[0].group(1), context.matches[0].group(2)

    async def work(session: AsyncSession, draft: SchoolInterest) -> Outcome:
        apply_choice(draft, await list_children(session, draft.id), step, value)
        return await step_screen(update, context, session, draft)

    return await on_draft(update, context, work)


async def go_back(update: Update, context: BotContext) -> object:
    """One question back, keeping the answers given."""

    async def work(session: AsyncSession, draft: SchoolInterest) -> Outcome:
        was_on_phone = draft.step == "phone"
        step_back(draft, await list_children(session, draft.id))
        before = screens.keyboard_removed(was_on_phone and draft.step != "phone")
        return await step_screen(update, context, session, draft, before=before)

    return await on_draft(update, context, work)


async def cancel_interest(update: Update, context: BotContext) -> object:
    """Throw the draft and its children away (nothing personal is kept), then the menu."""
    async with context.db_session() as session, session.begin():
        draft = await current_draft(session, context)
        on_phone = draft is not None and draft.step == "phone"
        if draft is not None:
            await delete_interest_draft(session, draft)
        outcome = await ended(session, update, outcomes.cancelled_screen(context, on_phone))
    return await reply(update, outcome)


def entry_points() -> list[BaseHandler]:  # type: ignore[type-arg]
    """Form buttons work from any message, even one sent before a restart."""
    return [
        CallbackQueryHandler(start_interest, pattern=rf"^{SCHOOL_INTEREST_START}$"),
        CallbackQueryHandler(accept_consent, pattern=rf"^{P}:agree$"),
        CallbackQueryHandler(decline_consent, pattern=rf"^{P}:decline$"),
        CallbackQueryHandler(save_choice, pattern=rf"^{P}:c:{STEP}:([a-z0-9_]+)$"),
        CallbackQueryHandler(go_back, pattern=rf"^{P}:back$"),
        CallbackQueryHandler(cancel_interest, pattern=rf"^{P}:cancel$"),
    ]


def states() -> dict[object, list[BaseHandler]]:  # type: ignore[type-arg]
    new_messages = filters.UpdateType.MESSAGE
    return {
        FILLING_IN: [
            MessageHandler(new_messages & filters.TEXT & ~filters.COMMAND, save_typed),
            MessageHandler(new_messages & filters.CONTACT, save_contact),
            MessageHandler(
                new_messages & ~filters.COMMAND & ~filters.StatusUpdate.ALL, nudge_media
            ),
        ]
    }
