"""What sending the interest form leads to: refusal, cancellation, the reference with an
honest account of what happens next, the staff group's notice, and the line in /mydata."""

import logging
from html import escape
from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.context import BotContext
from bot.forms.profile_labels import regency_label
from bot.i18n import Translator
from bot.navigation import menu_button
from bot.privacy.vault import NikVault
from bot.screens import Screen
from db.models import SchoolInterest
from handlers.school.interest_screens import (
    DTSEN_SHORT,
    Children,
    answers_of,
    child_line,
    choice_label,
    keyboard_removed,
)

logger = logging.getLogger(__name__)


def declined_screen(context: BotContext) -> Screen:
    text = context.translator.gettext(
        "Understood: nothing was recorded. You can still ask the Dinas Sosial or your PKH "
        "facilitator about Sekolah Rakyat, and read more under 🏫 Sekolah Rakyat."
    )
    return Screen(text, InlineKeyboardMarkup([[menu_button(context.translator)]]))


def cancelled_screen(context: BotContext, on_phone: bool = False) -> Screen:
    text = context.translator.gettext(
        "Request cancelled; what you had typed is deleted. What would you like to do?"
    )
    keyboard = InlineKeyboardMarkup([[menu_button(context.translator)]])
    return Screen(text, keyboard, before=keyboard_removed(on_phone))


def no_draft_screen(context: BotContext) -> Screen:
    text = context.translator.gettext(
        "You have no request in progress. You can start one under 🏫 Sekolah Rakyat."
    )
    return Screen(text, InlineKeyboardMarkup([[menu_button(context.translator)]]))


def submitted_screen(context: BotContext, code: str) -> Screen:
    """The reference, and an honest account of what the request can and cannot do."""
    text = context.translator.gettext(
        "✅ <b>Request received.</b>\n\n"
        "Your reference: <b>{code}</b>\n\n"
        "<b>What happens next</b>\n"
        "• BBPVP Serang passes your details on to the Dinas Sosial, who may contact you on "
        "the number you gave. We cannot promise when.\n"
        "• This is not a registration and does not reserve a place. Sekolah Rakyat has no "
        "open registration: Kemensos decides who is admitted, through outreach (home visits) "
        "and DTSEN data. It is for children of families in DTSEN decile 1 or 2.\n"
        "• There is no academic test.\n"
        "• The quickest way is to ask your Dinas Sosial or PKH facilitator (pendamping PKH) "
        "directly, and mention this reference.\n\n"
        "You can see or delete this request at any time with /mydata."
    ).format(code=escape(code))
    return Screen(text, InlineKeyboardMarkup([[menu_button(context.translator)]]))


def already_sent_text(context: BotContext) -> str:
    return context.translator.gettext(
        "Already sent. Your reference is in the message above; /mydata shows it too."
    )


def staff_notice(
    translator: Translator, vault: NikVault, draft: SchoolInterest, children: Children
) -> str:
    """The staff group's notice, phone masked: details go on to the Dinas Sosial."""
    answers = answers_of(translator, draft)
    return translator.gettext(
        "🏫 <b>Sekolah Rakyat: new request {code}</b>\n"
        "{name} ({relationship}) · {regency} · {phone}\n"
        "Children: {children}\n"
        "Listed in DTSEN: {dtsen}"
    ).format(
        code=escape(draft.code or ""),
        name=answers["name"],
        relationship=answers["relationship"],
        regency=answers["regency"],
        phone=answers["phone"],
        children=", ".join(child_line(vault, child) for child in children),
        dtsen=answers["dtsen"],
    )


async def notify_staff(context: BotContext, draft: SchoolInterest, children: Children) -> None:
    """Tell the staff group about the request, phone masked; best effort."""
    chat_id = context.settings.staff_chat_id
    if chat_id is None:
        return
    # Staff read the centre's default language, whatever the parent's.
    staff = context.services.translators[context.settings.default_locale]
    text = staff_notice(staff, context.services.vault, draft, children)
    try:
        await context.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML)
    except TelegramError:
        logger.warning("Could not notify the staff group about %s", draft.code, exc_info=True)


def data_line(context: BotContext, interest: dict[str, Any]) -> str:
    """One request in /mydata, from the data export: the person's own data, in full."""
    t = context.translator
    children = ", ".join(
        "{name} ({age}, {level})".format(
            name=escape(child["first_name"] or "–"),
            age=child["age"] if child["age"] is not None else "–",
            level=(child["level"] or "–").upper(),
        )
        for child in interest["children"]
    )
    return t.gettext(
        "Sekolah Rakyat request {code}: {name} ({relationship}), {home}, phone {phone}, "
        "DTSEN: {dtsen}; children: {children}"
    ).format(
        code=escape(interest["code"] or t.gettext("unfinished")),
        name=escape(interest["parent_name"] or "–"),
        relationship=choice_label(t, "relationship", interest["relationship"])
        if interest["relationship"]
        else "–",
        home=regency_label(t, interest["regency"]) if interest["regency"] else "–",
        phone=escape(interest["phone"] or "–"),
        dtsen=t.gettext(DTSEN_SHORT[interest["in_dtsen"]]) if interest["in_dtsen"] else "–",
        children=children or "–",
    )
