"""The funnel as staff will count it: people going through /start, a check, registration and
the staff's stage moves, attributed to their campaign, and still counted after a deletion."""

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.offline.offline_bot import OfflineBot, offline_bot
from bot.stats.funnel import daily_counts, funnel_steps, regency_rows, window_start
from db.models import FUNNEL_STAGES, FunnelEvent
from db.stats import count_funnel
from tests.eligibility.test_eligibility import open_japan_check, years_ago
from tests.factories import add_applicant
from tests.registration.test_registration import fill_until_summary

ADMIN, STAFF = 9001, 9002
WIB = ZoneInfo("Asia/Jakarta")


def test_each_step_counts_everyone_who_reached_it_or_went_further() -> None:
    steps = funnel_steps({"started": 10, "checked": 4, "submitted": 3, "accepted": 2})
    assert [step.count for step in steps] == [10, 4, 3, 3, 3, 2, 2]
    assert [round(step.of_first or 0) for step in steps] == [100, 40, 30, 30, 30, 20, 20]
    assert steps[0].of_previous is None and steps[1].of_previous == 40
    # Nobody started: no percentage rather than a division by zero.
    assert all(step.of_first is None for step in funnel_steps({}))


def test_days_are_counted_in_western_indonesian_time() -> None:
    now = datetime(2026, 12, 12, 3, 0, tzinfo=UTC)  # 10:00 WIB on 12 December
    moments = [
        datetime(2026, 12, 11, 16, 59),  # 23:59 WIB on the 11th (naive, as SQLite gives it)
        datetime(2026, 12, 11, 17, 0, tzinfo=UTC),  # 00:00 WIB on the 12th
        datetime(2026, 12, 12, 2, 0, tzinfo=UTC),
        datetime(2026, 11, 28, 10, 0, tzinfo=UTC),  # before the window
    ]
    counts = daily_counts(moments, now=now, days=14, zone=WIB)
    assert len(counts) == 14 and counts[0][0] == date(2026, 11, 29)
    assert counts[-2:] == [(date(2026, 12, 11), 1), (date(2026, 12, 12), 2)]
    assert window_start(now, 14, WIB) == datetime(2026, 11, 28, 17, 0, tzinfo=UTC)


def test_regencies_come_in_the_forms_order_with_zeros_and_outside_banten_last() -> None:
    rows = regency_rows({"3673": 5, "other": 2, "3601": 1, None: 1})
    assert rows[0] == ("3601", 1) and rows[1] == ("3602", 0)
    assert rows[-3:] == [("3674", 0), ("other", 2), ("unknown", 1)]
    assert dict(rows)["3673"] == 5


@pytest.fixture
async def console(settings: Settings) -> AsyncIterator[OfflineBot]:
    async with offline_bot(settings.model_copy(update={"admin_ids": (ADMIN,)})) as running:
        await running.user(ADMIN, language_code="en").send(f"/addstaff {STAFF}")
        yield running


async def funnel(bot: OfflineBot, **criteria: str) -> list[int]:
    async with bot.application.bot_data["services"].session_factory() as session:
        counts = await count_funnel(session, **criteria)
    return [counts.get(stage, 0) for stage in FUNNEL_STAGES]


async def move(bot: OfflineBot, code: str, stage: str) -> None:
    staff = bot.user(STAFF, language_code="en")
    await staff.send("/registrations")
    await staff.tap(code)
    await staff.tap(f"→ {stage}")
    await staff.tap("Move without a note")
    assert f"is now at «{stage}»" in staff.last_reply.plain_text


async def register_through_poster(bot: OfflineBot) -> str:
    """Ani starts from the poster, opens Welding, registers and submits."""
    ani = bot.user(801, language_code="id")
    await ani.send("/start poster-rau")
    await ani.send("/programmes")
    await ani.tap("Pelatihan di BBPVP Serang")
    await ani.tap("🟡 Teknik Las (belum pasti)")
    await ani.tap("📝 Daftar")
    await fill_until_summary(ani)
    await ani.tap("✅ Kirim pendaftaranku")
    assert "SRG-" in ani.last_reply.plain_text
    return ani.last_reply.plain_text.split("SRG-")[1][:11]


