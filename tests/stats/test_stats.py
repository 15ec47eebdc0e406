"""/stats as staff see it: each answer a chart they can read on a phone, with its numbers in
the caption, a friendly line when there is nothing yet, and nothing at all for outsiders."""

import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import update

from bot.config import Settings
from bot.offline.offline_bot import OfflineBot, offline_bot
from bot.offline.standin import SentMessage
from db.campaigns import create_campaign
from db.funnel import record_funnel_step
from db.models import User
from tests.factories import add_applicant

ADMIN, STAFF, OUTSIDER = 9001, 9002, 9003
REFUSAL = "This is for the centre's staff."
FORGED_BUTTONS = [
    "sts:menu",
    "sts:all",
    "sts:ps:0",
    "sts:p:welding",
    "sts:cs:0",
    "sts:c:poster-rau",
    "sts:reg",
    "sts:days:14",
    "sts:days:30",
    "sts:fb",
]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
async def console(settings: Settings) -> AsyncIterator[OfflineBot]:
    async with offline_bot(settings.model_copy(update={"admin_ids": (ADMIN,)})) as running:
        await running.user(ADMIN, language_code="en").send(f"/addstaff {STAFF}")
        yield running


def chart_of(message: SentMessage) -> Image.Image:
    """The photo the bot uploaded, opened as an image (it must be a real PNG)."""
    assert message.photo and message.photo_content is not None
    assert message.photo_content.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(message.photo_content))
    assert image.format == "PNG"
    return image


async def some_activity(bot: OfflineBot) -> None:
    """Three people start the bot (one from a poster); two registrations from Kota Serang, one
    from outside Banten."""
    for user_id, start in ((801, "/start"), (802, "/start poster-rau"), (803, "/start")):
        await bot.user(user_id, language_code="en").send(start)
    applicants = ((1, "3673", "welding"), (2, "3673", "electrical"), (3, "other", "welding"))
    for number, regency, programme in applicants:
        await add_applicant(bot, number=number, regency=regency, programme=programme)
    async with bot.application.bot_data["services"].session_factory() as session:
        async with session.begin():
            for number, _regency, programme in applicants:
                await record_funnel_step(
                    session, user_id=50_000 + number, programme_code=programme, stage="submitted"
                )


async def test_outsiders_get_no_statistics_and_no_campaigns(console: OfflineBot) -> None:
    await some_activity(console)
    outsider = console.user(OUTSIDER, language_code="en")
    for command in ("/stats", "/campaigns"):
        assert [r.plain_text for r in await outsider.send(command)] == [REFUSAL]
    await outsider.send("/start")
    for data in [*FORGED_BUTTONS, "cmp:l:0", "cmp:new", "cmp:o:poster-rau"]:
        before = len(console.standin.history(OUTSIDER))
        await outsider.tap_data(data)
        assert outsider.answered_callbacks[-1] == REFUSAL, data
        assert len(console.standin.history(OUTSIDER)) == before, data
    assert not console.standin.calls_to("sendPhoto") and not console.standin.calls_to(
        "sendDocument"
    )


async def test_staff_see_the_overall_funnel_as_a_chart_with_its_numbers(
    console: OfflineBot,
) -> None:
    await some_activity(console)
    staff = console.user(STAFF, language_code="en")
    await staff.send("/stats")
    assert staff.last_reply.plain_text == "📊 Statistics\nWhat would you like to see?"
    await staff.tap("📊 Funnel: everyone")
    [answer] = staff.replies
    assert chart_of(answer).size == (1260, 840)
    # Telegram's photo sizes follow the picture, up to the original.
    assert answer.raw["photo"][-1]["width"] == 1260
    assert answer.plain_text == (
        "📊 Funnel: everyone\n"
        "Started: 6\n"
        "Checked eligibility: 3 (50%)\n"
        "Eligible: 3 (50%)\n"
        "Consented: 3 (50%)\n"
        "Submitted: 3 (50%)\n"
        "Verified: 0 (0%)\n"
        "Accepted: 0 (0%)\n"
        "Percentages are of those who started."
    )
    assert staff.buttons == ["◀️ Statistics"]
    await staff.tap("◀️ Statistics")
    # Below a chart the menu comes as a new message; the chart stays.
    assert staff.last_reply.plain_text.startswith("📊 Statistics")
    assert not answer.deleted and staff.last_reply.message_id != answer.message_id


