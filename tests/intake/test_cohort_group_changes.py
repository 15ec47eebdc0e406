"""Changing or removing an intake's cohort group: the old group's unused links stop working and
the accepted applicants get a link to the new one. Accepted again, someone in the group (or
holding an unused link) gets no second link; staff read Telegram's refusals in words."""

from bot.offline.offline_bot import OfflineBot
from db.models import CohortInvite
from tests.cohort import (
    COHORT,
    OTHER_COHORT,
    accept,
    choose_group,
    console,
    group_member,
    is_live,
    link_of,
    links_sent,
    move,
    rows,
    with_group,
)
from tests.factories import add_applicant

__all__ = ["console"]


async def accepted_with_links(console: OfflineBot, numbers: tuple[int, ...]) -> dict[int, str]:
    staff = await with_group(console)
    for number in numbers:
        await add_applicant(console, number=number)
        await accept(staff, f"SRG-2026-{number:06d}")
    return {50_000 + n: link for n in numbers if (link := link_of(console, 50_000 + n))}


async def test_another_group_revokes_the_old_links_and_sends_links_to_the_new_one(
    console: OfflineBot,
) -> None:
    old = await accepted_with_links(console, (1, 2))
    # Applicant 1 is in the old group already; applicant 2 never used the link.
    await group_member(console, 50_001).ask_to_join(old[50_001])
    group_member(console, 9002, OTHER_COHORT, title="Las Angkatan 1B").make_bot_admin_quietly()
    staff = console.user(9002, language_code="en")
    await choose_group(console, staff, OTHER_COHORT)

    answer = staff.replies[0].plain_text
    assert "The links to Las Angkatan 1 nobody used yet stop working now." in answer
    assert "The 2 applicants accepted already get theirs now." in answer
    assert not is_live(console, old[50_002])
    for user_id in (50_001, 50_002):
        new = link_of(console, user_id)
        assert new is not None and new != old[user_id]
        assert console.standin.invite_links[new]["chat_id"] == OTHER_COHORT
    invites = await rows(console, CohortInvite)
    assert {(i.chat_id, i.invite_link) for i in invites} == {
        (OTHER_COHORT, link_of(console, 50_001)),
        (OTHER_COHORT, link_of(console, 50_002)),
    }
    applicant = group_member(console, 50_002, OTHER_COHORT)
    await applicant.ask_to_join(link_of(console, 50_002))
    assert applicant.is_member


async def test_removing_the_group_revokes_its_unused_links(console: OfflineBot) -> None:
    links = await accepted_with_links(console, (1,))
    staff = console.user(9002, language_code="en")
    await staff.send("/intake")
    await staff.tap("🟢 Welding")
    await staff.tap("👥 Cohort group")
    await staff.tap("🗑 Remove the cohort group")
    assert "the links nobody used yet stop working" in staff.replies[0].plain_text
    assert not is_live(console, links[50_001])
    assert await rows(console, CohortInvite) == []


async def test_someone_in_the_group_accepted_again_gets_no_new_link(
    console: OfflineBot,
) -> None:
    links = await accepted_with_links(console, (1,))
    applicant = group_member(console, 50_001)
    await applicant.ask_to_join(links[50_001])
    # Without the right to ban, moving them away leaves them in the group.
    group_member(console, 9002).make_bot_admin_quietly(can_restrict_members=False)
    staff = console.user(9002, language_code="en")
    await move(staff, "SRG-2026-000001", "→ Rejected")
    await move(staff, "SRG-2026-000001", "→ Accepted")
    assert applicant.is_member
    assert links_sent(console, 50_001) == [links[50_001]]
    assert len(console.standin.calls_to("createChatInviteLink")) == 1


async def test_someone_who_left_the_group_gets_a_new_link_when_accepted_again(
    console: OfflineBot,
) -> None:
    links = await accepted_with_links(console, (1,))
    applicant = group_member(console, 50_001)
    await applicant.ask_to_join(links[50_001])
    applicant.leave_quietly()
    staff = console.user(9002, language_code="en")
    await move(staff, "SRG-2026-000001", "→ Rejected")
    await move(staff, "SRG-2026-000001", "→ Accepted")
    [first, second] = links_sent(console, 50_001)
    assert first == links[50_001] and is_live(console, second)
    await applicant.ask_to_join(second)
    assert applicant.is_member


async def test_a_link_that_could_not_be_revoked_is_kept_and_not_doubled(
    console: OfflineBot,
) -> None:
    links = await accepted_with_links(console, (1,))
    console.standin.inject("revokeChatInviteLink", error="server_error")
    staff = console.user(9002, language_code="en")
    await move(staff, "SRG-2026-000001", "→ Rejected")
    # Still live in Telegram, so the bot still knows it (and shows it in /mydata).
    [invite] = await rows(console, CohortInvite)
    assert invite.invite_link == links[50_001] and is_live(console, links[50_001])
    await move(staff, "SRG-2026-000001", "→ Accepted")
    assert len(console.standin.calls_to("createChatInviteLink")) == 1
    [invite] = await rows(console, CohortInvite)
    assert invite.invite_link == links[50_001]


async def test_a_group_the_bot_was_removed_from_is_named_as_the_reason_in_indonesian(
    console: OfflineBot,
) -> None:
    await with_group(console)
    console.standin.set_bot_status(COHORT, "kicked")
    await add_applicant(console, number=1)
    staff = console.user(9002, language_code="id")
    await staff.send("/registrations")
    await staff.tap("SRG-2026-000001")
    await staff.tap("→ Diterima")
    await staff.tap("Pindahkan tanpa catatan")
    text = staff.last_reply.plain_text
    assert text.startswith("⚠️ 1 pendaftar yang diterima tidak mendapat tautan ke grup angkatan:")
    assert "SRG-2026-000001: Las Angkatan 1, grupnya sudah tidak ada, atau saya sudah" in text
    assert "pilih grup lain di /intake" in text
    assert "Forbidden" not in text and "bot is not a member" not in text
