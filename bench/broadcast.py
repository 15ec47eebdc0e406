"""Broadcast pacing, throughput and memory: the real /broadcast and BroadcastWorker against the
in-process stand-in, with a real SQLite file of users, each run in a fresh process.

At the default 25 copies a second, 100,000 recipients take over an hour, so three runs:
pacing at the configured rate long enough to matter; 100,000 recipients with the rate set far
above what the machine can do (the pipeline's headroom); and 1,000 the same way, to compare
peak memory against.
"""

import argparse
import asyncio
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from sqlalchemy import insert

from db.engine import create_engine
from db.migrate import upgrade_database
from db.models import User

DEFAULT_RATE = 25.0
UNLIMITED_RATE = 100_000.0
CHUNK = 10_000


async def seed_users(path: Path, users: int) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    await upgrade_database(engine)
    async with engine.begin() as connection:
        for start in range(1, users + 1, CHUNK):
            await connection.execute(
                insert(User),
                [
                    {
                        "id": i,
                        "first_name": f"User {i}",
                        "telegram_language": "en" if i % 5 == 0 else "id",
                    }
                    for i in range(start, min(start + CHUNK, users + 1))
                ],
            )
    await engine.dispose()


def start_probe(seeded: Path, folder: Path, recipients: int, rate: float) -> subprocess.Popen[str]:
    """One broadcast in a fresh process, on a fresh copy of the seeded database."""
    database = folder / f"run-{recipients}-{rate:.0f}.db"
    shutil.copy(seeded, database)
    command = [sys.executable, "-m", "bench.broadcast_probe", str(database), str(recipients)]
    return subprocess.Popen(
        [*command, str(rate)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def result_of(process: subprocess.Popen[str], recipients: int) -> dict[str, float]:
    output, errors = process.communicate()
    if process.returncode:
        raise SystemExit(f"the broadcast probe failed ({process.returncode}):\n{errors}")
    result = json.loads(output.strip().splitlines()[-1])
    if result["copies"] != recipients or result["chats_without_copy"] or not result["done"]:
        raise SystemExit(f"the broadcast did not reach everyone exactly once: {result}")
    return result


def probe(seeded: Path, folder: Path, recipients: int, rate: float) -> dict[str, float]:
    return result_of(start_probe(seeded, folder, recipients, rate), recipients)


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.broadcast")
    parser.add_argument("--quick", action="store_true", help="smaller runs, for a smoke test")
    args = parser.parse_args(argv)
    paced, large, small = (250, 20_000, 1_000) if args.quick else (1_500, 100_000, 1_000)
    small_runs = 1 if args.quick else 3

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        databases = {n: folder / f"{n}.db" for n in {paced, large, small}}
        for users, path in databases.items():
            asyncio.run(seed_users(path, users))
        # The paced run mostly waits (25 copies a second), so it runs beside the headroom run:
        # it then also shows the pacing holding while the machine is busy.
        pacing_process = start_probe(databases[paced], folder, paced, DEFAULT_RATE)
        headroom = probe(databases[large], folder, large, UNLIMITED_RATE)
        pacing = result_of(pacing_process, paced)
        baseline = median_of(
            [probe(databases[small], folder, small, UNLIMITED_RATE) for _ in range(small_runs)]
        )

    print("broadcast through the real /broadcast and BroadcastWorker, stand-in Bot API, SQLite")
    print(
        f"{'':28}{'recipients':>11}{'rate set':>10}{'achieved/s':>12}{'fill s':>8}"
        f"{'send s':>9}{'peak RSS MiB':>14}{'max/chat':>10}"
    )
    for label, row, rate in (
        ("pacing at the default rate", pacing, DEFAULT_RATE),
        ("headroom, rate unlimited", headroom, UNLIMITED_RATE),
        (f"memory baseline (median {small_runs})", baseline, UNLIMITED_RATE),
    ):
        print(
            f"{label:28}{row['recipients']:>11,.0f}{rate:>10,.0f}{row['achieved_rate']:>12,.1f}"
            f"{row['fill_seconds']:>8.2f}{row['send_seconds']:>9.1f}{row['rss_mib']:>14.1f}"
            f"{row['max_copies_per_chat']:>10.0f}"
        )
    print(
        f"pacing: achieved / configured = {pacing['achieved_rate'] / DEFAULT_RATE:.4f} "
        f"(must be <= 1.0) over {pacing['send_seconds']:.0f} s"
    )
    print(
        f"headroom: {headroom['achieved_rate']:,.0f} copies/s = "
        f"{headroom['achieved_rate'] / DEFAULT_RATE:.1f}x the default {DEFAULT_RATE:.0f}/s; "
        f"outbox fill for {large:,} recipients {headroom['fill_seconds']:.2f} s"
    )
    print(
        f"memory: peak RSS {large:,} / {small:,} recipients = "
        f"{headroom['rss_mib'] / baseline['rss_mib']:.2f}x"
    )
    print(
        f"  {large:,} run, peak RSS MiB: started {headroom['rss_started_mib']:.1f}, "
        f"after the preview (counts the audience) {headroom['rss_before_mib']:.1f}, "
        f"after the outbox fill {headroom['rss_after_fill_mib']:.1f}, "
        f"after sending {headroom['rss_mib']:.1f}"
    )
    print(
        "per chat: at most {n} copy per chat (one recipient, one copy: never over 1/s)".format(
            n=int(max(pacing["max_copies_per_chat"], headroom["max_copies_per_chat"]))
        )
    )


if __name__ == "__main__":
    main()
