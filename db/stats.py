"""Queries behind /stats: funnel counts, submissions per regency, and moments to count by day."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.funnel import STARTED
from db.models import FunnelEvent, Registration, StaffMember, User


async def count_funnel(
    session: AsyncSession,
    *,
    programme_code: str | None = None,
    campaign_source: str | None = None,
) -> dict[str, int]:
    """Rows per stage, for one programme or (None) for people's way through the bot as a whole;
    as each step implies the earlier ones (see db.funnel), a row count is a "reached" count."""
    query = (
        select(FunnelEvent.stage, func.count())
        .where(
            FunnelEvent.programme_code.is_(None)
            if programme_code is None
            else FunnelEvent.programme_code == programme_code
        )
        .group_by(FunnelEvent.stage)
    )
    if campaign_source is not None:
        query = query.where(FunnelEvent.campaign_source == campaign_source)
    return dict((await session.execute(query)).tuples().all())


async def count_campaign_results(
    session: AsyncSession, codes: Sequence[str]
) -> dict[str, dict[str, int]]:
    """For each campaign code: people who started the bot through it, and how many submitted."""
    query = (
        select(FunnelEvent.campaign_source, FunnelEvent.stage, func.count())
        .where(
            FunnelEvent.programme_code.is_(None),
            FunnelEvent.stage.in_((STARTED, "submitted")),
            FunnelEvent.campaign_source.in_(codes),
        )
        .group_by(FunnelEvent.campaign_source, FunnelEvent.stage)
    )
    results: dict[str, dict[str, int]] = {code: {} for code in codes}
    for code, stage, count in (await session.execute(query)).tuples().all():
        results[code or ""][stage] = count
    return results


async def count_submitted_by_regency(session: AsyncSession) -> dict[str | None, int]:
    """Registrations ever submitted (anonymised ones too: they keep their regency)."""
    query = (
        select(Registration.regency, func.count())
        .where(Registration.submitted_at.is_not(None), Registration.code.is_not(None))
        .group_by(Registration.regency)
    )
    return dict((await session.execute(query)).tuples().all())


async def list_new_user_moments(session: AsyncSession, *, since: datetime) -> list[datetime]:
    """When users first wrote to the bot, including those who deleted their data since (their
    "started" row stays, without a user, dated at their first contact). Staff are left out."""
    users = select(User.created_at).where(
        User.created_at >= since, User.id.not_in(select(StaffMember.user_id))
    )
    deleted = select(FunnelEvent.at).where(
        FunnelEvent.user_id.is_(None),
        FunnelEvent.programme_code.is_(None),
        FunnelEvent.stage == STARTED,
        FunnelEvent.at >= since,
    )
    return [*(await session.scalars(users)).all(), *(await session.scalars(deleted)).all()]


async def list_submission_moments(session: AsyncSession, *, since: datetime) -> Sequence[datetime]:
    query = select(Registration.submitted_at).where(
        Registration.submitted_at >= since, Registration.code.is_not(None)
    )
    return [moment for moment in (await session.scalars(query)).all() if moment is not None]
