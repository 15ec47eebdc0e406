"""Who can be chosen as a broadcast's audience: the candidates of each segment, and the
programmes and stages that segments are built from."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, distinct, exists, or_, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    EligibilityAnswer,
    FunnelEvent,
    IntakeWatcher,
    Programme,
    Registration,
    SchoolInterest,
    User,
)

TRAINEES, PARENTS = "trainee", "parent"
# The Sekolah Rakyat deep links (t.me/<bot>?start=sekolahrakyat), kept as the campaign source.
SCHOOL_DEEP_LINKS = ("sekolahrakyat", "sekolah_rakyat", "sr")


def is_parent() -> ColumnElement[bool]:
    """Parents: anyone who asked about Sekolah Rakyat, or came through its deep link."""
    return or_(
        exists().where(SchoolInterest.user_id == User.id),
        User.campaign_source.in_(SCHOOL_DEEP_LINKS),
    )


def is_trainee() -> ColumnElement[bool]:
    """Trainees: anyone who registered, answered the eligibility check, watches an intake, or
    reached a step towards a programme for trainees (not Sekolah Rakyat, which is for parents)."""
    trainee_programme = select(Programme.code).where(Programme.audience == TRAINEES)
    return or_(
        exists().where(Registration.user_id == User.id),
        exists().where(EligibilityAnswer.user_id == User.id),
        exists().where(IntakeWatcher.user_id == User.id),
        exists().where(
            FunnelEvent.user_id == User.id, FunnelEvent.programme_code.in_(trainee_programme)
        ),
    )


def is_interested_in(programme_code: str) -> ColumnElement[bool]:
    """Anyone with a registration, an intake watch or a step recorded for the programme."""
    return or_(
        exists().where(
            Registration.user_id == User.id, Registration.programme_code == programme_code
        ),
        exists().where(
            IntakeWatcher.user_id == User.id, IntakeWatcher.programme_code == programme_code
        ),
        exists().where(
            FunnelEvent.user_id == User.id, FunnelEvent.programme_code == programme_code
        ),
    )


async def list_audience_candidates(
    session: AsyncSession,
    *,
    regency: str | None = None,
    campaign: str | None = None,
    seen_since: datetime | None = None,
    group: str | None = None,
    programme: str | None = None,
    stage: tuple[str, str] | None = None,
) -> Sequence[Row[tuple[int, str | None, str | None]]]:
    """Users who have not blocked the bot, narrowed by the given segment."""
    query = select(User.id, User.language, User.telegram_language).where(
        User.blocked_bot.is_(False)
    )
    if regency is not None:
        query = query.where(
            exists().where(and_(Registration.user_id == User.id, Registration.regency == regency))
        )
    if campaign is not None:
        query = query.where(User.campaign_source == campaign)
    if seen_since is not None:
        query = query.where(User.last_seen_at >= seen_since)
    if group is not None:
        query = query.where(is_parent() if group == PARENTS else is_trainee())
    if programme is not None:
        query = query.where(is_interested_in(programme))
    if stage is not None:
        programme_code, status = stage
        query = query.where(
            exists().where(
                Registration.user_id == User.id,
                Registration.programme_code == programme_code,
                Registration.status == status,
            )
        )
    return (await session.execute(query.order_by(User.id))).all()


async def list_regencies(session: AsyncSession) -> list[str]:
    query = select(distinct(Registration.regency)).where(Registration.regency.is_not(None))
    return sorted(value for value in (await session.scalars(query)).all() if value)


async def list_campaign_sources(session: AsyncSession) -> list[str]:
    query = select(distinct(User.campaign_source)).where(User.campaign_source.is_not(None))
    return sorted(value for value in (await session.scalars(query)).all() if value)


async def list_programme_titles(session: AsyncSession, locale: str) -> list[tuple[str, str]]:
    """Every active programme as (code, title), in catalogue order."""
    query = select(Programme).where(Programme.active).order_by(Programme.position)
    return [(p.code, p.texts["title"][locale]) for p in (await session.scalars(query)).all()]
