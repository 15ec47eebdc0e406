"""Apply Alembic migrations from code, inside or outside a running event loop."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


async def upgrade_database(engine: AsyncEngine) -> None:
    """Bring the schema to the newest migration; the transaction is this function's own."""
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade_on, alembic_config())


def _upgrade_on(connection: Connection, config: Config) -> None:
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def schema_revision(session: AsyncSession) -> str | None:
    """The migration the database is at: reading it proves the database answers."""
    result = await session.execute(text("SELECT version_num FROM alembic_version"))
    return result.scalar_one_or_none()
