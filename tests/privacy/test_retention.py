"""Retention from the settings: the consent texts quote the configured periods, and the daily
clean-up erases a closed conversation from the staff group and the database when its period
ends (the other kinds of data are covered beside their forms)."""

from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from bot.config import Settings
from bot.navigation import SCHOOL_INTEREST_START
from bot.offline.offline_bot import OfflineBot, offline_bot
from bot.privacy.retention import months_before
from db.models import Ticket, TicketMessage, utc_now
from handlers.reminders import purge_expired_data
from tests.handoff.test_handoff import STAFF_CHAT, staff
from tests.registration.test_registration import open_welding


def periods(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "keep_registrations_months": 18,
            "keep_drafts_days": 30,
            "keep_school_requests_months": 9,
            "keep_eligibility_answers_months": 6,
            "keep_handoff_months": 3,
        }
    )


async def test_each_consent_quotes_the_configured_period(settings: Settings) -> None:
    async with offline_bot(periods(settings)) as bot:
        user = bot.user(2101, language_code="en")
        await open_welding(user, "en")
        assert (
            "• Kept: until the end of this intake's selection plus 18 months, then deleted; a "
            "registration left unfinished is deleted 30 days after its last answer."
        ) in user.last_reply.plain_text

        await user.send("/start")
        await user.tap("✅ Check eligibility")
        await user.tap("Welding")
        assert "with /mydata or 6 months after your last visit" in user.last_reply.plain_text

        await user.send("/start")
        await user.tap_data(SCHOOL_INTEREST_START)
        assert (
            "• Kept: 9 months after you send the request, then deleted; a request left "
            "unfinished is deleted 30 days after its last answer."
        ) in user.last_reply.plain_text

        await user.send("/cancel")
        await user.send("qwxz kapan tes tulis?")
        await user.tap("💬 Ask a person")
        assert user.last_reply.plain_text.endswith(
            "What you send here is deleted 3 months after the conversation ends."
        )

        orang = bot.user(2102, language_code="id")
        await open_welding(orang)
        assert (
            "ditambah 18 bulan, lalu dihapus; pendaftaran yang belum selesai dihapus 30 hari "
            "setelah jawaban terakhirnya."
        ) in orang.last_reply.plain_text


async def talk_and_close(bot: OfflineBot, user_id: int) -> None:
    user = bot.user(user_id, language_code="id", first_name=f"Warga{user_id}")
    await user.send("qwxz ini KTP saya 3673015203040001")
    await user.tap("💬 Tanya petugas")
    await user.send("tolong dicek ya")
    await user.tap("✖️ Akhiri percakapan")


async def close_months_ago(bot: OfflineBot, user_id: int, months: int) -> None:
    sessions = bot.application.bot_data["services"].session_factory
    async with sessions() as session, session.begin():
        await session.execute(
            update(Ticket)
            .where(Ticket.user_id == user_id)
            .values(closed_at=utc_now() - timedelta(days=31 * months))
        )


async def tickets_of(bot: OfflineBot) -> list[int]:
    sessions = bot.application.bot_data["services"].session_factory
    async with sessions() as session:
        return list((await session.scalars(select(Ticket.user_id).order_by(Ticket.id))).all())


async def mappings(bot: OfflineBot) -> int:
    sessions = bot.application.bot_data["services"].session_factory
    async with sessions() as session:
        return (
            await session.execute(select(func.count()).select_from(TicketMessage))
        ).scalar_one()


def live_in_group(bot: OfflineBot) -> list[str]:
    return [m.plain_text for m in bot.standin.history(STAFF_CHAT) if not m.deleted]


async def test_a_closed_conversation_leaves_the_staff_group_after_its_period(
    bot: OfflineBot,
) -> None:
    staff(bot)  # the staff group, a forum
    await talk_and_close(bot, 2201)
    await talk_and_close(bot, 2202)
    await close_months_ago(bot, 2201, 7)  # the default period is 6 months
    await close_months_ago(bot, 2202, 5)

    await purge_expired_data(bot.application)

    [kept] = bot.standin.forum_topics(STAFF_CHAT)
    assert kept.name.startswith("Warga2202 · #")
    assert not any("2201" in text for text in live_in_group(bot))
    assert any("2202" in text for text in live_in_group(bot))
    assert await tickets_of(bot) == [2202]
    assert await mappings(bot) > 0  # the kept conversation's


async def test_without_topics_each_copy_is_deleted(bot: OfflineBot) -> None:
    staff(bot, forum=False)
    await talk_and_close(bot, 2203)
    assert "tolong dicek ya" in live_in_group(bot)
    await close_months_ago(bot, 2203, 7)

    await purge_expired_data(bot.application)

    assert "tolong dicek ya" not in live_in_group(bot)
    assert await tickets_of(bot) == [] and await mappings(bot) == 0


async def test_a_refused_deletion_keeps_the_record_to_try_again(bot: OfflineBot) -> None:
    staff(bot)  # the staff group, a forum
    await talk_and_close(bot, 2204)
    await close_months_ago(bot, 2204, 7)
    bot.standin.inject("deleteForumTopic", error="bad_request")

    await purge_expired_data(bot.application)
    assert await tickets_of(bot) == [2204] and len(bot.standin.forum_topics(STAFF_CHAT)) == 1

    await purge_expired_data(bot.application)  # the next day's run
    assert await tickets_of(bot) == [] and bot.standin.forum_topics(STAFF_CHAT) == []


def test_months_are_calendar_months() -> None:
    assert months_before(datetime(2027, 1, 15, 8), 12) == datetime(2026, 1, 15, 8)
    assert months_before(datetime(2026, 3, 31), 1) == datetime(2026, 2, 28)
    assert months_before(datetime(2026, 2, 10), 3) == datetime(2025, 11, 10)
