"""/intake: staff open, close and plan intakes, set quotas and dates; the dates act alone."""

import time
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy import text as sql
from telegram import Update

from bot.config import Settings
from bot.intake.settings import apply_dates
from bot.offline.offline_bot import OfflineBot, offline_bot
from db.models import AuditEntry, IntakeOverride, Programme
from handlers.intake.settings import open_and_close_on_dates
from tests.factories import add_applicant, programme_entry, with_catalogue, write_catalogue
from tests.registration.test_registration import fill_until_summary

ADMIN, STAFF, OUTSIDER = 9001, 9002, 9003
REFUSAL = "This is for the centre's staff."
OPEN_NOW = {
    "en": "🔔 Registration for Course tiny (en) is open now.",
    "id": "🔔 Pendaftaran Course tiny (id) sekarang dibuka.",
}


def catalogue(path: Path, **tiny: object) -> Path:
    return write_catalogue(
        path,
        ["courses"],
        [
            programme_entry("tiny", "courses", **tiny),
            programme_entry("barista", "courses", intake="closed"),
            programme_entry("parents", "courses", audience="parent"),
        ],
    )


@pytest.fixture
async def console(settings: Settings, tmp_path: Path) -> AsyncIterator[OfflineBot]:
    """A catalogue with an open course, a closed one and a parents' one; one admin, one staff."""
    path = catalogue(tmp_path / "catalogue.yaml")
    configured = with_catalogue(settings, path).model_copy(update={"admin_ids": (ADMIN,)})
    async with offline_bot(configured) as running:
        await running.user(ADMIN, language_code="en").send(f"/addstaff {STAFF}")
        yield running


async def rows(bot: OfflineBot, model: type) -> list:
    async with bot.application.bot_data["services"].session_factory() as session:
        return list((await session.scalars(select(model))).all())


async def programme(bot: OfflineBot, code: str) -> Programme:
    return next(p for p in await rows(bot, Programme) if p.code == code)


async def open_tiny_settings(staff) -> None:  # noqa: ANN001
    await staff.send("/intake")
    await staff.tap("🟢 Course tiny (en)")


async def test_the_list_shows_every_trainee_intake_with_its_places(console: OfflineBot) -> None:
    staff = console.user(STAFF, language_code="en")
    await staff.send("/intake")
    text = staff.last_reply.plain_text
    assert "🟢 Course tiny (en): no limit · 0 registered" in text
    assert "🔴 Course barista (en)" in text
    assert "parents" not in text
    assert staff.buttons == ["🟢 Course tiny (en)", "🔴 Course barista (en)"]


async def test_closing_leaves_users_only_watching_and_opening_tells_watchers(
    console: OfflineBot,
) -> None:
    staff = console.user(STAFF, language_code="en")
    await open_tiny_settings(staff)
    assert "📄 As in the catalogue file." in staff.last_reply.plain_text
    await staff.tap("🔴 Close")
    assert "📋 Intake: 🔴 Closed" in staff.last_reply.plain_text
    assert "⚙️ Set from the bot, over the catalogue file: state" in staff.last_reply.plain_text

    readers = {"en": console.user(301, language_code="en"), "id": console.user(302)}
    for language, user in readers.items():
        await user.send("/programmes")
        await user.tap(f"Category courses ({language})")
        await user.tap(f"🔴 Course tiny ({language})")
        assert "📝 Register" not in user.buttons and "📝 Daftar" not in user.buttons
        await user.tap_data("reg:start:tiny")
        assert "closed" in user.last_reply.plain_text or "ditutup" in user.last_reply.plain_text
        await user.tap(
            "🔔 Tell me when it opens" if language == "en" else "🔔 Kabari saya kalau dibuka"
        )

    await staff.tap("🟢 Open")
    assert "📋 Intake: 🟢 Open for registration" in staff.last_reply.plain_text
    for language, user in readers.items():
        assert user.last_reply.plain_text == OPEN_NOW[language]
    [entry_close, entry_open] = [e for e in await rows(console, AuditEntry) if e.subject == "tiny"]
    assert (entry_close.actor_id, entry_close.action) == (STAFF, "intake.set")
    assert entry_close.details == {"intake": {"before": "open", "after": "closed"}}
    assert entry_open.details == {"intake": {"before": "closed", "after": "open"}}


