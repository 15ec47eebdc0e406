"""`python -m bot backup` and `restore` as an operator runs them, against a real SQLite file.

The commands run as subprocesses; a thread writes to the database meanwhile, as the bot would.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.config import Settings
from db.backup import table_counts

pytestmark = pytest.mark.sqlite_only

ROOT = Path(__file__).resolve().parents[2]
SEEDED_USERS = 5_000
WRITES_BEFORE_BACKUP = 50


def bot_command(*arguments: str, database: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    settings_keys = {name.upper() for name in Settings.model_fields}
    environment = {k: v for k, v in os.environ.items() if k.upper() not in settings_keys}
    environment.update(
        DATABASE_URL=f"sqlite+aiosqlite:///{database}", PYTHONPATH=str(ROOT), LOG_LEVEL="WARNING"
    )
    return subprocess.run(
        [sys.executable, "-m", "bot", *arguments],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        # A usual server umask: the files must come out owner-only regardless.
        preexec_fn=lambda: os.umask(0o022),
    )


def add_user_with_audit(connection: sqlite3.Connection, user_id: int) -> None:
    """One transaction that adds a user and the audit line about them: a torn copy would
    hold one without the other."""
    with connection:
        connection.execute(
            "INSERT INTO users (id, first_name, blocked_bot, created_at, last_seen_at, "
            "handoff_blocked) VALUES (?, 'Siti Rahayu', 0, '2026-12-06', '2026-12-06', 0)",
            (user_id,),
        )
        connection.execute(
            "INSERT INTO audit_log (actor_id, action, subject, details, at) "
            "VALUES (?, 'test.write', 'user', '{}', '2026-12-06')",
            (user_id,),
        )


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "vokasi.db"
    migrated = bot_command("migrate", database=path, cwd=tmp_path)
    assert migrated.returncode == 0, migrated.stderr
    with closing(sqlite3.connect(path)) as connection:
        for user_id in range(1, SEEDED_USERS + 1):
            add_user_with_audit(connection, user_id)
    return path


@dataclass
class Writer:
    """Adds a user and an audit line per transaction until stopped."""

    database: Path
    written: int = 0
    enough: threading.Event = field(default_factory=threading.Event)
    stopping: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None

    def run(self) -> None:
        try:
            with closing(sqlite3.connect(self.database, timeout=30)) as connection:
                while not self.stopping.is_set():
                    add_user_with_audit(connection, SEEDED_USERS + self.written + 1)
                    self.written += 1
                    if self.written >= WRITES_BEFORE_BACKUP:
                        self.enough.set()
        except BaseException as error:  # reported by the test, not lost in the thread
            self.error = error
            self.enough.set()


@contextmanager
def writing(database: Path) -> Iterator[Writer]:
    writer = Writer(database)
    thread = threading.Thread(target=writer.run)
    thread.start()
    try:
        assert writer.enough.wait(timeout=60), "the writer did not get going"
        yield writer
    finally:
        writer.stopping.set()
        thread.join(timeout=60)
    assert writer.error is None, writer.error


def test_a_backup_taken_while_the_bot_writes_is_whole_and_owner_only(
    database: Path, tmp_path: Path
) -> None:
    target = tmp_path / "backups" / "nightly.db"
    with writing(database) as writer:
        written_before = writer.written
        result = bot_command("backup", str(target), database=database, cwd=tmp_path)
        written_after = writer.written

    assert result.returncode == 0, result.stderr
    counts = table_counts(target)
    # Every transaction is in the copy whole or not at all, and it caught the live writes.
    assert counts["users"] == counts["audit_log"]
    assert SEEDED_USERS + written_before <= counts["users"] <= SEEDED_USERS + written_after
    assert f"Backed up to {target}" in result.stdout
    assert f"users {counts['users']}" in result.stdout
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    # One self-contained file to carry away.
    assert not target.with_name("nightly.db-wal").exists()


def test_a_backup_never_overwrites_a_file(database: Path, tmp_path: Path) -> None:
    target = tmp_path / "kept.db"
    target.write_bytes(b"last week's backup")

    result = bot_command("backup", str(target), database=database, cwd=tmp_path)

    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == f"{target} exists already: choose a new name, nothing was written."
    )
    assert target.read_bytes() == b"last week's backup"


def test_restore_into_an_empty_deployment_gives_the_same_rows(
    database: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "nightly.db"
    assert bot_command("backup", str(backup), database=database, cwd=tmp_path).returncode == 0
    fresh = tmp_path / "new-server" / "vokasi.db"

    result = bot_command("restore", str(backup), database=fresh, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert table_counts(fresh) == table_counts(backup) == table_counts(database)
    assert table_counts(fresh)["users"] == SEEDED_USERS
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    assert stat.S_IMODE(fresh.parent.stat().st_mode) == 0o700
    with closing(sqlite3.connect(fresh)) as connection:
        assert connection.execute("SELECT first_name FROM users WHERE id = 42").fetchone() == (
            "Siti Rahayu",
        )


def test_restore_refuses_a_database_with_data_unless_forced(
    database: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "nightly.db"
    assert bot_command("backup", str(backup), database=database, cwd=tmp_path).returncode == 0
    with closing(sqlite3.connect(database)) as connection:
        add_user_with_audit(connection, 999_999)

    refused = bot_command("restore", str(backup), database=database, cwd=tmp_path)

    assert refused.returncode == 1
    assert "holds data already" in refused.stderr and "--force" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert table_counts(database)["users"] == SEEDED_USERS + 1

    forced = bot_command("restore", str(backup), "--force", database=database, cwd=tmp_path)

    assert forced.returncode == 0, forced.stderr
    assert table_counts(database)["users"] == SEEDED_USERS


def test_restore_refuses_a_file_that_is_not_a_database(database: Path, tmp_path: Path) -> None:
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("not a database", encoding="utf-8")
    empty = tmp_path / "empty" / "vokasi.db"

    result = bot_command("restore", str(not_a_backup), database=empty, cwd=tmp_path)

    assert result.returncode == 1
    assert result.stderr.startswith(f"{not_a_backup} is not a SQLite database")
    assert "Traceback" not in result.stderr


def test_backing_up_postgresql_points_to_pg_dump(tmp_path: Path) -> None:
    settings_keys = {name.upper() for name in Settings.model_fields}
    environment = {k: v for k, v in os.environ.items() if k.upper() not in settings_keys}
    environment.update(
        DATABASE_URL="postgresql+asyncpg://postgres@127.0.0.1:5432/test", PYTHONPATH=str(ROOT)
    )
    result = subprocess.run(
        [sys.executable, "-m", "bot", "backup", str(tmp_path / "x.db")],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 1
    assert "pg_dump" in result.stderr and "Traceback" not in result.stderr
