"""The ways between screens: the main-menu button, the callback data one feature uses to open
another (a programme card offers the eligibility check, the check offers registration), and
the bounded numbers every callback pattern uses."""

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator

# Numbers in callback data, bounded so that a forged or corrupted one too big for its use
# does not match, and the catch-all for old buttons answers it (handlers/fallback.py).
# A database id fits 9 digits: most ids are 32-bit integers in PostgreSQL (db/models.py).
ID = r"\d{1,9}"
LARGEST_ID = 2**31 - 1
# A page, a count of rows or a revision: no screen or draft comes near a billion.
PAGE_NUMBER = COUNT = REVISION_NUMBER = r"\d{1,9}"
# A Telegram user id (typed by staff too) has at most 52 significant bits: 16 digits.
USER_ID = r"\d{1,16}"
# A Unix time in seconds: 10 digits until the year 2286, so it always makes a datetime; the
# handler still checks it is a time it would offer.
TIMESTAMP = r"\d{10}"
# Deep-link payloads are at most 64 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule).
CAMPAIGN_SOURCE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MENU_HOME = "menu:home"
HELP = "menu:help"
PROGRAMMES_PREFIX = "prog"
CATEGORIES = f"{PROGRAMMES_PREFIX}:cats"
ELIGIBILITY_PREFIX = "elig"
ELIGIBILITY_PICK = f"{ELIGIBILITY_PREFIX}:pick"
REGISTRATION_PREFIX = "reg"
REGISTRATION_PICK = f"{REGISTRATION_PREFIX}:pick"
REGISTRATION_RESUME = f"{REGISTRATION_PREFIX}:resume"
LANGUAGE_CHOOSE = "lang:choose"
STATUS = "st:list"
MY_DATA = "me:show"
SCHOOL_CATEGORY = "school"
SCHOOL_HOME = "sr:home"
SCHOOL_INTEREST_START = "sri:start"
ASK_QUESTION = "faq:ask"
TALK_TO_STAFF = "ho:start"
# From an FAQ screen: the question that screen answered goes to staff first.
TALK_ABOUT_QUESTION = "ho:ask"
END_TALKING = "ho:end"
# Back to the question of a form left for the menu (bot/forms/conversation.py).
CONTINUE_FORM = "form:continue"


def programme_list_data(category: str, page: int) -> str:
    return f"{PROGRAMMES_PREFIX}:list:{category}:{page}"


def programme_detail_data(code: str, page: int = 0) -> str:
    return f"{PROGRAMMES_PREFIX}:detail:{code}:{page}"


def eligibility_start_data(code: str) -> str:
    return f"{ELIGIBILITY_PREFIX}:start:{code}"


def registration_start_data(code: str) -> str:
    return f"{REGISTRATION_PREFIX}:start:{code}"


def registration_watch_data(code: str) -> str:
    return f"{REGISTRATION_PREFIX}:watch:{code}"


def button(text: str, data: str) -> InlineKeyboardButton:
    """An inline button that sends this callback data (at most 64 bytes)."""
    return InlineKeyboardButton(text, callback_data=data)


def menu_button(translator: Translator) -> InlineKeyboardButton:
    return InlineKeyboardButton(translator.gettext("🏠 Main menu"), callback_data=MENU_HOME)


def back_to_menu_keyboard(translator: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[menu_button(translator)]])


def end_talking_keyboard(translator: Translator) -> InlineKeyboardMarkup:
    """Under what the bot says while a user talks to staff: the way out."""
    label = translator.gettext("✖️ End the conversation")
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=END_TALKING)]])
