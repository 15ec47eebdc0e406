"""Groups a staff member added the bot to that are not (yet) named a cohort group."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import UnnamedGroup, utc_now
from db.upsert import upsert


async def add_unnamed_group(
    session: AsyncSession, *, chat_id: int, title: str, added_by: int
) -> None:
    """Start (or restart, when added again) the group's grace period."""
    await upsert(
        session,
        UnnamedGroup.__table__,  # type: ignore[arg-type]
        keys={"chat_id": chat_id},
        values={"title": title[:128], "added_by": added_by, "added_at": utc_now()},
    )


async def forget_unnamed_group(session: AsyncSession, chat_id: int) -> None:
    """Named a cohort group, left, or removed: no grace period runs any more."""
    await session.execute(delete(UnnamedGroup).where(UnnamedGroup.chat_id == chat_id))


async def list_unnamed_groups_added_before(
    session: AsyncSession, moment: datetime
) -> Sequence[UnnamedGroup]:
    query = (
        select(UnnamedGroup).where(UnnamedGroup.added_at < moment).order_by(UnnamedGroup.chat_id)
    )
    return (await session.scalars(query)).all()
