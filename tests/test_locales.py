"""The catalogues: they compile, cover every message the code uses, and keep its markup."""

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.config import SUPPORTED_LOCALES
from bot.i18n import LOCALES_DIR, SOURCE_LOCALE, compile_catalogue, load_translators

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED = [locale for locale in SUPPORTED_LOCALES if locale != SOURCE_LOCALE]
PLACEHOLDER = re.compile(r"\{(\w*)\}")
TAG = re.compile(r"</?([a-z-]+)[^>]*>")
KEYWORDS = {"gettext": None, "ngettext": (1, 2), "N_": None, "_": None}


def messages_in_code() -> set[str]:
    found = set()
    for package in ("bot", "handlers"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package, keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def _strings(value: str | tuple[str, ...]) -> tuple[str, ...]:
    """A msgstr, or every plural form of one."""
    return value if isinstance(value, tuple) else (value,)


def load(locale: str):  # noqa: ANN201 - babel's Catalog
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        return read_po(po_file, locale=locale)


@pytest.mark.parametrize("locale", TRANSLATED)
def test_catalogue_compiles(locale: str) -> None:
    translations = compile_catalogue(LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po", locale)
    assert translations.gettext("📚 Programmes") != "📚 Programmes"


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_message_in_the_code_is_translated(locale: str) -> None:
    catalogue = load(locale)
    untranslated = sorted(
        message
        for message in messages_in_code()
        if message not in catalogue
        or not all(_strings(catalogue[message].string))
        or catalogue[message].fuzzy
    )
    assert untranslated == [], f"{locale} lacks translations (run `make messages`)"


def markup_problems(catalogue) -> list[str]:  # noqa: ANN001 - babel's Catalog
    """Translations whose {placeholders} or HTML tags differ from their msgid's."""
    problems = []
    for message in catalogue:
        if not message.id or not message.string:
            continue
        pairs = zip(
            message.id if isinstance(message.id, tuple) else (message.id,),
            message.string if isinstance(message.string, tuple) else (message.string,),
            strict=False,
        )
        for source, translation in pairs:
            if not translation:
                continue  # untranslated: test_every_message_in_the_code_is_translated says so
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation)):
                problems.append(f"placeholders differ: {source!r}")
            if TAG.findall(source) != TAG.findall(translation):
                problems.append(f"HTML tags differ: {source!r}")
    return problems


@pytest.mark.parametrize("locale", TRANSLATED)
def test_translations_keep_placeholders_and_html(locale: str) -> None:
    assert markup_problems(load(locale)) == []


def test_translators_exist_for_every_supported_locale() -> None:
    translators = load_translators()
    assert set(translators) == set(SUPPORTED_LOCALES)
    assert translators["id"].gettext("🏠 Main menu") == "🏠 Menu utama"
    assert translators["en"].gettext("🏠 Main menu") == "🏠 Main menu"


def test_a_broken_catalogue_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "messages.po"
    broken.write_text('msgid "Hello"\nmsgstr "Halo"\nthis line is not gettext\n', encoding="utf-8")
    with pytest.raises(Exception):  # noqa: B017 - babel raises its own PoFileError
        compile_catalogue(broken, "id")


def test_the_markup_check_catches_a_dropped_placeholder_and_tag() -> None:
    catalogue = Catalog(locale="id")
    catalogue.add("<b>{title}</b> page {page}", "<b>{title} halaman")
    catalogue.add("Fine {n}", "Baik {n}")
    assert markup_problems(catalogue) == [
        "placeholders differ: '<b>{title}</b> page {page}'",
        "HTML tags differ: '<b>{title}</b> page {page}'",
    ]
