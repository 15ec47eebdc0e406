"""Holding calls of one method until a test lets them go, as a slow Telegram would: two flows
can then be made to meet at a chosen call without any clock."""

from __future__ import annotations

import asyncio


class HeldCalls:
    """Calls of one Bot API method that wait until release(); every call after it passes."""

    def __init__(self, method: str) -> None:
        self.method = method
        self.arrived = 0
        self._released = asyncio.Event()
        self._arrivals: list[asyncio.Event] = []

    async def arrive(self) -> None:
        """A call of the method: counted, then kept until released."""
        self.arrived += 1
        for watcher in self._arrivals:
            watcher.set()
        await self._released.wait()

    async def wait_for(self, count: int) -> None:
        """Until `count` calls have arrived (held, or let through after the release)."""
        while self.arrived < count:
            watcher = asyncio.Event()
            self._arrivals.append(watcher)
            try:
                await watcher.wait()
            finally:
                self._arrivals.remove(watcher)

    def release(self) -> None:
        self._released.set()
