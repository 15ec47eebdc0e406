"""Albums a user sends to staff, while their parts arrive: Telegram delivers each part as its
own update, sharing a media_group_id, and nothing says which part is the last. The parts wait
here (in this process's memory) until none has come for a moment, then go to staff together."""

import asyncio
import weakref
from dataclasses import dataclass, field

from telegram import Message

from db.models import Ticket


@dataclass
class PendingAlbum:
    """The parts of one album received so far, where they go, and the sender's language."""

    chat_id: int
    media_group_id: str
    ticket: Ticket
    locale: str
    messages: list[Message] = field(default_factory=list)


class AlbumCollector:
    """The albums still gathering parts, and per chat a lock that keeps what reaches staff in
    the order the user sent it (an album before the message that followed it)."""

    def __init__(self) -> None:
        self._pending: dict[tuple[int, str], PendingAlbum] = {}
        # A chat's lock lives while someone holds or waits for it.
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    def add(self, message: Message, *, ticket: Ticket, locale: str) -> PendingAlbum:
        """One more part; the album it belongs to, new or gathering already."""
        key = (message.chat_id, str(message.media_group_id))
        album = self._pending.get(key)
        if album is None:
            album = self._pending[key] = PendingAlbum(*key, ticket=ticket, locale=locale)
        album.messages.append(message)
        return album

    def take(self, chat_id: int, media_group_id: str | None = None) -> list[PendingAlbum]:
        """A chat's pending album (or all of them, oldest first), no longer pending."""
        keys = [
            key for key in self._pending if key[0] == chat_id and media_group_id in (None, key[1])
        ]
        return [self._pending.pop(key) for key in keys]

    def chats(self) -> list[int]:
        """The chats with an album still gathering parts."""
        return sorted({chat_id for chat_id, _ in self._pending})

    def in_order(self, chat_id: int) -> asyncio.Lock:
        """Held while something of this chat's is passed on to staff."""
        lock = self._locks.get(chat_id)
        if lock is None:
            lock = self._locks[chat_id] = asyncio.Lock()
        return lock
