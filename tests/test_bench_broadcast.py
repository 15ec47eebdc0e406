"""The broadcast benchmark's harness, small: everyone gets exactly one copy, paced."""

from pathlib import Path

from bench.broadcast import seed_users
from bench.broadcast_probe import broadcast


async def test_the_benchmark_reaches_everyone_once_at_no_more_than_the_rate(
    tmp_path: Path,
) -> None:
    database = tmp_path / "users.db"
    await seed_users(database, 20)
    result = await broadcast(database, 20, 50.0)
    assert result["copies"] == 20 and result["max_copies_per_chat"] == 1
    assert result["chats_without_copy"] == 0 and result["done"]
    assert 0.8 * 50 <= result["achieved_rate"] <= 50.0
