"""Checking eligibility: a few questions (never asked twice), then every reason, in words.

Each handler saves inside its transaction and shows the next screen after the commit.
"""

from dataclasses import replace
from datetime import date
from typing import Any

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
from bot.forms.conversation import ELIGIBILITY_FORM, Outcome, enter_form, leave_form, reply
from bot.forms.eligibility import (
    BIRTH_DATE,
    judge,
    missing_questions,
    qualifying,
    questions_for,
    typed_questions,
)
from bot.forms.side_questions import TypedStep, is_side_question
from bot.forms.typed_answers import TypedAnswerError, parse_birth_date
from bot.navigation import ELIGIBILITY_PICK, ELIGIBILITY_PREFIX
from bot.screens import Note, show
from db.consents import create_consent, get_active_consent
from db.eligibility import delete_answers, get_answers, save_answer, set_checking_programme
from db.funnel import record_eligibility_verdict
from db.models import Programme
from db.programmes import get_programme, list_trainee_programmes
from db.users import get_user
from handlers.eligibility import screens
from handlers.questions.answers import remember_typed_in_form
from handlers.questions.side_questions import side_answer

P = ELIGIBILITY_PREFIX
CHECKING = ELIGIBILITY_FORM
CONSENT_PURPOSE = "eligibility"
CONSENT_VERSION = "elig-2"


async def choose_programme(update: Update, context: BotContext) -> None:
    """List the programmes that have rules to check, as buttons."""
    async with context.db_session() as session:
        programmes = await list_trainee_programmes(session)
    checkable = [p for p in programmes if not rules_from_json(p.rules).is_empty]
    await show(update, screens.picker_screen(context, checkable))


async def start_check(update: Update, context: BotContext) -> object:
    """Begin a check: the data notice first, then the first question not yet answered."""
    code = context.matches[0].group(1)
    async with context.db_session() as session, session.begin():
        outcome = await begin(update, context, session, code, agreed=False)
    return await reply(update, outcome)


async def accept_notice(update: Update, context: BotContext) -> object:
    """Record the consent (version and time), then start the check."""
    code = context.matches[0].group(1)
    async with context.db_session() as session, session.begin():
        outcome = await begin(update, context, session, code, agreed=True)
    return await reply(update, outcome)


async def change_answers(update: Update, context: BotContext) -> object:
    """Forget this programme's answers and ask them again (a wrong tap is not forever)."""
    code = context.matches[0].group(1)
    async with context.db_session() as session, session.begin():
        programme = await get_programme(session, code)
        if programme is not None and context.user_id is not None:
            questions = questions_for(rules_from_json(programme.rules))
            await delete_answers(session, user_id=context.user_id, questions=questions)
        outcome = await begin(update, context, session, code, agreed=False)
    return await reply(update, outcome)


async def begin(
    update: Update, context: BotContext, session: AsyncSession, code: str, *, agreed: bool
) -> Outcome:
    programme = await get_programme(session, code)
    if programme is None or context.user_id is None:
        return None, screens.gone_screen(context)
    consent = await get_active_consent(
        session, user_id=context.user_id, purpose=CONSENT_PURPOSE, version=CONSENT_VERSION
    )
    if consent is None and not agreed:
        return None, screens.notice_screen(context, programme)
    if consent is None:
        await create_consent(
            session,
            user_id=context.user_id,
            purpose=CONSENT_PURPOSE,
            version=CONSENT_VERSION,
            locale=context.locale,
        )
    await set_checking_programme(session, user_id=context.user_id, programme_code=code)
    return await next_question(update, context, session, programme)


async def save_tapped_answer(update: Update, context: BotContext) -> object:
    """Store a button answer, then ask the next question or show the verdict."""
    question, raw = context.matches[0].group(1), context.matches[0].group(2)
    value: Any = {"yes": True, "no": False}.get(raw, raw)
    async with context.db_session() as session, session.begin():
        programme = await current_programme(session, context)
        if programme is None:
            outcome = await finished(update, session, context)
        else:
            rules = rules_from_json(programme.rules)
            checks = {check.code for check in rules.checks}
            if (question in screens.CHOICES and value in screens.CHOICES[question]) or (
                question in checks and isinstance(value, bool)
            ):
                await save_answer(
                    session, user_id=context.user_id or 0, question=question, answer=value
                )
            outcome = await next_question(update, context, session, programme)
    return await reply(update, outcome)


async def save_typed_answer(update: Update, context: BotContext) -> object:
    """Typed text during a check: a birth date if that is the question, else a nudge."""
    text = update.effective_message.text or ""  # type: ignore[union-attr]
    async with context.db_session() as session, session.begin():
        outcome = await answer_typed(update, context, session, text)
    return await reply(update, outcome)


