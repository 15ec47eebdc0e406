"""Who a broadcast goes to: everyone, or one segment chosen with buttons. No Telegram here."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import SUPPORTED_LOCALES
from bot.i18n import resolve_locale
from db.broadcasts import list_audience_candidates

EVERYONE = "all"
LANGUAGE = "lang"
REGENCY = "reg"
CAMPAIGN = "camp"
ACTIVE = "act"
KINDS = (EVERYONE, LANGUAGE, REGENCY, CAMPAIGN, ACTIVE)
ACTIVE_DAYS = ("7", "30")


@dataclass(frozen=True)
class Audience:
    kind: str = EVERYONE
    value: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": self.value}

    @classmethod
    def from_json(cls, raw: dict[str, Any] | None) -> "Audience":
        if not raw or raw.get("kind") not in KINDS:
            return cls()
        return cls(raw["kind"], raw.get("value"))

    def is_valid(self) -> bool:
        if self.kind == EVERYONE:
            return self.value is None
        if self.kind == LANGUAGE:
            return self.value in SUPPORTED_LOCALES
        if self.kind == ACTIVE:
            return self.value in ACTIVE_DAYS
        return bool(self.value)

    def seen_since(self, now: datetime) -> datetime | None:
        if self.kind != ACTIVE or self.value is None:
            return None
        return now - timedelta(days=int(self.value))


@dataclass(frozen=True)
class Candidate:
    """A user who has not blocked the bot, with what decides the language they read."""

    user_id: int
    language: str | None
    telegram_language: str | None


def select_recipients(
    audience: Audience, candidates: list[Candidate], default_locale: str
) -> list[int]:
    """The database narrows by regency, campaign and activity; the language is decided here
    exactly as the bot decides which language to answer in."""
    if audience.kind != LANGUAGE:
        return [c.user_id for c in candidates]
    return [
        c.user_id
        for c in candidates
        if resolve_locale(c.language, c.telegram_language, default_locale) == audience.value
    ]


async def find_recipients(
    session: AsyncSession, audience: Audience, *, default_locale: str, now: datetime
) -> list[int]:
    """The user ids the audience means right now; those who blocked the bot never count."""
    rows = await list_audience_candidates(
        session,
        regency=audience.value if audience.kind == REGENCY else None,
        campaign=audience.value if audience.kind == CAMPAIGN else None,
        seen_since=audience.seen_since(now),
    )
    return select_recipients(audience, [Candidate(*row) for row in rows], default_locale)
