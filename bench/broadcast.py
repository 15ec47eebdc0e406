"""Broadcast pacing, throughput and memory: the real /broadcast and BroadcastWorker against the
in-process stand-in, with a real SQLite file of users, each run in a fresh process.

At the default 25 copies a second, 100,000 recipients take over an hour, so three runs:
pacing at the configured rate long enough to matter; 100,000 recipients with the rate set far
above what the machine can do (the pipeline's headroom); and 1,000 the same way, to compare
peak memory against. An optional fourth run (--latency-ms) paces again with the stand-in
waiting before each answer, as a network would.

The benchmark fails (exit status 1, saying why) when a broadcast does not reach every recipient
exactly once, when a run does not finish by its deadline, or when the pacing is off: more than
the rate + 1 copies within some second, or a mean below 0.95x the rate.
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

from bench.broadcast_probe import FINISH_SECONDS, deadline_seconds
from db.engine import create_engine
from db.migrate import upgrade_database
from db.models import User

DEFAULT_RATE = 25.0
UNLIMITED_RATE = 100_000.0
CHUNK = 10_000
# The pacer spaces sends 1/rate apart, but a send the event loop wakes a little late, followed
# by on-time ones, puts rate + 1 receive times within one second (so does a perfect pacer seen
# through a window closed at both ends); more than that within a second is a burst.
WINDOW_TOLERANCE = 1
MIN_MEAN_SHARE = 0.95
# What the harness adds to a probe's own deadline before it stops the process: start-up and
# the worker's finishing touches.
HARNESS_MARGIN_SECONDS = FINISH_SECONDS + 60.0


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


class Probe:
    """One broadcast in a fresh process, on a fresh copy of the seeded database."""

    def __init__(
        self, seeded: Path, folder: Path, recipients: int, rate: float, latency: float = 0.0
    ) -> None:
        self.recipients, self.rate = recipients, rate
        self.label = f"the {recipients:,}-recipient run at {rate:,.0f}/s"
        if latency:
            self.label += f" with {latency * 1000:.0f} ms per call"
        self.timeout = deadline_seconds(recipients, rate, latency) + HARNESS_MARGIN_SECONDS
        database = folder / f"run-{recipients}-{rate:.0f}-{latency * 1000:.0f}.db"
        shutil.copy(seeded, database)
        command = [sys.executable, "-m", "bench.broadcast_probe", str(database)]
        command += [str(recipients), str(rate), str(latency)]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    def stop(self) -> None:
        """Kill the process if it still runs, and wait for it (no orphan holds the files)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()

    def result(self) -> dict[str, float]:
        """Its result, or SystemExit saying what went wrong."""
        try:
            output, errors = self.process.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            raise SystemExit(
                f"{self.label} did not finish within {self.timeout:.0f} s; stopped it"
            ) from None
        if self.process.returncode:
            raise SystemExit(f"{self.label} failed ({self.process.returncode}):\n{errors}")
        result = json.loads(output.strip().splitlines()[-1])
        problems = delivery_problems(result)
        if problems:
            raise SystemExit(f"{self.label} went wrong: {'; '.join(problems)}\n{result}")
        return result


def delivery_problems(result: dict[str, float]) -> list[str]:
    problems = []
    if result["timed_out"]:
        problems.append("the copies stopped arriving before the deadline (the worker crashed?)")
    if result["copies"] != result["recipients"] or result["chats_without_copy"]:
        problems.append(
            f"{result['copies']:,.0f} copies for {result['recipients']:,.0f} recipients, "
            f"{result['chats_without_copy']:,.0f} without one"
        )
    if result["max_copies_per_chat"] > 1:
        problems.append(f"a chat got {result['max_copies_per_chat']:.0f} copies")
    if not result["done"]:
        problems.append("the broadcast was not marked done")
    return problems


def pacing_problems(result: dict[str, float], rate: float) -> list[str]:
    problems = []
    if result["max_in_one_second"] > rate + WINDOW_TOLERANCE:
        problems.append(
            f"{result['max_in_one_second']:.0f} copies within one second, over the rate "
            f"{rate:.0f} + {WINDOW_TOLERANCE}"
        )
    if result["achieved_rate"] < MIN_MEAN_SHARE * rate:
        problems.append(
            f"a mean of {result['achieved_rate']:.2f}/s, under {MIN_MEAN_SHARE} x {rate:.0f}/s"
        )
    return problems


