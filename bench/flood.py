"""One chat floods while others write: how long the others wait for their answer.

The real Application and handlers on a fresh SQLite file, fed through the update queue as
polling or a webhook feeds it, with the stand-in taking --latency-ms (default 100) before it
answers each sendMessage, as Telegram does from a real server. Three configurations, each run
twice (quiet, then during a flood) in this one process:
- sequential: PTB's default, one update at a time (how the bot ran before);
- per chat: different chats at once, one chat's in order (CONCURRENT_UPDATES), no flood control;
- per chat + flood control: the default configuration (FLOOD_BURST, FLOOD_RATE).
"Quiet" is --others people sending /start at the same moment, like a tap after an announcement;
"flood" is the same right after one account queued --flood messages. Both again with the flood
and the others' arrivals spread over 10 s (a sustained flood, people arriving at a tapping
pace), so the others arrive while the flood goes on. Each person's latency runs from their
update entering the queue to the stand-in answering the bot's reply.
"""

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cryptography.fernet import Fernet
from telegram.ext import BaseUpdateProcessor, SimpleUpdateProcessor

from bot.application import build_application
from bot.config import Settings
from bot.offline.offline_bot import OfflineBot
from bot.offline.standin import TelegramStandIn

FLOODER = 1
FIRST_OTHER = 1000
Scheduler = Callable[[Settings], BaseUpdateProcessor | None]
CONFIGURATIONS: dict[str, tuple[Scheduler, bool]] = {
    "sequential": (lambda settings: SimpleUpdateProcessor(1), False),
    "per chat": (lambda settings: None, False),
    "per chat + flood control": (lambda settings: None, True),
}


def settings_for(folder: Path, flood_control: bool) -> Settings:
    limits = {} if flood_control else {"flood_burst": 10_000_000}
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{folder / 'flood.db'}",
        data_key=Fernet.generate_key().decode(),
        **limits,
    )


def replied_at(standin: TelegramStandIn, chat_id: int) -> float | None:
    for call in standin.calls_to("sendMessage"):
        if int(call.params["chat_id"]) == chat_id and call.answered_at is not None:
            return call.answered_at
    return None


async def measure(
    folder: Path,
    scheduler: Scheduler,
    flood_control: bool,
    *,
    flood: int,
    others: int,
    latency: float,
    spread: float = 0.0,
) -> dict[str, float]:
    """spread 0: the flood is queued, then the others all at once; spread > 0: the flood and
    the others' arrivals are both spread evenly over that many seconds."""
    settings = settings_for(folder, flood_control)
    standin = TelegramStandIn()
    standin.add_latency("sendMessage", latency)
    application = build_application(
        settings, request=standin, update_processor=scheduler(settings)
    )
    await application.initialize()
    await application.start()
    try:
        bot = OfflineBot(application, standin)
        flooder = bot.user(FLOODER)
        people = [bot.user(FIRST_OTHER + n) for n in range(others)]
        sent_at: dict[int, float] = {}

        async def flooding() -> None:
            for _ in range(flood):
                await flooder.send_through_queue("/start")
                if spread:
                    await asyncio.sleep(spread / flood)

        async def others_arriving() -> None:
            for person in people:
                sent_at[person.chat_id] = time.monotonic()
                await person.send_through_queue("/start")
                if spread:
                    await asyncio.sleep(spread / others)

        if spread:
            await asyncio.gather(flooding(), others_arriving())
        else:
            await flooding()
            await others_arriving()
        await standin.wait_until(
            lambda: all(replied_at(standin, p.chat_id) is not None for p in people)
        )
        flooder_replies = len(standin.history(FLOODER))
        waits = sorted(replied_at(standin, chat) - sent for chat, sent in sent_at.items())
        if flood_control:
            # Turned away cheaply: the rest of the flood is worked off in moments.
            await application.update_queue.join()
        flooder_total = len(standin.history(FLOODER))
    finally:
        # Updates still queued (a flood being worked off) are dropped, as at a restart.
        await application.stop()
        await application.shutdown()
    centiles = statistics.quantiles(waits, n=100, method="inclusive")
    return {
        "p50_ms": centiles[49] * 1000,
        "p99_ms": centiles[98] * 1000,
        "max_ms": waits[-1] * 1000,
        "flooder_replies": flooder_replies,
        "flooder_total": flooder_total,
    }


