"""A bot process killed with SIGKILL halfway through a crowd's registration (run by
bench.conversation, one process per persistence).

Usage: python -m bench.sigkill_probe DATABASE_URL (ours|pickle) FOLDER PEOPLE

PEOPLE people go through eligibility and registration at once, flat out. Once half of all
their updates are handled, nobody sends another: the updates already sent finish, the forms
conversation's state in memory (what every person was last told) is printed as
`MEMORY <json>`, and the process kills itself with SIGKILL, as the OOM killer or a power cut
would: no shutdown, no last flush. The bench then starts the bot again on what is on disk.
"""

import asyncio
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

from telegram.ext import PersistenceInput, PicklePersistence

from bench.conversation import TimedUpdates, forms_handler, one_person, settings_for
from bot.application import build_application
from bot.offline.offline_bot import OfflineBot
from bot.offline.standin import TelegramStandIn


def pickle_persistence(folder: Path) -> PicklePersistence:  # type: ignore[type-arg]
    """PTB's own, as a bot would use it: its default update interval (60 s)."""
    return PicklePersistence(
        folder / "bot.pickle", store_data=PersistenceInput(bot_data=False, callback_data=False)
    )


def conversations_as_json(conversations: dict[Any, object]) -> list[list[object]]:
    return sorted([list(key), state] for key, state in conversations.items())


async def main(database_url: str, kind: str, folder: str, people: str) -> None:
    # The bench restarts the bot with the same key (DATA_KEY), as a real restart would.
    settings = settings_for(database_url, 0.0, os.environ["DATA_KEY"])
    standin = TelegramStandIn()
    processor = TimedUpdates(settings.concurrent_updates)
    persistence = pickle_persistence(Path(folder)) if kind == "pickle" else None
    application = build_application(
        settings, request=standin, update_processor=processor, persistence=persistence
    )
    await application.initialize()
    await application.start()
    bot = OfflineBot(application, standin)
    count = int(people)
    latencies: list[float] = []
    halfway, go_on = asyncio.Event(), asyncio.Event()
    go_on.set()
    crowd = [
        asyncio.create_task(
            one_person(bot, processor, n, latencies, halfway, count, False, gate=go_on)
        )
        for n in range(count)
    ]
    await halfway.wait()
    go_on.clear()  # nobody sends another update ...
    while processor.finished:  # ... and those already sent are handled
        await asyncio.sleep(0.01)
    memory = conversations_as_json(forms_handler(application)._conversations)  # noqa: SLF001
    print("MEMORY", json.dumps(memory), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
    await asyncio.gather(*crowd)  # not reached


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))
