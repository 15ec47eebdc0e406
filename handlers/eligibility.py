"""Checking eligibility: a few questions (never asked twice), then every reason, in words."""

from datetime import date
from html import escape
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.catalogue import rules_from_json
from bot.context import BotContext
from bot.eligibility import (
    ACTIVITIES,
    BANTEN_REGENCIES,
    BIRTH_DATE,
    EDUCATION_LEVELS,
    OUTSIDE_BANTEN,
    SEXES,
    Failure,
    Rules,
    judge,
    missing_questions,
    questions_for,
)
from bot.forms import enter_form, leave_form
from bot.i18n import N_, Translator
from bot.navigation import (
    ELIGIBILITY_PREFIX,
    eligibility_start_data,
    menu_button,
    programme_detail_data,
    registration_start_data,
)
from bot.profile_labels import EDUCATION_LABELS, answer_label
from bot.screens import show_screen
from bot.typed_answers import TypedAnswerError, parse_birth_date
from db.consents import create_consent, get_active_consent
from db.eligibility import get_answers, save_answer, set_checking_programme
from db.models import Programme
from db.programmes import get_programme, list_trainee_programmes
from db.users import get_user

CHECKING = "checking_eligibility"
PICK = f"{ELIGIBILITY_PREFIX}:pick"
STOP = f"{ELIGIBILITY_PREFIX}:stop"
CONSENT_PURPOSE = "eligibility"
CONSENT_VERSION = "elig-1"
CHOICES = {
    "sex": SEXES,
    "education": EDUCATION_LEVELS,
    "activity": ACTIVITIES,
    "regency": (*BANTEN_REGENCIES, OUTSIDE_BANTEN),
}
QUESTION_TEXTS = {
    "birth_date": N_("📅 What is your date of birth? Type it like this: 17-08-2005"),
    "sex": N_("Are you male or female?"),
    "education": N_("🎓 What is the last school you finished?"),
    "activity": N_("What are you doing at the moment?"),
    "regency": N_("🏠 Where do you live?"),
}
DATE_ERRORS = {
    "date_format": N_(
        "I could not read that as a date. Please type day-month-year, for example 17-08-2005."
    ),
    "date_invalid": N_(
        "That date does not exist. Please check the day and month, for example 17-08-2005."
    ),
    "date_implausible": N_(
        "That date cannot be a birth date. Please type yours, for example 17-08-2005."
    ),
}


def answer_data(question: str, value: str) -> str:
    return f"{ELIGIBILITY_PREFIX}:a:{question}:{value}"


async def choose_programme(update: Update, context: BotContext) -> None:
    """List the programmes one can check, as buttons."""
    locale = context.locale
    async with context.db_session() as session:
        programmes = await list_trainee_programmes(session)
    rows = [
        [
            InlineKeyboardButton(
                p.texts["title"][locale], callback_data=eligibility_start_data(p.code)
            )
        ]
        for p in programmes
        if not rules_from_json(p.rules).is_empty
    ]
    rows.append([menu_button(context.translator)])
    text = context.translator.gettext("✅ Which programme would you like to check?")
    await show_screen(update, text, InlineKeyboardMarkup(rows))


async def start_check(update: Update, context: BotContext) -> str | None:
    """Begin a check: the data notice first, then the first question not yet answered."""
    code = context.matches[0].group(1)
    async with context.db_session() as session, session.begin():
        programme = await get_programme(session, code)
        if programme is None or context.user_id is None:
            await show_gone(update, context)
            return None
        consent = await get_active_consent(
            session, user_id=context.user_id, purpose=CONSENT_PURPOSE, version=CONSENT_VERSION
        )
        if consent is None:
            await show_notice(update, context, programme)
            return None
        await set_checking_programme(session, user_id=context.user_id, programme_code=code)
        return await ask_next_question(update, context, session, programme)


async def show_notice(update: Update, context: BotContext, programme: Programme) -> None:
    _ = context.translator.gettext
    text = _(
        "To check <b>{programme}</b> I will ask a few short questions, such as your date of "
        "birth and your last school.\n\n"
        "Your answers are kept so you never have to answer twice, and are used only to tell "
        "you which programmes you qualify for. You can see or delete them at any time with "
        "/mydata. Is that all right?"
    ).format(programme=escape(programme.texts["title"][context.locale]))
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("✅ Yes, start"),
                    callback_data=f"{ELIGIBILITY_PREFIX}:agree:{programme.code}",
                )
            ],
            [InlineKeyboardButton(_("✖️ No, thanks"), callback_data=STOP)],
        ]
    )
    await show_screen(update, text, keyboard)


async def accept_notice(update: Update, context: BotContext) -> str | None:
    """Record the consent, then start the check."""
    code = context.matches[0].group(1)
    async with context.db_session() as session, session.begin():
        programme = await get_programme(session, code)
        if programme is None or context.user_id is None:
            await show_gone(update, context)
            return None
        if (
            await get_active_consent(
                session, user_id=context.user_id, purpose=CONSENT_PURPOSE, version=CONSENT_VERSION
            )
            is None
        ):
            await create_consent(
                session,
                user_id=context.user_id,
                purpose=CONSENT_PURPOSE,
                version=CONSENT_VERSION,
                locale=context.locale,
            )
        await set_checking_programme(session, user_id=context.user_id, programme_code=code)
        return await ask_next_question(update, context, session, programme)


