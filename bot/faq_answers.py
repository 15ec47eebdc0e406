"""Screens answering a typed question from the FAQ, used by the questions feature and by
the hand-off when a conversation with staff has ended."""

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.context import BotContext
from bot.faq import WEAK, FaqEntry, Match, is_confident
from bot.navigation import (
    REGISTRATION_RESUME,
    TALK_TO_STAFF,
    menu_button,
    programme_detail_data,
)
from bot.screens import Screen
from db.registrations import get_draft

# user_data key: the last thing the user typed, for "search what I typed" and for staff.
LAST_QUESTION = "last_question"
MAX_LABEL = 60
P = "faq"


async def search_screen(context: BotContext, text: str) -> Screen:
    found = context.services.faq.search(text)
    if is_confident(found):
        return await answer_screen(context, found[0].code, others=found[1:])
    matches = [m for m in found if m.score >= WEAK]
    _ = context.translator.gettext
    if matches:
        rows = [[choice_button(context, m)] for m in matches]
        intro = _("Did you mean one of these?")
    else:
        rows, intro = (
            [],
            _("I don't have an answer for that yet. A person at the centre can help."),
        )
    rows.append([InlineKeyboardButton(_("💬 Ask a person"), callback_data=TALK_TO_STAFF)])
    rows += await way_back(context)
    return Screen(intro, InlineKeyboardMarkup(rows))


def choice_button(context: BotContext, match: Match) -> InlineKeyboardButton:
    entry = context.services.faq.faq.entry(match.code)
    label = getattr(entry.questions, context.locale)[0] if entry else match.code  # type: ignore[union-attr]
    if len(label) > MAX_LABEL:
        label = label[: MAX_LABEL - 1] + "…"
    return InlineKeyboardButton(label, callback_data=f"{P}:a:{match.code}")


async def answer_screen(context: BotContext, code: str, *, others: list[Match]) -> Screen:
    _ = context.translator.gettext
    entry: FaqEntry | None = context.services.faq.faq.entry(code)
    if entry is None:
        return Screen(
            _("That answer is no longer available."), InlineKeyboardMarkup(await way_back(context))
        )
    rows = []
    if entry.programme:
        rows.append(
            [
                InlineKeyboardButton(
                    _("📚 About the programme"),
                    callback_data=programme_detail_data(entry.programme),
                )
            ]
        )
    rows += [[choice_button(context, m)] for m in others if m.score >= WEAK][:2]
    rows.append([InlineKeyboardButton(_("👎 This didn't help"), callback_data=TALK_TO_STAFF)])
    rows += await way_back(context)
    return Screen(escape(entry.answer[context.locale]), InlineKeyboardMarkup(rows))


async def way_back(context: BotContext) -> list[list[InlineKeyboardButton]]:
    """Back to an unfinished registration if there is one, and always the menu."""
    async with context.db_session() as session:
        draft = await get_draft(session, context.user_id) if context.user_id else None
    rows = []
    if draft is not None:
        label = context.translator.gettext("▶️ Continue registration")
        rows.append([InlineKeyboardButton(label, callback_data=REGISTRATION_RESUME)])
    return [*rows, [menu_button(context.translator)]]
