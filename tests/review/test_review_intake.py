"""The intake (batch) filter of /registrations: its choices, the list, bulk moves, exports, and
filters saved before it existed."""

import io
import re
from collections.abc import AsyncIterator

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from bot.config import Settings
from bot.offline.offline_bot import OfflineBot, offline_bot
from db.models import AuditEntry, Registration, SavedFilter
from tests.factories import add_applicant

ADMIN, STAFF = 9001, 9002
# Welding 1-3 in 2026-1, welding 4-5 in 2026-2, electrical 6 in 2025-3.
INTAKES = {1: "2026-1", 2: "2026-1", 3: "2026-1", 4: "2026-2", 5: "2026-2", 6: "2025-3"}


@pytest.fixture
async def console(settings: Settings) -> AsyncIterator[OfflineBot]:
    async with offline_bot(settings.model_copy(update={"admin_ids": (ADMIN,)})) as running:
        await running.user(ADMIN, language_code="en").send(f"/addstaff {STAFF}")
        for number, batch in INTAKES.items():
            programme = "electrical" if number == 6 else "welding"
            await add_applicant(running, number=number, programme=programme)
            async with running.application.bot_data["services"].session_factory() as session:
                async with session.begin():
                    await session.execute(
                        update(Registration)
                        .where(Registration.code == f"SRG-2026-{number:06d}")
                        .values(batch=batch)
                    )
        yield running


def codes(text: str) -> set[int]:
    return {int(number) for number in re.findall(r"SRG-2026-(\d{6})", text)}


async def registrations(bot: OfflineBot) -> dict[int, str]:
    async with bot.application.bot_data["services"].session_factory() as session:
        rows = (await session.scalars(select(Registration))).all()
    return {int(r.code[-6:]): r.status for r in rows if r.code}


async def test_the_intake_choices_are_the_batches_with_registrations(console: OfflineBot) -> None:
    staff = console.user(STAFF, language_code="en")
    await staff.send("/registrations")
    await staff.tap("🗂 Intake")
    assert staff.last_reply.plain_text == "Filter by 🗂 Intake:"
    assert staff.buttons == ["Any", "2026-2 (2)", "2026-1 (3)", "2025-3 (1)", "⬅️ Back to the list"]

    await staff.tap("⬅️ Back to the list")
    await staff.tap("🎓 Programme")
    await staff.tap("Welding")
    await staff.tap("🗂 Intake")
    assert staff.buttons == ["Any", "2026-2 (2)", "2026-1 (3)", "⬅️ Back to the list"]


async def test_filtering_by_intake_shows_only_that_batch(console: OfflineBot) -> None:
    staff = console.user(STAFF, language_code="en")
    await staff.send("/registrations")
    assert codes(staff.last_reply.plain_text) == set(INTAKES)
    await staff.tap("🗂 Intake")
    await staff.tap("2026-1 (3)")
    text = staff.last_reply.plain_text
    assert "3 found" in text and codes(text) == {1, 2, 3}
    assert "Programme: all · Intake: 2026-1 · Stage: all" in text

    await staff.tap("🗂 Intake")
    await staff.tap("Any")
    assert codes(staff.last_reply.plain_text) == set(INTAKES)


async def test_the_intake_filter_is_in_indonesian_too(console: OfflineBot) -> None:
    staff = console.user(STAFF, language_code="id")
    await staff.send("/registrations")
    await staff.tap("🗂 Angkatan")
    await staff.tap("2026-2 (2)")
    text = staff.last_reply.plain_text
    assert codes(text) == {4, 5}
    assert "Program: semua · Angkatan: 2026-2 · Tahap: semua" in text


async def test_a_bulk_move_moves_only_the_chosen_intake(console: OfflineBot) -> None:
    staff = console.user(STAFF, language_code="en")
    await staff.send("/registrations")
    await staff.tap("🗂 Intake")
    await staff.tap("2026-2 (2)")
    await staff.tap("🔀 Move all 2 to another stage")
    await staff.tap("Verified")
    assert staff.last_reply.plain_text.startswith("Move 2 registrations to «Verified»?")
    await staff.tap("✅ Yes, move them")
    stages = await registrations(console)
    assert {n for n, status in stages.items() if status == "verified"} == {4, 5}
    assert {n for n, status in stages.items() if status == "submitted"} == {1, 2, 3, 6}


async def test_an_export_with_the_intake_filter_holds_only_that_batch(
    console: OfflineBot,
) -> None:
    staff = console.user(STAFF, language_code="en")
    await staff.send("/registrations")
    await staff.tap("🗂 Intake")
    await staff.tap("2026-1 (3)")
    await staff.tap("🗓 Period")
    await staff.tap("Last 30 days")
    await staff.tap("📄 XLSX")
    filename, content = staff.last_reply.document
    assert re.fullmatch(r"registrations_2026-1_30d_\d{8}-\d{4}\.xlsx", filename), filename
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Registrations", "Filter"]
    rows = list(workbook["Registrations"].values)
    assert [row[0] for row in rows[1:]] == [f"SRG-2026-{n:06d}" for n in (1, 2, 3)]
    assert rows[0][2] == "Intake" and {row[2] for row in rows[1:]} == {"2026-1"}
    about = list(workbook["Filter"].values)
    assert about[:2] == [("Intake", "2026-1"), ("Period", "Last 30 days")]
    assert about[2][0] == "Exported" and about[2][1].endswith(" WIB") and len(about) == 3
    assert staff.last_reply.plain_text == "3 registrations"
    async with console.application.bot_data["services"].session_factory() as session:
        [entry] = (
            await session.scalars(select(AuditEntry).where(AuditEntry.action == "export"))
        ).all()
    assert entry.details["filter"]["intake"] == "2026-1"

    await staff.tap("📄 CSV")
    filename, content = staff.last_reply.document
    assert re.fullmatch(r"registrations_2026-1_30d_\d{8}-\d{4}\.csv", filename), filename
    table = content.decode("utf-8-sig").splitlines()
    assert table[0].startswith("Code,Programme,Intake,Stage,")
    assert len(table) == 4 and codes("\n".join(table)) == {1, 2, 3}