async def test_a_funnel_from_start_to_acceptance_with_campaigns(console: OfflineBot) -> None:
    code = "SRG-" + await register_through_poster(console)
    # Budi came without a campaign and fails the Japan check; Citra came from the poster and
    # passes it.
    budi = console.user(802, language_code="en")
    await budi.send("/start")
    await open_japan_check(budi, "en")
    await budi.tap("✅ Yes, start")
    await budi.send(years_ago(31))
    for answer in ("👩 Female", "SMP / MTs", "Yes", "No", "No"):
        await budi.tap(answer)
    assert not budi.last_reply.plain_text.startswith("🎉 Good news")
    citra = console.user(803, language_code="en")
    await citra.send("/start poster-rau")
    await open_japan_check(citra, "en")
    await citra.tap("✅ Yes, start")
    await citra.send(years_ago(20))
    for answer in ("👨 Male", "SMA / SMK / MA", "Technical SMK", "No", "No", "No"):
        await citra.tap(answer)
    assert citra.last_reply.plain_text.startswith("🎉 Good news")

    await move(console, code, "Verified")
    await move(console, code, "Accepted")
    # Dewi registered before the funnel was recorded, and is accepted straight away: she
    # counts as verified and every step before, and a second move adds nothing.
    await add_applicant(console, number=4, programme="welding")
    await move(console, "SRG-2026-000004", "Accepted")
    await move(console, "SRG-2026-000004", "Rejected")

    #               started checked eligible consented submitted verified accepted
    everyone = [4, 4, 3, 2, 2, 2, 2]
    assert await funnel(console) == everyone
    assert await funnel(console, programme_code="welding") == [2, 2, 2, 2, 2, 2, 2]
    assert await funnel(console, programme_code="japan_apprenticeship") == [2, 2, 1, 0, 0, 0, 0]
    assert await funnel(console, campaign_source="poster-rau") == [2, 2, 2, 1, 1, 1, 1]

    # A second /start, another card view or another check counts nobody twice.
    await budi.send("/start")
    await citra.send("/start poster-lain")
    assert await funnel(console) == everyone

    ani = console.user(801, language_code="id")
    await ani.send("/mydata")
    await ani.tap("🗑 Hapus semuanya")
    await ani.tap("🗑 Ya, hapus semuanya")
    assert ani.last_reply.plain_text.startswith("Selesai: semuanya sudah dihapus.")
    assert await funnel(console) == everyone
    assert await funnel(console, campaign_source="poster-rau") == [2, 2, 2, 1, 1, 1, 1]
    async with console.application.bot_data["services"].session_factory() as session:
        anonymous = (
            await session.scalars(select(FunnelEvent).where(FunnelEvent.user_id.is_(None)))
        ).all()
    # Ani's seven steps, for Welding and for the bot as a whole, with her campaign.
    assert len(anonymous) == 14 and {e.campaign_source for e in anonymous} == {"poster-rau"}


async def test_a_campaign_counts_only_people_who_first_came_through_its_link(
    console: OfflineBot,
) -> None:
    staff = console.user(STAFF, language_code="en")
    await staff.send("/campaigns")
    await staff.tap("➕ New campaign")
    await staff.send("School visit | school-visit")
    # Eko used the bot before the visit; scanning the poster later makes him no sign-up, and
    # what he did before is not credited to it. Fajar's first contact is the poster.
    eko = console.user(805, language_code="en")
    await eko.send("/start")
    await eko.send("/programmes")
    await eko.tap("Courses at BBPVP Serang")
    await eko.tap("🟡 Welding (not confirmed)")
    await eko.send("/start school-visit")
    await eko.send("/start sekolahrakyat")
    fajar = console.user(806, language_code="en")
    await fajar.send("/start school-visit")
    await fajar.send("/programmes")
    await fajar.tap("Courses at BBPVP Serang")
    await fajar.tap("🟡 Welding (not confirmed)")
    await staff.send("/campaigns")
    assert staff.last_reply.plain_text == (
        "📣 Campaigns\n\nSchool visit (school-visit)\nSign-ups: 1 · submitted: 0"
    )
    assert await funnel(console, campaign_source="school-visit") == [1, 0, 0, 0, 0, 0, 0]
    assert await funnel(console) == [2, 0, 0, 0, 0, 0, 0]
    assert await funnel(console, programme_code="welding") == [2, 0, 0, 0, 0, 0, 0]
    # The Sekolah Rakyat link counts the same way: only for someone new.
    assert await funnel(console, campaign_source="sekolahrakyat") == [0] * 7
    await console.user(807, language_code="en").send("/start sekolahrakyat")
    assert await funnel(console, campaign_source="sekolahrakyat") == [1, 0, 0, 0, 0, 0, 0]


async def test_failing_the_check_and_then_agreeing_to_register_is_not_eligible(
    console: OfflineBot,
) -> None:
    hadi = console.user(806, language_code="en")
    await hadi.send("/start")
    await hadi.send("/programmes")
    await hadi.tap("Courses at BBPVP Serang")
    await hadi.tap("🟡 Welding (not confirmed)")
    await hadi.tap("✅ Check if I qualify")
    await hadi.tap("✅ Yes, start")
    await hadi.send(years_ago(15))
    assert hadi.last_reply.plain_text.startswith("You do not meet the requirements for Welding")
    await hadi.send("/programmes")
    await hadi.tap("Courses at BBPVP Serang")
    await hadi.tap("🟡 Welding (not confirmed)")
    await hadi.tap("📝 Register")
    await hadi.tap("✅ I agree")
    assert "What is your full name" in hadi.last_reply.plain_text
    staff = console.user(STAFF, language_code="en")
    await staff.send("/stats")
    await staff.tap("🎓 Funnel per programme")
    await staff.tap("Welding")
    assert staff.last_reply.plain_text.startswith(
        "📊 Funnel: Welding\nStarted: 1\nChecked eligibility: 1 (100%)\nEligible: 0 (0%)\n"
        "Consented: 0 (0%)\n"
    )
    assert await funnel(console) == [1, 1, 0, 0, 0, 0, 0]
