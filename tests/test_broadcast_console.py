"""The broadcast console beyond sending: an English version, segments built from the
catalogue, scheduling (also across a restart), taking a broadcast back within 48 hours, and
/broadcasts. Non-staff are refused every command and button."""

import asyncio
from collections import Counter
from datetime import timedelta

from sqlalchemy import select, update

from bot.broadcast_schedule import centre_time
from bot.config import Settings
from bot.offline import OfflineBot, offline_bot
from bot.standin import TelegramStandIn
from db.models import (
    AuditEntry,
    Broadcast,
    BroadcastRecipient,
    EligibilityAnswer,
    FunnelEvent,
    IntakeWatcher,
    Registration,
    SchoolInterest,
    utc_now,
)
from tests import test_broadcasts
from tests.test_broadcasts import (
    ADMIN,
    OUTSIDER,
    REFUSAL,
    STAFF,
    add_users,
    compose_and_preview,
    copies_delivered,
    reachable_user_ids,
    session_factory,
    the_broadcast,
    wait_for_status,
)

# The staff console from the sending tests: an admin, a staff member, fast test pacing.
staff_settings = test_broadcasts.staff_settings
console = test_broadcasts.console
SCHEDULED_NOTE = "Who gets it is worked out when it starts, so the count may change."


async def audit_actions(bot: OfflineBot) -> list[str]:
    async with session_factory(bot)() as session:
        actions = (await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id))).all()
    return [action for action in actions if action.startswith("broadcast.")]


async def move_schedule(bot: OfflineBot, seconds_from_now: float) -> None:
    """Time passes: the scheduled broadcast is due this many seconds from now."""
    async with session_factory(bot)() as session, session.begin():
        await session.execute(
            update(Broadcast)
            .where(Broadcast.status == "scheduled")
            .values(scheduled_for=utc_now() + timedelta(seconds=seconds_from_now))
        )


async def wait_for_deletion(bot: OfflineBot) -> Broadcast:
    for _ in range(800):
        broadcast = await the_broadcast(bot)
        if broadcast.deletion == "deleted":
            return broadcast
        await asyncio.sleep(0.025)
    raise AssertionError(f"deletion stuck in {broadcast.deletion}")


def typed(moment_offset: timedelta) -> str:
    """A WIB date and time as staff would type it, this far from now."""
    local = centre_time(utc_now() + moment_offset)
    return f"{local.day}/{local.month}/{local.year} {local:%H:%M}"


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
                FunnelEvent(user_id=206, programme_code="barista", stage="started"),
                # The bot's own first /start is no step towards a programme.
                FunnelEvent(user_id=207, programme_code=None, stage="started"),
                FunnelEvent(user_id=103, programme_code="sekolah_rakyat_serang", stage="started"),
            ]
        )


async def test_each_new_segment_counts_only_its_people(console: OfflineBot) -> None:
    await add_segment_people(console)
    staff = await compose_and_preview(console, ["🧑‍🎓 Trainees"])
    # 200-206; 210 blocked the bot; 207 only started the bot; 103 only looked at Sekolah Rakyat.
    assert "It will go to 7 people (trainees)" in staff.last_reply.plain_text
    await staff.tap("◀️ Change audience")
    await staff.tap("👪 Parents")
    # 100-102 asked about Sekolah Rakyat, 104 came through its deep link.
    assert "It will go to 4 people (parents)" in staff.last_reply.plain_text

    await staff.tap("◀️ Change audience")
    [page] = await staff.tap("📚 By programme")
    assert "(page 1 of 3)" in page.plain_text and "Welding" in page.buttons
    await staff.tap("Welding")
    # 200 and 201 registered, 204 watches the intake, 205 checked it; 210 blocked the bot.
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


# --- scheduling -----------------------------------------------------------------------------


