"""`python -m bench.profile`: where the time goes in the two goals the benchmarks miss.

- conversation: 100 people paced through eligibility and registration on SQLite with no
  network latency (goal: p99 under 50 ms per update);
- flood: 50 people sending /start at once while one account floods, with 100 ms per
  sendMessage and Telegram's limits (goal: the others' p99 under 200 ms).

Each runs once under pyinstrument, sampling the event loop's thread every millisecond whatever
it is doing, so waiting (the selector, the rate limiter's sleeps) shows beside the work. The
profile is printed as a call tree cut at 2 % of the run and as the 25 functions with most
time of their own, and saved as HTML in --html-folder (default the current folder).
"""

import argparse
import asyncio
import tempfile
from pathlib import Path

from pyinstrument import Profiler

from bench import conversation, flood

# Calls taking less of the run than this are left out of the printed tree.
CUT_BELOW = 0.02
FLAT_LINES = 25


async def profile_conversation() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        url = f"sqlite+aiosqlite:///{folder / 'bench.db'}"
        await conversation.reseed(url, 10_000)
        run = conversation.Run("paced", 0.0, "SQLite", "SQL (ours)", 10_000, 100)
        result = await conversation.measure(run, url, folder)
    print(
        f"conversation, paced, 100 people, no latency: p50 {result['p50_ms']:.1f} ms, "
        f"p99 {result['p99_ms']:.1f} ms, {result['updates_per_s']:.1f} updates/s"
    )


async def profile_flood() -> None:
    scheduler, flood_control = flood.CONFIGURATIONS["per chat + flood control"]
    with tempfile.TemporaryDirectory() as name:
        result = await flood.measure(
            Path(name), scheduler, flood_control, flood=1_000, others=50, latency=0.1
        )
    print(
        f"flood, 50 others at once, 100 ms per call: others' p50 {result['p50_ms']:.0f} ms, "
        f"p99 {result['p99_ms']:.0f} ms"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("--html-folder", type=Path, default=Path())
    args = parser.parse_args(argv)
    for label, work in (("conversation", profile_conversation), ("flood", profile_flood)):
        profiler = Profiler(interval=0.001, async_mode="disabled")
        with profiler:
            asyncio.run(work())
        print(
            profiler.output_text(
                time="percent_of_total", processor_options={"filter_threshold": CUT_BELOW}
            )
        )
        flat = profiler.output_text(time="percent_of_total", flat=True)
        print(f"{label}: the {FLAT_LINES} functions with most time of their own")
        print("\n".join([line for line in flat.splitlines() if "%" in line][:FLAT_LINES]))
        path = args.html_folder / f"profile-{label}.html"
        path.write_text(profiler.output_html())
        print(f"(the whole profile: {path})")
        print()


if __name__ == "__main__":
    main()
