"""One copy to one recipient: paced, held through 429s, retried through timeouts a bounded
number of times, and given up if staff pause or cancel before its turn comes."""

import asyncio
from dataclasses import dataclass

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.broadcast.pacing import Pacer, retry_seconds, source_was_deleted
from bot.broadcast.window import SendWindow
from db.broadcasts import BLOCKED, FAILED, SENT

# Timeouts and network errors: tries per recipient before it counts as failed.
MAX_ATTEMPTS = 3
# Between tries to one chat: Telegram allows about one message per second per chat.
RETRY_PAUSE_SECONDS = 1.0
# Not an outcome: the message to copy is gone, so the row stays pending and the broadcast
# pauses.
SOURCE_DELETED = "source_deleted"
# Not an outcome either: staff paused or cancelled before this copy's turn came, so it was not
# sent and the row stays pending.
NOT_SENT = "not_sent"


@dataclass(frozen=True)
class Outcome:
    status: str
    attempts: int
    message_id: int | None = None
    error: str | None = None


async def send_copy(
    bot: Bot, pacer: Pacer, window: SendWindow, user_id: int, message_id: int, scale: float
) -> Outcome:
    """scale: the settings' broadcast_wait_scale, applied to every wait."""
    attempts = 0
    while True:
        await pacer.wait()
        if not window.open:
            return Outcome(NOT_SENT, attempts)
        attempts += 1
        try:
            copied = await bot.copy_message(
                chat_id=user_id,
                from_chat_id=window.broadcast.source_chat_id,
                message_id=message_id,
            )
            return Outcome(SENT, attempts, copied.message_id)
        except RetryAfter as error:
            # Telegram asks every sender to wait, so the whole broadcast holds; the same
            # recipient is tried again and the refused try does not count.
            attempts -= 1
            pacer.hold(retry_seconds(error) * scale)
        except Forbidden as error:
            return Outcome(BLOCKED, attempts, error=error.message)
        except BadRequest as error:
            if source_was_deleted(error):
                return Outcome(SOURCE_DELETED, attempts, error=error.message)
            return Outcome(FAILED, attempts, error=error.message)
        except NetworkError as error:
            # Includes TimedOut: perhaps delivered, perhaps not; retried a bounded number.
            if attempts >= MAX_ATTEMPTS:
                return Outcome(FAILED, attempts, error=error.message)
            await asyncio.sleep(RETRY_PAUSE_SECONDS * scale)
        except TelegramError as error:
            return Outcome(FAILED, attempts, error=error.message)