async def test_a_programme_funnel_and_a_campaign_funnel(console: OfflineBot) -> None:
    await some_activity(console)
    async with console.application.bot_data["services"].session_factory() as session:
        async with session.begin():
            await create_campaign(
                session, code="poster-rau", name="Poster Pasar Rau", created_by=STAFF
            )
    staff = console.user(STAFF, language_code="en")
    await staff.send("/stats")
    await staff.tap("🎓 Funnel per programme")
    assert staff.last_reply.plain_text.startswith("🎓 Which programme?\nPage 1 of ")
    await staff.tap("Welding")
    chart_of(staff.last_reply)
    assert staff.last_reply.plain_text.startswith("📊 Funnel: Welding\nStarted: 2\n")
    assert "Submitted: 2 (100%)" in staff.last_reply.plain_text
    assert staff.buttons == ["◀️ Programmes", "◀️ Statistics"]
    await staff.tap("◀️ Programmes")
    await staff.tap("Next ›")
    assert "Page 2 of" in staff.last_reply.plain_text

    await staff.send("/stats")
    await staff.tap("📣 Funnel per campaign")
    await staff.tap("Poster Pasar Rau")
    chart_of(staff.last_reply)
    assert staff.last_reply.plain_text.startswith(
        "📊 Funnel: campaign «Poster Pasar Rau»\nStarted: 1\nChecked eligibility: 0 (0%)"
    )


async def test_submissions_by_regency_name_every_regency_of_banten(console: OfflineBot) -> None:
    await some_activity(console)
    staff = console.user(STAFF, language_code="en")
    await staff.send("/stats")
    await staff.tap("🏠 Submissions by regency")
    chart_of(staff.last_reply)
    assert staff.last_reply.plain_text == (
        "🏠 Submitted registrations by regency\n"
        "Kab. Pandeglang: 0\nKab. Lebak: 0\nKab. Tangerang: 0\nKab. Serang: 0\n"
        "Kota Tangerang: 0\nKota Cilegon: 0\nKota Serang: 2\nKota Tangerang Selatan: 0\n"
        "Outside Banten: 1\n"
        "Total: 3"
    )


async def test_the_last_days_count_new_users_and_submissions(console: OfflineBot) -> None:
    await some_activity(console)
    staff = console.user(STAFF, language_code="en")
    await staff.send("/stats")
    await staff.tap("📅 Last 14 days")
    chart_of(staff.last_reply)
    caption = staff.last_reply.plain_text.splitlines()
    assert caption[:3] == [
        "📅 The last 14 days (WIB)",
        "New users: 6",
        "Submitted registrations: 3",
    ]
    assert caption[3].startswith("Busiest day: ") and caption[3].endswith("(6 new users)")
    assert caption[-1].endswith(": 6 · 3")
    assert staff.buttons == ["📅 Last 30 days", "◀️ Statistics"]
    await staff.tap("📅 Last 30 days")
    chart_of(staff.last_reply)
    assert "The last 30 days (WIB)\nNew users: 6\n" in staff.last_reply.plain_text


async def test_no_data_yet_is_said_in_words_not_drawn(console: OfflineBot) -> None:
    staff = console.user(STAFF, language_code="en")
    await staff.send("/stats")
    expected = {
        "📊 Funnel: everyone": "📊 Funnel: everyone\nNo data yet: nobody has reached any step.",
        "🏠 Submissions by regency": (
            "🏠 Submitted registrations by regency\n"
            "No data yet: no registration has been submitted."
        ),
        "📅 Last 14 days": (
            "📅 The last 14 days (WIB)\nNo data yet: no new users and no submissions."
        ),
        "📣 Funnel per campaign": "No campaigns yet. Create one with /campaigns.",
    }
    for label, text in expected.items():
        await staff.send("/stats")
        await staff.tap(label)
        assert staff.last_reply.plain_text == text, label
        assert "◀️ Statistics" in staff.buttons
    await staff.send("/stats")
    await staff.tap("🎓 Funnel per programme")
    await staff.tap("Welding")
    assert staff.last_reply.plain_text == (
        "📊 Funnel: Welding\nNo data yet: nobody has reached any step."
    )
    assert not console.standin.calls_to("sendPhoto")


async def test_statistics_in_indonesian(console: OfflineBot) -> None:
    await some_activity(console)
    staff = console.user(STAFF, language_code="id")
    await staff.send("/stats")
    assert staff.last_reply.plain_text == "📊 Statistik\nApa yang ingin Anda lihat?"
    await staff.tap("📊 Corong: semua orang")
    chart_of(staff.last_reply)
    assert staff.last_reply.plain_text.startswith(
        "📊 Corong: semua orang\nMulai: 6\nCek kelayakan: 3 (50%)\n"
    )
    await staff.tap("◀️ Statistik")
    await staff.tap("📅 14 hari terakhir")
    assert staff.last_reply.plain_text.startswith(
        "📅 14 hari terakhir (WIB)\nPengguna baru: 6\nPendaftaran terkirim: 3"
    )


