"""The FAQ the bot answers from: the file with staff's additions from the database, rebuilt
and swapped in at start-up, at /reload and after every addition, without a restart."""

import asyncio

from bot.content.faq import FaqIndex
from bot.context import Services
from bot.questions.additions import layered_faq
from db.faq_additions import list_staff_entries, list_staff_phrasings


async def refresh_faq(services: Services) -> None:
    """Readers keep using the old index until the new one is built; the lock keeps two
    refreshes from swapping in out of order."""
    async with services.faq_refresh:
        async with services.session_factory() as session:
            entries = await list_staff_entries(session)
            phrasings = await list_staff_phrasings(session)
        if not entries and not phrasings:
            if services.faq.faq is not services.file_faq:
                services.faq = await asyncio.to_thread(FaqIndex, services.file_faq)
            return
        faq = layered_faq(services.file_faq, entries, phrasings)
        services.faq = await asyncio.to_thread(FaqIndex, faq)
