"""The figures `/metrics` shows, in a registry of the Application's own (nothing global)."""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from telegram import Update
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter

# Handler time per update, in seconds: from a few milliseconds to a slow export.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def update_type(update: object) -> str:
    """The kind of update as Telegram names it: message, callback_query, my_chat_member..."""
    if isinstance(update, Update):
        for kind in Update.ALL_TYPES:
            if getattr(update, kind, None) is not None:
                return kind
    return "other"


class BotMetrics:
    """Counters the bot moves as it works; exported in Prometheus' text format."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        registry = self.registry
        self.updates = Counter(
            "vokasi_updates", "Updates handled, by type.", ["type"], registry=registry
        )
        self.update_seconds = Histogram(
            "vokasi_update_seconds",
            "Time the handlers took per update.",
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.errors = Counter(
            "vokasi_update_errors", "Updates whose handler failed.", registry=registry
        )
        self.flood_dropped = Counter(
            "vokasi_flood_dropped", "Updates dropped by flood control.", registry=registry
        )
        self.webhook_refused = Counter(
            "vokasi_webhook_refused",
            "Webhook requests refused, by reason (missing or wrong secret, not an update).",
            ["reason"],
            registry=registry,
        )
        self.api_calls = Counter(
            "vokasi_bot_api_calls",
            "Calls to the Bot API, by method.",
            ["method"],
            registry=registry,
        )
        self.api_retry_after = Counter(
            "vokasi_bot_api_retry_after",
            "Bot API calls answered 429 (retry after), by method.",
            ["method"],
            registry=registry,
        )
        self.broadcast_copies = Counter(
            "vokasi_broadcast_copies",
            "Broadcast copies by outcome: sent, failed or blocked.",
            ["outcome"],
            registry=registry,
        )
        self.outbox_pending = Gauge(
            "vokasi_broadcast_outbox_pending",
            "Broadcast copies waiting to be sent, counted when /metrics is read.",
            registry=registry,
        )
        self.faq_questions = Counter(
            "vokasi_faq_questions",
            "Typed questions by outcome: answered, suggested (a choice shown) or unanswered.",
            ["outcome"],
            registry=registry,
        )


class CountedRateLimiter(AIORateLimiter):
    """PTB's rate limiter, counting every Bot API call and every 429 on the way."""

    def __init__(self, metrics: BotMetrics, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.metrics = metrics

    async def process_request(  # type: ignore[override]
        self, callback: Any, args: Any, kwargs: Any, endpoint: str, data: Any, rate_limit_args: Any
    ) -> Any:
        self.metrics.api_calls.labels(endpoint).inc()
        try:
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )
        except RetryAfter:
            self.metrics.api_retry_after.labels(endpoint).inc()
            raise
