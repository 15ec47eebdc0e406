"""Feedback after a hand-off: staff /close, the user rates the conversation once and may add a
comment (stored masked); /stats shows the ratings per week; /mydata exports the comment and
deletion forgets it; /block asks nothing."""

import json
from collections.abc import AsyncIterator
from datetime import UTC, timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import select, update

from bot.config import CENTRE_TIMEZONE, Settings
from bot.offline.chat_driver import ChatUser
from bot.offline.offline_bot import OfflineBot, offline_bot
from db.models import HandoffRating, Ticket, utc_now
from handlers.reminders import purge_expired_data
from tests.handoff.test_handoff import STAFF_CHAT, staff, talk_to_staff

ADMIN = 9101
STARS = ["1 ⭐", "2 ⭐", "3 ⭐", "4 ⭐", "5 ⭐"]
CLOSED_EN = (
    "The centre has closed this conversation. If you need more help, tap «💬 Ask a question» in "
    "the menu.\n\nHow helpful was this conversation? Tap 1 (not at all) to 5 (very)."
)
THANKED_EN = "🙏 Thank you for your rating! Would you like to tell the centre more?"
PROMPT_EN = "✍️ Type your comment in one message (at most 1,000 characters)."
SAVED_EN = "✅ Thank you! Your comment was passed on to the centre."
COMMENT = "Petugasnya ramah sekali, hubungi saya di 081234567890 kalau ada info"


@pytest.fixture
async def desk_bot(settings: Settings) -> AsyncIterator[OfflineBot]:
    """The staff group, and an admin who may read /stats."""
    async with offline_bot(settings.model_copy(update={"admin_ids": (ADMIN,)})) as running:
        yield running


async def ratings(bot: OfflineBot) -> list[HandoffRating]:
    async with bot.application.bot_data["services"].session_factory() as session:
        return list((await session.scalars(select(HandoffRating))).all())


async def closed_by_staff(bot: OfflineBot, user_id: int, language: str = "en") -> ChatUser:
    desk = staff(bot)
    user = bot.user(user_id, language_code=language, first_name=f"Warga{user_id}")
    await talk_to_staff(user)
    topic = bot.standin.forum_topics(STAFF_CHAT)[-1]
    await desk.say("/close", topic=topic.message_thread_id)
    return user


async def test_the_user_rates_once_and_adds_a_masked_comment(desk_bot: OfflineBot) -> None:
    user = await closed_by_staff(desk_bot, 1401)
    assert user.last_reply.plain_text == CLOSED_EN
    assert user.buttons == STARS

    await user.tap("4 ⭐")
    assert user.last_reply.plain_text == THANKED_EN
    assert user.buttons == ["✍️ Add a comment", "No thanks"]
    await user.tap("✍️ Add a comment")
    assert user.last_reply.plain_text == PROMPT_EN

    await user.send_sticker()
    assert user.last_reply.plain_text == (
        "Please type your comment as text (at most 1,000 characters)."
    )
    await user.send("bagus " * 200)
    assert user.last_reply.plain_text == (
        "That is a little long: please shorten it to 1,000 characters at most and send it again."
    )
    await user.send(COMMENT)
    assert user.last_reply.plain_text == SAVED_EN
    [rated] = await ratings(desk_bot)
    assert rated.rating == 4 and rated.user_id == 1401
    assert rated.comment_masked is not None and "081234567890" not in rated.comment_masked
    assert rated.comment_masked == (
        "Petugasnya ramah sekali, hubungi saya di 0********890 kalau ada info"
    )

    # The old buttons under the closing message, tapped again: thanked, never a second row.
    await user.tap("2 ⭐")
    assert user.last_reply.plain_text == "You already rated this conversation. Thank you!"
    assert [r.rating for r in await ratings(desk_bot)] == [4]
    await user.tap("✍️ Add a comment")
    assert user.last_reply.plain_text == (
        "You already left a comment on this conversation. Thank you!"
    )
    # Typed text is a question again, not a second comment.
    await user.send("qwxz kapan tes tulis?")
    assert user.last_reply.plain_text != SAVED_EN
    assert (await ratings(desk_bot))[0].comment_masked == rated.comment_masked


