"""Per chat, one thing at a time goes to staff, so they read what a user sent in the order it
was sent (an album before the message that followed it). In this process only: with several
processes the database holds the albums, and each process keeps its own chats in order."""

import asyncio
import weakref


class DeliveryOrder:
    """A lock per chat, living while someone holds or waits for it."""

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    def in_order(self, chat_id: int) -> asyncio.Lock:
        """Held while something of this chat's is passed on to staff."""
        lock = self._locks.get(chat_id)
        if lock is None:
            lock = self._locks[chat_id] = asyncio.Lock()
        return lock
