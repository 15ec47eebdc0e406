"""The staff console: roles and their command menus, refusals, and the registration review."""

import json
import re
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.offline.offline_bot import OfflineBot, offline_bot
from db.models import AuditEntry, Registration, StaffMember, User
from tests.factories import add_applicant
from tests.registration.test_registration import fill_until_summary, open_welding

ADMIN, STAFF, OUTSIDER = 9001, 9002, 9003
REFUSAL = "This is for the centre's staff."
FORGED_BUTTONS = [
    "rv:l:1:0",
    "rv:pick:1:stage",
    "rv:set:1:stage:verified",
    "rv:o:1:1",
    "rv:mv:1:verified:1",
    "rv:go:1:verified:1",
    "rv:bulk:1",
    "rv:bp:1:verified",
    "rv:bok:1:verified:1",
    "ex:xlsx:1",
    "ex:csv:1",
    "ex:full:1",
]


@pytest.fixture
async def console(settings: Settings) -> AsyncIterator[OfflineBot]:
    """The bot with one configured admin, who has made 9002 staff."""
    async with offline_bot(settings.model_copy(update={"admin_ids": (ADMIN,)})) as running:
        admin = running.user(ADMIN, language_code="en")
        await admin.send(f"/addstaff {STAFF}")
        yield running


async def rows(bot: OfflineBot, model: type) -> list:
    async with bot.application.bot_data["services"].session_factory() as session:
        return list((await session.scalars(select(model))).all())


def scoped_commands(bot: OfflineBot, method: str, user_id: int) -> list[dict]:
    return [
        call.params
        for call in bot.standin.calls_to(method)
        if json.loads(json.dumps(call.params.get("scope") or {})).get("chat_id") == user_id
    ]


async def test_outsiders_are_refused_every_staff_command_and_button(console: OfflineBot) -> None:
    await add_applicant(console, number=1)
    outsider = console.user(OUTSIDER, language_code="en")
    for command in [
        "/registrations",
        "/staff",
        "/addstaff",
        f"/addstaff {OUTSIDER}",
        f"/removestaff {STAFF}",
    ]:
        replies = await outsider.send(command)
        assert [r.plain_text for r in replies] == [REFUSAL], command
    for data in FORGED_BUTTONS:
        replies = await outsider.tap_data(data)
        assert replies == [] and outsider.answered_callbacks[-1] == REFUSAL, data
    [registration] = await rows(console, Registration)
    assert registration.status == "submitted"
    assert [e.action for e in await rows(console, AuditEntry)] == ["staff.add", "staff.add"]
    assert {m.user_id for m in await rows(console, StaffMember)} == {ADMIN, STAFF}
    assert console.standin.calls_to("sendDocument") == []


async def test_the_refusal_is_in_the_users_language(console: OfflineBot) -> None:
    outsider = console.user(OUTSIDER, language_code="id")
    await outsider.send("/registrations")
    assert outsider.last_reply.plain_text == "Ini khusus untuk petugas balai."


async def test_staff_are_refused_the_admin_commands_and_the_full_nik(console: OfflineBot) -> None:
    staff = console.user(STAFF, language_code="en")
    for command in ["/staff", f"/addstaff {OUTSIDER}", f"/removestaff {STAFF}"]:
        replies = await staff.send(command)
        assert [r.plain_text for r in replies] == [REFUSAL], command
    await staff.send("/registrations")
    await staff.tap_data("ex:full:1")
    assert staff.answered_callbacks[-1] == REFUSAL
    assert console.standin.calls_to("sendDocument") == []


