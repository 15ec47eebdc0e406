"""INSERT ... ON CONFLICT DO UPDATE (or DO NOTHING) for SQLite and PostgreSQL alike.

`session.merge` reads, then inserts or updates: two transactions writing the same new key at
once (a handler committing its form step while PTB's persistence flush saves the same
conversation) make the second insert fail. An upsert cannot.
"""

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


async def upsert(
    session: AsyncSession, table: Table, *, keys: dict[str, Any], values: dict[str, Any]
) -> None:
    """Insert the row with these key columns, or update its values if it exists."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table).values(**keys, **values)
    await session.execute(statement.on_conflict_do_update(index_elements=list(keys), set_=values))


async def insert_or_skip(session: AsyncSession, table: Table, *, values: dict[str, Any]) -> bool:
    """Insert the row unless one with its key exists (a concurrent writer's, say); True if
    this one went in. The database decides, so two writers at once never both win."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    key = next(iter(table.primary_key.columns))
    statement = insert(table).values(**values).on_conflict_do_nothing().returning(key)
    return (await session.execute(statement)).first() is not None
