"""The command menus: one for everyone, and a longer one in each staff member's own chat.

Telegram shows the most specific menu it has (chat scope before the default), so a staff
member's menu repeats the public commands and adds the staff ones.
"""

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot.config import SUPPORTED_LOCALES
from bot.context import Services
from bot.i18n import N_
from bot.staff.roles import is_admin

logger = logging.getLogger(__name__)

COMMANDS = (
    ("start", N_("Main menu")),
    ("programmes", N_("Browse training programmes")),
    ("language", N_("Change language")),
    ("status", N_("My registrations")),
    ("mydata", N_("See, correct or delete my data")),
    ("help", N_("How to use this bot")),
    ("cancel", N_("Stop what you are doing")),
)
STAFF_COMMANDS = (
    ("registrations", N_("Review registrations")),
    ("broadcast", N_("Send a message to many users")),
    ("broadcasts", N_("Recent broadcasts: schedule, cancel, delete")),
    ("intake", N_("Open, close and schedule intakes")),
    ("stats", N_("Statistics and charts")),
    ("campaigns", N_("Campaign links and QR codes")),
    ("questions", N_("Unanswered questions: add answers")),
)
ADMIN_COMMANDS = (
    ("staff", N_("Staff members")),
    ("addstaff", N_("Add a staff member")),
    ("removestaff", N_("Remove a staff member")),
    ("reload", N_("Reload the catalogue and FAQ files")),
    ("audit", N_("Who did what: the audit log")),
)


def commands_for(services: Services, locale: str, role: str | None) -> list[BotCommand]:
    entries = COMMANDS
    if role is not None:
        entries += STAFF_COMMANDS + (ADMIN_COMMANDS if is_admin(role) else ())
    translate = services.translators[locale].gettext
    return [BotCommand(name, translate(text)) for name, text in entries]


async def set_public_menus(bot: Bot, services: Services) -> None:
    for locale in SUPPORTED_LOCALES:
        commands = commands_for(services, locale, None)
        await bot.set_my_commands(commands, language_code=locale)
        if locale == services.settings.default_locale:
            await bot.set_my_commands(commands)


async def set_staff_menu(bot: Bot, services: Services, user_id: int, role: str) -> None:
    """The staff menu in this person's chat, in each language; best effort (someone who has
    never opened the bot has no chat yet, and gets the menu at the next start)."""
    scope = BotCommandScopeChat(user_id)
    try:
        for locale in SUPPORTED_LOCALES:
            commands = commands_for(services, locale, role)
            await bot.set_my_commands(commands, scope=scope, language_code=locale)
            if locale == services.settings.default_locale:
                await bot.set_my_commands(commands, scope=scope)
    except TelegramError:
        logger.warning("Could not set the staff menu for %s", user_id, exc_info=True)


async def delete_staff_menu(bot: Bot, services: Services, user_id: int) -> None:
    scope = BotCommandScopeChat(user_id)
    try:
        for locale in SUPPORTED_LOCALES:
            await bot.delete_my_commands(scope=scope, language_code=locale)
        await bot.delete_my_commands(scope=scope)
    except TelegramError:
        logger.warning("Could not remove the staff menu of %s", user_id, exc_info=True)
