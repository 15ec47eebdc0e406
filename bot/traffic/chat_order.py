"""Updates of different chats run at once, one chat's strictly in the order they came.

PTB's own SimpleUpdateProcessor runs every update at once, so two taps of one user could
overtake each other. Here each update first waits for the earlier updates of its chat, and
only then for one of `limit` running slots: a chat with a queue of updates holds at most one
slot, so a flood from one chat never keeps the others waiting.
"""

import asyncio
from collections.abc import Awaitable, Hashable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# PTB's own bound (its semaphore is taken before do_process_update) is set out of the way:
# a chat's waiting updates must not hold slots. `limit` bounds what runs.
_UNBOUNDED = 1_000_000


def chat_key(update: object) -> Hashable | None:
    """What orders an update: its chat, else its sender (inline queries have no chat)."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return ("chat", update.effective_chat.id)
    if update.effective_user is not None:
        return ("user", update.effective_user.id)
    return None


class ChatOrderedUpdates(BaseUpdateProcessor):
    """Concurrent across chats, in order within a chat, at most `limit` running at once."""

    def __init__(self, limit: int) -> None:
        super().__init__(_UNBOUNDED)
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self._running = asyncio.Semaphore(limit)
        # One lock per chat with updates in hand, and how many updates hold or await it.
        self._chats: dict[Hashable, tuple[asyncio.Lock, int]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        if key is None:
            async with self._running:
                await coroutine
            return
        # Nothing awaits between a task's start and queueing on its chat's lock, and
        # asyncio.Lock wakes waiters first come, first served: so the order is the arrival
        # order, in which PTB starts the tasks.
        lock, users = self._chats.get(key, (asyncio.Lock(), 0))
        self._chats[key] = (lock, users + 1)
        try:
            async with lock, self._running:
                await coroutine
        finally:
            lock, users = self._chats[key]
            if users == 1:
                del self._chats[key]
            else:
                self._chats[key] = (lock, users - 1)

    @property
    def chats_in_hand(self) -> int:
        """Chats with an update running or waiting."""
        return len(self._chats)

    async def initialize(self) -> None:
        """Nothing to set up: the locks are made as chats write."""

    async def shutdown(self) -> None:
        """Nothing to free: PTB awaits the update tasks before shutting down."""
