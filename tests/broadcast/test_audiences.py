"""Broadcast audiences beyond everyone: an optional English version for English readers, and
the segments staff build from buttons (trainees, parents, a programme, a registration stage,
recent activity)."""

from datetime import timedelta

from bot.broadcast.audience import Audience, find_recipients
from bot.config import SUPPORTED_LOCALES
from bot.i18n import resolve_locale
from bot.offline.offline_bot import OfflineBot
from db.models import (
    EligibilityAnswer,
    FunnelEvent,
    IntakeWatcher,
    Registration,
    SchoolInterest,
    User,
    utc_now,
)
from tests.broadcast import test_broadcasts
from tests.broadcast.test_broadcasts import (
    ADMIN,
    STAFF,
    add_users,
    compose_and_preview,
    reachable_user_ids,
    session_factory,
    wait_for_status,
)

# The staff console of the sending tests: an admin, a staff member, fast test pacing.
staff_settings = test_broadcasts.staff_settings
console = test_broadcasts.console


# --- the English version --------------------------------------------------------------------


async def test_english_readers_get_the_english_copy_and_everyone_else_the_main_one(
    console: OfflineBot,
) -> None:
    await add_users(console, range(100, 104), language="id")
    await add_users(console, range(200, 203), language="en")
    await add_users(console, range(300, 302), telegram_language="en")  # follows Telegram
    await add_users(console, range(400, 402), telegram_language="de")  # default: Indonesian
    staff = console.user(STAFF, language_code="en")
    await staff.send("/broadcast")
    await staff.send_photo(caption="Kursus las dibuka Senin")
    assert "🇬🇧 Add an English version" in staff.buttons
    [prompt] = await staff.tap("🇬🇧 Add an English version")
    assert prompt.plain_text.startswith("🇬🇧 Send me the English version.")
    await staff.send("Welding course opens Monday")
    assert staff.last_reply.plain_text.startswith("🇬🇧 English version added.")
    assert "🇬🇧 Add an English version" not in staff.buttons
    await staff.tap("👥 Everyone")
    # Both versions are previewed, then the split: 6 Indonesian readers, 5 English ones
    # (3 chose English, 2 follow an English Telegram, and the admin and staff member).
    previews = console.standin.calls_to("copyMessage")
    assert [int(call.params["chat_id"]) for call in previews] == [STAFF, STAFF]
    confirm = staff.last_reply.plain_text
    assert "It will go to 13 people" in confirm
    assert "🇮🇩 Main version: 6 · 🇬🇧 English version: 7" in confirm

    await staff.tap("📤 Send to 13 people")
    await wait_for_status(console, "done")
    for reader in (200, 300, ADMIN):
        copy = console.standin.history(reader)[-1]
        assert copy.plain_text == "Welding course opens Monday" and not copy.raw.get("photo")
    for reader in (100, 400):
        copy = console.standin.history(reader)[-1]
        assert copy.plain_text == "Kursus las dibuka Senin" and copy.raw.get("photo")


# --- segments -------------------------------------------------------------------------------


async def add_segment_people(bot: OfflineBot) -> None:
    now = utc_now()
    await add_users(bot, range(100, 104), language="id")
    await add_users(bot, range(104, 105), language="id", campaign_source="sekolahrakyat")
    await add_users(bot, range(200, 210), language="id")
    await add_users(bot, range(210, 211), language="id", blocked_bot=True)
    await add_users(bot, range(300, 302), language="id", last_seen_at=now - timedelta(days=60))
    await add_users(bot, range(302, 304), language="id", last_seen_at=now - timedelta(days=100))
    async with session_factory(bot)() as session, session.begin():
        session.add_all(SchoolInterest(user_id=user_id) for user_id in range(100, 103))
        session.add_all(
            [
                Registration(user_id=200, programme_code="welding", batch="1", status="submitted"),
                Registration(user_id=201, programme_code="welding", batch="1", status="accepted"),
                Registration(user_id=202, programme_code="barista", batch="1", status="submitted"),
                Registration(user_id=210, programme_code="welding", batch="1", status="submitted"),
                EligibilityAnswer(user_id=203, question="age", answer=19),
                IntakeWatcher(user_id=204, programme_code="welding"),
                FunnelEvent(user_id=205, programme_code="welding", stage="checked"),
                FunnelEvent(user_id=206, programme_code="barista", stage="eligible"),
                # Merely opening a programme's card: not interested, not a trainee.
                FunnelEvent(user_id=208, programme_code="welding", stage="started"),
                FunnelEvent(user_id=209, programme_code="barista", stage="started"),
                # The bot's own first /start is no step towards a programme.
                FunnelEvent(user_id=207, programme_code=None, stage="started"),
                FunnelEvent(user_id=103, programme_code="sekolah_rakyat_serang", stage="started"),
            ]
        )


