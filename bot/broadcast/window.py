"""One broadcast's window of copies in flight: up to `broadcast_in_flight` sends at all times,
a new one started as soon as one finishes. A network's round trip then overlaps the pacer's
next slots instead of being paid once per batch.

The window remembers which outbox rows it has claimed until the worker harvests their
outcomes, so a refill (the lowest pending rows) never claims one twice. Nothing else is
remembered: once the window is empty, the next refill starts again from the lowest pending row
(after a pause, a restart or a deleted source)."""

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

from db.models import Broadcast

logger = logging.getLogger(__name__)
# A send that failed unexpectedly (say, the database): its broadcast waits this long before
# claiming rows again, so a persistent fault does not resend copies in a tight loop.
FAULT_PAUSE_SECONDS = 30.0


class SendWindow:
    def __init__(self, broadcast: Broadcast, size: int) -> None:
        # Read once: what is copied, and from where, does not change while sending.
        self.broadcast = broadcast
        self.size = size
        # Each send, and the outbox row it serves; kept until harvested.
        self.tasks: dict[asyncio.Task[int | None], int] = {}
        self.held_until = 0.0
        # False once the broadcast is seen paused or cancelled: sends still waiting for their
        # turn then give up, leaving their rows pending.
        self.open = True
        # The message id a send found deleted, once the broadcast paused for it.
        self.deleted_source: int | None = None

    def free(self) -> int:
        """How many more sends may start now (none while held after a fault)."""
        if time.monotonic() < self.held_until:
            return 0
        return self.size - len(self.tasks)

    def claimed(self) -> set[int]:
        return set(self.tasks.values())

    def launch(
        self,
        row_id: int,
        send: Coroutine[Any, Any, int | None],
        when_done: Callable[[asyncio.Task[int | None]], object],
    ) -> None:
        task = asyncio.create_task(send, name=f"broadcast copy, outbox row {row_id}")
        self.tasks[task] = row_id
        task.add_done_callback(when_done)

    def harvest(self) -> list[int]:
        """Forget the finished sends; the message ids of those that found the message to copy
        deleted. A send that raised is logged and holds the window for a while."""
        gone = []
        for task in [task for task in self.tasks if task.done()]:
            row_id = self.tasks.pop(task)
            if task.cancelled():
                continue
            error = task.exception()
            if error is not None:
                logger.error("Sending outbox row %s failed", row_id, exc_info=error)
                self.held_until = time.monotonic() + FAULT_PAUSE_SECONDS
            elif (message_id := task.result()) is not None:
                gone.append(message_id)
        return gone

    def cancel(self) -> list[asyncio.Task[int | None]]:
        tasks = list(self.tasks)
        for task in tasks:
            task.cancel()
        return tasks
