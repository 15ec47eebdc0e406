"""Pacing the broadcast worker's calls below Telegram's bulk limit, holding after a 429, and
recognising copyMessage's answer when the message to copy is gone."""

import asyncio
import time
from datetime import timedelta

from telegram.error import BadRequest, RetryAfter


class Pacer:
    """One send at a time every 1/rate seconds (no bursts), and a shared hold after a 429."""

    def __init__(self, rate: float) -> None:
        self._interval = 1.0 / rate
        self._next = 0.0
        self._hold_until = 0.0
        self._lock = asyncio.Lock()

    def hold(self, seconds: float) -> None:
        self._hold_until = max(self._hold_until, time.monotonic() + seconds)

    async def wait(self) -> None:
        async with self._lock:
            now = time.monotonic()
            start = max(now, self._next, self._hold_until)
            self._next = start + self._interval
        if start > now:
            await asyncio.sleep(start - now)


def retry_seconds(error: RetryAfter) -> float:
    """PTB 22.2 deprecates the int; with PTB_TIMEDELTA set (see bot/__main__.py) this is
    the timedelta it will always be from the next major version."""
    value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


# copyMessage's answer when the message to copy was deleted from the staff member's chat.
SOURCE_DELETED = "message to copy not found"


def source_was_deleted(error: BadRequest) -> bool:
    return SOURCE_DELETED in error.message.lower()
