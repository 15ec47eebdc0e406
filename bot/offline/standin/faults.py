"""Fault injection: making chosen Bot API calls fail the way Telegram or the network can."""

from __future__ import annotations

from dataclasses import dataclass

from telegram.error import NetworkError, TimedOut

from bot.offline.standin.errors import ApiError, bad_request
from bot.offline.standin.records import JSONDict
from bot.offline.standin.validation import as_chat_id

# "delivered_timeout": the call takes effect (the message is delivered), but the answer never
# arrives, as when a read timeout hits after Telegram has acted. "server_error": Telegram
# answers 500; "connection_reset": the connection drops before an answer.
INJECTABLE_ERRORS = (
    "retry_after",
    "blocked",
    "bad_request",
    "timeout",
    "delivered_timeout",
    "server_error",
    "connection_reset",
)
AFTER_DELIVERY = "delivered_timeout"


@dataclass
class _Injection:
    method: str
    chat_id: int | None
    error: str
    retry_after: int
    remaining: int

    def fire(self) -> None:
        if self.error == "timeout":
            raise TimedOut()
        if self.error == "retry_after":
            raise ApiError(
                429,
                f"Too Many Requests: retry after {self.retry_after}",
                {"retry_after": self.retry_after},
            )
        if self.error == "blocked":
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if self.error == "server_error":
            raise ApiError(500, "Internal Server Error")
        if self.error == "connection_reset":
            raise NetworkError("httpx.ReadError: [Errno 104] Connection reset by peer")
        raise bad_request("chat not found")


class FaultPlan:
    """Failures still to be injected, each matched by method and optionally by chat."""

    def __init__(self) -> None:
        self._pending: list[_Injection] = []

    def add(
        self, method: str, chat_id: int | None, error: str, retry_after: int, times: int
    ) -> None:
        """Queue `error` for the next `times` calls of method (to chat_id only, if given)."""
        if error not in INJECTABLE_ERRORS:
            raise ValueError(f"error must be one of {INJECTABLE_ERRORS}, not {error!r}")
        if times < 1:
            raise ValueError("times must be at least 1")
        self._pending.append(_Injection(method.lower(), chat_id, error, retry_after, times))

    def fire(self, method: str, params: JSONDict) -> bool:
        """Raise the first pending failure that matches this call, using it up. True if the
        call is to take effect and then time out (raise TimedOut after handling it)."""
        target = as_chat_id(params.get("chat_id"))
        for injection in self._pending:
            if injection.method != method.lower():
                continue
            if injection.chat_id is not None and injection.chat_id != target:
                continue
            injection.remaining -= 1
            if injection.remaining == 0:
                self._pending.remove(injection)
            if injection.error == AFTER_DELIVERY:
                return True
            injection.fire()
        return False
