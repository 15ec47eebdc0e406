"""The process's one engine and session factory."""

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from db.backup import create_owner_only_file, make_owner_only_directory

# How long a SQLite write waits for another writer (the bot's own, under load, or another
# program) before it gives up. SQLite's waiting is not first come, first served: with 12
# updates writing at once on a busy machine, 5 s was seen to run out.
SQLITE_BUSY_TIMEOUT_SECONDS = 30.0


def create_engine(
    url: str,
    *,
    busy_timeout: float = SQLITE_BUSY_TIMEOUT_SECONDS,
    synchronous: str = "full",
) -> AsyncEngine:
    """An engine for the URL; SQLite files get WAL, foreign keys and a busy timeout.

    Parameters are never quoted, in logs or in error messages: they hold people's data."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_async_engine(url, pool_pre_ping=True, hide_parameters=True)
    if parsed.database and parsed.database != ":memory:":
        prepare_owner_only_database(Path(parsed.database))
    engine = create_async_engine(url, connect_args={"timeout": busy_timeout}, hide_parameters=True)
    event.listen(
        engine.sync_engine,
        "connect",
        lambda connection, _record: _configure_sqlite(connection, busy_timeout, synchronous),
    )
    return engine


class DataDirectoryError(Exception):
    """The SQLite file's folder cannot be made or written; the message is one line."""


def prepare_owner_only_database(path: Path) -> None:
    """Make the data folder (0700) and the database file (0600) before SQLite opens it.

    SQLite gives the -wal and -shm files the database file's mode, so they follow."""
    try:
        make_owner_only_directory(path.parent)
        create_owner_only_file(path, exclusive=False)
    except OSError as error:
        raise DataDirectoryError(
            f"The database cannot be written at {path} ({error.strerror or error}): "
            "check DATABASE_URL and that this user may write that folder."
        ) from error


def _configure_sqlite(dbapi_connection: Any, busy_timeout: float, synchronous: str) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the broadcast worker write while handlers read; foreign keys are off by default.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # FULL: each commit reaches the disk before the user is answered; NORMAL (in WAL): safe
    # when the process dies, but a power cut may undo the last commits.
    cursor.execute(f"PRAGMA synchronous={'NORMAL' if synchronous == 'normal' else 'FULL'}")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
    cursor.close()


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