async def test_a_scheduled_broadcast_starts_at_its_time_even_after_a_restart(
    staff_settings: Settings,
) -> None:
    standin = TelegramStandIn()
    async with offline_bot(staff_settings, standin) as first:
        await first.user(ADMIN, language_code="en").send(f"/addstaff {STAFF}")
        await add_users(first, range(100, 110), language="id")
        staff = await compose_and_preview(first, ["👥 Everyone"])
        [when] = await staff.tap("🕒 Schedule")
        assert "⌨️ Type a date and time" in when.buttons
        in_an_hour = next(label for label in when.buttons if label.startswith("⏰ In 1 hour"))
        [scheduled] = await staff.tap(in_an_hour)
        assert (
            "is scheduled for" in scheduled.plain_text and SCHEDULED_NOTE in scheduled.plain_text
        )
        broadcast = await the_broadcast(first)
        assert broadcast.status == "scheduled"
        assert (
            timedelta(minutes=58)
            < broadcast.scheduled_for.replace(tzinfo=utc_now().tzinfo) - utc_now()
            <= timedelta(hours=1)
        )
        assert copies_delivered(standin) == Counter({STAFF: 1}), "only the preview"
        # Someone new arrives before it starts, and time passes while the bot is down.
        await add_users(first, range(110, 111), language="id")
    async with offline_bot(staff_settings, standin) as second:
        await move_schedule(second, -1)
    async with offline_bot(staff_settings, standin) as third:
        done = await wait_for_status(third, "done")
        assert done.sent_count == 13
        delivered = copies_delivered(standin)
        assert delivered[110] == 1 and delivered[STAFF] == 2
        assert "finished: 13 sent" in standin.history(STAFF)[-1].plain_text
        assert await audit_actions(third) == ["broadcast.schedule"]


async def test_a_typed_time_schedules_and_bad_ones_get_an_example(console: OfflineBot) -> None:
    await add_users(console, range(100, 103), language="id")
    staff = await compose_and_preview(console, ["👥 Everyone"])
    await staff.tap("🕒 Schedule")
    [prompt] = await staff.tap("⌨️ Type a date and time")
    assert "Type the date and time in WIB" in prompt.plain_text
    [answer] = await staff.send("next tuesday-ish")
    assert answer.plain_text.startswith("🤔 I could not read next tuesday-ish")
    [answer] = await staff.send(typed(-timedelta(hours=3)))
    assert "has already passed" in answer.plain_text
    [answer] = await staff.send("31/2 08:00")
    assert answer.plain_text.startswith("🤔")
    far = centre_time(utc_now()).year + 3
    [answer] = await staff.send(f"{far}-01-01 08:00")
    assert "more than a year away" in answer.plain_text
    assert (await the_broadcast(console)).status == "draft"

    [scheduled] = await staff.send(typed(timedelta(days=2)))
    assert "is scheduled for" in scheduled.plain_text
    assert (await the_broadcast(console)).status == "scheduled"
    # It starts when due, without a restart.
    await move_schedule(console, 0.2)
    console.application.bot_data["services"].broadcast_wakeup.set()
    done = await wait_for_status(console, "done")
    assert done.sent_count == 5


async def test_typing_mistakes_are_answered_in_the_staff_members_language(
    console: OfflineBot,
) -> None:
    translators = console.application.bot_data["services"].translators
    await compose_and_preview(console, ["👥 Everyone"])
    staff = console.user(STAFF, language_code="id")  # now on an Indonesian Telegram
    await staff.tap_data(f"bc:type:{(await the_broadcast(console)).id}")
    [answer] = await staff.send("besok pagi")
    expected = translators["id"].gettext(
        "🤔 I could not read <i>{typed}</i> as a date and time. Please type it like "
        "<code>{example}</code> or <code>2026-12-01 08:00</code> (WIB)."
    )
    assert answer.plain_text.startswith(expected.split("<i>")[0])


async def test_cancel_a_scheduled_broadcast_before_it_starts(console: OfflineBot) -> None:
    await add_users(console, range(100, 103), language="id")
    staff = await compose_and_preview(console, ["👥 Everyone"])
    await staff.tap("🕒 Schedule")
    await staff.tap("⌨️ Type a date and time")
    await staff.send(typed(timedelta(days=1)))
    [cancelled] = await staff.tap("✖️ Cancel the scheduled broadcast")
    assert cancelled.plain_text.endswith("is cancelled. Nothing was sent.")
    await move_schedule(console, -1)  # would be due now, if it were still scheduled
    console.application.bot_data["services"].broadcast_wakeup.set()
    await asyncio.sleep(0.3)
    assert (await the_broadcast(console)).status == "cancelled"
    assert copies_delivered(console.standin) == Counter({STAFF: 1})
    assert await audit_actions(console) == ["broadcast.schedule", "broadcast.unschedule"]


