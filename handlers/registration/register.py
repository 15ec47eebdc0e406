"""Registering for a programme: consent, one question at a time, a summary, then a code.

Where the user is lives in their draft row (`step`), committed before every reply, so a
restart, a detour through the menu or a week away brings them back to the same question.
"""

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.content.catalogue import rules_from_json
from bot.context import BotContext
from bot.forms.conversation import Outcome, ended, leave_form, reply
from bot.forms.eligibility import qualifies
from bot.forms.registration import (
    PREFILLED_FROM_ELIGIBILITY,
    next_step,
    rule_failures,
    typed_questions,
    unanswered_checks,
)
from bot.forms.side_questions import TypedStep
from bot.navigation import REGISTRATION_PREFIX
from db.consents import create_consent
from db.eligibility import get_answers
from db.funnel import record_funnel_step
from db.models import Programme, Registration
from db.programmes import get_programme, hold_programme
from db.registrations import (
    count_active_registrations,
    create_draft,
    delete_draft,
    find_active_registration,
    find_own_active_registration,
    submit_registration,
)
from handlers.registration import answers, documents, outcomes, screens
from handlers.registration.steps import CONSENT_PURPOSE, REGISTERING, current_draft, step_screen


async def start_registration(update: Update, context: BotContext) -> object:
    """From a programme card or the check's result: closed intakes first, then consent."""
    code = context.matches[0].group(1)
    async with context.db_session() as session, session.begin():
        outcome = await open_registration(update, context, session, code)
    return await reply(update, outcome)


async def open_registration(
    update: Update, context: BotContext, session: AsyncSession, code: str
) -> Outcome:
    programme = await get_programme(session, code)
    if programme is None or context.user_id is None:
        return None, outcomes.gone_screen(context)
    draft = await current_draft(session, context)
    if draft is not None and draft.programme_code == code:
        return await step_screen(update, context, session, draft)
    # Told before consent, name and NIK rather than after them.
    if (own := await own_registration(session, context, programme)) is not None:
        return None, outcomes.already_registered_screen(context, own.code or "")
    if programme.intake != "open":
        return None, outcomes.closed_screen(context, programme)
    if (
        programme.quota is not None
        and await count_active_registrations(session, programme_code=code, batch=programme.batch)
        >= programme.quota
    ):
        return None, outcomes.full_screen(context, programme)
    answers = await get_answers(session, context.user_id)
    if unanswered_checks(rules_from_json(programme.rules), answers):
        return None, outcomes.check_first_screen(context, programme)
    return None, outcomes.consent_screen(context, programme, replacing=draft)


async def own_registration(
    session: AsyncSession, context: BotContext, programme: Programme
) -> Registration | None:
    return await find_own_active_registration(
        session,
        user_id=context.user_id or 0,
        programme_code=programme.code,
        batch=programme.batch,
    )


async def accept_consent(update: Update, context: BotContext) -> object:
    """Record consent (version and time) and open a draft with what we already know."""
    code = context.matches[0].group(1)
    async with context.db_session() as session, session.begin():
        outcome = await create_registration_draft(update, context, session, code)
    return await reply(update, outcome)


async def create_registration_draft(
    update: Update, context: BotContext, session: AsyncSession, code: str
) -> Outcome:
    programme = await get_programme(session, code)
    if programme is None or context.user_id is None or programme.intake != "open":
        return None, outcomes.gone_screen(context)
    if (old := await current_draft(session, context)) is not None:
        if old.programme_code == code:
            return await step_screen(update, context, session, old)
    # Consent tapped on an old message after registering: no second draft.
    if (own := await own_registration(session, context, programme)) is not None:
        return None, outcomes.already_registered_screen(context, own.code or "")
    if old is not None:
        await delete_draft(session, old)
    consent = await create_consent(
        session,
        user_id=context.user_id,
        purpose=CONSENT_PURPOSE,
        version=screens.CONSENT_VERSION,
        locale=context.locale,
    )
    answers = await get_answers(session, context.user_id)
    # "Consented" implies eligible, so it counts only someone whose answers meet the rules now;
    # anyone else counts as consented when they submit (the form checks the rules then).
    if qualifies(rules_from_json(programme.rules), answers, date.today()):
        await record_funnel_step(
            session, user_id=context.user_id, programme_code=code, stage="consented"
        )
    prefill = {key: answers[key] for key in PREFILLED_FROM_ELIGIBILITY if key in answers}
    draft = await create_draft(
        session,
        user_id=context.user_id,
        programme_code=code,
        batch=programme.batch,
        consent_id=consent.id,
        prefill=prefill,
    )
    draft.step = next_step(draft)
    return await step_screen(update, context, session, draft)


async def decline_consent(update: Update, context: BotContext) -> object:
    """No consent, no data: say so kindly and offer the menu."""
    return await reply(update, (ConversationHandler.END, outcomes.declined_screen(context)))


async def resume(update: Update, context: BotContext) -> object:
    """Back to the exact question the user left, from the menu or a reminder."""
    async with context.db_session() as session, session.begin():
        outcome = await pending_question(update, context, session)
    return await reply(update, outcome)


async def pending_typed_question(session: AsyncSession, context: BotContext) -> TypedStep | None:
    """The question the user left, if it is answered by typing."""
    draft = await current_draft(session, context)
    return typed_questions(date.today()).get(draft.step or "") if draft else None


