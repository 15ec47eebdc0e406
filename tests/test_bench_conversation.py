"""The conversation benchmark's harness, small: every person reaches a submitted registration
through the update queue, each of their updates is timed once, and nothing is left unwritten
halfway with our persistence; after a real SIGKILL, ours has lost nobody's place and PTB's
PicklePersistence (its default 60 s interval) has lost those mid-form."""

from pathlib import Path

from bench.conversation import STEPS, Run, measure, nik_for, reseed, sigkill_loss


async def test_every_person_registers_and_every_update_is_timed(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bench.db'}"
    await reseed(url, 50)
    run = Run("flat out", 0.0, "SQLite", "SQL (ours)", 50, 5)

    result = await measure(run, url, tmp_path)

    assert result["timed_updates"] == 5 * len(STEPS)
    assert result["p50_ms"] <= result["p95_ms"] <= result["p99_ms"]
    assert result["lost_states"] == 0


def test_each_person_types_a_different_valid_nik() -> None:
    niks = {nik_for(n) for n in range(20_000)}
    assert len(niks) == 20_000
    assert all(len(nik) == 16 and nik.isdigit() and not nik.endswith("0000") for nik in niks)


async def test_after_a_sigkill_ours_loses_nobody_and_pickles_default_loses_people(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bench.db'}"
    await reseed(url, 50)
    lost, held = await sigkill_loss(url, "SQL (ours)", tmp_path, 10)
    assert (lost, held > 0) == (0, True)
    await reseed(url, 50)
    lost, held = await sigkill_loss(url, "PicklePersistence", tmp_path, 10)
    assert lost == held > 0, "killed before its first flush, it kept nobody's place"
