"""Two link flows at once, through the real Application with Telegram slow to make the link
(the stand-in holds createChatInviteLink until the other flow has done its part): never two
links for one applicant, and a link whose registration moved away meanwhile is not sent."""

import asyncio
from collections.abc import Awaitable

from bot.offline.offline_bot import OfflineBot
from bot.offline.standin.holds import HeldCalls
from db.models import CohortInvite
from tests.cohort import (
    OTHER_STAFF,
    accept,
    choose_group,
    console,
    is_live,
    links_sent,
    move,
    rows,
    with_group,
)
from tests.factories import add_applicant

__all__ = ["console"]
CODE = "SRG-2026-000001"


async def meanwhile(held: HeldCalls, flow: Awaitable[None]) -> None:
    """Once the first flow waits for its link, run the other one: until it ends or asks for a
    link of its own, then let Telegram answer both."""
    await held.wait_for(1)
    other = asyncio.ensure_future(flow)
    second_call = asyncio.ensure_future(held.wait_for(2))
    await asyncio.wait({other, second_call}, return_when=asyncio.FIRST_COMPLETED)
    held.release()
    second_call.cancel()
    await other


def live_links(console: OfflineBot) -> list[str]:
    return [link for link, raw in console.standin.invite_links.items() if not raw["is_revoked"]]


async def test_accepting_while_another_staff_member_names_the_group_sends_one_link(
    console: OfflineBot,
) -> None:
    staff = await with_group(console)
    other = console.user(OTHER_STAFF, language_code="en")
    await add_applicant(console, number=1)
    held = console.standin.hold("createChatInviteLink")
    await asyncio.gather(accept(staff, CODE), meanwhile(held, choose_group(console, other)))

    [link] = links_sent(console, 50_001)
    assert live_links(console) == [link]
    [invite] = await rows(console, CohortInvite)
    assert invite.invite_link == link


async def test_two_accepts_of_one_applicant_send_one_link(console: OfflineBot) -> None:
    staff = await with_group(console)
    other = console.user(OTHER_STAFF, language_code="en")
    await add_applicant(console, number=1)
    held = console.standin.hold("createChatInviteLink")

    async def reject_and_accept_again() -> None:
        await move(other, CODE, "→ Rejected")
        await move(other, CODE, "→ Accepted")

    await asyncio.gather(accept(staff, CODE), meanwhile(held, reject_and_accept_again()))
    [link] = links_sent(console, 50_001)
    assert live_links(console) == [link]
    [invite] = await rows(console, CohortInvite)
    assert invite.invite_link == link


async def test_a_link_made_for_someone_moved_away_meanwhile_is_revoked_not_sent(
    console: OfflineBot,
) -> None:
    staff = await with_group(console)
    other = console.user(OTHER_STAFF, language_code="en")
    await add_applicant(console, number=1)
    held = console.standin.hold("createChatInviteLink")
    await asyncio.gather(accept(staff, CODE), meanwhile(held, move(other, CODE, "→ Rejected")))
    assert links_sent(console, 50_001) == []
    [made] = console.standin.calls_to("createChatInviteLink")
    assert made.params["name"] == CODE
    assert live_links(console) == []
    assert all(not is_live(console, link) for link in console.standin.invite_links)
    assert await rows(console, CohortInvite) == []
