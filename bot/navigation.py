"""The way home from every screen: the main-menu button that all features share."""

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator

MENU_HOME = "menu:home"


def menu_button(translator: Translator) -> InlineKeyboardButton:
    return InlineKeyboardButton(translator.gettext("🏠 Main menu"), callback_data=MENU_HOME)


def back_to_menu_keyboard(translator: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[menu_button(translator)]])
