"""Exports of the filtered list: opened back and checked row by row; full NIKs only for admins."""

import csv
import io
from collections.abc import AsyncIterator

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.config import Settings
from bot.offline.group_driver import GroupMember
from bot.offline.offline_bot import OfflineBot, offline_bot
from db.models import AuditEntry
from tests.factories import add_applicant

ADMIN, STAFF = 9001, 9002
HEADER = [
    "Code",
    "Programme",
    "Intake",
    "Stage",
    "Name",
    "NIK",
    "Date of birth",
    "Sex",
    "Phone",
    "Last school",
    "Activity",
    "Home",
    "E-mail",
    "Submitted",
    "Last change",
    "Documents",
]


@pytest.fixture
async def console(settings: Settings) -> AsyncIterator[OfflineBot]:
    async with offline_bot(settings.model_copy(update={"admin_ids": (ADMIN,)})) as running:
        await running.user(ADMIN, language_code="en").send(f"/addstaff {STAFF}")
        for number in (1, 2, 3):
            await add_applicant(running, number=number)
        await add_applicant(running, number=4, programme="electrical", regency="3604")
        yield running


async def audit(bot: OfflineBot) -> list[AuditEntry]:
    async with bot.application.bot_data["services"].session_factory() as session:
        query = select(AuditEntry).where(AuditEntry.action.like("export%"))
        return list((await session.scalars(query)).all())


async def welding_list(bot: OfflineBot, user_id: int):  # noqa: ANN201 - a ChatUser
    user = bot.user(user_id, language_code="en")
    await user.send("/registrations")
    await user.tap("🎓 Programme")
    await user.tap("Welding")
    return user


def xlsx_rows(content: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [[cell if cell is not None else "" for cell in row] for row in sheet.values]


def check_rows(rows: list[list[str]], niks: list[str]) -> None:
    assert rows[0] == HEADER
    assert len(rows) == 4
    for row, number, nik in zip(rows[1:], (1, 2, 3), niks, strict=True):
        assert row[:7] == [
            f"SRG-2026-{number:06d}",
            "Welding",
            "1",
            "Submitted",
            f"Applicant {number}",
            nik,
            "2004-03-12",
        ]
        assert row[7:13] == [
            "👩 Female",
            f"+628123456{number:04d}",
            "SMA / SMK / MA",
            "🔎 Looking for work",
            "Kota Serang",
            f"a{number}@example.com",
        ]
        assert row[13] and row[13] == row[14]


async def test_staff_export_xlsx_with_masked_niks(console: OfflineBot) -> None:
    staff = await welding_list(console, STAFF)
    assert "📄 XLSX with full NIK" not in staff.buttons
    await staff.tap("📄 XLSX")
    filename, content = staff.last_reply.document
    assert filename.endswith(".xlsx") and "full" not in filename
    assert staff.last_reply.plain_text == "3 registrations"
    check_rows(xlsx_rows(content), [f"3673********000{n}" for n in (1, 2, 3)])
    [entry] = await audit(console)
    assert (entry.actor_id, entry.action, entry.subject) == (STAFF, "export", "xlsx")
    assert entry.details["rows"] == 3


async def test_staff_export_csv_with_masked_niks(console: OfflineBot) -> None:
    staff = await welding_list(console, STAFF)
    await staff.tap("📄 CSV")
    filename, content = staff.last_reply.document
    assert filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    check_rows(rows, [f"3673********000{n}" for n in (1, 2, 3)])
    assert "367301520304" not in content.decode("utf-8-sig")


async def test_only_admins_get_full_niks_and_each_is_audited(console: OfflineBot) -> None:
    staff = await welding_list(console, STAFF)
    await staff.tap_data(staff.last_reply.callback_data_for("📄 XLSX").replace("xlsx", "full"))
    assert staff.answered_callbacks[-1] == "This is for the centre's staff."
    assert console.standin.calls_to("sendDocument") == [] and await audit(console) == []

    admin = await welding_list(console, ADMIN)
    await admin.tap("📄 XLSX with full NIK")
    filename, content = admin.last_reply.document
    assert filename.endswith("-full-nik.xlsx")
    check_rows(xlsx_rows(content), [f"367301520304000{n}" for n in (1, 2, 3)])
    [entry] = await audit(console)
    assert (entry.actor_id, entry.action, entry.details["rows"]) == (ADMIN, "export.full_nik", 3)
    assert entry.details["filter"]["programme"] == "welding"


async def test_full_niks_asked_for_in_the_staff_group_go_to_the_admins_private_chat(
    console: OfflineBot,
) -> None:
    staff_chat = console.application.bot_data["services"].settings.staff_chat_id
    admin = GroupMember(
        console.application,
        console.standin,
        chat_id=staff_chat,
        user_id=ADMIN,
        forum=False,
        language_code="en",
    )
    await admin.say("/registrations")
    masked = console.standin.history(staff_chat)[-1]
    # Masked exports are for the staff group; full NIKs never are.
    await admin.tap("📄 XLSX")
    assert console.standin.history(staff_chat)[-1].document is not None
    await admin.tap_data(masked.callback_data_for("📄 XLSX with full NIK"), masked.message_id)
    assert admin.answered_callbacks[-1] == (
        "🔐 Full NIKs are never sent to a group: the file is in your private chat."
    )
    documents = [sent.document for sent in console.standin.history(staff_chat) if sent.document]
    assert len(documents) == 1 and not documents[0][0].endswith("-full-nik.xlsx")
    filename, content = console.standin.history(ADMIN)[-1].document
    assert filename.endswith("-full-nik.xlsx")
    assert "3673015203040001" in str(xlsx_rows(content))

    console.standin.blocked_by.add(ADMIN)
    await admin.tap_data(masked.callback_data_for("📄 XLSX with full NIK"), masked.message_id)
    assert admin.answered_callbacks[-1].startswith("🔐 Full NIKs are never sent to a group. Start")
    assert len([sent for sent in console.standin.history(staff_chat) if sent.document]) == 1
