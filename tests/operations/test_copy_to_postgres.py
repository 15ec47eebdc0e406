"""`python -m bot copy-to-postgres URL`: a SQLite deployment moves to PostgreSQL and its people
carry on there; the copy goes back to SQLite row for row.

Runs in the PostgreSQL half of the suite (it needs the test server as the target).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.offline.offline_bot import offline_bot
from db.engine import create_engine
from db.models import Base
from db.transfer import copy_database
from tests.factories import add_applicant
from tests.registration.test_registration import fill_until_summary, open_welding

ROOT = Path(__file__).resolve().parents[2]
CODE = re.compile(r"SRG-\d{4}-\d{6}")


@pytest.fixture
def postgres(postgres_url: str | None, database_url: str) -> str:
    if postgres_url is None:
        pytest.skip("needs the PostgreSQL test server: runs in the suite's PostgreSQL half")
    return postgres_url  # database_url has emptied it


def copy_command(url: str, settings: Settings) -> subprocess.CompletedProcess[str]:
    settings_keys = {name.upper() for name in Settings.model_fields}
    environment = {k: v for k, v in os.environ.items() if k.upper() not in settings_keys}
    environment.update(
        DATABASE_URL=settings.database_url,
        DATA_KEY_FILE=str(settings.data_key_file),
        PYTHONPATH=str(ROOT),
        LOG_LEVEL="WARNING",
    )
    return subprocess.run(
        [sys.executable, "-m", "bot", "copy-to-postgres", url],
        cwd=settings.data_key_file.parent,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def every_row(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Each table's rows in key order, times as UTC (SQLite keeps them without a zone)."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            rows = {}
            for table in Base.metadata.sorted_tables:
                query = select(table).order_by(*table.primary_key.columns)
                result = await connection.execute(query)
                rows[table.name] = [tuple(as_utc(value) for value in row) for row in result]
            return rows
    finally:
        await engine.dispose()


def as_utc(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


async def test_a_sqlite_deployment_moves_to_postgresql_and_people_carry_on(
    settings: Settings, postgres: str, tmp_path: Path
) -> None:
    on_sqlite = settings.model_copy(
        update={"database_url": f"sqlite+aiosqlite:///{tmp_path / 'data' / 'vokasi.db'}"}
    )
    async with offline_bot(on_sqlite) as bot:
        siti = bot.user(806, language_code="id")
        await open_welding(siti)
        await fill_until_summary(siti)
        await siti.tap("✅ Kirim pendaftaranku")
        code = CODE.search(siti.last_reply.plain_text).group(0)
        for number in range(2, 27):  # 1 would be Siti's NIK
            await add_applicant(bot, number=number)
        halfway = bot.user(807, language_code="id")
        await open_welding(halfway)
        await halfway.tap("✅ Saya setuju")
        await halfway.send("Budi Santoso")  # drops off at the NIK question
    before = await every_row(on_sqlite.database_url)

    copied = copy_command(postgres, on_sqlite)
    assert copied.returncode == 0, copied.stderr
    rows = sum(len(table) for table in before.values())
    assert f"Copied {rows} rows in {len(before)} tables" in copied.stdout
    assert "every table holds as many rows as the SQLite file" in copied.stdout

    again = copy_command(postgres, on_sqlite)
    assert again.returncode == 1
    assert again.stderr.startswith("The target database already holds data (")
    assert len(again.stderr.strip().splitlines()) == 1  # one line, no traceback

    # The round trip: PostgreSQL back into a new SQLite file, row for row.
    back_url = f"sqlite+aiosqlite:///{tmp_path / 'back' / 'vokasi.db'}"
    on_postgres_url = postgres.replace("postgresql://", "postgresql+asyncpg://", 1)
    source, target = create_engine(on_postgres_url), create_engine(back_url)
    try:
        counts = await copy_database(source, target)
    finally:
        await source.dispose()
        await target.dispose()
    assert counts == {name: len(table) for name, table in before.items()}
    assert await every_row(back_url) == before
    assert await every_row(on_postgres_url) == before

    on_postgres = settings.model_copy(update={"database_url": on_postgres_url})
    async with offline_bot(on_postgres) as bot:
        siti = bot.user(806, language_code="id")
        await siti.send("/status")
        assert code in siti.last_reply.plain_text
        halfway = bot.user(807, language_code="id")
        await halfway.send("/start")
        await halfway.tap("▶️ Lanjutkan pendaftaran")
        assert "Berapa NIK-mu?" in halfway.last_reply.plain_text  # where they left off
        await halfway.send("3673011506990002")
        await halfway.tap("✅ Ya, benar")
        await halfway.send("0813 1111 2222")
        await halfway.tap("SMA / SMK / MA")
        await halfway.tap("🔎 Mencari kerja")
        await halfway.tap("Kota Serang")
        await halfway.tap("Lewati")
        await halfway.tap("✅ Kirim pendaftaranku")
        # New rows get new ids after the copied ones: the registration goes through.
        assert halfway.last_reply.plain_text.startswith("✅ Pendaftaran diterima.")
        assert CODE.search(halfway.last_reply.plain_text).group(0) != code
