"""One measured broadcast, in a fresh process so memory is its own: prints JSON.

python -m bench.broadcast_probe DATABASE_PATH RECIPIENTS RATE [LATENCY_SECONDS]

A staff member composes a real /broadcast to everyone through the stand-in; the real
confirmation fills the outbox and the application's own BroadcastWorker sends the copies.
The stand-in answers at once unless a latency is given, which it then waits before each
copyMessage answer (as a network would).

The probe never waits forever: it stops when every copy arrived, when the worker finished
without them (a failed copy), or at a deadline (a crashed worker), and reports what it saw;
bench.broadcast judges the result.
"""

import asyncio
import json
import sys
import tempfile
import time
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bench.process_memory import peak_rss_mib
from bot.config import Settings
from bot.offline.offline_bot import offline_bot
from bot.offline.standin import TelegramStandIn
from db.broadcasts import SENDING
from db.models import Broadcast

STAFF = 9_000_001
# Once every copy went out, how long the worker may take to mark the broadcast done.
FINISH_SECONDS = 30.0
# The deadline for the copies: twice the time they should take at the configured rate, or at
# SLOWEST copies a second when the rate is set higher (the machine's own speed), plus a minute.
SLOWEST = 250.0
IN_FLIGHT = 10  # Settings.broadcast_in_flight's default, which the probe keeps


def deadline_seconds(recipients: int, rate: float, latency: float = 0.0) -> float:
    expected = recipients / min(rate, SLOWEST) + recipients * latency / IN_FLIGHT
    return 60.0 + 2 * expected


def max_in_one_second(times: Sequence[float]) -> int:
    """The most copies received within any 1-second window [t, t + 1), t a receive time."""
    most, first = 0, 0
    for last, at in enumerate(times):
        while at - times[first] >= 1.0:
            first += 1
        most = max(most, last - first + 1)
    return most


class CountingStandIn(TelegramStandIn):
    """The stand-in, answering copies to the seeded users as usual, then forgetting them (its
    own bookkeeping is not the bot's memory) after noting each chat's copy and the time it
    received the call. Its arrays are allocated before the probe's baseline memory is read."""

    def __init__(self, recipients: int, latency: float = 0.0) -> None:
        super().__init__()
        self.recipients = recipients
        self.latency = latency
        self.copies_per_chat = bytearray(recipients + 1)
        self.received_at = array("d", bytes(8 * (recipients + 1)))
        self.copies = 0

    async def do_request(  # type: ignore[override]
        self, url: str, method: str, request_data: Any = None, *args: Any, **kwargs: Any
    ) -> tuple[int, bytes]:
        received = time.perf_counter()
        if self.latency and url.endswith("/copyMessage"):
            await asyncio.sleep(self.latency)
        status, body = await super().do_request(url, method, request_data, *args, **kwargs)
        if not url.endswith("/copyMessage") or status != 200 or request_data is None:
            return status, body
        chat_id = int(request_data.parameters["chat_id"])
        if not 1 <= chat_id <= self.recipients:
            return status, body
        if self.copies < len(self.received_at):
            self.received_at[self.copies] = received
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


async def broadcast(
    database: Path,
    recipients: int,
    rate: float,
    latency: float = 0.0,
    standin: CountingStandIn | None = None,
    baseline_mib: float | None = None,
) -> dict[str, float]:
    standin = standin or CountingStandIn(recipients, latency)
    baseline = peak_rss_mib() if baseline_mib is None else baseline_mib
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=f"sqlite+aiosqlite:///{database}",
            admin_ids=(STAFF,),
            default_locale="id",
            broadcast_rate=rate,
            broadcast_in_flight=IN_FLIGHT,
            data_key_file=Path(folder) / "data.key",
        )
        async with offline_bot(settings, standin) as running:
            rss_started = peak_rss_mib()
            staff = running.user(STAFF, first_name="Rina", language_code="en")
            await staff.send("/broadcast")
            await staff.send("Pendaftaran angkatan 2026-2 dibuka! Daftar lewat /programmes.")
            await staff.tap("👥 Everyone")
            # Tapped by its label: the callback data is the confirmation's business.
            send = next(label for label in staff.buttons if label.startswith("📤"))
            data = str(staff.last_reply.button(send)["callback_data"])
            rss_before = peak_rss_mib()
            started = time.perf_counter()
            await staff.tap_data(data)
            filled = time.perf_counter() - started
            rss_after_fill = peak_rss_mib()
            timed_out = not await wait_for_copies(running.application, standin, rate, latency)
            finished = await wait_until_done(running.application)
    times = standin.received_at[: min(standin.copies, recipients)]
    elapsed = times[-1] - times[0] if len(times) > 1 else 0.0
    return {
        "recipients": recipients,
        "copies": standin.copies,
        "max_copies_per_chat": max(standin.copies_per_chat),
        "chats_without_copy": standin.copies_per_chat[1:].count(0),
        "fill_seconds": filled,
        "send_seconds": elapsed,
        "achieved_rate": (len(times) - 1) / elapsed if elapsed else 0.0,
        "max_in_one_second": max_in_one_second(times),
        "latency_seconds": latency,
        "done": finished,
        "timed_out": timed_out,
        "rss_baseline_mib": baseline,
        "rss_started_mib": rss_started,
        "rss_before_mib": rss_before,
        "rss_after_fill_mib": rss_after_fill,
        "rss_mib": peak_rss_mib(),
    }


async def wait_for_copies(
    application: Any, standin: CountingStandIn, rate: float, latency: float
) -> bool:
    """True once every recipient's copy arrived; False if the worker stopped sending without
    them (a copy failed) or the deadline passed (say, the worker crashed)."""
    sessions = application.bot_data["services"].session_factory
    deadline = time.monotonic() + deadline_seconds(standin.recipients, rate, latency)
    checked = time.monotonic()
    while standin.copies < standin.recipients:
        if time.monotonic() > deadline:
            return False
        if time.monotonic() - checked >= 1.0:
            checked = time.monotonic()
            async with sessions() as session:
                status = (await session.scalars(select(Broadcast.status))).first()
            if status not in (None, SENDING) and standin.copies < standin.recipients:
                return True  # stopped on its own: the result shows what is missing
        await asyncio.sleep(0.2)
    return True


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
    latency = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0
    # The stand-in's own arrays first, so the baseline (this process after its imports) holds
    # them and the growth above it is the bot's.
    standin = CountingStandIn(recipients, latency)
    baseline = peak_rss_mib()
    result = asyncio.run(broadcast(database, recipients, rate, latency, standin, baseline))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
