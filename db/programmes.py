"""Queries on the programme catalogue."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import IntakeOverride, IntakeWatcher, Programme, ProgrammeCategory, utc_now


async def list_categories(session: AsyncSession) -> Sequence[ProgrammeCategory]:
    """Categories that have at least one active programme, in catalogue order."""
    has_programme = (
        select(Programme.code)
        .where(Programme.category == ProgrammeCategory.code, Programme.active)
        .exists()
    )
    query = select(ProgrammeCategory).where(has_programme).order_by(ProgrammeCategory.position)
    return (await session.scalars(query)).all()


async def get_category(session: AsyncSession, code: str) -> ProgrammeCategory | None:
    return await session.get(ProgrammeCategory, code)


async def list_programmes(
    session: AsyncSession, *, category: str, offset: int, limit: int
) -> tuple[Sequence[Programme], int]:
    """One page of a category's active programmes and the category's total."""
    where = (Programme.category == category, Programme.active)
    total = (
        await session.execute(select(func.count()).select_from(Programme).where(*where))
    ).scalar_one()
    query = select(Programme).where(*where).order_by(Programme.position)
    page = (await session.scalars(query.offset(offset).limit(limit))).all()
    return page, total


async def list_all_programmes(session: AsyncSession) -> Sequence[Programme]:
    """Every active programme, in catalogue order (category, then programme)."""
    query = (
        select(Programme)
        .join(ProgrammeCategory, Programme.category == ProgrammeCategory.code)
        .where(Programme.active)
        .order_by(ProgrammeCategory.position, Programme.position)
    )
    return (await session.scalars(query)).all()


async def hold_programme(session: AsyncSession, code: str) -> None:
    """Hold the programme until the transaction ends, so that its quota count and a
    submission happen for one person at a time, updates of different chats running at once:
    a no-op UPDATE locks the row on PostgreSQL and takes SQLite's write lock."""
    await session.execute(
        update(Programme)
        .where(Programme.code == code)
        .values(active=Programme.active, updated_at=Programme.updated_at)
    )


async def get_programme(session: AsyncSession, code: str) -> Programme | None:
    programme = await session.get(Programme, code)
    return programme if programme is not None and programme.active else None


async def sync_catalogue(
    session: AsyncSession,
    *,
    categories: Sequence[dict[str, Any]],
    programmes: Sequence[dict[str, Any]],
) -> list[str]:
    """Make the tables match these rows (the catalogue file with staff settings applied);
    programmes dropped from the file become inactive.

    Returns the codes of programmes whose intake has just opened.
    """
    before = dict((await session.execute(select(Programme.code, Programme.intake))).all())
    for position, category in enumerate(categories):
        await session.merge(
            ProgrammeCategory(code=category["code"], position=position, texts=category["texts"])
        )
    await session.flush()
    codes = [programme["code"] for programme in programmes]
    opened = []
    for position, row in enumerate(programmes):
        await session.merge(Programme(position=position, active=True, **row))
        if row["intake"] == "open" and before.get(row["code"], "open") != "open":
            opened.append(row["code"])
    await session.execute(
        update(Programme).where(Programme.code.not_in(codes)).values(active=False)
    )
    return opened


async def list_overrides(session: AsyncSession) -> Sequence[IntakeOverride]:
    return (await session.scalars(select(IntakeOverride))).all()


async def get_override(session: AsyncSession, code: str) -> IntakeOverride | None:
    return await session.get(IntakeOverride, code)


async def save_override(
    session: AsyncSession, programme_code: str, *, values: dict[str, Any], set_by: int
) -> None:
    """Replace what staff set for this intake (JSON-ready values), written over the file."""
    override = await session.get(IntakeOverride, programme_code)
    if override is None:
        session.add(IntakeOverride(programme_code=programme_code, values=values, set_by=set_by))
        return
    override.values, override.set_by, override.set_at = values, set_by, utc_now()


async def delete_override(session: AsyncSession, programme_code: str) -> None:
    override = await session.get(IntakeOverride, programme_code)
    if override is not None:
        await session.delete(override)


async def list_dated_programmes(session: AsyncSession) -> Sequence[Programme]:
    """Active programmes with an opening or closing date, which may change by themselves."""
    query = select(Programme).where(
        Programme.active,
        or_(Programme.opens_on.is_not(None), Programme.closes_on.is_not(None)),
    )
    return (await session.scalars(query)).all()


async def update_intake_if(session: AsyncSession, code: str, *, before: str, after: str) -> bool:
    """Set a programme's intake only if it is still `before`, so that a change committed in
    between (by staff) is never overwritten; whether it was set."""
    result = await session.execute(
        update(Programme)
        .where(Programme.code == code, Programme.intake == before)
        .values(intake=after)
        .execution_options(synchronize_session="fetch")
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def list_batches(session: AsyncSession) -> dict[str, str]:
    """Every programme's batch as last synced from the catalogue file."""
    return dict((await session.execute(select(Programme.code, Programme.batch))).all())  # type: ignore[arg-type]


async def list_watchers_to_notify(
    session: AsyncSession, programme_code: str
) -> Sequence[IntakeWatcher]:
    query = select(IntakeWatcher).where(
        IntakeWatcher.programme_code == programme_code, IntakeWatcher.notified_at.is_(None)
    )
    return (await session.scalars(query)).all()


async def list_trainee_programmes(session: AsyncSession) -> Sequence[Programme]:
    """Every active programme for trainees (not parents), in catalogue order."""
    query = (
        select(Programme)
        .join(ProgrammeCategory, Programme.category == ProgrammeCategory.code)
        .where(Programme.active, Programme.audience == "trainee")
        .order_by(ProgrammeCategory.position, Programme.position)
    )
    return (await session.scalars(query)).all()


async def list_user_watches(session: AsyncSession, user_id: int) -> Sequence[IntakeWatcher]:
    query = select(IntakeWatcher).where(IntakeWatcher.user_id == user_id)
    return (await session.scalars(query)).all()
