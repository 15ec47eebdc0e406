"""All staff-edited content, loaded and cross-checked together at start-up."""

import logging
from dataclasses import dataclass

from bot.config import Settings
from bot.content.catalogue import Catalogue, load_catalogue
from bot.content.faq import Faq, FaqIndex, load_faq
from bot.content.school import SchoolContent, load_school_content

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Content:
    catalogue: Catalogue
    faq: FaqIndex
    school: SchoolContent


def load_all_content(settings: Settings) -> Content:
    """The catalogue, FAQ and Sekolah Rakyat texts; raises ContentError naming what is wrong."""
    catalogue = load_catalogue(settings.catalogue_path)
    faq = load_faq(settings.faq_path)
    check_programme_links(faq, catalogue, settings)
    return Content(catalogue, FaqIndex(faq), load_school_content(settings.school_content_path))


@dataclass(frozen=True)
class ContentChanges:
    """What a reload changes, for the staff member who asked for it."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]
    faq_before: int
    faq_after: int


def compare_content(catalogue: Catalogue, faq: Faq, new: Content) -> ContentChanges:
    """Programmes added, removed and changed (by code, in file order), and the FAQ file's
    sizes (staff's additions from /questions stay layered over either)."""
    old = {programme.code: programme for programme in catalogue.programmes}
    now = {programme.code: programme for programme in new.catalogue.programmes}
    return ContentChanges(
        added=tuple(code for code in now if code not in old),
        removed=tuple(code for code in old if code not in now),
        changed=tuple(code for code in now if code in old and old[code] != now[code]),
        faq_before=len(faq.entries),
        faq_after=len(new.faq.faq.entries),
    )


def check_programme_links(faq: Faq, catalogue: Catalogue, settings: Settings) -> None:
    """An FAQ answer may name a programme that staff since removed: warn, don't stop the bot
    (the answer's programme button then leads to "no longer in our list")."""
    codes = {programme.code for programme in catalogue.programmes}
    for number, entry in enumerate(faq.entries, start=1):
        if entry.programme is not None and entry.programme not in codes:
            logger.warning(
                "%s: entries entry #%d (%r), field programme: %r is not a programme in %s",
                settings.faq_path,
                number,
                entry.code,
                entry.programme,
                settings.catalogue_path,
            )
