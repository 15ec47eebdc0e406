"""Copying a whole deployment from one database to another: SQLite into PostgreSQL when a
centre outgrows the embedded file, and back again if it ever needs to.

The target is migrated first and must hold no data; every table is copied in foreign-key order
in one transaction, PostgreSQL's id sequences are moved past the copied ids, and the copy is
kept only if every table holds as many rows as the source.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Integer, Table, func, insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from db.migrate import Cipher, upgrade_database
from db.models import Base

ROWS_PER_BATCH = 1_000


class CopyError(Exception):
    """A copy that cannot go ahead or did not add up; the message is one line."""


async def copy_database(
    source: AsyncEngine, target: AsyncEngine, cipher: Cipher | None = None
) -> dict[str, int]:
    """Copy every table; returns the rows per table, equal in both databases. `cipher` (the
    data key) lets an older source be migrated first, encrypting what it stored plain."""
    await upgrade_database(source, cipher)
    await upgrade_database(target, cipher)
    tables = Base.metadata.sorted_tables
    async with source.connect() as reading, target.begin() as writing:
        holding = [table.name for table in tables if await count_rows(writing, table)]
        if holding:
            raise CopyError(
                f"The target database already holds data ({', '.join(holding)}): copy only into "
                "an empty one, so nothing there is mixed with or overwritten by the copy."
            )
        for table in tables:
            await copy_table(reading, writing, table)
        if writing.dialect.name == "postgresql":
            await move_sequences_past_copied_ids(writing, tables)
        counts = {table.name: await count_rows(reading, table) for table in tables}
        copied = {table.name: await count_rows(writing, table) for table in tables}
        if copied != counts:
            differing = [name for name in counts if copied[name] != counts[name]]
            # Leaving the block with an exception rolls the whole copy back.
            raise CopyError(
                f"The copy does not add up in {', '.join(differing)}; nothing was kept. Was the "
                "bot still running? Stop it and copy again."
            )
    return counts


async def count_rows(connection: AsyncConnection, table: Table) -> int:
    return (await connection.execute(select(func.count()).select_from(table))).scalar_one()


async def copy_table(reading: AsyncConnection, writing: AsyncConnection, table: Table) -> None:
    aware = [column.name for column in table.columns if is_aware_datetime(column.type)]
    result = await reading.stream(select(table))
    async for rows in result.mappings().partitions(ROWS_PER_BATCH):
        batch = [with_utc(dict(row), aware) for row in rows]
        try:
            await writing.execute(insert(table), batch)
        except DBAPIError as error:
            reason = str(error.orig).splitlines()[0] if error.orig else type(error).__name__
            raise CopyError(f"Table {table.name} could not be copied: {reason}") from error


def is_aware_datetime(column_type: Any) -> bool:
    return isinstance(column_type, DateTime) and bool(column_type.timezone)


def with_utc(row: dict[str, Any], columns: list[str]) -> dict[str, Any]:
    """SQLite keeps times without their zone; every time the bot stores is UTC."""
    for name in columns:
        value = row[name]
        if isinstance(value, datetime) and value.tzinfo is None:
            row[name] = value.replace(tzinfo=UTC)
    return row


async def move_sequences_past_copied_ids(writing: AsyncConnection, tables: list[Table]) -> None:
    """Rows were inserted with their ids, so the next id the sequence hands out must follow."""
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        quote = writing.dialect.identifier_preparer.quote
        name, key = quote(table.name), quote(keys[0].name)
        # pg_get_serial_sequence is NULL for keys without a sequence (Telegram's user ids),
        # and setval of NULL does nothing.
        await writing.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :key), COALESCE(MAX({key}), 1), "
                f"MAX({key}) IS NOT NULL) FROM {name}"
            ),
            {"table": name, "key": keys[0].name},
        )
