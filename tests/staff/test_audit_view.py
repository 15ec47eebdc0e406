"""/audit: admins read who did what, newest first, a page at a time and by kind, in their own
language, with NIKs and phone numbers masked; nobody else can."""

import re
from collections.abc import AsyncIterator
from datetime import datetime

import pytest

from bot.config import Settings
from bot.offline.offline_bot import OfflineBot, offline_bot
from db.audit import record_action
from tests.factories import add_applicant

ADMIN, STAFF, OUTSIDER = 9001, 9002, 9003
REFUSAL = "This is for the centre's staff."
TIME = r"\d{1,2} \w{3} \d{4} \d{2}:\d{2} WIB"


@pytest.fixture
async def console(settings: Settings) -> AsyncIterator[OfflineBot]:
    """An admin (Rina) who made Dewi staff; Dewi has written to the bot."""
    async with offline_bot(settings.model_copy(update={"admin_ids": (ADMIN,)})) as running:
        await running.user(ADMIN, first_name="Rina", language_code="en").send(f"/addstaff {STAFF}")
        await running.user(STAFF, first_name="Dewi", language_code="en").send("/start")
        yield running


async def add_entries(bot: OfflineBot, count: int, **fields: object) -> None:
    async with bot.application.bot_data["services"].session_factory() as session:
        async with session.begin():
            for number in range(count):
                entry = await record_action(
                    session,
                    actor_id=STAFF,
                    action="export",
                    subject="csv",
                    details={"rows": number, "filter": {}},
                )
                for name, value in fields.items():
                    setattr(entry, name, value)


def lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if re.match(TIME, line)]


async def test_real_staff_actions_appear_newest_first_with_personal_data_masked(
    console: OfflineBot,
) -> None:
    for number in (1, 2, 3):
        await add_applicant(console, number=number)
    staff = console.user(STAFF, first_name="Dewi", language_code="en")
    await staff.send("/registrations")
    await staff.tap("🎓 Programme")
    await staff.tap("Welding")
    await staff.tap("📄 XLSX")
    await staff.send("/registrations")
    await staff.tap("SRG-2026-000001")
    await staff.tap("→ Verified")
    await staff.send("NIK 3673015203040001 checked, call +6281234560001")
    assert "is now at «Verified»" in staff.last_reply.plain_text

    admin = console.user(ADMIN, first_name="Rina", language_code="en")
    await admin.send("/audit")
    text = admin.last_reply.plain_text
    assert "Audit log · All: 4 entries, newest first" in text
    moved, exported, added, configured = lines(text)
    assert re.fullmatch(
        TIME + r" · Dewi · moved a registration · SRG-2026-000001 · Submitted → Verified · "
        r"note \(49 characters\)",
        moved,
    ), moved
    assert re.fullmatch(
        TIME + r" · Dewi · exported registrations \(NIK masked\) · XLSX · 3 rows · "
        r"Programme: Welding",
        exported,
    ), exported
    assert re.fullmatch(TIME + r" · Rina · added a staff member · Dewi", added), added
    assert configured.endswith(" WIB · the configuration · added a staff member · Rina")
    assert "3673015203040001" not in text and "6281234560001" not in text


async def test_entries_are_paged_and_filtered_by_kind(console: OfflineBot) -> None:
    await add_entries(console, 24)
    admin = console.user(ADMIN, first_name="Rina", language_code="en")
    await admin.send("/audit")
    first = admin.last_reply.plain_text
    assert "26 entries" in first and "Entries 1–10 of 26" in first
    assert len(lines(first)) == 10 and "· 23 rows" in lines(first)[0]
    assert admin.buttons[0] == "▶️ Older" and "◀️ Newer" not in admin.buttons
    await admin.tap("▶️ Older")
    assert "Entries 11–20 of 26" in admin.last_reply.plain_text
    assert "· 13 rows" in lines(admin.last_reply.plain_text)[0]
    await admin.tap("▶️ Older")
    last = lines(admin.last_reply.plain_text)
    assert len(last) == 6 and last[-2].endswith("Rina · added a staff member · Dewi")
    assert last[-1].endswith("the configuration · added a staff member · Rina")
    assert "▶️ Older" not in admin.buttons
    await admin.tap("◀️ Newer")
    assert "Entries 11–20 of 26" in admin.last_reply.plain_text

    await admin.tap("👥 Staff")
    text = admin.last_reply.plain_text
    assert "Audit log · 👥 Staff: 2 entries" in text and len(lines(text)) == 2
    assert "• 👥 Staff" in admin.buttons
    await admin.tap("📄 Exports")
    assert "24 entries" in admin.last_reply.plain_text
    await admin.tap("🗂 Intakes and content")
    assert "Audit log · 🗂 Intakes and content: 0 entries" in admin.last_reply.plain_text
    await admin.tap("📣 Broadcasts")
    assert "Nothing recorded yet." in admin.last_reply.plain_text
    for row in admin.last_reply.raw["reply_markup"]["inline_keyboard"]:
        assert all(len(key["callback_data"].encode()) <= 64 for key in row)


