"""Another program holds the SQLite database (a copy tool, a second bot started by mistake):
the user's answer is not half-written, they are told to send it again, and once the database
is free they carry on from the same question."""

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from bot.config import Settings
from bot.offline.offline_bot import OfflineBot, offline_bot
from db.models import Registration
from tests.registration.test_registration import NIK_SITI, open_welding

pytestmark = pytest.mark.sqlite_only


@asynccontextmanager
async def held_by_another_program(settings: Settings) -> AsyncIterator[None]:
    """A second connection takes SQLite's write lock and keeps it until the block ends.

    The bot may be mid-write (a persistence flush) as this asks for the lock, and finishes that
    write only if its event loop runs: so the lock is waited for in a thread, for as long as a
    busy machine takes (pytest-timeout is the only limit)."""
    path = Path(make_url(settings.database_url).database or "")
    other = sqlite3.connect(path, isolation_level=None, timeout=300, check_same_thread=False)
    try:
        await asyncio.to_thread(other.execute, "BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
    finally:
        other.close()


async def drafts(bot: OfflineBot) -> list[Registration]:
    sessions = bot.application.bot_data["services"].session_factory
    async with sessions() as session:
        return list((await session.scalars(select(Registration))).all())


async def test_a_locked_database_asks_the_user_to_send_again_and_loses_nothing(
    settings: Settings,
) -> None:
    # The bot gives up on the lock soon, as it would after SQLITE_BUSY_TIMEOUT_SECONDS.
    async with offline_bot(
        settings.model_copy(update={"sqlite_busy_timeout_seconds": 0.2})
    ) as bot:
        user = bot.user(2501, language_code="id")
        user.raise_handler_errors = False
        await open_welding(user)
        await user.tap("✅ Saya setuju")
        await user.send("Siti Aminah")
        assert "Berapa NIK-mu?" in user.last_reply.plain_text

        async with held_by_another_program(settings):
            await user.send(NIK_SITI)
            assert user.last_reply.plain_text.startswith(
                "Maaf, ada gangguan di sistem kami. Jawabanmu sebelumnya aman; silakan kirim "
                "lagi pesan terakhirmu"
            )

        [draft] = await drafts(bot)
        assert (draft.full_name, draft.nik_masked) == ("Siti Aminah", None)  # nothing half-done
        await user.send(NIK_SITI)
        assert "Dari NIK 3673********0001 saya baca" in user.last_reply.plain_text
        [draft] = await drafts(bot)
        assert draft.nik_masked == "3673********0001"