async def save_tapped_answer(update: Update, context: BotContext) -> str | None:
    """Store a button answer, then ask the next question or show the result."""
    question, raw = context.matches[0].group(1), context.matches[0].group(2)
    value: Any = {"yes": True, "no": False}.get(raw, raw)
    async with context.db_session() as session, session.begin():
        programme = await current_programme(session, context)
        if programme is None:
            return await explain_no_check(update, context, session)
        rules = rules_from_json(programme.rules)
        check_codes = {check.code for check in rules.checks}
        valid = (question in CHOICES and value in CHOICES[question]) or (
            question in check_codes and isinstance(value, bool)
        )
        if valid:
            await save_answer(session, user_id=context.user_id, question=question, answer=value)  # type: ignore[arg-type]
        return await ask_next_question(update, context, session, programme)


async def save_typed_answer(update: Update, context: BotContext) -> str | None:
    """Typed text during a check: a birth date if that is the question, else a nudge."""
    text = update.effective_message.text or ""  # type: ignore[union-attr]
    async with context.db_session() as session, session.begin():
        programme = await current_programme(session, context)
        if programme is None:
            return await explain_no_check(update, context, session)
        answers = await get_answers(session, context.user_id)  # type: ignore[arg-type]
        missing = missing_questions(rules_from_json(programme.rules), answers)
        if missing and missing[0] == BIRTH_DATE:
            try:
                born = parse_birth_date(text, date.today())
            except TypedAnswerError as error:
                hint = context.translator.gettext(DATE_ERRORS[error.reason])
                return await ask_next_question(update, context, session, programme, hint=hint)
            await save_answer(session, user_id=context.user_id, question=BIRTH_DATE, answer=born)  # type: ignore[arg-type]
            return await ask_next_question(update, context, session, programme)
        hint = context.translator.gettext("Please answer with the buttons below.")
        return await ask_next_question(update, context, session, programme, hint=hint)


async def current_programme(session: AsyncSession, context: BotContext) -> Programme | None:
    user = await get_user(session, context.user_id) if context.user_id else None
    if user is None or user.checking_programme is None:
        return None
    return await get_programme(session, user.checking_programme)


async def ask_next_question(
    update: Update,
    context: BotContext,
    session: AsyncSession,
    programme: Programme,
    *,
    hint: str | None = None,
) -> str | None:
    """Show the first unanswered question, or the verdict when none is left."""
    rules = rules_from_json(programme.rules)
    answers = await get_answers(session, context.user_id)  # type: ignore[arg-type]
    missing = missing_questions(rules, answers)
    if not missing:
        await leave_form(session, update)
        await set_checking_programme(session, user_id=context.user_id, programme_code=None)  # type: ignore[arg-type]
        others = await qualifying_programmes(session, answers, exclude=programme.code)
        await show_verdict(update, context, programme, judge(rules, answers, date.today()), others)
        return None
    state = await enter_form(session, update, CHECKING)
    total = len(questions_for(rules))
    text, keyboard = render_question(context.translator, rules, missing[0])
    progress = context.translator.gettext("Question {number} of {total}").format(
        number=total - len(missing) + 1, total=total
    )
    title = escape(programme.texts["title"][context.locale])
    screen = f"✅ <b>{title}</b> · {progress}\n\n{text}"
    if hint:
        screen = f"⚠️ {escape(hint)}\n\n{screen}"
    await show_screen(update, screen, keyboard)
    return state


def render_question(
    translator: Translator, rules: Rules, question: str
) -> tuple[str, InlineKeyboardMarkup]:
    _ = translator.gettext
    stop = [InlineKeyboardButton(_("✖️ Stop checking"), callback_data=STOP)]
    if question in QUESTION_TEXTS:
        text = _(QUESTION_TEXTS[question])
        buttons = [
            InlineKeyboardButton(
                answer_label(translator, question, value),
                callback_data=answer_data(question, value),
            )
            for value in CHOICES.get(question, ())
        ]
        width = 1 if question == "education" else 2
        rows = [buttons[i : i + width] for i in range(0, len(buttons), width)]
        return text, InlineKeyboardMarkup([*rows, stop])
    check = next(c for c in rules.checks if c.code == question)
    yes_no = [
        InlineKeyboardButton(_("Yes"), callback_data=answer_data(check.code, "yes")),
        InlineKeyboardButton(_("No"), callback_data=answer_data(check.code, "no")),
    ]
    return escape(check.question[translator.locale]), InlineKeyboardMarkup([yes_no, stop])


async def qualifying_programmes(
    session: AsyncSession, answers: dict[str, Any], *, exclude: str
) -> list[Programme]:
    """Other programmes whose every question is answered and whose every rule is met."""
    found = []
    for programme in await list_trainee_programmes(session):
        rules = rules_from_json(programme.rules)
        if programme.code == exclude or missing_questions(rules, answers):
            continue
        if not judge(rules, answers, date.today()):
            found.append(programme)
    return found