async def test_unknown_actions_are_shown_as_they_are_and_masked(console: OfflineBot) -> None:
    async with console.application.bot_data["services"].session_factory() as session:
        async with session.begin():
            await record_action(
                session,
                actor_id=777,
                action="future.feature",
                subject="<b>x</b>",
                details={"phone": "081234560001", "nik": "3673 0152 0304 0001"},
            )
    admin = console.user(ADMIN, first_name="Rina", language_code="en")
    await admin.send("/audit")
    newest = lines(admin.last_reply.plain_text)[0]
    assert newest.endswith(
        "· 777 · future.feature · <b>x</b> · phone: 0********001, nik: 3673********0001"
    )
    assert "<code>777</code>" in admin.last_reply.text
    assert "&lt;b&gt;x&lt;/b&gt;" in admin.last_reply.text


async def test_one_screen_in_both_languages(console: OfflineBot) -> None:
    await add_entries(console, 1, at=datetime(2026, 8, 17, 3, 5), action="export.full_nik")
    english = console.user(ADMIN, first_name="Rina", language_code="en")
    await english.send("/audit")
    assert (
        "17 Aug 2026 10:05 WIB · Dewi · exported registrations with full NIKs · CSV · 0 rows"
        in english.last_reply.plain_text
    )
    assert english.buttons == [
        "• All",
        "📄 Exports",
        "📍 Stage changes",
        "👥 Staff",
        "📣 Broadcasts",
        "🗂 Intakes and content",
        "🔗 Campaigns",
        "👪 Groups",
    ]

    indonesian = console.user(ADMIN, first_name="Rina", language_code="id")
    await indonesian.send("/audit")
    text = indonesian.last_reply.plain_text
    assert "🧾 Log audit · Semua: 3 entri, terbaru di atas" in text
    assert (
        "17 Agu 2026 10:05 WIB · Dewi · mengekspor pendaftaran dengan NIK lengkap · CSV · 0 baris"
        in text
    )
    assert "Rina · menambahkan staf · Dewi" in text
    assert "📍 Perubahan tahap" in indonesian.buttons


async def test_only_admins_may_read_the_audit_log(console: OfflineBot) -> None:
    for user_id in (STAFF, OUTSIDER):
        user = console.user(user_id, language_code="en")
        assert [r.plain_text for r in await user.send("/audit")] == [REFUSAL]
        for data in ("au:all", "au:exports:o:1", "au:staff:n:0"):
            assert await user.tap_data(data) == [], data
            assert user.answered_callbacks[-1] == REFUSAL
    admin = console.user(ADMIN, first_name="Rina", language_code="en")
    await admin.send("/audit")
    assert "Audit log" in admin.last_reply.plain_text


