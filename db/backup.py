"""Online backup and restore of a SQLite deployment, and files only their owner can read.

The copy goes through SQLite's backup API in one read transaction, so it is consistent while
the bot keeps writing: a plain file copy of a WAL database can miss or tear the last transactions.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url

OWNER_ONLY_FILE = 0o600
OWNER_ONLY_DIRECTORY = 0o700
# All pages in one step, inside one read transaction: in WAL mode the bot's writers carry on,
# whereas a step-by-step copy starts over whenever another process writes between steps and,
# under steady traffic, might never finish.
PAGES_IN_ONE_STEP = -1
# SQLite's own bookkeeping and the migration marker are not people's data.
NOT_COUNTED = {"alembic_version"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message is one line for the operator."""


def sqlite_path(database_url: str) -> Path:
    """The file behind a SQLite URL; refuses other databases with what to use instead."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupError(
            "DATABASE_URL is not a SQLite file: back up PostgreSQL with pg_dump "
            "(see the README's deployment guide)."
        )
    if not url.database or url.database == ":memory:":
        raise BackupError("DATABASE_URL names an in-memory database: there is nothing to copy.")
    return Path(url.database)


def make_owner_only_directory(path: Path) -> None:
    """Create the missing folders of the path as 0700; existing ones are left as they are
    (the database may live in a shared folder such as /var/lib)."""
    missing = [folder for folder in (path, *path.parents) if not folder.exists()]
    path.mkdir(mode=OWNER_ONLY_DIRECTORY, parents=True, exist_ok=True)
    for folder in missing:
        # mkdir's mode passes through the umask; make it exact.
        folder.chmod(OWNER_ONLY_DIRECTORY)


def create_owner_only_file(path: Path, *, exclusive: bool = True) -> None:
    """Create the file readable by its owner only (an existing one is tightened, or refused
    when exclusive)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else 0)
    try:
        descriptor = os.open(path, flags, OWNER_ONLY_FILE)
    except FileExistsError:
        raise BackupError(
            f"{path} exists already: choose a new name, nothing was written."
        ) from None
    os.close(descriptor)
    path.chmod(OWNER_ONLY_FILE)


def table_counts(path: Path) -> dict[str, int]:
    """Rows per table of the SQLite file, without SQLite's own tables."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        names = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
            if name not in NOT_COUNTED
        ]
        return {
            name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            for name in names
        }


def back_up(database: Path, target: Path) -> dict[str, int]:
    """Copy the live database to a new file only its owner can read; the copy's row counts."""
    if not database.exists():
        raise BackupError(f"There is no database at {database}: nothing to back up.")
    make_owner_only_directory(target.parent)
    create_owner_only_file(target)
    try:
        with (
            closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as source,
            closing(sqlite3.connect(target)) as copy,
        ):
            source.backup(copy, pages=PAGES_IN_ONE_STEP)
            # One self-contained file: no -wal or -shm beside it to forget.
            copy.execute("PRAGMA journal_mode=DELETE")
            verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.Error as error:
        target.unlink(missing_ok=True)
        raise BackupError(f"The backup failed ({error}); nothing was kept.") from error
    if verdict != "ok":
        target.unlink(missing_ok=True)
        raise BackupError(f"The copy did not pass SQLite's check ({verdict}); nothing was kept.")
    return table_counts(target)


def restore(backup: Path, database: Path, *, force: bool) -> dict[str, int]:
    """Put the backup in place of the database; refuses to overwrite data unless forced.

    The bot must be stopped: the database is replaced underneath any open connection."""
    if not backup.exists():
        raise BackupError(f"There is no backup at {backup}.")
    try:
        with closing(sqlite3.connect(f"file:{backup}?mode=ro", uri=True)) as copy:
            verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{backup} is not a SQLite database ({error}).") from error
    if verdict != "ok":
        raise BackupError(f"{backup} did not pass SQLite's check ({verdict}): not restored.")
    if database.exists() and any(table_counts(database).values()) and not force:
        raise BackupError(
            f"{database} holds data already: stop the bot and add --force to replace it "
            "(make a backup of it first)."
        )
    make_owner_only_directory(database.parent)
    create_owner_only_file(database, exclusive=False)
    with (
        closing(sqlite3.connect(f"file:{backup}?mode=ro", uri=True)) as copy,
        closing(sqlite3.connect(database)) as live,
    ):
        copy.backup(live, pages=PAGES_IN_ONE_STEP)
    return table_counts(database)
