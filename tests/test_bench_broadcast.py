"""The broadcast benchmark's harness, small: everyone gets exactly one copy, paced; a failed
copy ends the run at once with a result that fails; the pacing figures can fail."""

import time
from pathlib import Path

from bench.broadcast import delivery_problems, pacing_problems, seed_users
from bench.broadcast_probe import CountingStandIn, broadcast, max_in_one_second


async def test_the_benchmark_reaches_everyone_once_at_no_more_than_the_rate(
    tmp_path: Path,
) -> None:
    database = tmp_path / "users.db"
    await seed_users(database, 20)
    result = await broadcast(database, 20, 50.0)
    assert result["copies"] == 20 and result["max_copies_per_chat"] == 1
    assert result["chats_without_copy"] == 0 and result["done"] and not result["timed_out"]
    assert 0.8 * 50 <= result["achieved_rate"] <= 50.0
    assert result["max_in_one_second"] <= 20
    assert delivery_problems(result) == []
    # VmHWM read twice; the kernel's per-thread counters make it exact only to a few pages.
    assert result["rss_mib"] > result["rss_baseline_mib"] - 1 > 0


async def test_a_failed_copy_ends_the_run_with_a_failing_result(tmp_path: Path) -> None:
    """Before, the probe waited forever for the 20th copy."""
    database = tmp_path / "users.db"
    await seed_users(database, 20)
    standin = CountingStandIn(20)
    standin.inject("copyMessage", chat_id=7, error="blocked", times=1)
    started = time.monotonic()
    result = await broadcast(database, 20, 1000.0, standin=standin)
    assert time.monotonic() - started < 15
    assert (result["copies"], result["chats_without_copy"], result["timed_out"]) == (19, 1, False)
    assert delivery_problems(result) == ["19 copies for 20 recipients, 1 without one"]


async def test_a_latency_slows_each_answer(tmp_path: Path) -> None:
    database = tmp_path / "users.db"
    await seed_users(database, 20)
    result = await broadcast(database, 20, 1000.0, latency=0.05)
    assert result["copies"] == 20 and result["latency_seconds"] == 0.05
    # Up to 10 in flight, the first answered after 50 ms.
    assert result["send_seconds"] >= 0.05


def test_the_most_in_one_second_is_counted_over_sliding_windows() -> None:
    assert max_in_one_second([]) == 0
    assert max_in_one_second([0.0, 0.5, 0.99, 1.0, 1.5]) == 3
    evenly = [i * 0.0401 for i in range(250)]  # just under 25 a second
    assert max_in_one_second(evenly) == 25
    # A send woken late followed by on-time ones: one more in some second.
    late = [*evenly[:10], evenly[10] + 0.03, *evenly[11:]]
    assert max_in_one_second(late) == 26


def test_pacing_fails_on_a_burst_or_a_slow_mean() -> None:
    good = {"max_in_one_second": 26, "achieved_rate": 24.0}
    assert pacing_problems(good, 25.0) == []
    burst = {"max_in_one_second": 27, "achieved_rate": 25.0}
    assert pacing_problems(burst, 25.0) == ["27 copies within one second, over the rate 25 + 1"]
    slow = {"max_in_one_second": 20, "achieved_rate": 23.0}
    assert pacing_problems(slow, 25.0) == ["a mean of 23.00/s, under 0.95 x 25/s"]
