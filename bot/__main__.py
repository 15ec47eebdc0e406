"""Command line: `python -m bot run | shell | migrate | check | config-reference`."""

import argparse
import asyncio
import os
import sys
from pathlib import Path

from pydantic import ValidationError
from telegram import Update
from telegram.error import InvalidToken

from bot.application import build_application
from bot.config import Settings
from bot.config_reference import config_reference, update_config_reference
from bot.content.files import ContentError
from bot.content.loading import load_all_content
from bot.offline.shell import DEFAULT_PHONE, run_shell
from bot.privacy.log_masking import configure_logging
from db.engine import create_engine
from db.migrate import upgrade_database

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
    commands.add_parser("run", help="connect to Telegram and answer users (polling)")
    shell = commands.add_parser("shell", help="chat with the bot in this terminal, no Telegram")
    shell.add_argument("--user-id", type=int, default=1, help="the Telegram id you pretend to be")
    shell.add_argument("--language", default="id", help="your Telegram language code")
    shell.add_argument(
        "--phone", default=DEFAULT_PHONE, help="the number you share from a contact button"
    )
    commands.add_parser("migrate", help="apply database migrations and stop")
    commands.add_parser("check", help="validate the catalogue, FAQ and Sekolah Rakyat files")
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
    configure_logging("WARNING" if args.command == "shell" else settings.log_level)
    try:
        load_all_content(settings)
    except ContentError as error:
        print(error, file=sys.stderr)
        return 1
    if args.command == "run":
        return run(settings)
    if args.command == "shell":
        return asyncio.run(
            run_shell(settings, user_id=args.user_id, language=args.language, phone=args.phone)
        )
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
        # PTB stops cleanly on SIGINT, SIGTERM and SIGABRT, flushing persistence on the way out.
        application.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:
        # PTB's message quotes the token itself, so it must not reach a traceback or a log.
        print(REJECTED_TOKEN_HELP, file=sys.stderr)
        return 2
    return 0


async def migrate(settings: Settings) -> None:
    engine = create_engine(settings.database_url)
    await upgrade_database(engine)
    await engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
