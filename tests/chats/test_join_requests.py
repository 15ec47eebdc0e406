"""A join request to a cohort group that Telegram will not let the bot decide is in /audit,
with Telegram's reason and nothing personal; one decided already (by an admin in the group,
say) is left quietly."""

import asyncio

from bot.offline.offline_bot import OfflineBot
from db.models import AuditEntry
from tests.cohort import (
    ADMIN,
    COHORT,
    STRANGER,
    accept,
    console,
    group_member,
    link_of,
    rows,
    with_group,
)
from tests.factories import add_applicant

__all__ = ["console"]


async def test_a_request_telegram_refuses_to_decide_is_audited_without_the_person(
    console: OfflineBot,
) -> None:
    staff = await with_group(console)
    await add_applicant(console, number=1)
    await accept(staff, "SRG-2026-000001")
    link = link_of(console, 50_001)
    console.standin.inject("approveChatJoinRequest", error="bad_request")
    applicant = group_member(console, 50_001)
    await applicant.ask_to_join(link)
    assert not applicant.is_member
    console.standin.inject("declineChatJoinRequest", error="server_error")
    await group_member(console, STRANGER).ask_to_join(link)

    undecided = [e for e in await rows(console, AuditEntry) if e.action == "cohort.undecided"]
    assert [(e.subject, e.details) for e in undecided] == [
        (str(COHORT), {"intake": "welding 1", "would": "approve", "reason": "Chat not found"}),
        (
            str(COHORT),
            {"intake": "welding 1", "would": "decline", "reason": "Internal Server Error"},
        ),
    ]
    admin = console.user(ADMIN, language_code="en")
    await admin.send("/audit")
    text = admin.last_reply.plain_text
    assert "could not decide a request to join a cohort group" in text
    assert "could not let them in · Chat not found · welding 1" in text
    assert "could not decline · Internal Server Error" in text


async def test_a_request_decided_already_in_the_group_leaves_no_entry(
    console: OfflineBot,
) -> None:
    staff = await with_group(console)
    await add_applicant(console, number=1)
    await accept(staff, "SRG-2026-000001")
    held = console.standin.hold("declineChatJoinRequest")

    async def ask() -> None:
        await group_member(console, STRANGER).ask_to_join(link_of(console, 50_001))

    async def admin_declines_first() -> None:
        await held.wait_for(1)
        # A human admin of the group declines while the bot's decision is on its way.
        del console.standin.join_requests[(COHORT, STRANGER)]
        held.release()

    await asyncio.gather(ask(), admin_declines_first())
    [call] = console.standin.calls_to("declineChatJoinRequest")
    assert call.error == "Bad Request: HIDE_REQUESTER_MISSING"
    actions = [e.action for e in await rows(console, AuditEntry)]
    assert "cohort.undecided" not in actions and "cohort.decline" not in actions
