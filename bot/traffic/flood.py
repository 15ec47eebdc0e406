"""Flood control: a token bucket per user. Up to `burst` updates at once, then `rate` per
second; past that a user's updates are turned away until the bucket refills, and they are
told once per flood, not once per update: again only after as long as a full refill takes.
Pure bookkeeping on a clock it is given (time.monotonic unless a test gives its own)."""

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

# Whether a throttled user is staff (exempt) is looked up again after this long.
EXEMPTION_SECONDS = 60.0


class Verdict(Enum):
    ADMIT = "admit"
    # The first update turned away in this flood: the user is asked to slow down.
    WARN = "warn"
    DROP = "drop"


@dataclass
class _Bucket:
    tokens: float
    at: float
    warned_at: float | None = None


class FloodGate:
    def __init__(
        self, *, burst: int, rate: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.burst = burst
        self.rate = rate
        self.clock = clock
        self._buckets: dict[int, _Bucket] = {}
        # Users found to be staff (True) or not (False), and until when that holds.
        self._exempt: dict[int, tuple[bool, float]] = {}
        self._swept_at = clock()
        # Updates turned away since start, for the logs and metrics.
        self.dropped = 0

    def admit(self, user_id: int) -> Verdict:
        """Take a token for this update if there is one."""
        now = self.clock()
        self._sweep(now)
        bucket = self._buckets.get(user_id)
        if bucket is None:
            bucket = self._buckets[user_id] = _Bucket(tokens=self.burst, at=now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)
        bucket.at = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return Verdict.ADMIT
        if bucket.warned_at is not None and now - bucket.warned_at < self.refill_seconds:
            return Verdict.DROP
        bucket.warned_at = now
        return Verdict.WARN

    @property
    def refill_seconds(self) -> float:
        return self.burst / self.rate

    def count_dropped(self) -> None:
        self.dropped += 1

    def known_exemption(self, user_id: int) -> bool | None:
        """Whether this user was recently found to be staff; None if not looked up lately."""
        exempt, until = self._exempt.get(user_id, (False, 0.0))
        return exempt if self.clock() < until else None

    def remember_exemption(self, user_id: int, exempt: bool) -> None:
        self._exempt[user_id] = (exempt, self.clock() + EXEMPTION_SECONDS)

    def _sweep(self, now: float) -> None:
        """Forget users quiet long enough for a full bucket: memory follows who is active."""
        if now - self._swept_at < self.refill_seconds:
            return
        self._swept_at = now
        self._buckets = {
            user: bucket
            for user, bucket in self._buckets.items()
            if now - bucket.at < self.refill_seconds
        }
        self._exempt = {user: known for user, known in self._exempt.items() if now < known[1]}

    @property
    def users_tracked(self) -> int:
        return len(self._buckets)
