"""Apply Alembic migrations from code, inside or outside a running event loop."""

from pathlib import Path
from typing import Protocol

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Where a migration that encrypts or decrypts stored values finds the data key's cipher.
CIPHER = "cipher"


class Cipher(Protocol):
    """The data key as a migration uses it (bot.privacy.vault.NikVault is one)."""

    def encrypt(self, value: str) -> str: ...

    def decrypt(self, token: str) -> str: ...


class MigrationKeyError(Exception):
    """A migration must encrypt or decrypt stored values and has no key, or not this
    database's; nothing was changed. The message is one line."""


def alembic_config(cipher: Cipher | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes[CIPHER] = cipher
    return config


async def upgrade_database(engine: AsyncEngine, cipher: Cipher | None = None) -> None:
    """Bring the schema to the newest migration; the transaction is this function's own.

    Without `cipher`, a migration that finds values to encrypt stops with MigrationKeyError."""
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade_on, alembic_config(cipher))


def _upgrade_on(connection: Connection, config: Config) -> None:
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def schema_revision(session: AsyncSession) -> str | None:
    """The migration the database is at: reading it proves the database answers."""
    result = await session.execute(text("SELECT version_num FROM alembic_version"))
    return result.scalar_one_or_none()
