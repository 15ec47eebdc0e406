"""Gettext catalogues, loaded once, and the translator chosen for each user."""

import gettext
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from bot.config import SUPPORTED_LOCALES

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
SOURCE_LOCALE = "en"
DOMAIN = "messages"
# Telegram reports ISO 639-1 codes, sometimes with a region; "in" is the old code for Indonesian.
TELEGRAM_LANGUAGE_ALIASES = {"in": "id", "ms": "id"}


def N_(message: str) -> str:
    """Mark a module-level string for extraction; it is translated when rendered."""
    return message


class CatalogueMissingError(RuntimeError):
    pass


@dataclass(frozen=True)
class Translator:
    locale: str
    translations: gettext.NullTranslations

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def format_date(self, value: date) -> str:
        return format_date(value, format="long", locale=self.locale)

    def format_datetime(self, value: datetime) -> str:
        return format_datetime(value, format="d MMM y HH:mm", locale=self.locale)

    def format_number(self, value: int | float) -> str:
        return format_decimal(value, locale=self.locale)

    def format_one_decimal(self, value: float) -> str:
        """4.0 / 4,0: an average, always with its one decimal."""
        return format_decimal(value, format="#,##0.0", locale=self.locale)


def load_translators(locales_dir: Path = LOCALES_DIR) -> Mapping[str, Translator]:
    """Compile every .po with babel, in memory, so a catalogue can never be stale."""
    translators = {SOURCE_LOCALE: Translator(SOURCE_LOCALE, gettext.NullTranslations())}
    for locale in SUPPORTED_LOCALES:
        if locale == SOURCE_LOCALE:
            continue
        po_path = locales_dir / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
        if not po_path.is_file():
            raise CatalogueMissingError(f"The {locale} catalogue is missing: {po_path}")
        translators[locale] = Translator(locale, compile_catalogue(po_path, locale))
    return translators


def compile_catalogue(po_path: Path, locale: str) -> gettext.GNUTranslations:
    with po_path.open("rb") as po_file:
        catalogue = read_po(po_file, locale=locale, abort_invalid=True)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def resolve_locale(chosen: str | None, telegram_language: str | None, default: str) -> str:
    """The user's own choice, else their Telegram language if we speak it, else the default."""
    if chosen in SUPPORTED_LOCALES:
        return chosen
    if telegram_language:
        primary = telegram_language.split("-")[0].lower()
        primary = TELEGRAM_LANGUAGE_ALIASES.get(primary, primary)
        if primary in SUPPORTED_LOCALES:
            return primary
    return default