async def test_an_unfiltered_export_says_so_in_indonesian(console: OfflineBot) -> None:
    staff = console.user(STAFF, language_code="id")
    await staff.send("/registrations")
    await staff.tap("🎓 Program")
    await staff.tap("Teknik Las")
    await staff.tap("📄 XLSX")
    filename, content = staff.last_reply.document
    assert re.fullmatch(r"registrations_welding_\d{8}-\d{4}\.xlsx", filename), filename
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Pendaftaran", "Filter"]
    assert list(workbook["Filter"].values)[0] == ("Program", "Teknik Las")
    assert list(workbook.active.values)[0][:2] == ("Kode", "Program")


async def test_a_filter_saved_before_intakes_existed_still_loads(console: OfflineBot) -> None:
    async with console.application.bot_data["services"].session_factory() as session:
        async with session.begin():
            old = SavedFilter(
                owner_id=STAFF,
                criteria={"programme": "welding", "stage": None, "regency": None, "period": "all"},
            )
            session.add(old)
        filter_id = old.id
    staff = console.user(STAFF, language_code="en")
    await staff.send("/registrations")
    await staff.tap_data(f"rv:l:{filter_id}:0")
    text = staff.last_reply.plain_text
    assert "5 found" in text and "Programme: Welding · Intake: all" in text
    await staff.tap("🗂 Intake")
    await staff.tap("2026-2 (2)")
    assert codes(staff.last_reply.plain_text) == {4, 5}


async def test_changing_the_programme_keeps_the_intake_only_if_it_has_registrations(
    console: OfflineBot,
) -> None:
    staff = console.user(STAFF, language_code="en")
    await staff.send("/registrations")
    await staff.tap("🗂 Intake")
    await staff.tap("2026-1 (3)")
    await staff.tap("🎓 Programme")
    await staff.tap("Electrical (Teknik Listrik)")
    text = staff.last_reply.plain_text
    assert "1 found" in text and codes(text) == {6}
    assert "Programme: Electrical (Teknik Listrik) · Intake: all" in text
    await staff.tap("🗂 Intake")
    assert staff.buttons == ["Any", "2025-3 (1)", "⬅️ Back to the list"]

    await staff.tap("⬅️ Back to the list")
    await staff.tap("🎓 Programme")
    await staff.tap("Any")
    await staff.tap("🗂 Intake")
    await staff.tap("2026-2 (2)")
    await staff.tap("🎓 Programme")
    await staff.tap("Welding")
    text = staff.last_reply.plain_text
    assert "2 found" in text and "Programme: Welding · Intake: 2026-2" in text


async def test_the_intake_counts_follow_the_other_filters(console: OfflineBot) -> None:
    async with console.application.bot_data["services"].session_factory() as session:
        async with session.begin():
            await session.execute(
                update(Registration)
                .where(Registration.code.in_(["SRG-2026-000001", "SRG-2026-000004"]))
                .values(status="verified")
            )
            await session.execute(
                update(Registration)
                .where(Registration.code == "SRG-2026-000002")
                .values(regency="3604")
            )
    staff = console.user(STAFF, language_code="en")
    await staff.send("/registrations")
    await staff.tap("📍 Stage")
    await staff.tap("Verified")
    await staff.tap("🗂 Intake")
    assert staff.buttons == ["Any", "2026-2 (1)", "2026-1 (1)", "⬅️ Back to the list"]
    await staff.tap("2026-1 (1)")
    text = staff.last_reply.plain_text
    assert "1 found" in text and codes(text) == {1}

    await staff.send("/registrations")
    await staff.tap("🏠 Home")
    await staff.tap("Kota Serang")
    await staff.tap("🗂 Intake")
    assert staff.buttons == ["Any", "2026-2 (2)", "2026-1 (2)", "2025-3 (1)", "⬅️ Back to the list"]
    await staff.tap("2026-1 (2)")
    assert codes(staff.last_reply.plain_text) == {1, 3}


async def test_the_chosen_intake_stays_among_the_choices(console: OfflineBot) -> None:
    staff = console.user(STAFF, language_code="en")
    await staff.send("/registrations")
    await staff.tap("🗂 Intake")
    await staff.tap("2025-3 (1)")
    await staff.tap("📍 Stage")
    await staff.tap("Accepted")
    assert "0 found" in staff.last_reply.plain_text
    await staff.tap("🗂 Intake")
    assert staff.buttons == ["Any", "2025-3 (0)", "⬅️ Back to the list"]
    await staff.tap("Any")
    assert "Intake: all" in staff.last_reply.plain_text
