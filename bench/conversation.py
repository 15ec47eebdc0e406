"""Many people checking their eligibility and registering at once: throughput, each update's
latency, and what a SIGKILL at the end would leave on disk.

The real Application and handlers, fed through the update queue as polling or a webhook feeds
it, with the stand-in answering each Bot API call after --latency-ms (default 100, as Telegram
does from a real server; 0 shows the bot's own time). Each simulated person runs the whole path
a trainee takes (/start, eligibility for Welding, the consent, name, NIK, phone, school,
activity, regency, e-mail, submit: 16 updates), sending the next update as soon as the
previous one is answered. A person's update latency runs from entering the queue to its
handler finishing (its replies answered by the stand-in). The database already holds
--stored users (10,000 and 100,000 by default) besides the people running.

Each configuration runs in this one process, one after another:
- our SQL persistence (write-through: a form answer and the conversation's state are committed
  before the reply) on SQLite, and on PostgreSQL when a server answers (--postgres URL);
- PTB's own PicklePersistence (its default: written every 60 s) on the same SQLite database
  for the forms' data, for comparison.
"Lost" is how many people's conversation state on disk differs from the bot's memory halfway
through: what a SIGKILL then would lose. Then a real SIGKILL: a separate bot process
(bench.sigkill_probe) is killed halfway through 100 people registering, the bot is started
again on what is on disk, and what it loaded is compared with what the killed one held.
"""

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from cryptography.fernet import Fernet
from sqlalchemy import func, select, text
from telegram.ext import ConversationHandler, PersistenceInput, PicklePersistence

from bench.startup import seed_database
from bot.application import build_application
from bot.config import Settings
from bot.forms.conversation import FORMS
from bot.offline.offline_bot import OfflineBot
from bot.offline.standin import TelegramStandIn
from bot.persistence import SqlPersistence
from bot.traffic.chat_order import ChatOrderedUpdates
from db.engine import create_engine, create_session_factory
from db.models import Registration

FIRST_PERSON = 5_000_000
# Between reading an answer and the next tap or message, as people on a phone take.
THINK_SECONDS = (1.0, 3.0)
LATENCY_METHODS = ("sendMessage", "editMessageText", "answerCallbackQuery", "deleteMessage")
STEPS: tuple[tuple[str, str], ...] = (
    ("send", "/start"),
    ("tap", "✅ Check eligibility"),
    ("tap", "Welding"),
    ("tap", "✅ Yes, start"),
    ("send", "12-03-2004"),
    ("tap", "📝 Register now"),
    ("tap", "✅ I agree"),
    ("send", "Budi Santoso"),
    ("send", "nik"),
    ("tap", "✅ Yes, that's right"),
    ("send", "+62 812-3456-7890"),
    ("tap", "S1 or higher"),
    ("tap", "💼 Working"),
    ("tap", "Outside Banten"),
    ("send", "budi@example.com"),
    ("tap", "✅ Submit my registration"),
)


def nik_for(number: int) -> str:
    """A valid, distinct NIK: Kab. Pandeglang, a man born 12 March 2004, serial 0001-9999; the
    district code grows past 9,999 people."""
    district, serial = divmod(number, 9_999)
    return f"3601{district + 1:02d}120304{serial + 1:04d}"


