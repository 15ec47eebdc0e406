"""Who a broadcast goes to: everyone, or one segment chosen with buttons. No Telegram here."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import SUPPORTED_LOCALES
from bot.i18n import resolve_locale
from bot.review_filter import STAGES
from db.broadcast_audience import PARENTS, TRAINEES, list_audience_candidates

EVERYONE = "all"
LANGUAGE = "lang"
REGENCY = "reg"
CAMPAIGN = "camp"
ACTIVE = "act"
# Trainees or parents (see db/broadcast_audience.py for what makes someone either).
GROUP = "grp"
# Anyone interested in one programme; a programme's registrations at one stage.
PROGRAMME = "prog"
STAGE = "stg"
KINDS = (EVERYONE, LANGUAGE, REGENCY, CAMPAIGN, ACTIVE, GROUP, PROGRAMME, STAGE)
ACTIVE_DAYS = ("7", "30", "90")
GROUPS = (TRAINEES, PARENTS)
# A stage audience's value: "<programme code>.<stage>".
STAGE_SEPARATOR = "."
ENGLISH = "en"


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
        if self.kind == GROUP:
            return self.value in GROUPS
        if self.kind == STAGE:
            return self.stage is not None
        return bool(self.value)

    @property
    def stage(self) -> tuple[str, str] | None:
        """(programme code, registration status) of a stage audience."""
        if self.kind != STAGE or not self.value or STAGE_SEPARATOR not in self.value:
            return None
        programme, stage = self.value.rsplit(STAGE_SEPARATOR, 1)
        return (programme, stage) if programme and stage in STAGES else None

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


@dataclass(frozen=True)
class Recipient:
    user_id: int
    locale: str


def select_recipients(
    audience: Audience, candidates: list[Candidate], default_locale: str
) -> list[Recipient]:
    """The database narrows by segment; the language is decided here exactly as the bot
    decides which language to answer in."""
    recipients = [
        Recipient(c.user_id, resolve_locale(c.language, c.telegram_language, default_locale))
        for c in candidates
    ]
    if audience.kind != LANGUAGE:
        return recipients
    return [r for r in recipients if r.locale == audience.value]


def reads_english_copy(locale: str, has_english_version: bool) -> bool:
    """Only English readers get the English version, and only if there is one."""
    return has_english_version and locale == ENGLISH


async def find_recipients(
    session: AsyncSession, audience: Audience, *, default_locale: str, now: datetime
) -> list[Recipient]:
    """Who the audience means right now; those who blocked the bot never count."""
    rows = await list_audience_candidates(
        session,
        regency=audience.value if audience.kind == REGENCY else None,
        campaign=audience.value if audience.kind == CAMPAIGN else None,
        seen_since=audience.seen_since(now),
        group=audience.value if audience.kind == GROUP else None,
        programme=audience.value if audience.kind == PROGRAMME else None,
        stage=audience.stage,
    )
    return select_recipients(audience, [Candidate(*row) for row in rows], default_locale)