def probe(seeded: Path, folder: Path, recipients: int, rate: float) -> dict[str, float]:
    return Probe(seeded, folder, recipients, rate).result()


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.broadcast")
    parser.add_argument("--quick", action="store_true", help="smaller runs, for a smoke test")
    parser.add_argument(
        "--latency-ms",
        type=float,
        default=0.0,
        help="also pace with the stand-in waiting this long before each copyMessage answer",
    )
    args = parser.parse_args(argv)
    paced, large, small = (250, 20_000, 1_000) if args.quick else (1_500, 100_000, 1_000)
    small_runs = 1 if args.quick else 3
    latency = args.latency_ms / 1000

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        databases = {n: folder / f"{n}.db" for n in {paced, large, small}}
        for users, path in databases.items():
            asyncio.run(seed_users(path, users))
        # The paced run mostly waits (25 copies a second), so it runs beside the headroom run:
        # it then also shows the pacing holding while the machine is busy.
        pacing_probe = Probe(databases[paced], folder, paced, DEFAULT_RATE)
        try:
            headroom = probe(databases[large], folder, large, UNLIMITED_RATE)
            pacing = pacing_probe.result()
        finally:
            pacing_probe.stop()
        baseline = median_of(
            [probe(databases[small], folder, small, UNLIMITED_RATE) for _ in range(small_runs)]
        )
        delayed = (
            Probe(databases[paced], folder, paced, DEFAULT_RATE, latency).result()
            if latency
            else None
        )

    rows = [
        ("pacing at the default rate", pacing, DEFAULT_RATE),
        ("headroom, rate unlimited", headroom, UNLIMITED_RATE),
        (f"memory baseline (median {small_runs})", baseline, UNLIMITED_RATE),
    ]
    if delayed is not None:
        rows.append((f"pacing, {args.latency_ms:.0f} ms per call", delayed, DEFAULT_RATE))
    print_table(rows)
    failures = pacing_problems(pacing, DEFAULT_RATE)
    print_pacing(pacing, DEFAULT_RATE, "pacing")
    if delayed is not None:
        print_pacing(delayed, DEFAULT_RATE, f"with {args.latency_ms:.0f} ms per call")
        failures += [f"with latency: {p}" for p in pacing_problems(delayed, DEFAULT_RATE)]
    print(
        f"headroom: {headroom['achieved_rate']:,.0f} copies/s = "
        f"{headroom['achieved_rate'] / DEFAULT_RATE:.1f}x the default {DEFAULT_RATE:.0f}/s, "
        "with zero network delay (the stand-in answers at once; with a network's delay, up to "
        "broadcast_in_flight copies are on the way at once); "
        f"outbox fill for {large:,} recipients {headroom['fill_seconds']:.2f} s"
    )
    print_memory(headroom, baseline, large, small)
    print(
        "per chat: at most {n} copy per chat (one recipient, one copy: never over 1/s)".format(
            n=int(max(pacing["max_copies_per_chat"], headroom["max_copies_per_chat"]))
        )
    )
    if failures:
        raise SystemExit("FAILED: " + "; ".join(failures))


def print_table(rows: list[tuple[str, dict[str, float], float]]) -> None:
    print("broadcast through the real /broadcast and BroadcastWorker, stand-in Bot API, SQLite")
    print(
        f"{'':28}{'recipients':>11}{'rate set':>10}{'mean/s':>9}{'max in 1 s':>11}"
        f"{'fill s':>8}{'send s':>8}{'peak RSS MiB':>13}{'growth MiB':>11}{'max/chat':>9}"
    )
    for label, row, rate in rows:
        print(
            f"{label:28}{row['recipients']:>11,.0f}{rate:>10,.0f}{row['achieved_rate']:>9,.1f}"
            f"{row['max_in_one_second']:>11,.0f}{row['fill_seconds']:>8.2f}"
            f"{row['send_seconds']:>8.1f}{row['rss_mib']:>13.1f}{growth(row):>11.1f}"
            f"{row['max_copies_per_chat']:>9.0f}"
        )


def print_pacing(result: dict[str, float], rate: float, label: str) -> None:
    print(
        f"{label}: over {result['send_seconds']:.0f} s, mean {result['achieved_rate']:.2f}/s = "
        f"{result['achieved_rate'] / rate:.3f}x the rate {rate:.0f}/s (must be >= "
        f"{MIN_MEAN_SHARE}); most in any 1 s: {result['max_in_one_second']:.0f} = "
        f"{result['max_in_one_second'] / rate:.2f}x (must be <= {rate + WINDOW_TOLERANCE:.0f}: "
        "the rate + 1 for a send woken late at a window's edge)"
    )


def growth(result: dict[str, float]) -> float:
    """Peak memory above the probe process's own start (after its imports)."""
    return result["rss_mib"] - result["rss_baseline_mib"]


def print_memory(
    large_run: dict[str, float], small_run: dict[str, float], large: int, small: int
) -> None:
    per_10k = (growth(large_run) - growth(small_run)) / (large - small) * 10_000
    print(
        f"memory: growth above the process's start (peak - baseline after imports) "
        f"{growth(large_run):.1f} MiB for {large:,} recipients, {growth(small_run):.1f} MiB for "
        f"{small:,}: {growth(large_run) / max(growth(small_run), 0.1):.1f}x, "
        f"{per_10k:.2f} MiB per 10,000 more recipients; peak RSS {large_run['rss_mib']:.1f} / "
        f"{small_run['rss_mib']:.1f} MiB = {large_run['rss_mib'] / small_run['rss_mib']:.2f}x"
    )
    print(
        f"  {large:,} run, peak RSS MiB: after imports {large_run['rss_baseline_mib']:.1f}, "
        f"bot started {large_run['rss_started_mib']:.1f}, "
        f"after the preview (counts the audience) {large_run['rss_before_mib']:.1f}, "
        f"after the outbox fill {large_run['rss_after_fill_mib']:.1f}, "
        f"after sending {large_run['rss_mib']:.1f}"
    )


if __name__ == "__main__":
    main()
