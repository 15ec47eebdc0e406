"""Command line: `python -m bot run | shell | migrate | check | backup | restore |
copy-to-postgres | ...`."""

import argparse
import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from telegram.error import InvalidToken, NetworkError

from bot.application import VokasiApplication, build_application
from bot.config import Settings
from bot.config_reference import config_reference, update_config_reference
from bot.content.files import ContentError
from bot.content.loading import load_all_content
from bot.offline.shell import DEFAULT_PHONE, run_shell
from bot.operations.web import ServingError, listen, serve, wants_web_server
from bot.privacy.key_rotation import WrongDataKeyError, rotate_data_key
from bot.privacy.log_masking import configure_logging
from bot.privacy.vault import NikVault, load_data_key, read_or_create_key_file
from db.backup import BackupError, back_up, restore, sqlite_path
from db.engine import DataDirectoryError, create_engine, create_session_factory
from db.migrate import MigrationKeyError, upgrade_database
from db.models import utc_now
from db.transfer import CopyError, copy_database

NO_TOKEN_HELP = """\
No bot token is set, so the bot cannot connect to Telegram.

To get one: open Telegram, talk to @BotFather, send /newbot and follow the steps.
Then put the token in a file named .env in this folder (see .env.example):
    BOT_TOKEN=123456789:AA...
and run `make run` again.

To try the bot without a token, chat with it in this terminal:
    make shell
"""

