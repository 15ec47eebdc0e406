"""The audit log: one row per staff action that changes data or exports personal data."""

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import AuditEntry, User


async def record_action(
    session: AsyncSession,
    *,
    actor_id: int | None,
    action: str,
    subject: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Write the entry in the caller's transaction, so it stands or falls with the change."""
    entry = AuditEntry(actor_id=actor_id, action=action, subject=subject, details=details or {})
    session.add(entry)
    return entry


async def list_actions(
    session: AsyncSession, *, action: str | None = None
) -> Sequence[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    return (await session.scalars(query)).all()


def _of_kind(query: Select[Any], prefixes: Sequence[str]) -> Select[Any]:
    if prefixes:
        query = query.where(or_(*(AuditEntry.action.startswith(p) for p in prefixes)))
    return query


async def count_actions(session: AsyncSession, *, prefixes: Sequence[str] = ()) -> int:
    """How many entries have an action starting with one of the prefixes (all if none)."""
    query = _of_kind(select(func.count()).select_from(AuditEntry), prefixes)
    return (await session.execute(query)).scalar_one()


async def list_recent_actions(
    session: AsyncSession, *, prefixes: Sequence[str] = (), offset: int = 0, limit: int = 10
) -> Sequence[AuditEntry]:
    """Newest first."""
    query = _of_kind(select(AuditEntry), prefixes).order_by(AuditEntry.id.desc())
    return (await session.scalars(query.offset(offset).limit(limit))).all()


async def list_names(session: AsyncSession, user_ids: Collection[int]) -> dict[int, str]:
    """The names of those of these people who have written to the bot."""
    if not user_ids:
        return {}
    query = select(User.id, User.first_name, User.last_name).where(User.id.in_(user_ids))
    return {
        user_id: " ".join(part for part in (first, last) if part)
        for user_id, first, last in (await session.execute(query)).all()
    }
