"""What staff see when a broadcast's preview no longer holds: a Send button from an older
preview, a source message they deleted, a typed step they moved on from, and a second tap."""

from bot.offline.offline_bot import OfflineBot
from bot.offline.standin import SentMessage
from tests.broadcast import test_broadcasts
from tests.broadcast.test_broadcasts import (
    STAFF,
    add_users,
    compose_and_preview,
    copies_delivered,
    send_to_everyone,
    the_broadcast,
    wait_for_message,
    wait_for_status,
    worker_settled,
)

# The staff console of the sending tests: an admin, a staff member, fast test pacing.
staff_settings = test_broadcasts.staff_settings
console = test_broadcasts.console
OUT_OF_DATE = "⚠️ This preview is out of date: the audience or the versions changed"
FALLBACK = "I don't have an answer for that yet."


async def tap_on(staff, message: SentMessage, label: str) -> list[SentMessage]:  # noqa: ANN001
    """Tap a button on an older message, as staff do after scrolling up."""
    data = message.callback_data_for(label)
    assert data is not None, message.buttons
    return await staff.tap_data(data, message_id=message.message_id)


# --- a Send or Schedule button from an older preview -----------------------------------------


async def test_send_from_an_older_preview_shows_the_current_one_and_sends_nothing(
    console: OfflineBot,
) -> None:
    await add_users(console, range(100, 103), language="id")
    await add_users(console, range(200, 201), language="en")  # with the admin and staff: 3
    staff = await compose_and_preview(console, ["🗣 By language", "🇮🇩 Bahasa Indonesia"])
    indonesian = staff.last_reply
    assert "It will go to 3 people (people reading 🇮🇩 Bahasa Indonesia)" in indonesian.plain_text
    # The language buttons are still above: staff choose English readers instead.
    await staff.tap("🇬🇧 English")
    assert "It will go to 3 people (people reading 🇬🇧 English)" in staff.last_reply.plain_text
    previews = len(console.standin.calls_to("copyMessage"))

    # Then scroll up and tap Send on the Indonesian preview.
    replies = await tap_on(staff, indonesian, "📤 Send to 3 people")
    assert replies[-1].plain_text.startswith(OUT_OF_DATE)
    assert "It will go to 3 people (people reading 🇬🇧 English)" in replies[-1].plain_text
    assert len(console.standin.calls_to("copyMessage")) == previews + 1, "the current preview"
    # And Schedule on it, too.
    [*_, again] = await tap_on(staff, indonesian, "🕒 Schedule")
    assert again.plain_text.startswith(OUT_OF_DATE)
    await worker_settled(console)
    assert (await the_broadcast(console)).status == "draft"
    assert set(copies_delivered(console.standin)) == {STAFF}, "nothing sent to anyone"
    # The current preview's Send goes to English readers only.
    await staff.tap("📤 Send to 3 people")
    await wait_for_status(console, "done")
    delivered = copies_delivered(console.standin)
    assert all(delivered[user_id] == 0 for user_id in range(100, 103))
    assert delivered[200] == 1


async def test_adding_an_english_version_makes_the_earlier_preview_out_of_date(
    console: OfflineBot,
) -> None:
    await add_users(console, range(100, 103), language="id")
    staff = await compose_and_preview(console, ["👥 Everyone"])
    everyone = staff.last_reply
    await staff.tap("🇬🇧 Add an English version")
    await staff.send("Welding course opens Monday")
    assert staff.last_reply.plain_text.startswith("🇬🇧 English version added.")
    [*copies, current] = await tap_on(staff, everyone, "📤 Send to 5 people")
    assert current.plain_text.startswith(OUT_OF_DATE)
    assert "🇮🇩 Main version: 3 · 🇬🇧 English version: 2" in current.plain_text
    assert [copy.plain_text for copy in copies] == [
        "Welding course opens Monday",  # main version (a photo with this caption)
        "Welding course opens Monday",
    ]
    await worker_settled(console)
    assert (await the_broadcast(console)).status == "draft"


# --- the staff member deleted their own message ----------------------------------------------


async def test_a_deleted_source_pauses_the_broadcast_and_says_why(console: OfflineBot) -> None:
    await add_users(console, range(10_000, 10_300), language="id")
    console.application.broadcast_worker.pacer._interval = 1 / 300
    staff = await compose_and_preview(console, ["👥 Everyone"])
    await staff.tap("📤 Send to 302 people")
    sending = await wait_for_status(console, "sending", sent_at_least=20)
    console.standin.user_deletes(STAFF, sending.source_message_id)
    await wait_for_status(console, "paused")
    # Told once the copies in flight when it paused are recorded, with the final count.
    await wait_for_message(console.standin, STAFF, "is paused:")
    paused = await the_broadcast(console)
    assert paused.failed_count == 0 and 20 <= paused.sent_count < 302
    told = next(
        m.plain_text for m in console.standin.history(STAFF) if "is paused:" in m.plain_text
    )
    assert (
        f"⚠️ Broadcast #{paused.id} is paused: your original message was deleted from this chat, "
        f"so I can no longer copy it. {paused.sent_count} people got the broadcast before "
        "that; nobody else will. Please send a new /broadcast."
    ) == told
    failures = [c for c in console.standin.calls_to("copyMessage") if c.error]
    assert len(failures) <= console.application.bot_data["services"].settings.broadcast_in_flight


