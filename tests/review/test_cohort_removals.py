"""Someone let into the cohort group and then moved away from «Accepted» is removed from it
(banned and at once unbanned, so a new link can let them back), in /audit, and the staff
member reads it in the move's confirmation; without the right to ban, staff are told."""

from bot.offline.offline_bot import OfflineBot
from db.models import AuditEntry
from tests.cohort import (
    COHORT,
    STAFF,
    accept,
    console,
    group_member,
    link_of,
    move,
    rows,
    with_group,
)
from tests.factories import add_applicant

__all__ = ["console"]
CODE = "SRG-2026-000001"


async def let_in(console: OfflineBot):  # noqa: ANN201
    staff = await with_group(console)
    await add_applicant(console, number=1)
    await accept(staff, CODE)
    applicant = group_member(console, 50_001)
    await applicant.ask_to_join(link_of(console, 50_001))
    assert applicant.is_member
    return staff, applicant


async def test_moved_away_they_leave_the_group_and_may_come_back_later(
    console: OfflineBot,
) -> None:
    staff, applicant = await let_in(console)
    await move(staff, CODE, "→ Verified")
    assert not applicant.is_member
    assert (await console.application.bot.get_chat_member(COHORT, 50_001)).status == "left"
    confirmation = staff.replies[0].plain_text
    assert confirmation.startswith(f"✅ {CODE} is now at «")
    assert f"👋 {CODE} is no longer in the cohort group Las Angkatan 1." in confirmation
    [entry] = [e for e in await rows(console, AuditEntry) if e.action == "cohort.removed"]
    assert (entry.actor_id, entry.subject) == (STAFF, str(COHORT))
    assert entry.details == {
        "user": 50_001,
        "code": CODE,
        "intake": "welding 1",
        "problem": None,
    }

    await move(staff, CODE, "→ Accepted")
    await applicant.ask_to_join(link_of(console, 50_001))
    assert applicant.is_member


async def test_without_the_right_to_ban_staff_are_told_clearly(console: OfflineBot) -> None:
    staff, applicant = await let_in(console)
    group_member(console, STAFF).make_bot_admin_quietly(can_restrict_members=False)
    await move(staff, CODE, "→ Rejected")
    assert applicant.is_member
    confirmation = staff.replies[0].plain_text
    assert (
        f"⚠️ {CODE} is still in the cohort group Las Angkatan 1: I am not allowed to ban users "
        "there. Remove them in the group yourself, or make me an admin there with «Ban users»."
    ) in confirmation
    [entry] = [e for e in await rows(console, AuditEntry) if e.action == "cohort.not_removed"]
    assert entry.details["problem"] == "no_right"


async def test_a_bulk_move_away_removes_each_and_says_so_in_indonesian(
    console: OfflineBot,
) -> None:
    await let_in(console)
    staff = console.user(STAFF, language_code="id")
    await staff.send("/registrations")
    await staff.tap("🔀 Pindahkan semua 1 ke tahap lain")
    await staff.tap("Tidak diterima")
    await staff.tap("✅ Ya, pindahkan")
    assert not group_member(console, 50_001).is_member
    assert (
        f"👋 {CODE} sudah dikeluarkan dari grup angkatan Las Angkatan 1."
        in staff.replies[0].plain_text
    )