# --- deleting -------------------------------------------------------------------------------


async def send_to_everyone(bot: OfflineBot, people: range) -> Broadcast:
    await add_users(bot, people, language="id")
    staff = await compose_and_preview(bot, ["👥 Everyone"])
    count = len(people) + 2
    await staff.tap(f"📤 Send to {count} people")
    return await wait_for_status(bot, "done")


async def test_delete_from_every_chat_through_a_429(console: OfflineBot) -> None:
    done = await send_to_everyone(console, range(100, 110))
    await asyncio.sleep(0.1)
    staff = console.user(STAFF, language_code="en")
    assert "🗑 Delete from every chat" in staff.buttons
    copies = {
        user_id: console.standin.history(user_id)[-1] for user_id in (*range(100, 110), ADMIN)
    }
    console.standin.inject("deleteMessage", chat_id=104, error="retry_after", retry_after=1)
    # One recipient's copy is older than Telegram allows, whatever our records say.
    console.standin.age_messages(49 * 3600, chat_id=109)
    [confirm] = await staff.tap("🗑 Delete from every chat")
    assert "12 copies will disappear from recipients' chats" in confirm.plain_text
    await staff.tap("🗑 Yes, delete 12 copies")
    deleted = await wait_for_deletion(console)
    assert deleted.id == done.id
    assert all(copy.deleted for user_id, copy in copies.items() if user_id != 109)
    assert not copies[109].deleted
    to_104 = [c for c in console.standin.calls_to("deleteMessage") if c.params["chat_id"] == 104]
    assert [call.error is not None for call in to_104] == [True, False], "429, then again"
    await asyncio.sleep(0.1)
    report = staff.last_reply.plain_text
    assert "11 copies deleted, 1 could not be deleted" in report
    async with session_factory(console)() as session:
        outcomes = Counter((await session.scalars(select(BroadcastRecipient.deletion))).all())
    assert outcomes == Counter({"deleted": 11, "failed": 1})
    assert await audit_actions(console) == ["broadcast.send", "broadcast.delete"]
    # Asking again is refused, with the reason.
    [again] = await staff.tap_data(f"bc:del:{done.id}")
    assert "already deleted from every chat" in again.plain_text


async def test_deleting_is_refused_after_48_hours(console: OfflineBot) -> None:
    done = await send_to_everyone(console, range(100, 103))
    async with session_factory(console)() as session, session.begin():
        await session.execute(
            update(BroadcastRecipient).values(sent_at=utc_now() - timedelta(hours=49))
        )
    staff = console.user(STAFF, language_code="en")
    [refused] = await staff.tap_data(f"bc:del:{done.id}")
    assert (
        "can no longer be deleted: Telegram lets a bot delete a message only within 48 hours"
        in (refused.plain_text)
    )
    [forced] = await staff.tap_data(f"bc:delgo:{done.id}")
    assert "can no longer be deleted" in forced.plain_text
    assert console.standin.calls_to("deleteMessage") == []
    # /broadcasts no longer offers it either.
    await staff.send("/broadcasts")
    [report] = await staff.tap(f"#{done.id}")
    assert "🗑 Delete from every chat" not in report.buttons


async def test_a_broadcast_still_sending_must_be_cancelled_before_deleting(
    console: OfflineBot,
) -> None:
    await add_users(console, range(10_000, 10_200), language="id")
    console.application.broadcast_worker.pacer._interval = 1 / 300
    staff = await compose_and_preview(console, ["👥 Everyone"])
    await staff.tap("📤 Send to 202 people")
    sending = await wait_for_status(console, "sending", sent_at_least=10)
    [refused] = await staff.tap_data(f"bc:delgo:{sending.id}")
    assert "is still being sent. Cancel it first, then delete it." in refused.plain_text
    await staff.tap_data(f"bc:cancel:{sending.id}", message_id=sending.progress_message_id)
    await wait_for_status(console, "cancelled")
    await asyncio.sleep(0.2)
    cancelled = await the_broadcast(console)  # the copies in flight are counted now
    assert "cancelled: " in staff.last_reply.plain_text
    await staff.tap("🗑 Delete from every chat")
    await staff.tap(f"🗑 Yes, delete {cancelled.sent_count} copies")
    await wait_for_deletion(console)
    live = [
        sent
        for user_id in range(10_000, 10_200)
        for sent in console.standin.history(user_id)
        if not sent.deleted
    ]
    assert live == []


