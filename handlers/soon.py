"""Menu entries whose features are still being built answer honestly that they are coming."""

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import BotContext
from bot.i18n import N_
from bot.navigation import back_to_menu_keyboard
from bot.screens import show_screen

SOON_PREFIX = "soon"
QUESTIONS = "ask"
FEATURE_NAMES = {QUESTIONS: N_("Questions and answers")}


def feature_data(feature: str) -> str:
    return f"{SOON_PREFIX}:{feature}"


async def announce_coming_soon(update: Update, context: BotContext) -> None:
    """Say the feature is coming and what to do meanwhile."""
    feature = context.matches[0].group(1) if context.matches else ""
    _ = context.translator.gettext
    text = _(
        "<b>{feature}</b> is coming soon to this bot.\n\n"
        "Meanwhile you can read about every programme under 📚 Programmes, "
        "or visit the centre: Jl. Raya Pandeglang KM 3, Karundang, Cipocok Jaya, Kota Serang."
    ).format(feature=_(FEATURE_NAMES[feature]))
    await show_screen(update, text, back_to_menu_keyboard(context.translator))


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    features = "|".join(FEATURE_NAMES)
    return [CallbackQueryHandler(announce_coming_soon, pattern=rf"^{SOON_PREFIX}:({features})$")]
