"""What people see of the bot before they press Start: its name, its description (the "What
can this bot do?" text of an empty chat) and its short description (its profile page and
shared links), set at start in each language, the default language also for everyone else."""

import logging

from telegram import Bot
from telegram.error import TelegramError

from bot.config import SUPPORTED_LOCALES
from bot.i18n import N_, Translator

logger = logging.getLogger(__name__)

NAME = N_("BBPVP Serang Assistant")
SHORT_DESCRIPTION = N_(
    "Free vocational training, apprenticeships and work abroad at BBPVP Serang, Banten."
)
DESCRIPTION = N_(
    "The assistant of BBPVP Serang, the vocational training centre of the Ministry of "
    "Manpower in Serang, Banten.\n\n"
    "• Free training programmes, apprenticeships in Japan and work abroad\n"
    "• Check whether you qualify and register from your phone\n"
    "• Sekolah Rakyat, the free boarding school, for parents\n"
    "• Ask a question, or talk to a person at the centre\n\n"
    "Press Start to begin."
)


# Each field as Bot.get_my_<field> and Bot.set_my_<field> name it, with its text.
FIELDS = (("name", NAME), ("description", DESCRIPTION), ("short_description", SHORT_DESCRIPTION))


async def set_bot_profile(bot: Bot, translators: dict[str, Translator], default: str) -> None:
    """Each text is set only when Telegram holds another (setMyName is rate limited hard), and
    a refusal never stops the bot from starting."""
    for locale in (*SUPPORTED_LOCALES, None):
        translate = translators[locale or default].gettext
        for field, msgid in FIELDS:
            await keep_text(bot, field, translate(msgid), language=locale or "")


async def keep_text(bot: Bot, field: str, text: str, *, language: str) -> None:
    read = getattr(bot, f"get_my_{field}")
    write = getattr(bot, f"set_my_{field}")
    try:
        if getattr(await read(language_code=language), field) != text:
            await write(text, language_code=language)
    except TelegramError:
        logger.warning("Could not set the bot's %s", field.replace("_", " "), exc_info=True)