async def answer_typed(
    update: Update, context: BotContext, session: AsyncSession, text: str | None
) -> Outcome:
    programme = await current_programme(session, context)
    if programme is None:
        return await finished(update, session, context)
    answers = await get_answers(session, context.user_id or 0)
    missing = missing_questions(rules_from_json(programme.rules), answers)
    _ = context.translator.gettext
    if text is None:
        hint = _("I can only read text here. Please answer the question below.")
    elif missing and is_side_question(
        typed_questions(date.today()), missing[0], text, context.services.faq.search
    ):
        answer = await side_answer(context, text)
        return await next_question(update, context, session, programme, before=(answer,))
    elif missing and missing[0] == BIRTH_DATE:
        try:
            born = parse_birth_date(text, date.today())
        except TypedAnswerError as error:
            hint = _(screens.DATE_ERRORS[error.reason])
            remember_typed_in_form(context, text)
            return await next_question(update, context, session, programme, hint=hint, search=True)
        else:
            await save_answer(
                session, user_id=context.user_id or 0, question=BIRTH_DATE, answer=born
            )
            return await next_question(update, context, session, programme)
    else:
        hint = _("Please answer with the buttons below.")
    return await next_question(update, context, session, programme, hint=hint)


async def pending_typed_question(session: AsyncSession, context: BotContext) -> TypedStep | None:
    """The question the user left, if it is answered by typing."""
    programme = await current_programme(session, context)
    if programme is None:
        return None
    answers = await get_answers(session, context.user_id or 0)
    missing = missing_questions(rules_from_json(programme.rules), answers)
    return typed_questions(date.today()).get(missing[0]) if missing else None


async def pending_question(update: Update, context: BotContext, session: AsyncSession) -> Outcome:
    """The question the user left for the menu, or the news that no check is running."""
    programme = await current_programme(session, context)
    if programme is None:
        return await finished(update, session, context)
    return await next_question(update, context, session, programme)


async def nudge_media(update: Update, context: BotContext) -> object:
    """A sticker, photo or voice note mid-check: the question again, with a friendly word."""
    async with context.db_session() as session, session.begin():
        outcome = await answer_typed(update, context, session, None)
    return await reply(update, outcome)


async def current_programme(session: AsyncSession, context: BotContext) -> Programme | None:
    user = await get_user(session, context.user_id) if context.user_id else None
    if user is None or user.checking_programme is None:
        return None
    return await get_programme(session, user.checking_programme)


async def next_question(
    update: Update,
    context: BotContext,
    session: AsyncSession,
    programme: Programme,
    *,
    hint: str | None = None,
    search: bool = False,
    before: tuple[Note, ...] = (),
) -> Outcome:
    """The first unanswered question (after `before`, if given), or, when none is left, the
    verdict."""
    rules = rules_from_json(programme.rules)
    answers = await get_answers(session, context.user_id or 0)
    missing = missing_questions(rules, answers)
    if missing:
        state = await enter_form(session, update, CHECKING)
        total = len(questions_for(rules, answers))
        screen = screens.question_screen(
            context,
            programme,
            rules,
            missing[0],
            number=total - len(missing) + 1,
            total=total,
            hint=hint,
            search=search,
        )
        return state, replace(screen, before=before)
    await leave_form(session, update)
    await set_checking_programme(session, user_id=context.user_id or 0, programme_code=None)
    today = date.today()
    programmes = {p.code: p for p in await list_trainee_programmes(session)}
    codes = qualifying(
        [(code, rules_from_json(p.rules)) for code, p in programmes.items()], answers, today
    )
    others = [programmes[code] for code in codes if code != programme.code]
    failures = judge(rules, answers, today)
    await record_eligibility_verdict(
        session, user_id=context.user_id, programme_code=programme.code, eligible=not failures
    )
    return ConversationHandler.END, screens.verdict_screen(
        context, programme, failures, others, rules=rules, today=today
    )


async def stop_check(update: Update, context: BotContext) -> object:
    """Leave the check; answers already given stay for next time."""
    async with context.db_session() as session, session.begin():
        await leave_form(session, update)
        if context.user_id is not None:
            await set_checking_programme(session, user_id=context.user_id, programme_code=None)
    return await reply(update, (ConversationHandler.END, screens.stopped_screen(context)))


async def finished(update: Update, session: AsyncSession, context: BotContext) -> Outcome:
    """A check button or typed text when no check is running (e.g. an old message)."""
    await leave_form(session, update)
    return ConversationHandler.END, screens.finished_screen(context)


def entry_points() -> list[BaseHandler]:  # type: ignore[type-arg]
    """Buttons that start or continue a check, even from a message sent before a restart."""
    code = r"([a-z0-9_]+)"
    return [
        CallbackQueryHandler(start_check, pattern=rf"^{P}:start:{code}$"),
        CallbackQueryHandler(accept_notice, pattern=rf"^{P}:agree:{code}$"),
        CallbackQueryHandler(change_answers, pattern=rf"^{P}:redo:{code}$"),
        CallbackQueryHandler(save_tapped_answer, pattern=rf"^{P}:a:([a-z0-9_]+):([a-z0-9_]+)$"),
        CallbackQueryHandler(stop_check, pattern=rf"^{screens.STOP}$"),
    ]


def states() -> dict[object, list[BaseHandler]]:  # type: ignore[type-arg]
    new_messages = filters.UpdateType.MESSAGE
    return {
        CHECKING: [
            MessageHandler(new_messages & filters.TEXT & ~filters.COMMAND, save_typed_answer),
            MessageHandler(
                new_messages & ~filters.COMMAND & ~filters.StatusUpdate.ALL, nudge_media
            ),
        ]
    }


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [CallbackQueryHandler(choose_programme, pattern=rf"^{ELIGIBILITY_PICK}$")]