async def test_a_quota_shows_places_left_and_closes_registration_when_full(
    console: OfflineBot,
) -> None:
    staff = console.user(STAFF, language_code="en")
    await open_tiny_settings(staff)
    await staff.tap("🎟 Set the quota")
    for wrong in ("many", "0", "-3", "2.5x"):
        await staff.send(wrong)
        assert staff.last_reply.plain_text.startswith("That is not a number of places."), wrong
    await staff.send("1")
    assert "🎟 Places: 1 of 1 place left" in staff.last_reply.plain_text

    reader = console.user(303, language_code="en")
    await reader.send("/programmes")
    await reader.tap("Category courses (en)")
    await reader.tap("🟢 Course tiny (en)")
    assert "🎟 1 place left in this intake" in reader.last_reply.plain_text

    first = console.user(304)
    await first.send("/start")
    await first.tap("📝 Daftar")
    await first.tap("Course tiny (id)")
    await fill_until_summary(first)
    await first.tap("✅ Kirim pendaftaranku")
    second = console.user(305)
    await second.send("/start")
    await second.tap("📝 Daftar")
    await second.tap("Course tiny (id)")
    assert "sudah terisi" in second.last_reply.plain_text
    assert (await programme(console, "tiny")).quota == 1


async def test_a_quota_below_the_registrations_warns_and_no_limit_lifts_it(
    console: OfflineBot,
) -> None:
    for number in (1, 2):
        await add_applicant(console, number=number, programme="tiny")
    staff = console.user(STAFF, language_code="en")
    await open_tiny_settings(staff)
    await staff.tap("🎟 Set the quota")
    await staff.send("1")
    text = staff.last_reply.plain_text
    assert "🎟 Places: 0 of 1 places left" in text
    assert "⚠️ 2 registrations are already counted, more than the new quota of 1." in text
    await staff.tap("🎟 Set the quota")
    await staff.tap("♾ No limit")
    assert "🎟 Places: no limit · 2 registered" in staff.last_reply.plain_text
    assert (await programme(console, "tiny")).quota is None
    await staff.send("40")  # the form is left: typed text is no longer a quota
    assert (await programme(console, "tiny")).quota is None


async def test_dates_are_read_in_the_usual_forms_and_checked(console: OfflineBot) -> None:
    staff = console.user(STAFF, language_code="en")
    await open_tiny_settings(staff)
    await staff.tap("📅 Opening date")
    for nonsense in ("next week", "31/02/2030", "2030-13-01"):
        await staff.send(nonsense)
        assert staff.last_reply.plain_text.startswith("I could not read that date."), nonsense
        assert "1/12/2026" in staff.last_reply.plain_text
    await staff.send("1 Des 2030")
    text = staff.last_reply.plain_text
    assert "📅 Opens on: December 1, 2030" in text
    # The intake was open: a future opening date plans it, and staff are told so.
    assert "📋 Intake: 🕒 Planned, not open yet" in text
    assert (
        "⚠️ The intake was open and is now planned: registration is closed until it opens "
        "by itself on December 1, 2030." in text
    )
    await staff.tap("📅 Closing date")
    await staff.send("30-11-2030")
    assert staff.last_reply.plain_text.startswith(
        "⚠️ The closing date cannot be before the opening date (December 1, 2030)."
    )
    await staff.send("20/12/2030")
    assert "📅 Closes on: December 20, 2030" in staff.last_reply.plain_text
    tiny = await programme(console, "tiny")
    assert (tiny.intake, tiny.opens_on, tiny.closes_on) == (
        "planned",
        date(2030, 12, 1),
        date(2030, 12, 20),
    )

    for language, expected in (
        ("en", "📅 Registration opens on December 1, 2030"),
        ("id", "1 Desember 2030"),
    ):
        reader = console.user(306 if language == "en" else 307, language_code=language)
        await reader.send("/programmes")
        await reader.tap(f"Category courses ({language})")
        await reader.tap(f"🕒 Course tiny ({language})")
        assert expected in reader.last_reply.plain_text

    await staff.tap("📅 Opening date")
    await staff.tap("🗑 No opening date")
    assert "📅 Opens on: not set" in staff.last_reply.plain_text
    [override] = await rows(console, IntakeOverride)
    assert override.values == {"intake": "planned", "opens_on": None, "closes_on": "2030-12-20"}
    [planned_by_date, *_] = [e for e in await rows(console, AuditEntry) if e.subject == "tiny"]
    assert planned_by_date.details == {
        "opens_on": {"before": None, "after": "2030-12-01"},
        "intake": {"before": "open", "after": "planned"},
    }


