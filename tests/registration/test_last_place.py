"""Two people sending for a programme's last place at once (their chats run concurrently):
the second one counts the places after the first one's registration is in."""

import asyncio

from bot.context import SERVICES
from bot.offline.offline_bot import OfflineBot
from db.programmes import hold_programme
from db.registrations import count_active_registrations
from tests.factories import add_applicant_in


async def test_the_second_sender_counts_after_the_first_is_in(bot: OfflineBot) -> None:
    factory = bot.application.bot_data[SERVICES].session_factory
    first_counted, second_trying = asyncio.Event(), asyncio.Event()
    counted: dict[str, int] = {}

    async def count(session) -> int:  # noqa: ANN001
        return await count_active_registrations(session, programme_code="welding", batch="1")

    async def first() -> None:
        async with factory() as session, session.begin():
            await hold_programme(session, "welding")
            counted["first"] = await count(session)
            first_counted.set()
            # The second sender is on its way to the count before this one is written.
            await second_trying.wait()
            await add_applicant_in(session, bot, number=1)

    async def second() -> None:
        await first_counted.wait()
        async with factory() as session, session.begin():
            second_trying.set()
            await hold_programme(session, "welding")
            counted["second"] = await count(session)

    await asyncio.gather(first(), second())
    assert counted == {"first": 0, "second": 1}
