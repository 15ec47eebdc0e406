"""Rotating the data key: `python -m bot rotate-data-key` moves every keyed value to the new
key, all or nothing, and the bot started on the new key still reads and matches them."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select

from bot.config import Settings
from bot.offline.offline_bot import offline_bot
from bot.privacy.contact_data import child_name_of, phone_of
from bot.privacy.vault import NikVault
from db.handoff_blocks import add_handoff_block, is_handoff_blocked
from db.models import Registration, SchoolInterest, SchoolInterestChild
from db.registrations import list_registrations_with_nik
from tests.factories import add_applicant, add_school_interest

ROOT = Path(__file__).resolve().parents[2]
PARENT = "+6281399990000"


def rotate(settings: Settings, new_key_file: Path) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "DATA_KEY_FILE": str(settings.data_key_file),
        "PYTHONPATH": str(ROOT),
    }
    environment.pop("DATA_KEY", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", "rotate-data-key", "--new-key-file", str(new_key_file)],
        cwd=new_key_file.parent,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_rotation_re_encrypts_every_nik_and_keeps_blocks(
    settings: Settings, tmp_path: Path
) -> None:
    async with offline_bot(settings) as bot:
        for number in (1, 2, 3):
            await add_applicant(bot, number=number)
        await add_school_interest(bot, user_id=60_001, phone=PARENT, children=["Ani", "Budi"])
        services = bot.application.bot_data["services"]
        old_vault = services.vault
        async with services.session_factory() as session, session.begin():
            await add_handoff_block(session, old_vault.user_code(50_002), blocked_by=1)
            # Someone blocked who then deleted their data: only the code is left.
            await add_handoff_block(session, old_vault.user_code(77_777), blocked_by=None)
    old_key = settings.data_key_file.read_bytes()

    result = rotate(settings, tmp_path / "new.key")

    assert result.returncode == 0, result.stderr
    assert (
        "Re-encrypted 3 NIKs, 4 phone numbers and 2 children's names, and re-keyed 1 hand-off "
        "blocks" in result.stdout
    )
    assert "1 blocks of people who have deleted their data" in result.stdout
    new_key = settings.data_key_file.read_bytes()
    assert new_key != old_key
    assert stat.S_IMODE(settings.data_key_file.stat().st_mode) == 0o600
    retired = list(tmp_path.glob("data.key.retired-*"))
    assert [path.read_bytes() for path in retired] == [old_key]
    async with offline_bot(settings) as bot:
        services = bot.application.bot_data["services"]
        new_vault = services.vault
        async with services.session_factory() as session:
            rows = await list_registrations_with_nik(session)
            niks = sorted(new_vault.decrypt(row.nik_encrypted or "") for row in rows)
            assert niks == [f"367301520304{n:04d}" for n in (1, 2, 3)]
            assert all(
                row.nik_hash == new_vault.fingerprint(new_vault.decrypt(row.nik_encrypted or ""))
                for row in rows
            )
            assert await is_handoff_blocked(session, new_vault.user_code(50_002))
            assert not await is_handoff_blocked(session, new_vault.user_code(50_001))
            registrations = (await session.scalars(select(Registration))).all()
            interest = (await session.scalars(select(SchoolInterest))).one()
            children = (await session.scalars(select(SchoolInterestChild))).all()
    assert sorted(phone_of(new_vault, row) for row in registrations) == [
        f"+628123456{n:04d}" for n in (1, 2, 3)
    ]
    assert phone_of(new_vault, interest) == PARENT
    assert [child_name_of(new_vault, child) for child in children] == ["Ani", "Budi"]
    # The old key opens none of them any more.
    retired_vault = NikVault(old_key)
    for row in [*registrations, interest]:
        with pytest.raises(InvalidToken):
            phone_of(retired_vault, row)
    for child in children:
        with pytest.raises(InvalidToken):
            child_name_of(retired_vault, child)


async def test_a_wrong_current_key_changes_nothing(settings: Settings, tmp_path: Path) -> None:
    async with offline_bot(settings) as bot:
        await add_applicant(bot, number=1)
    stored_key = settings.data_key_file.read_bytes()
    settings.data_key_file.write_bytes(Fernet.generate_key())  # not the key the NIK was made with

    result = rotate(settings, tmp_path / "new.key")

    assert result.returncode == 1
    assert "does not open with the current key: nothing was changed" in result.stderr
    assert "Traceback" not in result.stderr
    settings.data_key_file.write_bytes(stored_key)
    async with offline_bot(settings) as bot:
        services = bot.application.bot_data["services"]
        async with services.session_factory() as session:
            (row,) = await list_registrations_with_nik(session)
            assert NikVault(stored_key).decrypt(row.nik_encrypted or "") == "3673015203040001"
