"""Cohort group links and join decisions under UU 27/2022: /mydata shows the links; after a
deletion /audit keeps what happened without the person's Telegram id; retention removes a
declined stranger's id after its period and revokes the links of anonymised registrations in
Telegram."""

from datetime import timedelta

from sqlalchemy import BigInteger, cast, update

from bot.offline.offline_bot import OfflineBot
from db.models import AuditEntry, CohortInvite, Registration, utc_now
from handlers.reminders import purge_expired_data
from tests.cohort import (
    ADMIN,
    STRANGER,
    accept,
    console,
    group_member,
    is_live,
    link_of,
    rows,
    with_group,
)
from tests.factories import add_applicant

__all__ = ["console"]


async def session_of(bot: OfflineBot):  # noqa: ANN201
    return bot.application.bot_data["services"].session_factory()


async def test_mydata_lists_the_cohort_links_on_screen(console: OfflineBot) -> None:
    staff = await with_group(console)
    await add_applicant(console, number=1)
    await accept(staff, "SRG-2026-000001")
    link = link_of(console, 50_001)
    applicant = console.user(50_001)
    await applicant.send("/mydata")
    assert (
        f"Tautan grup angkatan untuk SRG-2026-000001: {link} (belum dipakai)"
        in applicant.last_reply.plain_text
    )
    await group_member(console, 50_001).ask_to_join(link)
    await applicant.send("/mydata")
    assert (
        f"Tautan grup angkatan untuk SRG-2026-000001: {link} (sudah dipakai: kamu sudah di grup)"
        in applicant.last_reply.plain_text
    )


async def test_after_deleting_their_data_audit_keeps_the_entry_without_their_id(
    console: OfflineBot,
) -> None:
    staff = await with_group(console)
    await add_applicant(console, number=1)
    await accept(staff, "SRG-2026-000001")
    await group_member(console, 50_001).ask_to_join(link_of(console, 50_001))
    await group_member(console, STRANGER).ask_to_join()

    applicant = console.user(50_001)
    await applicant.send("/mydata")
    await applicant.tap("🗑 Hapus semuanya")
    await applicant.tap("🗑 Ya, hapus semuanya")

    entries = {e.action: e.details for e in await rows(console, AuditEntry)}
    assert entries["cohort.approve"]["user"] is None
    assert entries["cohort.approve"]["code"] == "SRG-2026-000001"
    # Someone else's entry is theirs, and stays.
    assert entries["cohort.decline"]["user"] == STRANGER
    admin = console.user(ADMIN, language_code="en")
    await admin.send("/audit")
    text = admin.last_reply.plain_text
    assert "50001" not in text
    assert "a person whose Telegram id was removed" in text
    assert "accepted applicant SRG-2026-000001" in text


async def test_retention_removes_a_declined_strangers_id_after_its_period(
    console: OfflineBot,
) -> None:
    await with_group(console)
    for user_id in (STRANGER, STRANGER + 1):
        await group_member(console, user_id).ask_to_join()
    days = console.application.bot_data["services"].settings.keep_declined_join_requests_days
    async with await session_of(console) as session, session.begin():
        await session.execute(
            update(AuditEntry)
            .where(AuditEntry.action == "cohort.decline")
            .where(cast(AuditEntry.details["user"].as_string(), BigInteger) == STRANGER)
            .values(at=utc_now() - timedelta(days=days, hours=1))
        )
    await purge_expired_data(console.application)
    declined = sorted(
        (e for e in await rows(console, AuditEntry) if e.action == "cohort.decline"),
        key=lambda e: e.id,
    )
    assert [e.details["user"] for e in declined] == [None, STRANGER + 1]
    assert all(e.details["intake"] == "welding 1" for e in declined)


async def test_retention_revokes_the_links_of_anonymised_registrations(
    console: OfflineBot,
) -> None:
    staff = await with_group(console)
    for number in (1, 2):
        await add_applicant(console, number=number)
        await accept(staff, f"SRG-2026-{number:06d}")
    first, second = link_of(console, 50_001), link_of(console, 50_002)
    async with await session_of(console) as session, session.begin():
        await session.execute(
            update(Registration).where(Registration.code == "SRG-2026-000001").values(user_id=None)
        )
    await purge_expired_data(console.application)
    assert first and second
    assert not is_live(console, first)
    assert is_live(console, second)
    [kept] = await rows(console, CohortInvite)
    assert kept.invite_link == second
