"""Screens answering a typed question from the FAQ, used by the questions feature and by
the hand-off when a conversation with staff has ended."""

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.content.faq import FaqEntry, Match, choices, is_confident, is_small_talk, see_also
from bot.context import BotContext
from bot.main_menu import main_menu_for
from bot.navigation import (
    REGISTRATION_RESUME,
    SCHOOL_HOME,
    TALK_ABOUT_QUESTION,
    menu_button,
    programme_detail_data,
)
from bot.privacy.log_masking import mask_personal_data
from bot.screens import Screen
from db.registrations import get_draft

# user_data key: the question the user's latest FAQ search was about. Staff see it when the
# user then asks for a person; stored masked, as user_data is persisted.
LAST_QUESTION = "last_question"
# user_data key: text typed into a form step that did not fit (masked): it may be a question.
TYPED_IN_FORM = "typed_in_form"
MAX_LABEL = 60
P = "faq"
SEARCH_TYPED = f"{P}:typed"
# The FAQ entry for "can I talk to a person?": its answer leads straight to the hand-off.
HANDOFF_ENTRY = "talk_to_person"
SCHOOL_TOPIC = "sekolah_rakyat"


def remember_question(context: BotContext, text: str) -> None:
    context.user_data[LAST_QUESTION] = mask_personal_data(text[:500])  # type: ignore[index]


def remember_typed_in_form(context: BotContext, text: str) -> None:
    context.user_data[TYPED_IN_FORM] = mask_personal_data(text[:500])  # type: ignore[index]


async def search_screen(context: BotContext, text: str) -> Screen:
    """One answer when the match is clear, else a choice, else a person; hello gets the menu."""
    _ = context.translator.gettext
    if is_small_talk(text):
        return Screen(_("Hello! 👋 What would you like to do?"), await main_menu_for(context))
    found = context.services.faq.search(text)
    counted = context.services.metrics.faq_questions
    if is_confident(found):
        counted.labels("answered").inc()
        return await answer_screen(context, found[0].code, others=see_also(found))
    matches = choices(found)
    counted.labels("suggested" if matches else "unanswered").inc()
    if matches:
        rows = [[choice_button(context, m)] for m in matches]
        intro = _("Did you mean one of these?")
    else:
        rows = []
        intro = _("I don't have an answer for that yet. A person at the centre can help.")
    rows.append([InlineKeyboardButton(_("💬 Ask a person"), callback_data=TALK_ABOUT_QUESTION)])
    rows += await way_back(context)
    return Screen(intro, InlineKeyboardMarkup(rows))


def question_of(context: BotContext, entry: FaqEntry) -> str:
    return getattr(entry.questions, context.locale)[0]  # type: ignore[no-any-return]


def choice_button(context: BotContext, match: Match) -> InlineKeyboardButton:
    entry = context.services.faq.faq.entry(match.code)
    label = question_of(context, entry) if entry else match.code
    if len(label) > MAX_LABEL:
        label = label[: MAX_LABEL - 1] + "…"
    return InlineKeyboardButton(label, callback_data=f"{P}:a:{match.code}")


async def answer_screen(context: BotContext, code: str, *, others: list[Match]) -> Screen:
    """The answer under the question it answers, so a wrong match is easy to spot."""
    _ = context.translator.gettext
    entry: FaqEntry | None = context.services.faq.faq.entry(code)
    if entry is None:
        text = _("That answer is no longer available.")
        return Screen(text, InlineKeyboardMarkup(await way_back(context)))
    person = InlineKeyboardButton(_("💬 Talk to a person"), callback_data=TALK_ABOUT_QUESTION)
    rows = [[person]] if entry.code == HANDOFF_ENTRY else []
    if entry.topic == SCHOOL_TOPIC:
        rows.append([InlineKeyboardButton(_("🏫 Sekolah Rakyat"), callback_data=SCHOOL_HOME)])
    elif entry.programme:
        label = _("📚 About the programme")
        rows.append(
            [InlineKeyboardButton(label, callback_data=programme_detail_data(entry.programme))]
        )
    rows += [[choice_button(context, m)] for m in others[:2]]
    if entry.code != HANDOFF_ENTRY:
        rows.append(
            [InlineKeyboardButton(_("👎 This didn't help"), callback_data=TALK_ABOUT_QUESTION)]
        )
    rows += await way_back(context)
    text = (
        f"<b>{escape(question_of(context, entry))}</b>\n\n{escape(entry.answer[context.locale])}"
    )
    return Screen(text, InlineKeyboardMarkup(rows))


async def way_back(context: BotContext) -> list[list[InlineKeyboardButton]]:
    """Back to an unfinished registration if there is one, and always the menu."""
    async with context.db_session() as session:
        draft = await get_draft(session, context.user_id) if context.user_id else None
    rows = []
    if draft is not None:
        label = context.translator.gettext("▶️ Continue registration")
        rows.append([InlineKeyboardButton(label, callback_data=REGISTRATION_RESUME)])
    return [*rows, [menu_button(context.translator)]]