async def test_new_entries_between_taps_are_neither_repeated_nor_skipped(
    console: OfflineBot,
) -> None:
    """Pages go by the id of the entry at their edge, so entries written while an admin reads
    (staff keep working) do not shift what ▶️ Older and ◀️ Newer show."""
    await add_entries(console, 24)  # rows 0..23, newest first; then Rina's and the config's
    admin = console.user(ADMIN, first_name="Rina", language_code="en")
    await admin.send("/audit")
    seen = [lines(admin.last_reply.plain_text)]
    for _ in range(2):
        await add_entries(console, 5, details={"rows": 100, "filter": {}})
        await admin.tap("▶️ Older")
        seen.append(lines(admin.last_reply.plain_text))
    rows = [re.search(r"· (\d+) rows?$", line) for page in seen for line in page]
    assert [int(row.group(1)) for row in rows if row] == list(range(23, -1, -1))
    assert seen[2][-1].endswith("the configuration · added a staff member · Rina")
    assert "Entries 21–26 of 36" not in admin.last_reply.plain_text  # 10 new ones are above
    assert "Entries 31–36 of 36" in admin.last_reply.plain_text

    await add_entries(console, 3, details={"rows": 200, "filter": {}})
    await admin.tap("◀️ Newer")
    newer = lines(admin.last_reply.plain_text)
    assert "· 13 rows" in newer[0] and "· 4 rows" in newer[-1] and len(newer) == 10
    await admin.tap("◀️ Newer")
    newer = lines(admin.last_reply.plain_text)
    assert "· 23 rows" in newer[0] and "· 14 rows" in newer[-1]
    await admin.tap("◀️ Newer")
    assert all(line.endswith("· 100 rows") for line in lines(admin.last_reply.plain_text))
    assert "Entries 4–13 of 39" in admin.last_reply.plain_text
    # Fewer than a page left above: the newest page, as /audit opens.
    await admin.tap("◀️ Newer")
    top = lines(admin.last_reply.plain_text)
    assert [line.endswith("· 200 rows") for line in top] == [True] * 3 + [False] * 7
    assert "Entries 1–10 of 39" in admin.last_reply.plain_text
    assert "◀️ Newer" not in admin.buttons


async def test_a_forged_page_shows_the_newest_entries(console: OfflineBot) -> None:
    admin = console.user(ADMIN, first_name="Rina", language_code="en")
    await admin.send("/audit")
    for data in ("au:all:o:999999999999999999", "au:staff:n:999999999999999999"):
        await admin.tap_data(data)
        assert "added a staff member" in admin.last_reply.plain_text, data
    for data in ("au:all:o:" + "9" * 60, "au:all:o:-1", "au:bogus", "au:all:x:1"):
        shown = await admin.tap_data(data)
        assert "Audit log" not in "".join(message.plain_text for message in shown), data


NOTES = [
    "NIK 3673 - 0152 - 0304 - 0001",
    "NIK 3 6 7 3 0 1 5 2 0 3 0 4 0 0 0 1",
    "NIK 3673/0152/0304/0001",
    "call (0812) 3456 7890",
    "call +62 (812) 3456-7890",
    "Budi's son Andi, born 12 March 2019",
]


async def test_notes_show_only_that_there_was_one(console: OfflineBot) -> None:
    async with console.application.bot_data["services"].session_factory() as session:
        async with session.begin():
            for note in NOTES:
                await record_action(
                    session,
                    actor_id=STAFF,
                    action="registration.stage",
                    subject="SRG-2026-000001",
                    details={"from": "submitted", "to": "verified", "note": note},
                )
    for language, words in (
        ("en", "note ({count} characters)"),
        ("id", "catatan ({count} karakter)"),
    ):
        admin = console.user(ADMIN, first_name="Rina", language_code=language)
        await admin.send("/audit")
        text = admin.last_reply.plain_text
        for note in NOTES:
            assert note.split(" ", 1)[1] not in text
        assert [line.rsplit(" · ", 1)[1] for line in lines(text)[:6]] == [
            words.format(count=len(note)) for note in reversed(NOTES)
        ]
    assert "3456" not in text and "0152" not in text and "Andi" not in text


async def test_filters_are_named_by_field(console: OfflineBot) -> None:
    await add_entries(
        console,
        1,
        details={
            "rows": 2,
            "filter": {
                "programme": "welding",
                "intake": "2026-1",
                "stage": "verified",
                "regency": None,
                "period": "30d",
            },
        },
    )
    english = console.user(ADMIN, first_name="Rina", language_code="en")
    await english.send("/audit")
    assert lines(english.last_reply.plain_text)[0].endswith(
        "· 2 rows · Programme: Welding, Intake: 2026-1, Stage: Verified, Period: Last 30 days"
    )
    indonesian = console.user(ADMIN, first_name="Rina", language_code="id")
    await indonesian.send("/audit")
    assert lines(indonesian.last_reply.plain_text)[0].endswith(
        "· 2 baris · Program: Teknik Las, Angkatan: 2026-1, Tahap: Terverifikasi, "
        "Periode: 30 hari terakhir"
    )