async def test_the_preview_says_kindly_that_the_message_was_deleted(console: OfflineBot) -> None:
    staff = console.user(STAFF, language_code="en")
    await staff.send("/broadcast")
    await staff.send_photo(caption="Kursus las")
    draft = await the_broadcast(console)
    console.standin.user_deletes(STAFF, draft.source_message_id)
    [answer] = await staff.tap("👥 Everyone")
    assert answer.plain_text == (
        "⚠️ I cannot show the preview: your original message was deleted from this chat, so "
        "it can no longer be copied. Nothing was sent. Please start again with /broadcast."
    )
    assert not answer.has_inline_keyboard
    # The English version, likewise.
    await staff.send("/broadcast")
    await staff.send("Kursus las dibuka")
    await staff.tap("🇬🇧 Add an English version")
    await staff.send("Welding course opens")
    draft = await the_broadcast(console)
    console.standin.user_deletes(STAFF, draft.english_message_id)
    [*_, answer] = await staff.tap("👥 Everyone")
    assert "your English version was deleted" in answer.plain_text


# --- typed steps are left when staff move on -------------------------------------------------


async def test_a_button_that_moves_on_leaves_the_typed_time(console: OfflineBot) -> None:
    await add_users(console, range(100, 103), language="id")
    staff = await compose_and_preview(console, ["👥 Everyone"])
    confirm = staff.last_reply
    send = confirm.callback_data_for("📤 Send to 5 people") or ""
    await staff.tap("🕒 Schedule")  # the preview's buttons become the times
    await staff.tap("⌨️ Type a date and time")
    # Staff change their mind and send now (a second tap, or a slow client).
    await staff.tap_data(send, message_id=confirm.message_id)
    await wait_for_status(console, "done")
    await wait_for_message(console.standin, STAFF, "finished:")
    [answer] = await staff.send("will it rain tomorrow?")
    assert "could not read" not in answer.plain_text and FALLBACK in answer.plain_text


async def test_could_not_read_a_time_names_the_ways_out(console: OfflineBot) -> None:
    await add_users(console, range(100, 103), language="id")
    staff = await compose_and_preview(console, ["👥 Everyone"])
    await staff.tap("🕒 Schedule")
    await staff.tap("⌨️ Type a date and time")
    [answer] = await staff.send("besok pagi")
    assert "Or tap ◀️ Back to choose a quick time, or /cancel to stop." in answer.plain_text
    [when] = await staff.tap("◀️ Back")
    assert "When should it go out?" in when.plain_text
    [answer] = await staff.send("besok pagi")
    assert FALLBACK in answer.plain_text, "no longer read as a time"


async def test_choosing_an_audience_leaves_the_english_step(console: OfflineBot) -> None:
    await add_users(console, range(100, 103), language="id")
    staff = await compose_and_preview(console, ["👥 Everyone"])
    confirm = staff.last_reply
    await staff.send("/broadcast")  # a new draft, whose English version is asked for
    await staff.send("Halo")
    await staff.tap("🇬🇧 Add an English version")
    # Staff go back to the first draft's preview instead and change its audience.
    await tap_on(staff, confirm, "◀️ Change audience")
    await staff.tap("🕒 Active in 7 days")
    [answer] = await staff.send("will it rain tomorrow?")
    assert FALLBACK in answer.plain_text
    assert (await the_broadcast(console)).english_message_id is None


# --- a second tap --------------------------------------------------------------------------


async def test_second_taps_on_delete_and_schedule_say_what_is_going_on(
    console: OfflineBot,
) -> None:
    done = await send_to_everyone(console, range(100, 140))
    console.application.broadcast_worker.pacer._interval = 1 / 100
    staff = console.user(STAFF, language_code="en")
    await staff.tap_data(f"bc:delgo:{done.id}")
    [again] = await staff.tap_data(f"bc:delgo:{done.id}")
    assert f"Broadcast #{done.id} is already being deleted: " in again.plain_text
    assert "of 42 copies taken back so far. I will report when it is done." in again.plain_text

    await compose_and_preview(console, ["👥 Everyone"])
    [when] = await staff.tap("🕒 Schedule")
    type_it = when.callback_data_for("⌨️ Type a date and time") or ""
    await staff.tap(next(label for label in when.buttons if label.startswith("⏰ In 1 hour")))
    scheduled = await the_broadcast(console)
    [again] = await staff.tap_data(type_it)
    assert again.plain_text == (
        f"🕒 Broadcast #{scheduled.id} is already scheduled. See /broadcasts to check or "
        "cancel it."
    )
    # Two previews and the first broadcast's copy; the scheduled one has not gone out.
    assert copies_delivered(console.standin)[STAFF] == 3