async def test_an_intake_whose_closing_day_passed_cannot_be_reopened_by_hand(
    console: OfflineBot,
) -> None:
    staff = console.user(STAFF, language_code="en")
    await open_tiny_settings(staff)
    await staff.tap("📅 Closing date")
    await staff.send("1/1/2020")
    assert "📋 Intake: 🔴 Closed" in staff.last_reply.plain_text  # the date acts at once
    await staff.tap("🟢 Open")
    assert "The closing date (January 1, 2020) has passed" in staff.last_reply.plain_text
    assert (await programme(console, "tiny")).intake == "closed"


async def test_the_dates_open_and_close_an_intake_by_themselves(
    settings: Settings, tmp_path: Path
) -> None:
    path = catalogue(
        tmp_path / "catalogue.yaml",
        intake="planned",
        opens_on=date(2030, 12, 1),
        closes_on=date(2030, 12, 20),
    )
    async with offline_bot(with_catalogue(settings, path)) as bot:
        assert bot.application.job_queue.get_jobs_by_name("intake dates")
        watcher = bot.user(310)
        await watcher.send("/programmes")
        await watcher.tap("Category courses (id)")
        await watcher.tap("🕒 Course tiny (id)")
        assert "1 Desember 2030" in watcher.last_reply.plain_text
        await watcher.tap("🔔 Kabari saya kalau dibuka")

        # 23:59 WIB on 30 November is 16:59 UTC: not yet.
        assert (
            await open_and_close_on_dates(
                bot.application, now=datetime(2030, 11, 30, 16, 59, tzinfo=UTC)
            )
            == []
        )
        assert (await programme(bot, "tiny")).intake == "planned"
        # 00:00 WIB on 1 December is 17:00 UTC on 30 November.
        opened = await open_and_close_on_dates(
            bot.application, now=datetime(2030, 11, 30, 17, 0, tzinfo=UTC)
        )
        assert opened == ["tiny"]
        assert watcher.last_reply.plain_text == OPEN_NOW["id"]
        # The closing day is included: open until 23:59 WIB on 20 December.
        await open_and_close_on_dates(
            bot.application, now=datetime(2030, 12, 20, 16, 59, tzinfo=UTC)
        )
        assert (await programme(bot, "tiny")).intake == "open"
        await open_and_close_on_dates(
            bot.application, now=datetime(2030, 12, 20, 17, 0, tzinfo=UTC)
        )
        assert (await programme(bot, "tiny")).intake == "closed"
        actions = [(e.action, e.details) for e in await rows(bot, AuditEntry)]
        assert ("intake.dates", {"intake": {"before": "open", "after": "closed"}}) in actions


async def test_use_the_file_settings_restores_and_announces(console: OfflineBot) -> None:
    staff = console.user(STAFF, language_code="en")
    await open_tiny_settings(staff)
    await staff.tap("🔴 Close")
    await staff.tap("🎟 Set the quota")
    await staff.send("5")
    watcher = console.user(311, language_code="en")
    await watcher.send("/programmes")
    await watcher.tap("Category courses (en)")
    await watcher.tap("🔴 Course tiny (en)")
    await watcher.tap("🔔 Tell me when it opens")
    await staff.tap("📄 Use the catalogue file's settings")
    text = staff.last_reply.plain_text
    assert "📋 Intake: 🟢 Open for registration" in text and "no limit" in text
    assert "📄 As in the catalogue file." in text
    assert "📄 Use the catalogue file's settings" not in staff.buttons
    assert await rows(console, IntakeOverride) == []
    assert watcher.last_reply.plain_text == OPEN_NOW["en"]
    [*_, restored] = await rows(console, AuditEntry)
    assert (restored.action, restored.actor_id) == ("intake.use_file", STAFF)
    assert restored.details == {
        "intake": {"before": "closed", "after": "open"},
        "quota": {"before": 5, "after": None},
    }


async def test_outsiders_are_refused_every_intake_command_and_button(
    console: OfflineBot,
) -> None:
    outsider = console.user(OUTSIDER, language_code="en")
    assert [r.plain_text for r in await outsider.send("/intake")] == [REFUSAL]
    for data in (
        "ik:list:0",
        "ik:show:tiny",
        "ik:state:tiny:closed",
        "ik:ask:tiny:quota",
        "ik:none:tiny:quota",
        "ik:leave:tiny",
        "ik:file:tiny",
    ):
        assert await outsider.tap_data(data) == [], data
        assert outsider.answered_callbacks[-1] == REFUSAL, data
    await outsider.send("1")  # not inside any intake form
    assert (await programme(console, "tiny")).intake == "open"
    assert await rows(console, IntakeOverride) == []
    assert [e.action for e in await rows(console, AuditEntry)] == ["staff.add", "staff.add"]