async def pending_question(update: Update, context: BotContext, session: AsyncSession) -> Outcome:
    """The question the user left, or why the registration cannot go on."""
    draft = await current_draft(session, context)
    programme = await get_programme(session, draft.programme_code) if draft else None
    if draft is None:
        return await ended(session, update, outcomes.no_draft_screen(context))
    if programme is None or programme.intake != "open":
        await delete_draft(session, draft)
        return await ended(session, update, outcomes.gone_screen(context))
    return await step_screen(update, context, session, draft)


async def submit(update: Update, context: BotContext) -> object:
    """Commit the registration, then confirm with its code and tell the staff group."""
    async with context.db_session() as session, session.begin():
        draft = await current_draft(session, context)
        if draft is None:
            await leave_form(session, update)
    if draft is None:
        # A second tap on Submit: the confirmation on screen stays as it is.
        await outcomes.answer_already_sent(update, context)
        return ConversationHandler.END
    async with context.db_session() as session, session.begin():
        draft = await current_draft(session, context)
        outcome = await submit_draft(update, context, session, draft)  # type: ignore[arg-type]
    state = await reply(update, outcome)
    if draft is not None and draft.status == "submitted":
        async with context.db_session() as session:
            programme = await get_programme(session, draft.programme_code)
        if programme is not None:
            await outcomes.notify_staff(context, draft, programme)
    return state


async def submit_draft(
    update: Update, context: BotContext, session: AsyncSession, draft: Registration
) -> Outcome:
    if next_step(draft) != "summary":
        draft.step = next_step(draft)
        return await step_screen(update, context, session, draft)
    # Two people sending for the last place at once: the second counts after the first.
    await hold_programme(session, draft.programme_code)
    programme = await get_programme(session, draft.programme_code)
    if programme is None or programme.intake != "open":
        return await ended(session, update, outcomes.gone_screen(context))
    if (
        programme.quota is not None
        and await count_active_registrations(
            session, programme_code=programme.code, batch=draft.batch
        )
        >= programme.quota
    ):
        return await ended(session, update, outcomes.full_screen(context, programme))
    answers = await get_answers(session, context.user_id or 0)
    rules = rules_from_json(programme.rules)
    if unanswered_checks(rules, answers, draft):
        return None, outcomes.check_first_screen(context, programme)
    failures = rule_failures(rules, draft, answers, date.today())
    if failures:
        draft.step = "summary"
        hint = outcomes.rules_not_met(context, programme, failures)
        return await step_screen(update, context, session, draft, hint=hint)
    existing = await find_active_registration(
        session,
        nik_hash=draft.nik_hash or "",
        programme_code=draft.programme_code,
        batch=draft.batch,
    )
    if existing is not None:
        return await ended(session, update, outcomes.duplicate_screen(context, existing))
    code = await submit_registration(session, draft, prefix=context.settings.registration_prefix)
    await record_funnel_step(
        session, user_id=draft.user_id, programme_code=programme.code, stage="submitted"
    )
    submitted = outcomes.submitted_screen(context, programme, code)
    if not programme.documents:
        return await ended(session, update, submitted)
    # The confirmation, then at once the first document asked for.
    return await documents.request_next(
        update, context, session, draft, programme, lead=submitted.text
    )


async def cancel_registration(update: Update, context: BotContext) -> object:
    """Throw the draft away (nothing personal is kept) and return to the menu."""
    async with context.db_session() as session, session.begin():
        draft = await current_draft(session, context)
        on_phone = draft is not None and draft.step == "phone"
        if draft is not None:
            await delete_draft(session, draft)
        outcome = await ended(session, update, outcomes.cancelled_screen(context, on_phone))
    return await reply(update, outcome)


def entry_points() -> list[BaseHandler]:  # type: ignore[type-arg]
    """Form buttons work from any message, even one sent before a restart."""
    prefix = REGISTRATION_PREFIX
    return [
        CallbackQueryHandler(start_registration, pattern=rf"^{prefix}:start:([a-z0-9_]+)$"),
        CallbackQueryHandler(accept_consent, pattern=rf"^{prefix}:agree:([a-z0-9_]+)$"),
        CallbackQueryHandler(decline_consent, pattern=rf"^{prefix}:decline$"),
        CallbackQueryHandler(resume, pattern=rf"^{prefix}:resume$"),
        CallbackQueryHandler(answers.save_choice, pattern=rf"^{prefix}:c:([a-z_]+):([a-z0-9_]+)$"),
        CallbackQueryHandler(answers.go_back, pattern=rf"^{prefix}:back$"),
        CallbackQueryHandler(answers.edit_answer, pattern=rf"^{prefix}:edit:([a-z_]+)$"),
        CallbackQueryHandler(submit, pattern=rf"^{prefix}:submit$"),
        CallbackQueryHandler(cancel_registration, pattern=rf"^{prefix}:cancel$"),
    ]


def states() -> dict[object, list[BaseHandler]]:  # type: ignore[type-arg]
    new = filters.UpdateType.MESSAGE  # an edited old message is not a new answer
    return {
        REGISTERING: [
            MessageHandler(new & filters.TEXT & ~filters.COMMAND, answers.save_typed),
            MessageHandler(new & filters.CONTACT, answers.save_contact),
            MessageHandler(
                new & ~filters.COMMAND & ~filters.StatusUpdate.ALL, answers.nudge_media
            ),
        ]
    }
