"""Shared fixtures: a real database per test (SQLite file, or PostgreSQL when asked)."""

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from bot.config import Settings
from bot.offline.offline_bot import OfflineBot, offline_bot

POSTGRES_USERS = ("postgres", "root")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: needs a SQLite file (e.g. WAL checks)")
    # As `python -m bot` does: PTB's durations as timedelta, without its deprecation warning.
    os.environ.setdefault("PTB_TIMEDELTA", "true")


async def _reset_postgres(url: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


def _postgres_url() -> str:
    """The test server's URL: TEST_POSTGRES_URL, else the local server as postgres or root."""
    configured = os.environ.get("TEST_POSTGRES_URL")
    if configured:
        return configured
    errors = []
    for user in POSTGRES_USERS:
        url = f"postgresql://{user}@127.0.0.1:5432/test"
        try:
            asyncio.run(_reset_postgres(url))
            return url
        except (OSError, asyncpg.PostgresError) as error:
            errors.append(f"{user}: {error}")
    raise RuntimeError(f"No PostgreSQL test server at 127.0.0.1:5432 ({'; '.join(errors)})")


@pytest.fixture(scope="session")
def postgres_url() -> str | None:
    if os.environ.get("VOKASI_TEST_DATABASE") != "postgresql":
        return None
    return _postgres_url()


@pytest.fixture
async def database_url(tmp_path: Path, postgres_url: str | None) -> str:
    """A fresh, empty database for one test."""
    if postgres_url is None:
        return f"sqlite+aiosqlite:///{tmp_path / 'vokasi.db'}"
    await _reset_postgres(postgres_url)
    return postgres_url.replace("postgresql://", "postgresql+asyncpg://", 1)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=None,
        database_url=database_url,
        default_locale="id",
        persistence_flush_seconds=0.05,
        data_key_file=tmp_path / "data.key",
        staff_chat_id=-1001234567890,
        # Tests drive the bot far faster than anyone types; the flood tests set real limits.
        flood_burst=100_000,
        # Long: a tiny wait splits an album when a loaded machine delays its last part, so
        # album tests end the wait themselves (tests/handoff/test_albums.py).
        handoff_album_wait_seconds=10,
    )


@pytest.fixture
async def bot(settings: Settings, caplog: pytest.LogCaptureFixture) -> AsyncIterator[OfflineBot]:
    """The real application on the stand-in; a handler error fails the test."""
    async with offline_bot(settings) as running:
        yield running
    failures = [r for r in caplog.records if r.name == "handlers.errors"]
    assert failures == [], f"a handler failed: {failures[0].exc_info}"