async def test_admins_add_and_remove_staff_with_menus_and_audit(console: OfflineBot) -> None:
    admin = console.user(ADMIN, language_code="en")
    assert "is now staff" in console.standin.history(ADMIN)[-1].plain_text
    # At start the admin's own menu, then the new staff member's: each language and a default.
    admin_menus = scoped_commands(console, "setMyCommands", ADMIN)
    assert {p.get("language_code") for p in admin_menus} == {"id", "en", None}
    assert "staff" in [c["command"] for c in admin_menus[0]["commands"]]
    staff_menus = scoped_commands(console, "setMyCommands", STAFF)
    assert {p.get("language_code") for p in staff_menus} == {"id", "en", None}
    staff_commands = [c["command"] for c in staff_menus[0]["commands"]]
    assert "registrations" in staff_commands and "addstaff" not in staff_commands
    public = [c for c in console.standin.calls_to("setMyCommands") if not c.params.get("scope")]
    assert all(
        "registrations" not in [command["command"] for command in c.params["commands"]]
        for c in public
    )

    await admin.send("/addstaff")
    assert "share their contact" in admin.last_reply.plain_text
    await admin.share_contact("+6281299998888", contact_user_id=9200, first_name="Budi")
    assert admin.last_reply.plain_text == "✅ 9200 is now staff."
    await admin.send("/staff")
    listing = admin.last_reply.plain_text
    assert "9001" in listing and "9002" in listing and "9200" in listing

    await admin.send(f"/removestaff {STAFF}")
    assert admin.last_reply.plain_text == "✅ 9002 is no longer staff."
    deleted = scoped_commands(console, "deleteMyCommands", STAFF)
    assert {p.get("language_code") for p in deleted} == {"id", "en", None}
    await admin.send(f"/removestaff {ADMIN}")
    assert "admins are set in the configuration" in admin.last_reply.plain_text

    entries = [(e.actor_id, e.action, e.subject) for e in await rows(console, AuditEntry)]
    assert entries == [
        (None, "staff.add", "9001"),
        (ADMIN, "staff.add", "9002"),
        (ADMIN, "staff.add", "9200"),
        (ADMIN, "staff.remove", "9002"),
    ]
    former = console.user(STAFF, language_code="en")
    await former.send("/registrations")
    assert former.last_reply.plain_text == REFUSAL


async def test_staff_filter_and_page_the_list(console: OfflineBot) -> None:
    for number in range(1, 13):
        await add_applicant(console, number=number, regency="3673" if number % 2 else "3604")
    for number in range(13, 16):
        await add_applicant(console, number=number, programme="electrical", status="verified")
    staff = console.user(STAFF, language_code="en")
    await staff.send("/registrations")
    first = staff.last_reply.plain_text
    assert "15 found" in first and "Page 1 of 2" in first
    assert len(re.findall(r"SRG-2026-\d{6}", first)) == 8
    await staff.tap("▶️")
    assert len(re.findall(r"SRG-2026-\d{6}", staff.last_reply.plain_text)) == 7
    assert "Page 2 of 2" in staff.last_reply.plain_text

    await staff.tap("🎓 Programme")
    await staff.tap("Welding")
    await staff.tap("🏠 Home")
    await staff.tap("Kota Serang")
    filtered = staff.last_reply.plain_text
    assert "6 found" in filtered and "Page" not in filtered
    assert (
        "Programme: Welding · Intake: all · Stage: all · Home: Kota Serang · Period: All time"
        in filtered
    )
    assert "SRG-2026-000001 · Applicant 1 · Welding · Submitted" in filtered
    assert "SRG-2026-000002" not in filtered
    await staff.tap("📍 Stage")
    await staff.tap("Verified")
    assert "0 found" in staff.last_reply.plain_text
    await staff.tap("📍 Stage")
    await staff.tap("Any")
    await staff.tap("🗓 Period")
    await staff.tap("Today")
    assert "6 found" in staff.last_reply.plain_text
    for button in staff.last_reply.raw["reply_markup"]["inline_keyboard"]:
        for key in button:
            assert len(key["callback_data"].encode()) <= 64


async def test_staff_open_one_registration_masked(console: OfflineBot) -> None:
    await add_applicant(console, number=7, name="Siti <Aminah>")
    staff = console.user(STAFF, language_code="en")
    await staff.send("/registrations")
    await staff.tap("SRG-2026-000007")
    card = staff.last_reply.plain_text
    assert "NIK: 3673********0007" in card and "3673015203040007" not in card
    assert "Phone: +62812*****007" in card and "Name: Siti <Aminah>" in card
    assert "Stage: Submitted" in card
    assert "→ Verified" in staff.buttons and "→ Submitted" not in staff.buttons


async def change_stage_with_note(console: OfflineBot, code: str, note: str) -> None:
    staff = console.user(STAFF, language_code="en")
    await staff.send("/registrations")
    await staff.tap(code)
    await staff.tap("→ Test scheduled")
    assert "Type a note for the applicant" in staff.last_reply.plain_text
    await staff.send(note)
    assert staff.last_reply.plain_text.startswith(f"✅ {code} is now at «Test scheduled»")


