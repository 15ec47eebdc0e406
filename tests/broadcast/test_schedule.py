"""Scheduled broadcasts: quick times and typed WIB times, a start at the due time (also after
a restart, with the audience counted then), and cancelling before the start."""

from collections import Counter
from datetime import timedelta

from bot.broadcast.schedule import centre_time
from bot.config import Settings
from bot.offline.offline_bot import OfflineBot, offline_bot
from bot.offline.standin import TelegramStandIn
from db.models import (
    utc_now,
)
from tests.broadcast import test_broadcasts
from tests.broadcast.test_broadcasts import (
    ADMIN,
    SCHEDULED_NOTE,
    STAFF,
    add_users,
    audit_actions,
    compose_and_preview,
    copies_delivered,
    move_schedule,
    the_broadcast,
    typed,
    wait_for_message,
    wait_for_status,
    worker_settled,
)

# The staff console of the sending tests: an admin, a staff member, fast test pacing.
staff_settings = test_broadcasts.staff_settings
console = test_broadcasts.console


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
        await wait_for_message(standin, STAFF, "finished: 13 sent")
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
    draft = await the_broadcast(console)
    await staff.tap_data(f"bc:type:{draft.id}:{draft.audience['rev']}")
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
    await worker_settled(console)
    assert (await the_broadcast(console)).status == "cancelled"
    assert copies_delivered(console.standin) == Counter({STAFF: 1})
    assert await audit_actions(console) == ["broadcast.schedule", "broadcast.unschedule"]


async def test_a_forged_time_far_ahead_or_past_offers_the_choices_again(
    console: OfflineBot,
) -> None:
    """A quick-time button carries a 10-digit Unix time: one that has passed says so, one no
    button offers (beyond a year ahead, up to the year 2286) shows the choices; nothing is
    scheduled."""
    await add_users(console, range(100, 102), language="id")
    staff = await compose_and_preview(console, ["👥 Everyone"])
    [when] = await staff.tap("🕒 Schedule")
    in_an_hour = next(label for label in when.buttons if label.startswith("⏰ In 1 hour"))
    data = str(when.button(in_an_hour)["callback_data"])
    stem = data.rsplit(":", 1)[0]
    for timestamp, passed in (("9999999999", False), ("1000000000", True)):
        await staff.tap_data(f"{stem}:{timestamp}")
        assert "When should it go out?" in staff.last_reply.plain_text, timestamp
        assert ("That time has passed" in staff.last_reply.plain_text) is passed, timestamp
    assert (await the_broadcast(console)).status == "draft"
