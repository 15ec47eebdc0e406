"""The database, its WAL and its folder are created readable by the bot's user only."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.config import Settings
from db.engine import create_engine

pytestmark = pytest.mark.sqlite_only

ROOT = Path(__file__).resolve().parents[2]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def server_umask() -> Iterator[None]:
    """A usual server umask (0022), under which files come out world-readable by default."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.mark.usefixtures("server_umask")
async def test_the_database_its_wal_and_its_folder_are_owner_only(tmp_path: Path) -> None:
    database = tmp_path / "srv" / "data" / "vokasi.db"
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE notes (body TEXT)"))
            await connection.execute(text("INSERT INTO notes VALUES ('NIK 3604012345678901')"))
        # While a connection is open the WAL and its index exist beside the file.
        wal, index = Path(f"{database}-wal"), Path(f"{database}-shm")
        assert wal.exists() and index.exists()
        assert (mode(database), mode(wal), mode(index)) == (0o600, 0o600, 0o600)
    finally:
        await engine.dispose()
    assert mode(database.parent) == 0o700
    assert mode(database.parent.parent) == 0o700


@pytest.mark.usefixtures("server_umask")
async def test_an_existing_readable_database_is_tightened_but_its_shared_folder_is_not(
    tmp_path: Path,
) -> None:
    database = tmp_path / "vokasi.db"
    database.touch(mode=0o644)
    tmp_path.chmod(0o755)

    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    await engine.dispose()

    assert mode(database) == 0o600
    # A folder the bot did not make (such as /var/lib) is not the bot's to change.
    assert mode(tmp_path) == 0o755


def test_an_unwritable_data_folder_stops_the_bot_with_one_line(tmp_path: Path) -> None:
    # A file where the data folder should be: no user, root included, can create it.
    (tmp_path / "data").write_text("", encoding="utf-8")
    settings_keys = {name.upper() for name in Settings.model_fields}
    environment = {k: v for k, v in os.environ.items() if k.upper() not in settings_keys}
    environment.update(
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'data' / 'vokasi.db'}",
        BOT_TOKEN="123456:TEST-fake-token-abcdefghijklmnopqrstuvwxyz",
        PYTHONPATH=str(ROOT),
    )

    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 2  # a configuration error: the systemd unit does not loop
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"The database cannot be written at {tmp_path / 'data'}")
    assert "DATABASE_URL" in lines[0]