ARRIVALS = {"at once": 0.0, "over 10 s": 10.0}


async def run(
    flood: int, others: int, latency: float
) -> dict[str, dict[str, dict[str, dict[str, float]]]]:
    """arrival -> configuration -> quiet/flood -> figures."""
    results: dict[str, dict[str, dict[str, dict[str, float]]]] = {}
    for arrival, spread in ARRIVALS.items():
        results[arrival] = {}
        for name, (scheduler, flood_control) in CONFIGURATIONS.items():
            results[arrival][name] = {}
            for label, messages in (("quiet", 0), ("flood", flood)):
                with tempfile.TemporaryDirectory() as folder:
                    results[arrival][name][label] = await measure(
                        Path(folder),
                        scheduler,
                        flood_control,
                        flood=messages,
                        others=others,
                        latency=latency,
                        spread=spread,
                    )
    return results


def print_table(
    all_results: dict[str, dict[str, dict[str, dict[str, float]]]], flood: int, others: int
) -> None:
    print(
        f"{others} people send /start; 'flood': one account sends {flood} messages; 'at once': "
        "the flood is queued, then the others arrive together (Telegram's ~30 calls a second, "
        f"which the bot keeps to, then set the floor: {others} replies need "
        f"{others / 30:.1f} s); 'over 10 s': the flood and the others' arrivals both spread "
        "over 10 s, as a script and people tapping would"
    )
    header = f"{'arrival':<11}{'configuration':<26}{'':>7}{'p50 ms':>10}{'p99 ms':>10}"
    print(header + f"{'max ms':>10}{'flooder got':>13}")
    for arrival, results in all_results.items():
        for name, runs in results.items():
            for label, row in runs.items():
                print(
                    f"{arrival:<11}{name:<26}{label:>7}{row['p50_ms']:>10.0f}"
                    f"{row['p99_ms']:>10.0f}{row['max_ms']:>10.0f}"
                    f"{row['flooder_replies']:>13.0f}"
                )
    for arrival, results in all_results.items():
        before = results["sequential"]["flood"]["p99_ms"]
        after = results["per chat + flood control"]["flood"]["p99_ms"]
        quiet = results["per chat + flood control"]["quiet"]["p99_ms"]
        sequential_quiet = results["sequential"]["quiet"]["p99_ms"]
        total = results["per chat + flood control"]["flood"]["flooder_total"]
        print(
            f"{arrival}: during the flood, others' p99 {after:.0f} ms (goal < 200 ms: "
            f"{'met' if after < 200 else 'missed'}), {after / before:.3f}x the sequential "
            f"bot's ({before / after:.0f}x faster), {after / quiet:.2f}x their own quiet p99; "
            f"quiet p99 {quiet / sequential_quiet:.3f}x the sequential bot's; with flood "
            f"control the flooder got {total:.0f} replies for {flood} messages"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.flood")
    parser.add_argument("--quick", action="store_true", help="a flood of 200, not 1,000")
    parser.add_argument("--latency-ms", type=float, default=100.0, help="per sendMessage")
    parser.add_argument("--others", type=int, default=50)
    args = parser.parse_args(argv)
    flood = 200 if args.quick else 1_000
    results = asyncio.run(run(flood, args.others, args.latency_ms / 1000))
    print_table(results, flood, args.others)
    print(json.dumps({"flood": {"messages": flood, "latency_ms": args.latency_ms, **results}}))


if __name__ == "__main__":
    main()