async def test_each_new_segment_counts_only_its_people(console: OfflineBot) -> None:
    await add_segment_people(console)
    staff = await compose_and_preview(console, ["🧑‍🎓 Trainees"])
    # 200-206; 210 blocked the bot; 207 only started the bot; 208 and 209 only opened a
    # programme's card; 103 only looked at Sekolah Rakyat.
    assert "It will go to 7 people (trainees)" in staff.last_reply.plain_text
    await staff.tap("◀️ Change audience")
    await staff.tap("👪 Parents")
    # 100-102 asked about Sekolah Rakyat, 104 came through its deep link.
    assert "It will go to 4 people (parents)" in staff.last_reply.plain_text

    await staff.tap("◀️ Change audience")
    [page] = await staff.tap("📚 By programme")
    assert "(page 1 of 3)" in page.plain_text and "Welding" in page.buttons
    await staff.tap("Welding")
    # 200 and 201 registered, 204 watches the intake, 205 checked it; 210 blocked the bot;
    # 208 only opened its card.
    assert "It will go to 4 people (people interested in Welding)" in staff.last_reply.plain_text
    await staff.tap("◀️ Change audience")
    await staff.tap("📚 By programme")
    [second] = await staff.tap("Next ➡️")
    assert "(page 2 of 3)" in second.plain_text and "⬅️ Previous" in second.buttons

    await staff.tap("◀️ Back")
    await staff.tap("📋 By registration stage")
    await staff.tap("Welding")
    assert staff.last_reply.plain_text == "Which stage?"
    await staff.tap("Submitted")
    assert "It will go to 1 person (Welding registrations at stage Submitted)" in (
        staff.last_reply.plain_text
    )
    await staff.tap("◀️ Change audience")
    await staff.tap("📋 By registration stage")
    await staff.tap("Welding")
    await staff.tap("Withdrawn")
    assert "Nobody matches" in staff.last_reply.plain_text

    await staff.tap("◀️ Change audience")
    await staff.tap("🕒 Active in 90 days")
    # Everyone reachable except the two last seen 100 days ago.
    expected = len(await reachable_user_ids(console)) - 2
    assert f"It will go to {expected} people" in staff.last_reply.plain_text


# --- the language rule in SQL ---------------------------------------------------------------

# (chosen language, Telegram language): every branch of bot.i18n.resolve_locale.
LOCALE_CASES = [
    (None, None),
    ("id", None),
    ("en", "id"),
    ("fr", "en"),
    ("", "en-GB"),
    (None, "en"),
    (None, "EN"),
    (None, "en-US"),
    (None, "En-gb"),
    (None, "id-ID"),
    (None, "in"),
    (None, "ms-MY"),
    (None, "de"),
    (None, ""),
    (None, "english"),
    (None, "e"),
    (None, "en_US"),
    (None, "-en"),
    (None, "idn"),
]


async def test_the_language_counted_in_sql_is_the_one_the_bot_answers_in(
    console: OfflineBot,
) -> None:
    first = 500
    async with session_factory(console)() as session, session.begin():
        for offset, (language, telegram_language) in enumerate(LOCALE_CASES):
            session.add(
                User(
                    id=first + offset,
                    first_name="Case",
                    language=language,
                    telegram_language=telegram_language,
                )
            )
    for default in SUPPORTED_LOCALES:
        async with session_factory(console)() as session:
            found = await find_recipients(
                session, Audience(), default_locale=default, now=utc_now()
            )
        in_sql = {recipient.user_id: recipient.locale for recipient in found}
        for offset, (language, telegram_language) in enumerate(LOCALE_CASES):
            expected = resolve_locale(language, telegram_language, default)
            assert in_sql[first + offset] == expected, (language, telegram_language, default)
