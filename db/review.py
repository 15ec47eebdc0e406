"""Queries behind the staff's registration review: saved filters, filtered lists and moves."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.funnel import record_funnel_step
from db.models import FUNNEL_STAGES, Registration, SavedFilter, utc_now

# Filters are kept a while so the buttons of older messages keep working.
KEEP_FILTERS = timedelta(days=30)


async def save_filter(session: AsyncSession, *, owner_id: int, criteria: dict[str, Any]) -> int:
    """Store a filter and return its id; old filters of the same owner are dropped."""
    await session.execute(
        delete(SavedFilter).where(
            SavedFilter.owner_id == owner_id, SavedFilter.created_at < utc_now() - KEEP_FILTERS
        )
    )
    saved = SavedFilter(owner_id=owner_id, criteria=criteria)
    session.add(saved)
    await session.flush()
    return saved.id


async def get_filter(session: AsyncSession, filter_id: int) -> dict[str, Any] | None:
    saved = await session.get(SavedFilter, filter_id)
    return dict(saved.criteria) if saved is not None else None


def _filtered(
    query: Select[Any],
    *,
    programme_code: str | None,
    batch: str | None = None,
    status: str | None,
    regency: str | None,
    submitted_since: datetime | None,
) -> Select[Any]:
    query = query.where(Registration.status != "draft", Registration.code.is_not(None))
    if programme_code is not None:
        query = query.where(Registration.programme_code == programme_code)
    if batch is not None:
        query = query.where(Registration.batch == batch)
    if status is not None:
        query = query.where(Registration.status == status)
    if regency is not None:
        query = query.where(Registration.regency == regency)
    if submitted_since is not None:
        query = query.where(Registration.submitted_at >= submitted_since)
    return query


async def count_filtered(session: AsyncSession, **criteria: Any) -> int:
    query = _filtered(select(func.count()).select_from(Registration), **criteria)
    return (await session.execute(query)).scalar_one()


async def list_filtered(
    session: AsyncSession, *, offset: int = 0, limit: int | None = None, **criteria: Any
) -> Sequence[Registration]:
    """Newest submissions first; all of them when no limit is given (exports)."""
    query = _filtered(select(Registration), **criteria)
    query = query.order_by(Registration.submitted_at.desc(), Registration.id.desc())
    return (await session.scalars(query.offset(offset).limit(limit))).all()


async def list_intakes(session: AsyncSession, **criteria: Any) -> list[tuple[str, int]]:
    """The batches that have submitted registrations matching the other criteria (programme,
    stage, home, period; any batch criterion is ignored), newest first, each with how many it
    has: so choosing "2026-1 (3)" opens a list of 3."""
    query = _filtered(select(Registration.batch, func.count()), **{**criteria, "batch": None})
    query = query.group_by(Registration.batch).order_by(Registration.batch.desc())
    return [(batch, count) for batch, count in (await session.execute(query)).all()]


async def get_registration(session: AsyncSession, registration_id: int) -> Registration | None:
    registration = await session.get(Registration, registration_id)
    if registration is None or registration.status == "draft":
        return None
    return registration


async def move_registration(
    session: AsyncSession, registration: Registration, status: str
) -> bool:
    """Set the stage; False (and unchanged) when that would make a second active registration
    of the same NIK for the programme's intake."""
    try:
        async with session.begin_nested():
            registration.status = status
            registration.status_changed_at = utc_now()
            await session.flush()
    except IntegrityError:
        await session.refresh(registration)
        return False
    if status in FUNNEL_STAGES:
        await record_funnel_step(
            session,
            user_id=registration.user_id,
            programme_code=registration.programme_code,
            stage=status,
        )
    return True
