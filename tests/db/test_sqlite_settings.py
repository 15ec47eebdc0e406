"""What the SQLite settings set on every connection: the busy timeout and how commits reach
the disk (SQLITE_BUSY_TIMEOUT_SECONDS, SQLITE_SYNCHRONOUS)."""

from pathlib import Path

import pytest
from sqlalchemy import text

from db.engine import create_engine

pytestmark = pytest.mark.sqlite_only


@pytest.mark.parametrize(("synchronous", "pragma"), [("full", 2), ("normal", 1)])
async def test_each_connection_gets_the_configured_durability_and_wait(
    tmp_path: Path, synchronous: str, pragma: int
) -> None:
    engine = create_engine(
        f"sqlite+aiosqlite:///{tmp_path / 'vokasi.db'}", busy_timeout=2.5, synchronous=synchronous
    )
    try:
        async with engine.connect() as connection:
            assert (await connection.execute(text("PRAGMA synchronous"))).scalar() == pragma
            assert (await connection.execute(text("PRAGMA busy_timeout"))).scalar() == 2500
            assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
    finally:
        await engine.dispose()