async def test_a_planned_intake_whose_closing_day_passed_is_closed_not_planned(
    settings: Settings, tmp_path: Path
) -> None:
    path = catalogue(
        tmp_path / "catalogue.yaml",
        intake="planned",
        opens_on=date(2020, 1, 1),
        closes_on=date(2020, 1, 31),
    )
    configured = with_catalogue(settings, path).model_copy(update={"admin_ids": (ADMIN,)})
    async with offline_bot(configured) as bot:
        assert (await programme(bot, "tiny")).intake == "closed"
        reader = bot.user(320, language_code="en")
        await reader.send("/programmes")
        await reader.tap("Category courses (en)")
        await reader.tap("🔴 Course tiny (en)")
        assert "Registration opens on" not in reader.last_reply.plain_text
        await bot.user(ADMIN, language_code="en").send(f"/addstaff {STAFF}")
        staff = bot.user(STAFF, language_code="en")
        await staff.send("/intake")
        await staff.tap("🔴 Course tiny (en)")
        await staff.tap("🕒 Planned")
        assert staff.last_reply.plain_text.startswith(
            "⚠️ The closing date (January 31, 2020) has passed"
        )
        assert (await programme(bot, "tiny")).intake == "closed"


async def test_a_future_opening_date_plans_a_closed_intake_and_the_day_opens_it(
    console: OfflineBot,
) -> None:
    staff = console.user(STAFF, language_code="en")
    await staff.send("/intake")
    await staff.tap("🔴 Course barista (en)")
    await staff.tap("📅 Opening date")
    await staff.send("1/1/2020")
    text = staff.last_reply.plain_text
    assert "📋 Intake: 🔴 Closed" in text
    assert (
        "ℹ️ This opening date is not in the future, so it does not change the intake: "
        "it stays 🔴 Closed." in text
    )
    await staff.tap("📅 Opening date")
    await staff.send("1/12/2030")
    text = staff.last_reply.plain_text
    assert "📋 Intake: 🕒 Planned, not open yet" in text
    assert "🕒 The intake is now planned: it opens by itself on December 1, 2030." in text
    assert "⚙️ Set from the bot, over the catalogue file: state, opening date" in text

    watcher = console.user(321)
    await watcher.send("/programmes")
    await watcher.tap("Category courses (id)")
    await watcher.tap("🕒 Course barista (id)")
    assert "1 Desember 2030" in watcher.last_reply.plain_text
    await watcher.tap("🔔 Kabari saya kalau dibuka")
    opened = await open_and_close_on_dates(
        console.application, now=datetime(2030, 11, 30, 17, 0, tzinfo=UTC)
    )
    assert opened == ["barista"]
    assert watcher.last_reply.plain_text == "🔔 Pendaftaran Course barista (id) sekarang dibuka."


async def test_a_sticker_keeps_the_question_and_the_value_stays_with_its_programme(
    console: OfflineBot,
) -> None:
    staff = console.user(STAFF, language_code="en")
    await staff.send("/intake")
    await staff.tap("🔴 Course barista (en)")
    await staff.tap("🎟 Set the quota")
    for send in (staff.send_sticker, staff.send_photo):
        await send()
        text = staff.last_reply.plain_text
        assert text.startswith("I can only read a number typed as text here."), text
        assert "How many places does Course barista (en) have" in text
        assert "/cancel stops." in text
    # An edited old message is not an answer.
    now = int(time.time())
    edited = {
        "message_id": 1,
        "date": now,
        "edit_date": now,
        "chat": console.standin.chat_json(staff.chat_id),
        "from": staff.user_json,
        "text": "7",
    }
    update = Update.de_json(
        {"update_id": 10**9, "edited_message": edited}, console.application.bot
    )
    await console.application.process_update(update)
    assert (await programme(console, "barista")).quota is None
    # Staff look at another intake, and the in-memory user data is lost (a crash before it
    # was saved): the typed number is still for the programme that was asked about.
    await open_tiny_settings(staff)
    console.application.user_data[STAFF].clear()
    await staff.send("12")
    assert staff.last_reply.plain_text.startswith("Course barista (en)\n")
    assert "🎟 Places: 12 of 12 places left" in staff.last_reply.plain_text
    assert (await programme(console, "barista")).quota == 12
    assert (await programme(console, "tiny")).quota is None