async def test_a_stage_change_tells_an_indonesian_applicant_with_the_note(
    console: OfflineBot,
) -> None:
    applicant = console.user(801, language_code="id")
    await open_welding(applicant)
    await fill_until_summary(applicant)
    await applicant.tap("✅ Kirim pendaftaranku")
    code = re.search(r"SRG-\d{4}-\d{6}", applicant.last_reply.plain_text).group(0)
    await change_stage_with_note(console, code, "Bawa <KTP> & KK, Senin 08.00")
    notice = applicant.last_reply.plain_text
    assert notice == (
        f"📋 Kabar tentang pendaftaranmu {code}\nProgram: Teknik Las\n"
        "Tahap sekarang: 🗓 Tes dijadwalkan\n\n"
        "Catatan dari balai: Bawa <KTP> & KK, Senin 08.00"
    )
    [entry] = [e for e in await rows(console, AuditEntry) if e.action == "registration.stage"]
    assert (entry.actor_id, entry.subject) == (STAFF, code)
    assert entry.details == {
        "from": "submitted",
        "to": "test_scheduled",
        "note": "Bawa <KTP> & KK, Senin 08.00",
    }


async def test_a_stage_change_tells_an_english_applicant_with_the_note(
    console: OfflineBot,
) -> None:
    await add_applicant(console, number=3, language="en")
    await change_stage_with_note(console, "SRG-2026-000003", "Bring <KTP> & KK")
    notice = console.standin.history(50_003)[-1].plain_text
    assert notice == (
        "📋 News about your registration SRG-2026-000003\nProgramme: Welding\n"
        "Stage now: 🗓 Test scheduled\n\nNote from the centre: Bring <KTP> & KK"
    )


async def test_a_move_without_a_note_and_a_blocked_applicant(console: OfflineBot) -> None:
    await add_applicant(console, number=4, language="en")
    console.standin.inject("sendMessage", chat_id=50_004, error="blocked")
    staff = console.user(STAFF, language_code="en")
    await staff.send("/registrations")
    await staff.tap("SRG-2026-000004")
    await staff.tap("→ Rejected")
    await staff.tap("Move without a note")
    assert "is now at «Rejected»" in staff.last_reply.plain_text
    [user] = [u for u in await rows(console, User) if u.id == 50_004]
    [registration] = await rows(console, Registration)
    assert user.blocked_bot and registration.status == "rejected"
    # Typed text afterwards is no note for anything.
    await staff.send("hello")
    assert "is now at" not in staff.last_reply.plain_text


async def test_a_bulk_move_shows_a_preview_and_waits_for_confirmation(
    console: OfflineBot,
) -> None:
    for number in range(1, 13):
        await add_applicant(console, number=number, language="en" if number % 2 else "id")
    await add_applicant(console, number=20, programme="electrical")
    staff = console.user(STAFF, language_code="en")
    await staff.send("/registrations")
    await staff.tap("🎓 Programme")
    await staff.tap("Welding")
    await staff.tap("🔀 Move all 12 to another stage")
    await staff.tap("Verified")
    preview = staff.last_reply.plain_text
    assert preview.startswith("Move 12 registrations to «Verified»?")
    assert "SRG-2026-000001" in preview and "and 2 more" in preview
    assert {r.status for r in await rows(console, Registration)} == {"submitted"}

    await staff.tap("✅ Yes, move them")
    assert staff.last_reply.plain_text.startswith("✅ Moved: 12.")
    statuses = {r.code: r.status for r in await rows(console, Registration)}
    assert statuses.pop("SRG-2026-000020") == "submitted"
    assert set(statuses.values()) == {"verified"}
    assert console.standin.history(50_001)[-1].plain_text.endswith("Stage now: ✔️ Data verified")
    assert "Tahap sekarang: ✔️ Data terverifikasi" in console.standin.history(50_002)[-1].plain_text
    [entry] = [e for e in await rows(console, AuditEntry) if e.action == "registration.bulk_stage"]
    assert len(entry.details["codes"]) == 12 and entry.actor_id == STAFF


async def test_a_bulk_move_is_refused_when_the_list_changed(console: OfflineBot) -> None:
    await add_applicant(console, number=1)
    staff = console.user(STAFF, language_code="en")
    await staff.send("/registrations")
    await staff.tap("🔀 Move all 1 to another stage")
    await staff.tap("Accepted")
    await add_applicant(console, number=2)
    await staff.tap("✅ Yes, move them")
    assert "nothing was moved" in staff.last_reply.plain_text
    assert {r.status for r in await rows(console, Registration)} == {"submitted"}