REJECTED_TOKEN_HELP = """\
Telegram rejected the bot token in BOT_TOKEN. Check it for typos, or ask @BotFather for
the current one (/mybots, choose the bot, API Token) and put it in .env.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "run", help="connect to Telegram and answer users (polling, or a webhook with WEBHOOK_URL)"
    )
    shell = commands.add_parser("shell", help="chat with the bot in this terminal, no Telegram")
    shell.add_argument("--user-id", type=int, default=1, help="the Telegram id you pretend to be")
    shell.add_argument("--language", default="id", help="your Telegram language code")
    shell.add_argument(
        "--phone", default=DEFAULT_PHONE, help="the number you share from a contact button"
    )
    commands.add_parser("migrate", help="apply database migrations and stop")
    commands.add_parser("check", help="validate the catalogue, FAQ and Sekolah Rakyat files")
    rotate = commands.add_parser(
        "rotate-data-key",
        help="re-encrypt stored NIKs, phone numbers and children's names (and re-key hand-off "
        "blocks) with a new data key; stop the bot first",
    )
    rotate.add_argument(
        "--new-key-file",
        type=Path,
        required=True,
        help="the new Fernet key; made there (readable by you only) when the file is missing",
    )
    backup = commands.add_parser(
        "backup",
        help="copy the SQLite database to a new file (readable by you only) while the bot runs",
    )
    backup.add_argument("path", type=Path, help="the new file; an existing one is never reused")
    restoring = commands.add_parser(
        "restore", help="put a backup in place of the SQLite database; stop the bot first"
    )
    restoring.add_argument("path", type=Path, help="a file made by `backup`")
    restoring.add_argument(
        "--force", action="store_true", help="replace a database that holds data already"
    )
    copying = commands.add_parser(
        "copy-to-postgres",
        help="copy every table of the SQLite database into an empty PostgreSQL one; stop the "
        "bot first",
    )
    copying.add_argument("url", help="e.g. postgresql://vokasi:password@localhost:5432/vokasi")
    reference = commands.add_parser(
        "config-reference", help="print every setting with its default and what it does"
    )
    reference.add_argument(
        "--update", metavar="FILE", help="rewrite the reference between its markers in FILE"
    )
    args = parser.parse_args(argv)
    if args.command == "config-reference":
        # Needs no configuration: it documents it.
        if args.update:
            update_config_reference(Path(args.update))
        else:
            print(config_reference(), end="")
        return 0
    # PTB 22.2 deprecates durations as int seconds (RetryAfter.retry_after, which the broadcast
    # worker reads) and recommends opting in to timedelta, its only type from v23 on.
    os.environ.setdefault("PTB_TIMEDELTA", "true")

    try:
        settings = Settings()
    except ValidationError as error:
        print(f"The configuration is not valid:\n{error}", file=sys.stderr)
        return 2
    # The shell's conversation goes to stdout; only warnings should interrupt it.
    configure_logging(
        "WARNING" if args.command == "shell" else settings.log_level,
        sql_debug=settings.sql_debug,
        json_lines=settings.log_format == "json",
    )
    try:
        load_all_content(settings)
    except ContentError as error:
        print(error, file=sys.stderr)
        return 1
    try:
        return run_command(args, settings)
    except DataDirectoryError as error:
        # The operator must act (exit 2: systemd's unit does not restart in a loop).
        print(error, file=sys.stderr)
        return 2
    except (BackupError, CopyError, MigrationKeyError) as error:
        print(error, file=sys.stderr)
        return 1


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "run":
        return run(settings)
    if args.command == "backup":
        counts = back_up(sqlite_path(settings.database_url), args.path)
        print(f"Backed up to {args.path}: {describe_counts(counts)}.")
        return 0
    if args.command == "restore":
        database = sqlite_path(settings.database_url)
        counts = restore(args.path, database, force=args.force)
        # A backup from an older version is brought up to this version's schema.
        asyncio.run(migrate(settings))
        print(f"Restored {args.path} into {database}: {describe_counts(counts)}.")
        return 0
    if args.command == "copy-to-postgres":
        return asyncio.run(copy_to_postgres(settings, args.url))
    if args.command == "shell":
        return asyncio.run(
            run_shell(settings, user_id=args.user_id, language=args.language, phone=args.phone)
        )
    if args.command == "rotate-data-key":
        return asyncio.run(rotate_key(settings, args.new_key_file))
    if args.command == "migrate":
        asyncio.run(migrate(settings))
        print("The database is up to date.")
    return 0


def run(settings: Settings) -> int:
    if settings.bot_token is None:
        print(NO_TOKEN_HELP, file=sys.stderr)
        return 2
    application = build_application(settings)
    try:
        listener = listen(settings) if wants_web_server(settings) else None
        asyncio.run(serve_until_signalled(application, settings, listener))
    except InvalidToken:
        # PTB's message quotes the token itself, so it must not reach a traceback or a log.
        print(REJECTED_TOKEN_HELP, file=sys.stderr)
        return 2
    except NetworkError as error:
        # Raised here only while starting: once running, PTB retries on its own.
        print(
            f"Cannot reach the Telegram Bot API at {settings.bot_api_base_url} ({error.message}). "
            "Check the server's internet connection, its proxy (HTTPS_PROXY) or BOT_API_BASE_URL.",
            file=sys.stderr,
        )
        return 1
    except ServingError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


async def serve_until_signalled(
    application: VokasiApplication, settings: Settings, listener: socket.socket | None
) -> None:
    """Stops cleanly on SIGINT and SIGTERM, flushing persistence on the way out."""
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stopping.set)
    await serve(application, settings, stopping, listener)


async def rotate_key(settings: Settings, new_key_file: Path) -> int:
    current_key, new_key = load_data_key(settings), read_or_create_key_file(new_key_file)
    if new_key == current_key:
        print(f"{new_key_file} holds the key in use already: nothing to do.", file=sys.stderr)
        return 2
    engine = create_engine(settings.database_url)
    current = NikVault(current_key)
    try:
        await upgrade_database(engine, current)
        async with create_session_factory(engine)() as session, session.begin():
            report = await rotate_data_key(session, current=current, new=NikVault(new_key))
    except WrongDataKeyError as error:
        print(
            f"A stored value ({error}) does not open with the current key: nothing was "
            "changed. Is DATA_KEY (or DATA_KEY_FILE) the key this database was made with?",
            file=sys.stderr,
        )
        return 1
    finally:
        await engine.dispose()
    print(
        f"Re-encrypted {report.niks} NIKs, {report.phones} phone numbers and "
        f"{report.child_names} children's names, and re-keyed {report.blocks_carried} hand-off "
        f"blocks with the key in {new_key_file}."
    )
    if report.blocks_dropped:
        print(
            f"{report.blocks_dropped} blocks of people who have deleted their data could not "
            "be carried over (their ids are not kept) and were lifted."
        )
    if settings.data_key is None:
        retired = settings.data_key_file.with_name(
            f"{settings.data_key_file.name}.retired-{utc_now():%Y%m%d%H%M%S}"
        )
        settings.data_key_file.rename(retired)
        new_key_file.rename(settings.data_key_file)
        print(
            f"{settings.data_key_file} now holds the new key; the old one is in {retired}: "
            "keep it with the backups made before today, they need it."
        )
    else:
        print(
            f"Now put the key in {new_key_file} into DATA_KEY and start the bot. Keep the old "
            "key with the backups made before today, they need it."
        )
    return 0


async def copy_to_postgres(settings: Settings, url: str) -> int:
    target_url = make_url(url)
    if target_url.get_backend_name() != "postgresql":
        print(
            f"{target_url.get_backend_name()} is not PostgreSQL: give a postgresql:// URL.",
            file=sys.stderr,
        )
        return 2
    sqlite_path(settings.database_url)  # the source must be the SQLite deployment
    target_url = target_url.set(drivername="postgresql+asyncpg")
    source, target = create_engine(settings.database_url), create_engine(str(target_url))
    try:
        counts = await copy_database(source, target, NikVault(load_data_key(settings)))
    except (OSError, DBAPIError) as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        print(f"Cannot use {target_url.render_as_string()}: {reason}", file=sys.stderr)
        return 1
    finally:
        await source.dispose()
        await target.dispose()
    print(
        f"Copied {describe_counts(counts)} into {target_url.render_as_string()}; every table "
        "holds as many rows as the SQLite file.\nNow set DATABASE_URL to that URL with "
        "postgresql+asyncpg:// (keep DATA_KEY as it is: the copy is still encrypted with it) "
        "and start the bot."
    )
    return 0


def describe_counts(counts: dict[str, int]) -> str:
    rows = ", ".join(f"{table} {count}" for table, count in counts.items() if count)
    return f"{sum(counts.values())} rows in {len(counts)} tables ({rows or 'all empty'})"


async def migrate(settings: Settings) -> None:
    """Migrate with the data key, which a migration needs to encrypt values stored plain."""
    engine = create_engine(settings.database_url)
    try:
        await upgrade_database(engine, NikVault(load_data_key(settings)))
    finally:
        await engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
