"""Phone numbers and children's first names at rest: the database holds them only encrypted (a
phone also masked), while the person, /mydata and its file still show them in full, and a
database an older release wrote in plain text is encrypted when the bot starts or migrates."""

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from bot.config import Settings
from bot.offline.offline_bot import OfflineBot, offline_bot
from bot.offline.standin import TelegramStandIn
from bot.privacy.vault import NikVault, load_data_key
from db.engine import create_engine
from tests.db.test_migrations import CHILD, NIK, PARENT_PHONE, PHONE, seed_plain_contact_data
from tests.registration.test_registration import fill_until_summary, open_welding
from tests.school.test_interest import TEXTS, fill_child, open_form

ROOT = Path(__file__).resolve().parents[2]
# The registration's number as typed (0812 3456 7890) and the parent's, without the +62 the
# bot adds: neither may appear anywhere in the database, in any form.
REGISTRATION_DIGITS, PARENT_DIGITS = "81234567890", "81377778888"
CHILDREN = ("Kirana", "Bagaskara")


async def everything_stored(database_url: str) -> str:
    """Every value of every table, read with plain SQL as anyone holding the database would."""
    engine = create_engine(database_url)
    values = []
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        for table in tables:
            for row in await connection.execute(text(f'SELECT * FROM "{table}"')):
                values.extend(str(value) for value in row)
    await engine.dispose()
    return "\n".join(values)


def sqlite_file_bytes(database_url: str) -> bytes:
    """The SQLite file with its write-ahead log, where recent pages are before a checkpoint."""
    database = Path(make_url(database_url).database or "")
    files = [database, database.with_name(database.name + "-wal")]
    return b"".join(path.read_bytes() for path in files if path.exists())


async def register_and_ask_for_school(bot: OfflineBot) -> None:
    """One person registers for Welding and sends a Sekolah Rakyat request for two children."""
    t = TEXTS["id"]
    user = bot.user(701, language_code="id")
    await open_welding(user)
    await fill_until_summary(user)
    await user.tap("✅ Kirim pendaftaranku")
    assert "Kode pendaftaranmu" in user.last_reply.plain_text
    await open_form(user)
    await user.tap(t["agree"])
    await user.send("Siti Aminah")
    await user.tap(t["mother"])
    await user.tap("Kota Serang")
    await user.send("0813 7777 8888")
    assert user.replies[0].plain_text == "✅ Nomor disimpan: +62813*****888"
    await fill_child(user, t, CHILDREN[0], "9", "sd")
    await user.tap(t["more_yes"])
    await fill_child(user, t, CHILDREN[1], "13", "smp")
    await user.tap(t["more_no"])
    await user.tap(t["dtsen_unknown"])
    summary = user.last_reply.plain_text
    assert "Nomor HP: +62813*****888" in summary
    assert f"• {CHILDREN[0]} (9, SD)\n• {CHILDREN[1]} (13, SMP)" in summary
    await user.tap(t["send"])
    assert "SR-" in user.last_reply.plain_text


async def test_the_database_holds_no_plain_phone_or_child_name(
    bot: OfflineBot, database_url: str
) -> None:
    await register_and_ask_for_school(bot)

    stored = await everything_stored(database_url)
    assert "+62812*****890" in stored and "+62813*****888" in stored  # the masked copies
    for secret in (REGISTRATION_DIGITS, PARENT_DIGITS, *CHILDREN):
        assert secret not in stored, secret
    if database_url.startswith("sqlite"):
        raw = sqlite_file_bytes(database_url)
        assert b"+62812*****890" in raw
        for secret in (REGISTRATION_DIGITS, PARENT_DIGITS, *CHILDREN):
            assert secret.encode() not in raw, secret
    # Staff see the children's names in the request's notice, and the parent's number masked.
    notice = bot.standin.history(-1001234567890)[-1].plain_text
    assert f"{CHILDREN[0]} (9, SD), {CHILDREN[1]} (13, SMP)" in notice
    assert "+62813*****888" in notice and PARENT_DIGITS not in notice


async def test_the_owner_sees_their_numbers_and_children_in_full(bot: OfflineBot) -> None:
    await register_and_ask_for_school(bot)
    user = bot.user(701, language_code="id")

    await user.send("/mydata")
    shown = user.last_reply.plain_text
    assert "HP +6281234567890" in shown and "HP +6281377778888" in shown
    assert f"anak: {CHILDREN[0]} (9, SD), {CHILDREN[1]} (13, SMP)" in shown
    await user.tap("📄 Kirim sebagai file")
    _, content = user.last_reply.document
    data = json.loads(content)
    assert data["registrations"][0]["phone"] == "+6281234567890"
    [interest] = data["school_interests"]
    assert interest["phone"] == "+6281377778888"
    assert [child["first_name"] for child in interest["children"]] == list(CHILDREN)
    assert "encrypted" not in content.decode()  # no token is handed out as if it were data


async def test_a_typed_phone_correction_is_stored_encrypted_too(
    bot: OfflineBot, database_url: str
) -> None:
    await register_and_ask_for_school(bot)
    user = bot.user(701, language_code="id")
    await user.send("/mydata")
    await user.tap("✏️ Perbaiki dataku")
    await user.tap("Nomor HP")
    await user.send("0857 1111 2222")
    assert user.last_reply.plain_text == "✅ Sudah diperbaiki."

    stored = await everything_stored(database_url)
    assert "85711112222" not in stored and "+62857*****222" in stored
    await user.send("/mydata")
    assert user.last_reply.plain_text.count("HP +6285711112222") == 2


async def seed_old_database(settings: Settings) -> None:
    """What an older release left: plain phones and a child's name; the NIK under the key."""
    engine = create_engine(settings.database_url)
    token = NikVault(load_data_key(settings)).encrypt(NIK)
    async with engine.begin() as connection:
        await connection.run_sync(seed_plain_contact_data, token)
    await engine.dispose()


async def test_starting_the_bot_encrypts_what_an_older_release_stored_plain(
    settings: Settings,
) -> None:
    await seed_old_database(settings)

    async with offline_bot(settings, TelegramStandIn()) as bot:
        stored = await everything_stored(settings.database_url)
        user = bot.user(42, language_code="id")
        await user.send("/mydata")
        shown = user.last_reply.plain_text

    for secret in (PHONE, PARENT_PHONE, CHILD):
        assert secret not in stored, secret
    assert f"HP {PHONE}" in shown and f"HP {PARENT_PHONE}" in shown
    assert f"anak: {CHILD} (9, SD)" in shown


def test_python_m_bot_migrate_encrypts_with_the_data_key(settings: Settings) -> None:
    asyncio.run(seed_old_database(settings))
    environment = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "DATA_KEY_FILE": str(settings.data_key_file),
        "PYTHONPATH": str(ROOT),
    }
    environment.pop("DATA_KEY", None)

    result = subprocess.run(
        [sys.executable, "-m", "bot", "migrate"],
        cwd=settings.data_key_file.parent,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert "The database is up to date." in result.stdout
    stored = asyncio.run(everything_stored(settings.database_url))
    for secret in (PHONE, PARENT_PHONE, CHILD):
        assert secret not in stored, secret
    assert "+62812*****890" in stored
