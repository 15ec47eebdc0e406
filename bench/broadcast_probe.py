"""One measured broadcast, in a fresh process so memory is its own: prints JSON.

python -m bench.broadcast_probe DATABASE_PATH RECIPIENTS RATE

A staff member composes a real /broadcast to everyone through the stand-in; the real
confirmation fills the outbox and the application's own BroadcastWorker sends the copies.
"""

import asyncio
import json
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.config import Settings
from bot.offline import offline_bot
from bot.standin import TelegramStandIn
from db.models import Broadcast

STAFF = 9_000_001
# Once every copy went out, how long the worker may take to mark the broadcast done.
FINISH_SECONDS = 30.0


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class CountingStandIn(TelegramStandIn):
    """The stand-in, answering copies to the seeded users as usual, then forgetting them (its
    own bookkeeping is not the bot's memory) after noting each chat's copy and the time."""

    def __init__(self, recipients: int) -> None:
        super().__init__()
        self.recipients = recipients
        self.copies_per_chat = bytearray(recipients + 1)
        self.copies = 0
        self.first_copy_at = 0.0
        self.last_copy_at = 0.0

    async def do_request(  # type: ignore[override]
        self, url: str, method: str, request_data: Any = None, *args: Any, **kwargs: Any
    ) -> tuple[int, bytes]:
        status, body = await super().do_request(url, method, request_data, *args, **kwargs)
        if not url.endswith("/copyMessage") or status != 200 or request_data is None:
            return status, body
        chat_id = int(request_data.parameters["chat_id"])
        if not 1 <= chat_id <= self.recipients:
            return status, body
        now = time.perf_counter()
        self.first_copy_at = self.first_copy_at or now
        self.last_copy_at = now
        self.copies += 1
        self.copies_per_chat[chat_id] = min(255, self.copies_per_chat[chat_id] + 1)
        # Nothing awaited since the call was recorded: it is still the last one.
        self.calls.pop()
        for sent in self._history.pop(chat_id, []):
            self._by_id.pop((chat_id, sent.message_id), None)
            if self._activity and self._activity[-1] is sent:
                self._activity.pop()
        self._chats.pop(chat_id, None)
        self._next_ids.pop(chat_id, None)
        return status, body


async def broadcast(database: Path, recipients: int, rate: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=f"sqlite+aiosqlite:///{database}",
            admin_ids=(STAFF,),
            default_locale="id",
            broadcast_rate=rate,
            data_key_file=Path(folder) / "data.key",
        )
        standin = CountingStandIn(recipients)
        async with offline_bot(settings, standin) as running:
            rss_started = peak_rss_mib()
            staff = running.user(STAFF, first_name="Rina", language_code="en")
            await staff.send("/broadcast")
            await staff.send("Pendaftaran angkatan 2026-2 dibuka! Daftar lewat /programmes.")
            await staff.tap("👥 Everyone")
            send = next(label for label in staff.buttons if label.startswith("📤"))
            data = str(staff.last_reply.button(send)["callback_data"])
            rss_before = peak_rss_mib()
            started = time.perf_counter()
            await staff.tap_data(data)
            filled = time.perf_counter() - started
            rss_after_fill = peak_rss_mib()
            while standin.copies < recipients:
                await asyncio.sleep(0.2)
            finished = await wait_until_done(running.application)
        elapsed = standin.last_copy_at - standin.first_copy_at
    return {
        "recipients": recipients,
        "copies": standin.copies,
        "max_copies_per_chat": max(standin.copies_per_chat),
        "chats_without_copy": standin.copies_per_chat[1:].count(0),
        "fill_seconds": filled,
        "send_seconds": elapsed,
        "achieved_rate": (standin.copies - 1) / elapsed if elapsed else 0.0,
        "done": finished,
        "rss_started_mib": rss_started,
        "rss_before_mib": rss_before,
        "rss_after_fill_mib": rss_after_fill,
        "rss_mib": peak_rss_mib(),
    }


async def wait_until_done(application: Any) -> bool:
    sessions = application.bot_data["services"].session_factory
    deadline = time.monotonic() + FINISH_SECONDS
    while time.monotonic() < deadline:
        async with sessions() as session:
            status = (await session.scalars(select(Broadcast.status))).first()
        if status == "done":
            return True
        await asyncio.sleep(0.2)
    return False


def main() -> None:
    database, recipients, rate = Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    print(json.dumps(asyncio.run(broadcast(database, recipients, rate))))


if __name__ == "__main__":
    main()
