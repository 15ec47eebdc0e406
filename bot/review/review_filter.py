"""The registration filter staff build with buttons, and what it means as query criteria."""

from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.config import CENTRE_TIMEZONE
from bot.i18n import N_

PERIODS = ("today", "7d", "30d", "all")
PERIOD_LABELS = {
    "today": N_("Today"),
    "7d": N_("Last 7 days"),
    "30d": N_("Last 30 days"),
    "all": N_("All time"),
}
STAGES = ("submitted", "verified", "test_scheduled", "accepted", "rejected", "withdrawn")
# The stages staff may move a registration to; withdrawing is the applicant's own choice.
MOVABLE_STAGES = ("submitted", "verified", "test_scheduled", "accepted", "rejected")
FIELDS = ("programme", "intake", "stage", "regency", "period")
PAGE_SIZE = 8


@dataclass(frozen=True)
class ReviewFilter:
    programme: str | None = None
    # The programme's batch ("2026-1"); saved filters from before it have no such key.
    intake: str | None = None
    stage: str | None = None
    regency: str | None = None
    period: str = "all"

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> "ReviewFilter":
        known = {key: raw[key] for key in FIELDS if key in raw}
        return cls(**known)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def with_value(self, field: str, value: str | None) -> "ReviewFilter":
        """The filter with one field changed; None clears it (the period goes back to all)."""
        if field not in FIELDS:
            raise ValueError(f"unknown filter field {field!r}")
        if field == "period":
            return replace(self, period=value if value in PERIODS else "all")
        return replace(self, **{field: value})

    def criteria(self, now: datetime) -> dict[str, Any]:
        """Keyword arguments for db.review's queries."""
        return {
            "programme_code": self.programme,
            "batch": self.intake,
            "status": self.stage,
            "regency": self.regency,
            "submitted_since": submitted_since(self.period, now),
        }


def submitted_since(period: str, now: datetime) -> datetime | None:
    if period == "today":
        # In UTC, like every stored time (SQLite compares them as text).
        local = now.astimezone(CENTRE_TIMEZONE)
        return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
    if period == "7d":
        return now - timedelta(days=7)
    if period == "30d":
        return now - timedelta(days=30)
    return None


def page_count(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))