# --- /broadcasts ----------------------------------------------------------------------------


async def test_recent_broadcasts_open_their_reports(console: OfflineBot) -> None:
    done = await send_to_everyone(console, range(100, 103))
    staff = await compose_and_preview(console, ["👥 Everyone"])
    await staff.tap("🕒 Schedule")
    await staff.tap("⌨️ Type a date and time")
    await staff.send(typed(timedelta(days=1)))
    scheduled = await the_broadcast(console)
    [listing] = await staff.send("/broadcasts")
    assert f"#{scheduled.id} 🕒 scheduled for" in listing.plain_text
    assert (
        f"#{done.id} ✅ finished" in listing.plain_text
        and "5 sent, 0 failed" in listing.plain_text
    )
    [report] = await staff.tap(f"#{done.id}")
    assert "finished: 5 sent" in report.plain_text
    assert "🗑 Delete from every chat" in report.buttons
    await staff.tap("◀️ All broadcasts")
    [upcoming] = await staff.tap(f"#{scheduled.id}")
    assert SCHEDULED_NOTE in upcoming.plain_text
    await staff.tap("✖️ Cancel the scheduled broadcast")
    assert (await the_broadcast(console)).status == "cancelled"
    menus = console.standin.calls_to("setMyCommands")
    assert any("broadcasts" in str(call.params.get("commands")) for call in menus)


# --- refusals -------------------------------------------------------------------------------


async def test_outsiders_are_refused_broadcasts_and_every_new_button(console: OfflineBot) -> None:
    done = await send_to_everyone(console, range(100, 103))
    staff = await compose_and_preview(console, ["👥 Everyone"])
    draft = await the_broadcast(console)
    calls_before = len(console.standin.calls)
    outsider = console.user(OUTSIDER, language_code="en")
    assert [r.plain_text for r in await outsider.send("/broadcasts")] == [REFUSAL]
    forged = [
        f"bc:en:{draft.id}",
        f"bc:seg:{draft.id}:prog",
        f"bc:seg:{draft.id}:stg",
        f"bc:pg:{draft.id}:prog:1",
        f"bc:stp:{draft.id}:welding",
        f"bc:aud:{draft.id}:grp:trainee",
        f"bc:aud:{draft.id}:prog:welding",
        f"bc:aud:{draft.id}:stg:welding.submitted",
        f"bc:aud:{draft.id}:act:90",
        f"bc:when:{draft.id}",
        f"bc:at:{draft.id}:{int(utc_now().timestamp()) + 7200}",
        f"bc:type:{draft.id}",
        f"bc:unsch:{draft.id}",
        f"bc:del:{done.id}",
        f"bc:delgo:{done.id}",
        "bc:list",
        f"bc:show:{done.id}",
    ]
    for data in forged:
        assert await outsider.tap_data(data) == [], data
        assert outsider.answered_callbacks[-1] == REFUSAL, data
    # The outsider's next message is no time or English version for anyone's broadcast.
    await outsider.send("1/12 08:00")
    assert (await the_broadcast(console)).status == "draft"
    async with session_factory(console)() as session:
        broadcasts = (await session.scalars(select(Broadcast).order_by(Broadcast.id))).all()
    assert [(b.status, b.deletion, b.english_message_id) for b in broadcasts] == [
        ("done", None, None),
        ("draft", None, None),
    ]
    sent_since = console.standin.calls[calls_before:]
    assert not [c for c in sent_since if c.method in ("copyMessage", "deleteMessage")]
    assert staff.last_reply.plain_text.startswith("☝️ This is the preview.")
