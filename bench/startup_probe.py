"""One measured start-up, in a fresh process so memory is its own: prints JSON.

python -m bench.startup_probe sql DATABASE_URL | pickle PICKLE_PATH
"""

import asyncio
import json
import sys
import time

from telegram.ext import Application, ConversationHandler, PicklePersistence

from bench.process_memory import peak_rss_mib
from bot.application import build_application
from bot.config import Settings
from bot.forms.conversation import FORMS
from bot.offline.standin import TelegramStandIn


def mid_form_conversation() -> ConversationHandler:  # type: ignore[type-arg]
    """PTB's bare Application has no forms conversation: one of that name, so it loads them."""
    return ConversationHandler(
        entry_points=[], states={}, fallbacks=[], name=FORMS, persistent=True
    )


async def start_sql(database_url: str) -> float:
    settings = Settings(_env_file=None, database_url=database_url)  # type: ignore[call-arg]
    started = time.perf_counter()
    application = build_application(settings, request=TelegramStandIn())
    await application.initialize()
    elapsed = time.perf_counter() - started
    await application.shutdown()
    return elapsed


async def start_pickle(path: str) -> float:
    started = time.perf_counter()
    application = (
        Application.builder()
        .token("1:standin")
        .request(TelegramStandIn())
        .persistence(PicklePersistence(path))
        .build()
    )
    application.add_handler(mid_form_conversation())
    await application.initialize()
    elapsed = time.perf_counter() - started
    await application.shutdown()
    return elapsed


def main() -> None:
    kind, target = sys.argv[1], sys.argv[2]
    baseline = peak_rss_mib()
    seconds = asyncio.run(start_sql(target) if kind == "sql" else start_pickle(target))
    print(json.dumps({"seconds": seconds, "rss_mib": peak_rss_mib(), "import_rss_mib": baseline}))


if __name__ == "__main__":
    main()