async def test_a_blocked_user_is_not_asked_for_a_rating(desk_bot: OfflineBot) -> None:
    desk = staff(desk_bot)
    user = desk_bot.user(1402, language_code="en")
    await talk_to_staff(user)
    [topic] = desk_bot.standin.forum_topics(STAFF_CHAT)
    await desk.say("/block", topic=topic.message_thread_id)
    assert user.last_reply.plain_text.startswith("The centre has closed this conversation.")
    assert not any(label in STARS for label in user.buttons)
    assert "How helpful" not in user.last_reply.plain_text
    async with desk_bot.application.bot_data["services"].session_factory() as session:
        ticket_id = (await session.scalars(select(Ticket.id))).one()
    await user.tap_data(f"fb:{ticket_id}:5")  # forged: their ticket is closed, yet not asked
    assert user.last_reply.plain_text == (
        "This conversation can no longer be rated. Thank you all the same!"
    )
    assert await ratings(desk_bot) == []


async def test_no_thanks_and_cancel_ask_nothing_more(desk_bot: OfflineBot) -> None:
    user = await closed_by_staff(desk_bot, 1403, "id")
    await user.tap("5 ⭐")
    assert user.last_reply.plain_text == (
        "🙏 Terima kasih atas penilaianmu! Mau bercerita lebih banyak ke balai?"
    )
    await user.tap("Tidak, terima kasih")
    assert user.last_reply.plain_text == "Terima kasih! Kami senang membantu lagi kapan saja."
    await user.tap("✍️ Tambah komentar")
    assert user.last_reply.plain_text == (
        "✍️ Ketik komentarmu dalam satu pesan (maksimal 1.000 karakter)."
    )
    await user.send("/cancel")
    assert user.last_reply.plain_text == "Oke, sudah dihentikan. Mau apa sekarang?"
    await user.send("ini bukan komentar")
    assert (await ratings(desk_bot))[0].comment_masked is None


async def test_a_tap_or_command_elsewhere_ends_the_wait_for_a_comment(
    desk_bot: OfflineBot,
) -> None:
    user = await closed_by_staff(desk_bot, 1404)
    await user.tap("3 ⭐")
    await user.tap("✍️ Add a comment")
    await user.send("/start")
    await user.send("qwxz kapan tes tulis?")  # an FAQ question, not a comment
    assert user.last_reply.plain_text != SAVED_EN

    await user.tap("✍️ Add a comment")
    assert user.last_reply.plain_text == PROMPT_EN
    await user.send("/start")
    await user.tap("📚 Programmes")
    await user.send("qwxz kapan tes tulis?")
    assert user.last_reply.plain_text != SAVED_EN
    assert (await ratings(desk_bot))[0].comment_masked is None

    # The prompt still works when it is answered straight away.
    await user.tap("✍️ Add a comment")
    await user.send("Cepat dibalas")
    assert user.last_reply.plain_text == SAVED_EN


async def test_a_registration_form_is_not_disturbed_by_a_rating(desk_bot: OfflineBot) -> None:
    user = await closed_by_staff(desk_bot, 1405)
    await user.send("/start")
    await user.tap("✅ Check eligibility")
    choice = user.buttons[0]
    await user.tap("4 ⭐")  # the closing message, further up
    assert user.last_reply.plain_text == THANKED_EN
    await user.tap("No thanks")
    assert [r.rating for r in await ratings(desk_bot)] == [4]
    await user.tap(choice)  # the check goes on where it was
    assert "older message" not in user.last_reply.plain_text
    assert user.last_reply.plain_text not in (THANKED_EN, SAVED_EN)


