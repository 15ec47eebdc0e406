"""The audit log: one row per staff action that changes data or exports personal data."""

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Select, cast, func, or_, select
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


async def count_actions(
    session: AsyncSession, *, prefixes: Sequence[str] = (), newer_than: int | None = None
) -> int:
    """How many entries have an action starting with one of the prefixes (all if none), and an
    id above `newer_than` if given."""
    query = _of_kind(select(func.count()).select_from(AuditEntry), prefixes)
    if newer_than is not None:
        query = query.where(AuditEntry.id > newer_than)
    return (await session.execute(query)).scalar_one()


async def list_recent_actions(
    session: AsyncSession,
    *,
    prefixes: Sequence[str] = (),
    older_than: int | None = None,
    newer_than: int | None = None,
    limit: int = 10,
) -> Sequence[AuditEntry]:
    """Newest first: the newest `limit` entries older than `older_than` (the newest of all if
    None), or else the `limit` entries just newer than `newer_than`. Paging by the id at the
    edge of a page, not by an offset, means new entries never push one onto the next page."""
    query = _of_kind(select(AuditEntry), prefixes)
    if newer_than is not None:
        query = query.where(AuditEntry.id > newer_than).order_by(AuditEntry.id)
        return list(reversed((await session.scalars(query.limit(limit))).all()))
    if older_than is not None:
        query = query.where(AuditEntry.id < older_than)
    return (await session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit))).all()


async def list_names(session: AsyncSession, user_ids: Collection[int]) -> dict[int, str]:
    """The names of those of these people who have written to the bot."""
    if not user_ids:
        return {}
    query = select(User.id, User.first_name, User.last_name).where(User.id.in_(user_ids))
    return {
        user_id: " ".join(part for part in (first, last) if part)
        for user_id, first, last in (await session.execute(query)).all()
    }


# The entries that name who asked to join a cohort group (details["user"]).
REQUESTER_ACTIONS = (
    "cohort.approve",
    "cohort.decline",
    "cohort.removed",
    "cohort.not_removed",
)


def _naming(user_id: int | None = None) -> list[Any]:
    named = AuditEntry.details["user"].as_string()
    conditions = [AuditEntry.action.in_(REQUESTER_ACTIONS), named.is_not(None)]
    if user_id is not None:
        conditions.append(cast(named, BigInteger) == user_id)
    return conditions


def _drop_requester(entries: Sequence[AuditEntry]) -> int:
    for entry in entries:
        # A new dict: SQLAlchemy sees a JSON column change only when it is reassigned.
        entry.details = {**entry.details, "user": None}
    return len(entries)


async def forget_requester(session: AsyncSession, user_id: int) -> int:
    """The user deleted their data: the cohort entries keep what happened (and the
    registration code), not who it was."""
    query = select(AuditEntry).where(*_naming(user_id))
    return _drop_requester((await session.scalars(query)).all())


async def forget_old_requesters(
    session: AsyncSession, *, declined_before: datetime, others_before: datetime
) -> int:
    """Retention: a declined stranger's Telegram id goes after its period; an applicant's with
    their registration's."""
    query = select(AuditEntry).where(
        *_naming(),
        or_(
            (AuditEntry.action == "cohort.decline") & (AuditEntry.at < declined_before),
            AuditEntry.at < others_before,
        ),
    )
    return _drop_requester((await session.scalars(query)).all())
