"""The audit log: one row per staff action that changes data or exports personal data."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import AuditEntry


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
