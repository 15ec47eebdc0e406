"""Queries on staff members: who may use the staff console, and in which role."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import StaffMember


async def get_role(session: AsyncSession, user_id: int) -> str | None:
    """ "admin", "staff", or None for everyone else."""
    member = await session.get(StaffMember, user_id)
    return member.role if member is not None else None


async def list_staff(session: AsyncSession) -> Sequence[StaffMember]:
    query = select(StaffMember).order_by(StaffMember.role, StaffMember.added_at)
    return (await session.scalars(query)).all()


async def add_staff_member(
    session: AsyncSession, *, user_id: int, role: str, added_by: int | None
) -> StaffMember:
    """Add someone, or change their role; returns the row."""
    member = await session.get(StaffMember, user_id)
    if member is None:
        member = StaffMember(user_id=user_id, role=role, added_by=added_by)
        session.add(member)
    else:
        member.role = role
    await session.flush()
    return member


async def delete_staff_member(session: AsyncSession, user_id: int) -> bool:
    member = await session.get(StaffMember, user_id)
    if member is None:
        return False
    await session.delete(member)
    return True


async def sync_admins(
    session: AsyncSession, admin_ids: Sequence[int]
) -> tuple[list[int], list[int]]:
    """Make the configured ids admins and drop admins no longer configured.

    Returns (granted, revoked) user ids, for the audit log and the command menus.
    """
    current = {m.user_id: m for m in await list_staff(session)}
    granted = [uid for uid in admin_ids if uid not in current or current[uid].role != "admin"]
    for user_id in granted:
        await add_staff_member(session, user_id=user_id, role="admin", added_by=None)
    revoked = [
        uid for uid, member in current.items() if member.role == "admin" and uid not in admin_ids
    ]
    for user_id in revoked:
        await delete_staff_member(session, user_id)
    return granted, revoked