async def test_the_stand_in_reads_uploaded_photos_as_telegram_does(console: OfflineBot) -> None:
    """What the chart tests rely on: the sizes follow the picture, and a non-image or an
    impossible shape is refused with Telegram's errors."""
    from telegram.error import BadRequest

    from bot.stats.charts import horizontal_bars

    bot = console.application.bot
    console.user(801)  # the chat exists
    chart = horizontal_bars("Title", ["A", "B"], [3, 1], ["3", "1"])
    sent = await bot.send_photo(801, chart, caption="<b>chart</b>", parse_mode="HTML")
    assert [(size.width, size.height) for size in sent.photo] == [
        (90, 60),
        (320, 213),
        (800, 533),
        (1260, 840),
    ]
    assert console.standin.history(801)[-1].photo_content == chart
    assert sent.caption == "chart"
    with pytest.raises(BadRequest, match="(?i)image_process_failed"):
        await bot.send_photo(801, b"not a picture")
    thin = Image.new("1", (4000, 100))
    buffer = io.BytesIO()
    thin.save(buffer, format="PNG")
    with pytest.raises(BadRequest, match="(?i)photo_invalid_dimensions"):
        await bot.send_photo(801, buffer.getvalue())


async def test_people_who_came_before_are_not_new_users_when_they_show_up_again(
    console: OfflineBot,
) -> None:
    """Two months ago three people registered; today staff verify them and one of them opens
    the bot again. Only Rina, who came today, is a new user, and she stays one after she
    deletes her data."""
    two_months_ago = datetime.now(UTC) - timedelta(days=60)
    for number in (1, 2, 3):
        await add_applicant(console, number=number, submitted_at=two_months_ago)
    async with console.application.bot_data["services"].session_factory() as session:
        async with session.begin():
            await session.execute(
                update(User)
                .where(User.id.in_([50_001, 50_002, 50_003]))
                .values(created_at=two_months_ago)
            )
    staff = console.user(STAFF, language_code="en")
    for number in (1, 2, 3):
        await staff.send("/registrations")
        await staff.tap(f"SRG-2026-00000{number}")
        await staff.tap("→ Verified")
        await staff.tap("Move without a note")
    await console.user(50_001, language_code="en").send("/start")
    rina = console.user(801, language_code="id")
    await rina.send("/start")

    async def last_days() -> list[str]:
        await staff.send("/stats")
        await staff.tap("📅 Last 14 days")
        return staff.last_reply.plain_text.splitlines()

    assert (await last_days())[:3] == [
        "📅 The last 14 days (WIB)",
        "New users: 1",
        "Submitted registrations: 0",
    ]
    await staff.send("/stats")
    await staff.tap("📊 Funnel: everyone")
    assert staff.last_reply.plain_text.startswith("📊 Funnel: everyone\nStarted: 4\n")
    await rina.send("/mydata")
    await rina.tap("🗑 Hapus semuanya")
    await rina.tap("🗑 Ya, hapus semuanya")
    assert (await last_days())[1] == "New users: 1"
    await staff.send("/stats")
    await staff.tap("📅 Last 30 days")
    assert "\nNew users: 1\n" in staff.last_reply.plain_text


async def test_staff_trying_the_bot_are_not_counted(console: OfflineBot) -> None:
    for user_id in (ADMIN, STAFF):
        member = console.user(user_id, language_code="en")
        await member.send("/start poster-rau")
        await member.send("/programmes")
        await member.tap("Courses at BBPVP Serang")
        await member.tap("🟡 Welding (not confirmed)")
    staff = console.user(STAFF, language_code="en")
    for label, text in {
        "📊 Funnel: everyone": "📊 Funnel: everyone\nNo data yet: nobody has reached any step.",
        "📅 Last 14 days": (
            "📅 The last 14 days (WIB)\nNo data yet: no new users and no submissions."
        ),
    }.items():
        await staff.send("/stats")
        await staff.tap(label)
        assert staff.last_reply.plain_text == text, label


async def test_a_dollar_sign_in_a_name_is_drawn_as_typed(console: OfflineBot) -> None:
    """Matplotlib reads $...$ as a formula: "Diskon $x^$" would not draw at all."""
    async with console.application.bot_data["services"].session_factory() as session:
        async with session.begin():
            await create_campaign(session, code="diskon", name="Diskon $x^$", created_by=STAFF)
    await console.user(801, language_code="en").send("/start diskon")
    staff = console.user(STAFF, language_code="en")
    await staff.send("/stats")
    await staff.tap("📣 Funnel per campaign")
    await staff.tap("Diskon $x^$")
    chart_of(staff.last_reply)
    assert staff.last_reply.plain_text.startswith(
        "📊 Funnel: campaign «Diskon $x^$»\nStarted: 1\n"
    )
