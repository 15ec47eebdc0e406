"""`python -m bench.soak [--rounds N] [--seed S] [--postgres]`: the SIGKILL test, many times.

tests/test_durability.py kills the bot at three fixed moments while 50 people register and a
broadcast to 501 people goes out, then restarts it and checks that every registration is
there once, everyone carries on from their last question, nobody misses the broadcast and at
most broadcast_in_flight get it twice. This runs that test at N random moments instead (each
a fresh database and bot process), on SQLite or on the local PostgreSQL, and prints how many
rounds held. It takes about 25 s a round.
"""

import argparse
import os
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST = "tests/test_durability.py::test_a_crowd_registering_when_the_bot_is_killed_loses_nothing"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.soak")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--seed", type=int, default=None, help="default: a random one")
    parser.add_argument("--postgres", action="store_true", help="on the local PostgreSQL")
    args = parser.parse_args(argv)
    seed = random.randrange(1_000_000) if args.seed is None else args.seed
    env = {**os.environ, "VOKASI_SOAK_ROUNDS": str(args.rounds), "VOKASI_SOAK_SEED": str(seed)}
    if args.postgres:
        env["VOKASI_TEST_DATABASE"] = "postgresql"
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(f"soak: {args.rounds} SIGKILLs at random moments on {database}, seed {seed}", flush=True)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rf", TEST],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    failed = [line for line in result.stdout.splitlines() if line.startswith("FAILED")]
    print(f"soak: {summary}")
    for line in failed:
        print(f"  {line}")
    if result.returncode != 0:
        print(result.stdout[-4000:], result.stderr[-2000:], sep="\n")
        raise SystemExit(f"soak: {len(failed)} of {args.rounds} rounds failed (seed {seed})")


if __name__ == "__main__":
    main()
