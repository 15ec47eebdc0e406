"""A group a staff member added the bot to stays for the grace period, to be named a cohort
group; not named by then, the bot leaves it (LEAVE_UNKNOWN_GROUPS on) and /audit says so. The
JobQueue's job is run directly, with the time it would run at."""

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.config import Settings
from bot.offline.offline_bot import OfflineBot, offline_bot
from db.models import AuditEntry, UnnamedGroup, utc_now
from handlers.chats.unnamed_groups import leave_unnamed_groups
from tests.cohort import (
    ADMIN,
    COHORT,
    STAFF,
    choose_group,
    console,
    group_member,
    rows,
)

__all__ = ["console"]


def after_the_grace_period(bot: OfflineBot):  # noqa: ANN201
    hours = bot.application.bot_data["services"].settings.unnamed_group_grace_hours
    return utc_now() + timedelta(hours=hours, minutes=1)


async def test_a_group_never_named_is_left_after_the_grace_period(console: OfflineBot) -> None:
    await group_member(console, STAFF).add_bot(as_admin=True)
    assert await leave_unnamed_groups(console.application) == 0
    assert COHORT not in console.standin.left_chats

    assert await leave_unnamed_groups(console.application, now=after_the_grace_period(console))
    assert COHORT in console.standin.left_chats
    [entry] = [e for e in await rows(console, AuditEntry) if e.action == "group.left_unnamed"]
    assert entry.subject == str(COHORT)
    assert entry.details == {"title": "Las Angkatan 1", "added_by": STAFF, "left": True}
    assert await rows(console, UnnamedGroup) == []
    admin = console.user(ADMIN, language_code="en")
    await admin.send("/audit")
    assert "left a group staff added it to that was not named a cohort group" in (
        admin.last_reply.plain_text
    )


async def test_a_group_named_meanwhile_is_kept(console: OfflineBot) -> None:
    await group_member(console, STAFF).add_bot(as_admin=True)
    await choose_group(console, console.user(STAFF, language_code="en"))
    await leave_unnamed_groups(console.application, now=after_the_grace_period(console))
    assert COHORT not in console.standin.left_chats
    assert "group.left_unnamed" not in [e.action for e in await rows(console, AuditEntry)]


async def test_a_group_the_bot_was_removed_from_is_forgotten(console: OfflineBot) -> None:
    member = group_member(console, STAFF)
    await member.add_bot(as_admin=True)
    await member.remove_bot()
    assert await rows(console, UnnamedGroup) == []
    await leave_unnamed_groups(console.application, now=after_the_grace_period(console))
    assert console.standin.calls_to("leaveChat") == []


@pytest.fixture
async def staying(settings: Settings) -> AsyncIterator[OfflineBot]:
    changed = {"admin_ids": (ADMIN,), "leave_unknown_groups": False}
    async with offline_bot(settings.model_copy(update=changed)) as running:
        await running.user(ADMIN, language_code="en").send(f"/addstaff {STAFF}")
        yield running


async def test_with_leave_unknown_groups_off_the_bot_stays(staying: OfflineBot) -> None:
    await group_member(staying, STAFF).add_bot(as_admin=True)
    await leave_unnamed_groups(staying.application, now=after_the_grace_period(staying))
    assert COHORT not in staying.standin.left_chats
