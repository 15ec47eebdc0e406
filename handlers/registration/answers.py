"""Registration answers: typed and button answers to the current question, one step back,
and editing from the summary. The form's position is the draft's `step`."""

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update

from bot.context import BotContext
from bot.forms.conversation import Outcome, ended, enter_form, reply
from bot.forms.registration import (
    apply_choice,
    edit,
    next_step,
    step_back,
    typed_questions,
)
from bot.forms.side_questions import is_side_question
from bot.forms.typed_answers import (
    TypedAnswerError,
    parse_birth_date,
    parse_email,
    parse_full_name,
    parse_phone,
)
from bot.privacy.contact_data import store_phone
from bot.privacy.nik import NikError, parse_nik
from db.models import Registration
from db.programmes import get_programme
from db.registrations import (
    find_active_registration,
)
from handlers.questions.answers import remember_typed_in_form
from handlers.questions.side_questions import side_answer
from handlers.registration import outcomes, screens
from handlers.registration.steps import MAX_FAILURES, REGISTERING, current_draft, step_screen


async def save_typed(update: Update, context: BotContext) -> object:
    """A typed answer to the current question, validated, or advice on how to answer; a
    question instead is answered from the FAQ, and the same question asked again."""
    text = update.effective_message.text or ""  # type: ignore[union-attr]
    search = context.services.faq.search
    async with context.db_session() as session, session.begin():
        draft = await current_draft(session, context)
        if draft is None:
            outcome = await ended(session, update, outcomes.no_draft_screen(context))
        elif is_side_question(typed_questions(date.today()), draft.step, text, search):
            answer = await side_answer(context, text)
            outcome = await step_screen(update, context, session, draft, before=(answer,))
        else:
            outcome = await answer_typed(update, context, session, draft, text)
    return await reply(update, outcome)


async def answer_typed(
    update: Update, context: BotContext, session: AsyncSession, draft: Registration, text: str
) -> Outcome:
    step, today = draft.step, date.today()
    hint, before = None, ()
    try:
        if step == "name":
            draft.full_name = parse_full_name(text)
        elif step == "nik":
            nik = parse_nik(text, today)
            vault = context.services.vault
            existing = await find_active_registration(
                session,
                nik_hash=vault.fingerprint(nik.digits),
                programme_code=draft.programme_code,
                batch=draft.batch,
            )
            if existing is not None:
                return None, outcomes.duplicate_screen(context, existing)
            draft.nik_encrypted = vault.encrypt(nik.digits)
            draft.nik_hash, draft.nik_masked = vault.fingerprint(nik.digits), nik.masked
            draft.sex, draft.step = nik.sex, "nik_check"
            return await step_screen(update, context, session, draft)
        elif step == "birth_date":
            draft.birth_date = parse_birth_date(text, today)
            hint = screens.birth_date_warning(context, draft)
        elif step == "phone":
            phone = parse_phone(text)
            store_phone(context.services.vault, draft, phone)
            before = (screens.phone_saved_note(context, phone),)
        elif step == "email":
            draft.email = parse_email(text)
        else:
            raise TypedAnswerError("use_buttons")
    except (TypedAnswerError, NikError) as error:
        return await failed(update, context, session, draft, error.reason, typed=text)
    forget_failures(context, step)
    draft.step = next_step(draft)
    return await step_screen(update, context, session, draft, hint=hint, before=before)


def forget_failures(context: BotContext, step: str | None) -> None:
    context.user_data.get("failures", {}).pop(step, None)  # type: ignore[union-attr]


async def failed(
    update: Update,
    context: BotContext,
    session: AsyncSession,
    draft: Registration,
    reason: str,
    typed: str | None = None,
) -> Outcome:
    """Explain what was wrong; offer to search the answers for typed text (it may have been a
    question), and from the third miss on, a person."""
    failures = context.user_data.setdefault("failures", {})  # type: ignore[union-attr]
    failures[draft.step] = failures.get(draft.step, 0) + 1
    if typed:
        remember_typed_in_form(context, typed)
    hint = screens.error_text(context, reason)
    if failures[draft.step] >= MAX_FAILURES:
        hint += "\n\n" + screens.help_offer(context)
    state = await enter_form(session, update, REGISTERING)
    programme = await get_programme(session, draft.programme_code)
    screen = screens.step_screen(
        context,
        draft,
        programme,
        hint=hint,
        search=bool(typed),
        person=failures[draft.step] >= MAX_FAILURES,
    )
    return state, screen


async def save_contact(update: Update, context: BotContext) -> object:
    """A shared contact: accepted only as the user's own number, on the phone question."""
    contact = update.effective_message.contact  # type: ignore[union-attr]
    async with context.db_session() as session, session.begin():
        draft = await current_draft(session, context)
        if draft is None:
            outcome = await ended(session, update, outcomes.no_draft_screen(context))
        elif draft.step != "phone":
            outcome = await step_screen(update, context, session, draft)
        elif contact is None or contact.user_id != context.user_id:
            outcome = await failed(update, context, session, draft, "contact_not_own")
        else:
            outcome = await answer_typed(update, context, session, draft, contact.phone_number)
    return await reply(update, outcome)


async def nudge_media(update: Update, context: BotContext) -> object:
    """A sticker, photo or voice note mid-form: the question again, with a friendly word."""
    async with context.db_session() as session, session.begin():
        draft = await current_draft(session, context)
        if draft is None:
            outcome = await ended(session, update, outcomes.no_draft_screen(context))
        else:
            outcome = await failed(update, context, session, draft, "media")
    return await reply(update, outcome)


async def save_choice(update: Update, context: BotContext) -> object:
    """A button answer (education, activity, regency, the NIK check, skipping e-mail)."""
    step, value = context.matches[0].group(1), context.matches[0].group(2)
    async with context.db_session() as session, session.begin():
        draft = await current_draft(session, context)
        if draft is None:
            outcome = await ended(session, update, outcomes.no_draft_screen(context))
        else:
            apply_choice(draft, step, value, nik_birth_date=screens.nik_birth_date(context, draft))
            outcome = await step_screen(update, context, session, draft)
    return await reply(update, outcome)


async def go_back(update: Update, context: BotContext) -> object:
    """One question back, keeping the answers given."""
    async with context.db_session() as session, session.begin():
        draft = await current_draft(session, context)
        if draft is None:
            outcome = await ended(session, update, outcomes.no_draft_screen(context))
        else:
            was_on_phone = draft.step == "phone"
            step_back(draft)
            before = outcomes.keyboard_removed(was_on_phone and draft.step != "phone")
            outcome = await step_screen(update, context, session, draft, before=before)
    return await reply(update, outcome)


async def edit_answer(update: Update, context: BotContext) -> object:
    """From the summary: ask one question again; answering it returns to the summary."""
    step = context.matches[0].group(1)
    async with context.db_session() as session, session.begin():
        draft = await current_draft(session, context)
        if draft is None:
            outcome = await ended(session, update, outcomes.no_draft_screen(context))
        else:
            was_on_phone = draft.step == "phone"
            edit(draft, step)
            before = outcomes.keyboard_removed(was_on_phone and draft.step != "phone")
            outcome = await step_screen(update, context, session, draft, before=before)
    return await reply(update, outcome)