@pytest.mark.parametrize(
    ("language", "title", "average", "comments"),
    [
        (
            "en",
            "⭐ Hand-off ratings (last 8 weeks, WIB)",
            "4.5",
            "Latest comments (newest first):",
        ),
        (
            "id",
            "⭐ Penilaian percakapan dengan petugas (8 minggu terakhir, WIB)",
            "4,5",
            "Komentar terbaru (terbaru di atas):",
        ),
    ],
)
async def test_stats_show_the_count_and_average_per_week(
    desk_bot: OfflineBot, language: str, title: str, average: str, comments: str
) -> None:
    first = await closed_by_staff(desk_bot, 1406)
    await first.tap("4 ⭐")
    await first.tap("✍️ Add a comment")
    await first.send(COMMENT)
    second = await closed_by_staff(desk_bot, 1407)
    await second.tap("5 ⭐")
    await second.tap("5 ⭐")  # a double tap counts once

    admin = desk_bot.user(ADMIN, language_code=language)
    await admin.send("/stats")
    await admin.tap(
        "⭐ Hand-off ratings" if language == "en" else "⭐ Penilaian percakapan dengan petugas"
    )
    text = admin.last_reply.plain_text
    rated_at = (await ratings(desk_bot))[0].rated_at
    local = (rated_at if rated_at.tzinfo else rated_at.replace(tzinfo=UTC)).astimezone(
        CENTRE_TIMEZONE
    )
    monday = local.date() - timedelta(days=local.weekday())
    week = ("Week {week} ({day})" if language == "en" else "Minggu {week} ({day})").format(
        week=monday.isocalendar().week, day=format_date(monday, "d MMM", locale=language)
    )
    lines = text.split("\n")
    assert lines[0] == title
    assert lines[2] == f"{week}: 2 · {average}"  # the newest week first
    assert len([line for line in lines if line.endswith(": 0")]) == 7
    assert comments in lines
    [shown] = [line for line in lines if line.startswith("4 ⭐ · ")]
    assert "081234567890" not in shown and "Petugasnya ramah sekali" in shown
    assert admin.buttons == (["◀️ Statistics"] if language == "en" else ["◀️ Statistik"])


async def test_stats_without_ratings_say_so(desk_bot: OfflineBot) -> None:
    admin = desk_bot.user(ADMIN, language_code="en")
    await admin.send("/stats")
    await admin.tap("⭐ Hand-off ratings")
    assert admin.last_reply.plain_text == (
        "⭐ Hand-off ratings (last 8 weeks, WIB)\nNo ratings yet."
    )


async def test_mydata_exports_the_comment_and_deletion_forgets_it(desk_bot: OfflineBot) -> None:
    user = await closed_by_staff(desk_bot, 1408)
    await user.tap("2 ⭐")
    await user.tap("✍️ Add a comment")
    await user.send(COMMENT)
    await user.send("/mydata")
    assert "Your ratings of conversations with staff: 1" in user.last_reply.plain_text
    await user.tap("📄 Send me a file")
    _filename, content = user.last_reply.document  # type: ignore[misc]
    [exported] = json.loads(content)["handoff_ratings"]
    assert exported["rating"] == 2
    assert exported["comment"].startswith("Petugasnya ramah") and "081234567890" not in str(
        exported
    )

    await user.send("/mydata")
    await user.tap("🗑 Delete everything")
    await user.tap("🗑 Yes, delete everything")
    [kept] = await ratings(desk_bot)
    # Only the number stays, for the weekly figures: not whose, not the comment.
    assert (kept.user_id, kept.ticket_id, kept.comment_masked) == (None, None, None)
    assert kept.rating == 2


async def test_the_comment_goes_with_the_conversation_after_its_period(
    desk_bot: OfflineBot,
) -> None:
    user = await closed_by_staff(desk_bot, 1409)
    await user.tap("3 ⭐")
    await user.tap("✍️ Add a comment")
    await user.send(COMMENT)
    sessions = desk_bot.application.bot_data["services"].session_factory
    async with sessions() as session, session.begin():
        await session.execute(
            update(Ticket)
            .where(Ticket.user_id == 1409)
            .values(closed_at=utc_now() - timedelta(days=31 * 7))
        )

    await purge_expired_data(desk_bot.application)

    [kept] = await ratings(desk_bot)
    assert (kept.user_id, kept.ticket_id, kept.comment_masked, kept.rating) == (
        None,
        None,
        None,
        3,
    )
