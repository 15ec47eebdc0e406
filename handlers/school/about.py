"""Sekolah Rakyat for parents: what it is, the questions parents ask, and how to be contacted."""

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext
from bot.navigation import CAMPAIGN_SOURCE, SCHOOL_HOME, SCHOOL_INTEREST_START, menu_button
from bot.screens import Screen, show
from db.funnel import record_bot_start

P = "sr"
QUESTIONS = f"{P}:qs"
# t.me/<bot>?start=sekolahrakyat opens this section straight away (posters, PKH facilitators).
DEEP_LINKS = ("sekolahrakyat", "sekolah_rakyat", "sr")


async def show_home(update: Update, context: BotContext) -> None:
    """The parents' section: its topics, their questions, and the interest form."""
    if context.args and context.user_id is not None:
        payload = context.args[0]
        async with context.db_session() as session, session.begin():
            await record_bot_start(
                session,
                user_id=context.user_id,
                campaign_source=payload if CAMPAIGN_SOURCE.match(payload) else None,
                first_contact=context.first_contact,
            )
    _ = context.translator.gettext
    school = context.services.school
    rows = [
        [InlineKeyboardButton(s.title[context.locale], callback_data=f"{P}:sec:{s.code}")]
        for s in school.sections
    ]
    rows.append([InlineKeyboardButton(_("❓ Questions parents ask"), callback_data=QUESTIONS)])
    rows.append(
        [
            InlineKeyboardButton(
                _("🙋 I would like to be contacted"), callback_data=SCHOOL_INTEREST_START
            )
        ]
    )
    rows.append([menu_button(context.translator)])
    text = _(
        "🏫 <b>Sekolah Rakyat</b>\n"
        "The free boarding school of the Ministry of Social Affairs, with SD and SMP classes on "
        "the BBPVP Serang campus. What would you like to know?"
    )
    await show(update, Screen(text, InlineKeyboardMarkup(rows)))


async def show_section(update: Update, context: BotContext) -> None:
    """One topic, with the note to confirm figures where there is one."""
    section = context.services.school.section(context.matches[0].group(1))
    if section is None:
        await show_home(update, context)
        return
    text = (
        f"<b>{escape(section.title[context.locale])}</b>\n\n{escape(section.text[context.locale])}"
    )
    if section.confirm_note:
        text += "\n\n⚠️ " + escape(section.confirm_note[context.locale])
    await show(update, Screen(text, back_keyboard(context)))


async def show_questions(update: Update, context: BotContext) -> None:
    """The questions parents actually ask, each one tap from its answer."""
    rows = [
        [InlineKeyboardButton(q.question[context.locale], callback_data=f"{P}:q:{q.code}")]
        for q in context.services.school.questions
    ]
    rows.append(
        [
            InlineKeyboardButton(
                context.translator.gettext("« Sekolah Rakyat"), callback_data=SCHOOL_HOME
            )
        ]
    )
    text = context.translator.gettext("❓ <b>Questions parents ask</b>")
    await show(update, Screen(text, InlineKeyboardMarkup(rows)))


async def show_answer(update: Update, context: BotContext) -> None:
    question = context.services.school.question(context.matches[0].group(1))
    if question is None:
        await show_questions(update, context)
        return
    text = (
        f"<b>{escape(question.question[context.locale])}</b>\n\n"
        f"{escape(question.answer[context.locale])}"
    )
    if question.confirm_note:
        text += "\n\n⚠️ " + escape(question.confirm_note[context.locale])
    rows = [
        [
            InlineKeyboardButton(
                context.translator.gettext("« Questions parents ask"), callback_data=QUESTIONS
            )
        ],
        *back_keyboard(context).inline_keyboard,
    ]
    await show(update, Screen(text, InlineKeyboardMarkup(rows)))


def back_keyboard(context: BotContext) -> InlineKeyboardMarkup:
    _ = context.translator.gettext
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("🙋 I would like to be contacted"), callback_data=SCHOOL_INTEREST_START
                )
            ],
            [
                InlineKeyboardButton(_("« Sekolah Rakyat"), callback_data=SCHOOL_HOME),
                menu_button(context.translator),
            ],
        ]
    )


def deep_link() -> filters.BaseFilter:
    """/start with one of the section's deep-link payloads."""
    return filters.Regex(rf"^/start ({'|'.join(DEEP_LINKS)})$")


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [
        CommandHandler("start", show_home, filters=deep_link()),
        CommandHandler("sekolahrakyat", show_home),
        CallbackQueryHandler(show_home, pattern=rf"^{SCHOOL_HOME}$"),
        CallbackQueryHandler(show_section, pattern=rf"^{P}:sec:([a-z0-9_]+)$"),
        CallbackQueryHandler(show_questions, pattern=rf"^{QUESTIONS}$"),
        CallbackQueryHandler(show_answer, pattern=rf"^{P}:q:([a-z0-9_]+)$"),
    ]