async def show_verdict(
    update: Update,
    context: BotContext,
    programme: Programme,
    failures: list[Failure],
    others: list[Programme],
) -> None:
    _ = context.translator.gettext
    locale = context.locale
    title = escape(programme.texts["title"][locale])
    rows = []
    if not failures:
        text = _("🎉 Good news: you meet the requirements for <b>{programme}</b>.").format(
            programme=title
        )
        rows.append(
            [
                InlineKeyboardButton(
                    _("📝 Register now"), callback_data=registration_start_data(programme.code)
                )
            ]
        )
    else:
        reasons = "\n".join(f"• {explain(context.translator, title, f)}" for f in failures)
        text = (
            _("You do not meet the requirements for <b>{programme}</b> yet:").format(
                programme=title
            )
            + "\n"
            + reasons
        )
    if others:
        names = "\n".join(f"• {escape(p.texts['title'][locale])}" for p in others[:8])
        text += "\n\n" + _("You do qualify for:") + "\n" + names
        rows += [
            [
                InlineKeyboardButton(
                    p.texts["title"][locale], callback_data=programme_detail_data(p.code)
                )
            ]
            for p in others[:4]
        ]
    text += "\n\n" + _(
        "<i>Requirements can change each intake; the centre has the final word.</i>"
    )
    rows.append([menu_button(context.translator)])
    await show_screen(update, text, InlineKeyboardMarkup(rows))


def explain(translator: Translator, programme: str, failure: Failure) -> str:
    """One failed rule in plain words."""
    _ = translator.gettext
    details = failure.details
    if failure.rule == "age":
        if details["min"] is not None and details["max"] is not None:
            template = _("{programme} takes applicants aged {min} to {max}; you are {age}.")
        elif details["min"] is not None:
            template = _("{programme} takes applicants aged {min} or older; you are {age}.")
        else:
            template = _("{programme} takes applicants up to {max} years old; you are {age}.")
        return template.format(programme=programme, **details)
    if failure.rule == "sex":
        if details["sex"] == "male":
            return _("{programme} currently takes men only.").format(programme=programme)
        return _("{programme} currently takes women only.").format(programme=programme)
    if failure.rule == "education":
        return _("{programme} needs at least {needed}; you finished {have}.").format(
            programme=programme,
            needed=_(EDUCATION_LABELS[details["needed"]]),
            have=_(EDUCATION_LABELS[details["have"]]),
        )
    if failure.rule == "working":
        return _("{programme} is for people who are not working at the moment.").format(
            programme=programme
        )
    if failure.rule == "studying":
        return _("{programme} is for people who are not in school at the moment.").format(
            programme=programme
        )
    if failure.rule == "domicile":
        return _("{programme} is for people who live in Banten.").format(programme=programme)
    return escape(details["explanation"][translator.locale])


async def stop_check(update: Update, context: BotContext) -> int:
    """Leave the check; answers already given stay for next time."""
    async with context.db_session() as session, session.begin():
        await leave_form(session, update)
        if context.user_id is not None:
            await set_checking_programme(session, user_id=context.user_id, programme_code=None)
    text = context.translator.gettext(
        "Okay, I stopped the check. Your answers so far are kept for next time."
    )
    await show_screen(update, text, InlineKeyboardMarkup([[menu_button(context.translator)]]))
    return ConversationHandler.END


async def explain_no_check(update: Update, context: BotContext, session: AsyncSession) -> int:
    """A check button or typed text when no check is running (e.g. an old message)."""
    await leave_form(session, update)
    text = context.translator.gettext(
        "That check has already finished. Choose a programme to check again."
    )
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    context.translator.gettext("✅ Check eligibility"), callback_data=PICK
                )
            ],
            [menu_button(context.translator)],
        ]
    )
    await show_screen(update, text, keyboard)
    return ConversationHandler.END


async def show_gone(update: Update, context: BotContext) -> None:
    text = context.translator.gettext(
        "That programme is no longer in our list. Please look at the current programmes."
    )
    await show_screen(update, text, InlineKeyboardMarkup([[menu_button(context.translator)]]))


def entry_points() -> list[BaseHandler]:  # type: ignore[type-arg]
    """Buttons that start or continue a check, even from a message sent before a restart."""
    prefix = ELIGIBILITY_PREFIX
    return [
        CallbackQueryHandler(start_check, pattern=rf"^{prefix}:start:([a-z0-9_]+)$"),
        CallbackQueryHandler(accept_notice, pattern=rf"^{prefix}:agree:([a-z0-9_]+)$"),
        CallbackQueryHandler(
            save_tapped_answer, pattern=rf"^{prefix}:a:([a-z0-9_]+):([a-z0-9_]+)$"
        ),
        CallbackQueryHandler(stop_check, pattern=rf"^{STOP}$"),
    ]


def states() -> dict[object, list[BaseHandler]]:  # type: ignore[type-arg]
    return {CHECKING: [MessageHandler(filters.TEXT & ~filters.COMMAND, save_typed_answer)]}


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [CallbackQueryHandler(choose_programme, pattern=rf"^{PICK}$")]
