"""Who a broadcast goes to: everyone, or one segment chosen with buttons. No Telegram here."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import SUPPORTED_LOCALES
from bot.i18n import TELEGRAM_LANGUAGE_ALIASES
from bot.review.review_filter import STAGES
from db.broadcast_audience import (
    PARENTS,
    TRAINEES,
    audience_query,
    count_audience,
    locale_of_user,
)

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
class Recipient:
    user_id: int
    locale: str


def user_locale(default_locale: str) -> ColumnElement[str]:
    """bot.i18n.resolve_locale as SQL, from the same supported locales and aliases, so the
    audience is counted and the outbox filled in the database (tests check the two agree)."""
    return locale_of_user(SUPPORTED_LOCALES, TELEGRAM_LANGUAGE_ALIASES, default_locale)


def reads_english_copy(locale: str, has_english_version: bool) -> bool:
    """Only English readers get the English version, and only if there is one."""
    return has_english_version and locale == ENGLISH


def recipients_query(
    audience: Audience, *, default_locale: str, now: datetime
) -> Select[tuple[int, str]]:
    """(user id, locale) of whom the audience means right now; those who blocked the bot
    never count."""
    return audience_query(
        user_locale(default_locale),
        language=audience.value if audience.kind == LANGUAGE else None,
        regency=audience.value if audience.kind == REGENCY else None,
        campaign=audience.value if audience.kind == CAMPAIGN else None,
        seen_since=audience.seen_since(now),
        group=audience.value if audience.kind == GROUP else None,
        programme=audience.value if audience.kind == PROGRAMME else None,
        stage=audience.stage,
    )


async def count_recipients(
    session: AsyncSession, audience: Audience, *, default_locale: str, now: datetime
) -> tuple[int, int]:
    """How many the audience means right now, and how many of them read English."""
    query = recipients_query(audience, default_locale=default_locale, now=now)
    return await count_audience(session, query, ENGLISH)


async def find_recipients(
    session: AsyncSession, audience: Audience, *, default_locale: str, now: datetime
) -> list[Recipient]:
    """Everyone the audience means right now, as a list (the console counts and fills the
    outbox in the database instead)."""
    query = recipients_query(audience, default_locale=default_locale, now=now)
    rows = (await session.execute(query.order_by(query.selected_columns[0]))).all()
    return [Recipient(user_id, locale) for user_id, locale in rows]


# Every preview gets a revision number, kept with the audience and carried by its Send and
# Schedule buttons: a button is valid only for the audience and versions its preview showed.
REVISION = "rev"


def preview_revision(raw: dict[str, Any] | None) -> int:
    return int((raw or {}).get(REVISION, 0))


def previewed(audience: Audience, raw: dict[str, Any] | None) -> dict[str, Any]:
    """The stored audience after a new preview of it."""
    return {**audience.to_json(), REVISION: preview_revision(raw) + 1}


def versions_changed(raw: dict[str, Any] | None) -> dict[str, Any] | None:
    """The stored audience after a version was added: earlier previews are out of date."""
    return None if raw is None else {**raw, REVISION: preview_revision(raw) + 1}
