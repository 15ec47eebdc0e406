"""Screens answering a typed question from the FAQ, used by the questions feature and by
the hand-off when a conversation with staff has ended."""

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.content.faq import FaqEntry, Match, choices, is_confident, is_small_talk, see_also
from bot.context import BotContext
from bot.main_menu import main_menu_for
from bot.navigation import (
    ID,
    REGISTRATION_RESUME,
    SCHOOL_HOME,
    TALK_ABOUT_QUESTION,
    menu_button,
    programme_detail_data,
)
from bot.privacy.log_masking import mask_personal_data
from bot.screens import Screen
from db.faq_questions import record_question
from db.registrations import get_draft

# user_data key: the question the user's latest FAQ search was about. Staff see it when the
# user then asks for a person; stored masked, as user_data is persisted.
LAST_QUESTION = "last_question"
# user_data key: text typed into a form step that did not fit (masked): it may be a question.
TYPED_IN_FORM = "typed_in_form"
MAX_LABEL = 60
P = "faq"
SEARCH_TYPED = f"{P}:typed"
# An answer chosen from the suggestions: its entry, and the logged question it was chosen for.
CHOSEN_ANSWER = rf"^{P}:a:([a-z0-9_]{{1,32}})(?::({ID}))?$"
# The FAQ entry for "can I talk to a person?": its answer leads straight to the hand-off.
HANDOFF_ENTRY = "talk_to_person"
SCHOOL_TOPIC = "sekolah_rakyat"
# "👎 This didn't help" under an answer to a logged question: marked, then on to a person.
DIDNT_HELP_PREFIX = "ho:nohelp"


def didnt_help_data(question_id: int) -> str:
    return f"{DIDNT_HELP_PREFIX}:{question_id}"


def answer_data(code: str, question_id: int | None) -> str:
    return f"{P}:a:{code}" if question_id is None else f"{P}:a:{code}:{question_id}"


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
    matches = choices(found)
    outcome = "answered" if is_confident(found) else "suggested" if matches else "unanswered"
    context.services.metrics.faq_questions.labels(outcome).inc()
    question_id = await log_question(context, text, found, outcome)
    if outcome == "answered":
        return await answer_screen(
            context, found[0].code, others=see_also(found), question_id=question_id
        )
    if matches:
        rows = [[choice_button(context, m, question_id)] for m in matches]
        intro = _("Did you mean one of these?")
    else:
        rows = []
        intro = _("I don't have an answer for that yet. A person at the centre can help.")
    rows.append([InlineKeyboardButton(_("💬 Ask a person"), callback_data=TALK_ABOUT_QUESTION)])
    rows += await way_back(context)
    return Screen(intro, InlineKeyboardMarkup(rows))


async def log_question(
    context: BotContext, text: str, found: list[Match], outcome: str
) -> int | None:
    """Kept masked for the staff's unanswered-questions desk and the hit rate in /stats."""
    if context.user_id is None:
        return None
    best = found[0] if found else None
    async with context.db_session() as session, session.begin():
        question = await record_question(
            session,
            user_id=context.user_id,
            text_masked=mask_personal_data(text[:500]),
            language=context.locale,
            matched_code=best.code if best else None,
            score=best.score if best else None,
            outcome=outcome,
        )
    return question.id


def question_of(context: BotContext, entry: FaqEntry) -> str:
    return getattr(entry.questions, context.locale)[0]  # type: ignore[no-any-return]


def choice_button(
    context: BotContext, match: Match, question_id: int | None = None
) -> InlineKeyboardButton:
    entry = context.services.faq.faq.entry(match.code)
    label = question_of(context, entry) if entry else match.code
    if len(label) > MAX_LABEL:
        label = label[: MAX_LABEL - 1] + "…"
    return InlineKeyboardButton(label, callback_data=answer_data(match.code, question_id))


async def answer_screen(
    context: BotContext, code: str, *, others: list[Match], question_id: int | None = None
) -> Screen:
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
    rows += [[choice_button(context, m, question_id)] for m in others[:2]]
    if entry.code != HANDOFF_ENTRY:
        unhelpful = TALK_ABOUT_QUESTION if question_id is None else didnt_help_data(question_id)
        rows.append([InlineKeyboardButton(_("👎 This didn't help"), callback_data=unhelpful)])
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