class TimedUpdates(ChatOrderedUpdates):
    """The bot's own update processor, noting when each update's handler has finished."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.finished: dict[int, asyncio.Future[float]] = {}

    def expect(self, update_id: int) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.finished[update_id] = future
        return future

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        try:
            await super().do_process_update(update, coroutine)
        finally:
            future = self.finished.pop(getattr(update, "update_id", -1), None)
            if future is not None and not future.done():
                future.set_result(time.monotonic())


@dataclass(frozen=True)
class Run:
    load: str  # "paced": a person thinks THINK_SECONDS between taps; "flat out": not at all
    latency_ms: float
    database: str
    persistence: str
    stored: int
    people: int


async def one_person(
    bot: OfflineBot,
    processor: TimedUpdates,
    number: int,
    latencies: list[float],
    halfway: asyncio.Event,
    people: int,
    paced: bool,
    *,
    gate: asyncio.Event | None = None,
) -> None:
    """gate: while cleared, the person sends nothing more (see bench.sigkill_probe)."""
    person = bot.user(FIRST_PERSON + number, language_code="en")
    thinking = random.Random(number)
    for kind, label in STEPS:
        if gate is not None:
            await gate.wait()
        if paced:
            await asyncio.sleep(thinking.uniform(*THINK_SECONDS))
        before = len(bot.standin.history(person.chat_id))
        if kind == "send":
            update = person.message_update(nik_for(number) if label == "nik" else label)
        else:
            update = person.callback_update(label)
        done = processor.expect(update["update_id"])
        sent_at = time.monotonic()
        await person.put_on_queue(update)
        latencies.append(await done - sent_at)
        if len(latencies) * 2 >= len(STEPS) * people:
            halfway.set()
        if kind == "send" and len(bot.standin.history(person.chat_id)) == before:
            raise RuntimeError(f"no answer to {label!r} for person {number}")


def settings_for(database_url: str, latency: float, data_key: str | None = None) -> Settings:
    # With Telegram's latency, Telegram's limits too (about 30 calls a second, as in
    # production); without it, the bot's own capacity, as behind a local Bot API server.
    rate = {} if latency else {"broadcast_rate": 1_000_000}
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=database_url,
        data_key=data_key or Fernet.generate_key().decode(),
        flood_burst=10_000,  # people here answer far faster than they could type
        **rate,
    )


async def measure(run: Run, database_url: str, folder: Path) -> dict[str, float]:
    latency = run.latency_ms / 1000
    settings = settings_for(database_url, latency)
    standin = TelegramStandIn()
    for method in LATENCY_METHODS:
        standin.add_latency(method, latency)
    processor = TimedUpdates(settings.concurrent_updates)
    pickle = None
    if run.persistence == "PicklePersistence":
        pickle = PicklePersistence(
            folder / "bot.pickle", store_data=PersistenceInput(bot_data=False, callback_data=False)
        )
    application = build_application(
        settings, request=standin, update_processor=processor, persistence=pickle
    )
    await application.initialize()
    await application.start()
    try:
        bot = OfflineBot(application, standin)
        latencies: list[float] = []
        halfway = asyncio.Event()
        started = time.monotonic()
        people = asyncio.gather(
            *(
                one_person(bot, processor, n, latencies, halfway, run.people, run.load == "paced")
                for n in range(run.people)
            )
        )
        # Half the updates handled: most people are mid-form. A SIGKILL now leaves on disk
        # what the persistence has written so far.
        await halfway.wait()
        lost = await loss_window(application, folder, run.persistence)
        await people
        seconds = time.monotonic() - started
        submitted = await count_submitted(application)
    finally:
        await application.stop()
        await application.shutdown()
    if submitted != run.people:
        raise RuntimeError(f"{submitted} registrations for {run.people} people")
    centiles = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "updates_per_s": len(latencies) / seconds,
        "p50_ms": centiles[49] * 1000,
        "p95_ms": centiles[94] * 1000,
        "p99_ms": centiles[98] * 1000,
        "lost_states": lost,
        "timed_updates": len(latencies),
    }


async def sigkill_loss(
    database_url: str, kind: str, folder: Path, people: int
) -> tuple[float, float]:
    """Kill a bot process (bench.sigkill_probe) halfway through `people` registering, start
    the bot again on what is on disk, and count the people whose conversation state it loaded
    is not the one the killed bot held (what each person was last told); and how many were in
    a form then."""
    data_key = Fernet.generate_key().decode()
    probe = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.sigkill_probe",
        database_url,
        "pickle" if kind == "PicklePersistence" else "ours",
        str(folder),
        str(people),
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "DATA_KEY": data_key},
    )
    # A probe that never gets halfway (a handler stuck, say) fails the bench, not hangs it.
    output, _ = await asyncio.wait_for(probe.communicate(), PROBE_SECONDS)
    if probe.returncode != -signal.SIGKILL:
        raise RuntimeError(f"the SIGKILL probe ended with {probe.returncode}")
    [line] = [line for line in output.decode().splitlines() if line.startswith("MEMORY ")]
    in_memory = {tuple(key): state for key, state in json.loads(line.removeprefix("MEMORY "))}
    pickle = None
    if kind == "PicklePersistence":
        pickle = PicklePersistence(
            folder / "bot.pickle", store_data=PersistenceInput(bot_data=False, callback_data=False)
        )
    settings = settings_for(database_url, 0.0, data_key)
    application = build_application(settings, request=TelegramStandIn(), persistence=pickle)
    await application.initialize()  # loads the conversations from disk, as a restart does
    try:
        conversations = forms_handler(application)._conversations  # noqa: SLF001
        loaded = json.loads(json.dumps(list(conversations.items())))
    finally:
        await application.shutdown()
    on_disk = {tuple(key): state for key, state in loaded}
    keys = set(in_memory) | set(on_disk)
    return sum(in_memory.get(key) != on_disk.get(key) for key in keys), len(in_memory)


def forms_handler(application: Any) -> ConversationHandler:  # type: ignore[type-arg]
    for group in application.handlers.values():
        for handler in group:
            if isinstance(handler, ConversationHandler) and handler.name == FORMS:
                return handler
    raise LookupError("the forms conversation is not registered")


async def loss_window(application: Any, folder: Path, kind: str) -> float:
    """People whose conversation state on disk is not the one in memory, right now."""
    in_memory = dict(forms_handler(application)._conversations)  # noqa: SLF001
    if kind == "PicklePersistence":
        fresh: Any = PicklePersistence(
            folder / "bot.pickle", store_data=PersistenceInput(bot_data=False, callback_data=False)
        )
    else:
        fresh = SqlPersistence(create_session_factory(application.engine))
    on_disk = await fresh.get_conversations(FORMS) if _exists(folder, kind) else {}
    keys = set(in_memory) | set(on_disk)
    return sum(in_memory.get(key) != on_disk.get(key) for key in keys)


def _exists(folder: Path, kind: str) -> bool:
    return kind != "PicklePersistence" or (folder / "bot.pickle").exists()


async def count_submitted(application: Any) -> int:
    sessions = create_session_factory(application.engine)
    async with sessions() as session:
        query = select(func.count()).select_from(Registration)
        return (await session.execute(query.where(Registration.status != "draft"))).scalar_one()


async def postgres_url(admin_url: str | None) -> str | None:
    """A fresh database `vokasi_bench` on the server, or None when none answers."""
    if admin_url is None:
        return None
    try:
        connection = await asyncpg.connect(admin_url, timeout=3)
    except (OSError, asyncpg.PostgresError):
        return None
    try:
        await connection.execute("DROP DATABASE IF EXISTS vokasi_bench WITH (FORCE)")
        await connection.execute("CREATE DATABASE vokasi_bench")
    finally:
        await connection.close()
    base = admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    return f"{base}/vokasi_bench"


# (load, latency ms, people). Paced, with Telegram's latency and limits: what people see;
# paced without latency: the bot's own time per update; flat out: its capacity.
SHAPES = (
    ("paced", 100.0, 100),
    ("paced", 0.0, 100),
    ("flat out", 0.0, 100),
    ("flat out", 0.0, 1_000),
)


# People registering when the SIGKILL comes (bench.sigkill_probe).
KILLED_PEOPLE = 100
PROBE_SECONDS = 600
# (stored, database, persistence) -> (people lost, people in a form at the kill)
Killed = dict[tuple[int, str, str], tuple[float, float]]


async def run_all(
    stored_counts: list[int], shapes: tuple[tuple[str, float, int], ...], admin_url: str | None
) -> tuple[dict[Run, dict[str, float]], Killed]:
    results: dict[Run, dict[str, float]] = {}
    killed: Killed = {}
    for stored in stored_counts:
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            databases = {"SQLite": f"sqlite+aiosqlite:///{folder / 'bench.db'}"}
            if (url := await postgres_url(admin_url)) is not None:
                databases["PostgreSQL"] = url
            for load, latency_ms, people in shapes:
                for database, url in databases.items():
                    kinds = ["SQL (ours)"]
                    if database == "SQLite":
                        kinds.append("PicklePersistence")
                    for kind in kinds:
                        await reseed(url, stored)
                        (folder / "bot.pickle").unlink(missing_ok=True)
                        run = Run(load, latency_ms, database, kind, stored, people)
                        results[run] = await measure(run, url, folder)
                        print_progress(run, results[run])
            for database, url in databases.items():
                kinds = ["SQL (ours)", "PicklePersistence"] if database == "SQLite" else []
                for kind in kinds or ["SQL (ours)"]:
                    await reseed(url, stored)
                    (folder / "bot.pickle").unlink(missing_ok=True)
                    killed[stored, database, kind] = await sigkill_loss(
                        url, kind, folder, KILLED_PEOPLE
                    )
    return results, killed


async def reseed(url: str, stored: int) -> None:
    """An empty database holding `stored` users, as after a season of use."""
    engine = create_engine(url)
    async with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()
    if engine.dialect.name == "sqlite":
        Path(engine.url.database or "").unlink(missing_ok=True)
    await seed_database(url, stored)


def print_progress(run: Run, row: dict[str, float]) -> None:
    """Each run as it ends (the whole table follows at the end)."""
    print(
        f"  done: {run.load}, latency {run.latency_ms:.0f}, {run.database}, {run.persistence}, "
        f"{run.stored:,} stored, {run.people:,} people: {row['updates_per_s']:.1f} updates/s, "
        f"p50 {row['p50_ms']:.1f} ms, p99 {row['p99_ms']:.1f} ms, lost {row['lost_states']:.0f}",
        flush=True,
    )


def print_killed(killed: Killed) -> None:
    print(
        f"after a real SIGKILL halfway through {KILLED_PEOPLE} people registering (a separate "
        "bot process, killed with no shutdown; the bot then started again on what was on disk):"
        " people whose conversation state it loaded was not the one the killed bot held"
    )
    for (stored, database, kind), (lost, held) in killed.items():
        print(
            f"  {database:<11}{kind:<19}{stored:>8,} stored: {lost:.0f} lost of the {held:.0f} "
            f"(of {KILLED_PEOPLE}) in a form at the kill"
        )


def print_table(results: dict[Run, dict[str, float]]) -> None:
    print(
        f"eligibility + registration ({len(STEPS)} updates a person), everyone starting at once"
        f"; paced: {THINK_SECONDS[0]:.0f}-{THINK_SECONDS[1]:.0f} s between taps; latency 100: "
        "each Bot API call answered after 100 ms, Telegram's rate limits on; latency 0: the "
        "bot's own time, limits off"
    )
    print(
        f"{'load':<9}{'latency':>7}  {'database':<11}{'persistence':<19}{'stored':>8}"
        f"{'people':>7}{'updates/s':>10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'lost':>6}"
    )
    for run, row in results.items():
        print(
            f"{run.load:<9}{run.latency_ms:>7.0f}  {run.database:<11}{run.persistence:<19}"
            f"{run.stored:>8,}{run.people:>7,}{row['updates_per_s']:>10.1f}"
            f"{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}{row['p99_ms']:>9.1f}"
            f"{row['lost_states']:>6.0f}"
        )
    print("lost: people whose conversation state on disk was not the bot's, halfway through")
    for run, row in results.items():
        if run.persistence != "PicklePersistence":
            continue
        ours = results[
            Run(run.load, run.latency_ms, run.database, "SQL (ours)", run.stored, run.people)
        ]
        throughput = ours["updates_per_s"] / row["updates_per_s"]
        print(
            f"ours / PicklePersistence, {run.load} at latency {run.latency_ms:.0f}, "
            f"{run.stored:,} stored, {run.people:,} people: throughput {throughput:.2f}x, "
            f"p99 {ours['p99_ms'] / row['p99_ms']:.2f}x"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.conversation")
    parser.add_argument(
        "--quick", action="store_true", help="100 people, 10,000 stored, no latency"
    )
    parser.add_argument("--stored", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--postgres",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="a server where the database vokasi_bench may be made ('' for SQLite only)",
    )
    args = parser.parse_args(argv)
    shapes = SHAPES[1:3] if args.quick else SHAPES
    stored = [10_000] if args.quick else args.stored
    results, killed = asyncio.run(run_all(stored, shapes, args.postgres or None))
    print_table(results)
    print_killed(killed)
    runs = [{**vars(run), **row} for run, row in results.items()]
    after_sigkill = [
        {"stored": stored, "database": database, "persistence": kind, "lost": lost, "held": held}
        for (stored, database, kind), (lost, held) in killed.items()
    ]
    print(json.dumps({"conversation": {"runs": runs, "after_sigkill": after_sigkill}}))


if __name__ == "__main__":
    main()
