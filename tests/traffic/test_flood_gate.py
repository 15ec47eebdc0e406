"""The token bucket on its own, on a clock the test moves."""

from bot.traffic.flood import EXEMPTION_SECONDS, FloodGate, Verdict


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_is_admitted_then_one_warning_then_silence() -> None:
    gate = FloodGate(burst=3, rate=1.0, clock=Clock())
    verdicts = [gate.admit(7) for _ in range(6)]
    assert verdicts == [Verdict.ADMIT] * 3 + [Verdict.WARN] + [Verdict.DROP] * 2


def test_the_bucket_refills_at_the_rate() -> None:
    clock = Clock()
    gate = FloodGate(burst=3, rate=0.5, clock=clock)
    for _ in range(4):
        gate.admit(7)
    clock.now += 1.9  # less than one token at 0.5 per second
    assert gate.admit(7) is Verdict.DROP
    clock.now += 0.2
    assert gate.admit(7) is Verdict.ADMIT
    assert gate.admit(7) is Verdict.DROP, "one token came back, not more"


def test_a_sustained_flood_is_warned_again_only_after_a_full_refill_time() -> None:
    clock = Clock()
    gate = FloodGate(burst=4, rate=1.0, clock=clock)
    warnings = 0
    for _ in range(500):  # 100 updates a second for 5 seconds
        clock.now += 0.01
        warnings += gate.admit(7) is Verdict.WARN
    # Warned at the start, then once more when 4 s (burst / rate) had passed.
    assert warnings == 2


def test_users_have_their_own_buckets() -> None:
    gate = FloodGate(burst=1, rate=1.0, clock=Clock())
    assert gate.admit(1) is Verdict.ADMIT
    assert gate.admit(1) is Verdict.WARN
    assert gate.admit(2) is Verdict.ADMIT


def test_an_exemption_is_remembered_for_a_while() -> None:
    clock = Clock()
    gate = FloodGate(burst=1, rate=1.0, clock=clock)
    assert gate.known_exemption(5) is None
    gate.remember_exemption(5, True)
    assert gate.known_exemption(5) is True
    clock.now += EXEMPTION_SECONDS
    assert gate.known_exemption(5) is None


def test_quiet_users_are_forgotten() -> None:
    clock = Clock()
    gate = FloodGate(burst=2, rate=1.0, clock=clock)
    for user in range(10_000):
        gate.admit(user)
    clock.now += 10  # everyone's bucket is full again: nothing to remember
    gate.admit(99_999)
    assert gate.users_tracked <= 2