async def test_the_dates_job_never_overwrites_a_staff_change_made_meanwhile(
    settings: Settings, tmp_path: Path
) -> None:
    path = catalogue(tmp_path / "catalogue.yaml", intake="planned", opens_on=date(2030, 12, 1))
    async with offline_bot(with_catalogue(settings, path)) as bot:
        services = bot.application.bot_data["services"]
        async with services.session_factory() as session, session.begin():
            # The job has read the intake as planned...
            read_by_the_job = await session.get(Programme, "tiny")
            assert read_by_the_job is not None and read_by_the_job.intake == "planned"
            # ... when a staff member's "Close" is committed (seen as under READ COMMITTED).
            await session.execute(
                sql("UPDATE programmes SET intake = 'closed' WHERE code = 'tiny'")
            )
            opened = await apply_dates(session, now=datetime(2030, 12, 1, 3, 0, tzinfo=UTC))
        assert opened == []
        assert (await programme(bot, "tiny")).intake == "closed"
        assert "intake.dates" not in [e.action for e in await rows(bot, AuditEntry)]


async def test_tapping_the_state_it_already_has_changes_and_announces_nothing(
    console: OfflineBot,
) -> None:
    watcher = console.user(322, language_code="en")
    await watcher.send("/programmes")
    await watcher.tap("Category courses (en)")
    await watcher.tap("🔴 Course barista (en)")
    await watcher.tap("🔔 Tell me when it opens")
    staff = console.user(STAFF, language_code="en")
    await staff.send("/intake")
    await staff.tap("🔴 Course barista (en)")
    await staff.tap("🟢 Open")
    audited = len(await rows(console, AuditEntry))
    await staff.tap_data("ik:state:barista:open")  # a double tap, or an old message
    text = staff.last_reply.plain_text
    assert "📋 Intake: 🟢 Open for registration" in text
    assert "ℹ️ Already open: nothing changed." in text
    assert len(await rows(console, AuditEntry)) == audited
    announcements = [
        m
        for m in console.standin.history(watcher.chat_id)
        if m.plain_text == "🔔 Registration for Course barista (en) is open now."
    ]
    assert len(announcements) == 1

    await open_tiny_settings(staff)
    await staff.tap_data("ik:state:tiny:open")
    assert "ℹ️ Already open: nothing changed." in staff.last_reply.plain_text
    assert "📄 As in the catalogue file." in staff.last_reply.plain_text
    assert [o.programme_code for o in await rows(console, IntakeOverride)] == ["barista"]


async def test_an_unconfirmed_open_intake_says_so_until_staff_confirm_it(
    settings: Settings, tmp_path: Path
) -> None:
    path = catalogue(tmp_path / "catalogue.yaml", intake_confirmed=False)
    configured = with_catalogue(settings, path).model_copy(update={"admin_ids": (ADMIN,)})
    async with offline_bot(configured) as bot:
        await bot.user(ADMIN, language_code="en").send(f"/addstaff {STAFF}")
        reader = bot.user(303, language_code="id")
        await reader.send("/programmes")
        await reader.tap("Category courses (id)")
        assert "🟡 Course tiny (id) (belum pasti)" in reader.buttons  # where it is first seen
        await reader.tap("🟡 Course tiny (id) (belum pasti)")
        card = reader.last_reply.plain_text.splitlines()
        assert card[0] == "Course tiny (id)"
        assert card[1].startswith("🟡 Belum pasti: pendaftaran ini tertulis buka")
        assert "📋 Pendaftaran: 🟡 Buka, belum dipastikan oleh balai" in card
        assert "📝 Daftar" in reader.buttons  # registering is still possible

        staff = bot.user(STAFF, language_code="en")
        await open_tiny_settings(staff)
        assert "📋 Intake: 🟡 Open, not confirmed by the centre yet" in staff.last_reply.plain_text
        await staff.tap("✅ Confirm it is open")
        assert "📋 Intake: 🟢 Open for registration" in staff.last_reply.plain_text
        assert "✅ Confirm it is open" not in staff.buttons
        await reader.send("/programmes")
        await reader.tap("Category courses (id)")
        assert "🟢 Course tiny (id)" in reader.buttons
        await reader.tap("🟢 Course tiny (id)")
        assert "Belum pasti" not in reader.last_reply.plain_text

        await staff.send("/intake")
        await staff.tap("🟢 Course tiny (en)")
        await staff.tap("📄 Use the catalogue file's settings")
        assert "📋 Intake: 🟡 Open, not confirmed by the centre yet" in staff.last_reply.plain_text
