"""Cohort groups of intakes, and who of an intake may join one (the links are in
db.cohort_invites)."""

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import CohortGroup, CohortInvite, Registration, utc_now


async def get_cohort_group(
    session: AsyncSession, *, programme_code: str, batch: str
) -> CohortGroup | None:
    return await session.get(CohortGroup, (programme_code, batch))


async def get_cohort_group_of_chat(session: AsyncSession, chat_id: int) -> CohortGroup | None:
    query = select(CohortGroup).where(CohortGroup.chat_id == chat_id)
    return (await session.scalars(query)).first()


async def set_cohort_group(
    session: AsyncSession,
    *,
    programme_code: str,
    batch: str,
    chat_id: int,
    title: str,
    set_by: int,
) -> CohortGroup:
    """Name (or rename) the intake's group; the caller checked the chat serves no other one."""
    group = await get_cohort_group(session, programme_code=programme_code, batch=batch)
    if group is None:
        group = CohortGroup(programme_code=programme_code, batch=batch)
        session.add(group)
    group.chat_id, group.title, group.set_by, group.set_at = chat_id, title, set_by, utc_now()
    await session.flush()
    return group


async def delete_cohort_group(session: AsyncSession, *, programme_code: str, batch: str) -> None:
    await session.execute(
        delete(CohortGroup).where(
            CohortGroup.programme_code == programme_code, CohortGroup.batch == batch
        )
    )


async def get_accepted_registration(
    session: AsyncSession, group: CohortGroup, user_id: int
) -> Registration | None:
    """The user's accepted registration for the group's intake, if they have one."""
    query = select(Registration).where(
        Registration.user_id == user_id,
        Registration.programme_code == group.programme_code,
        Registration.batch == group.batch,
        Registration.status == "accepted",
    )
    return (await session.scalars(query)).first()


async def list_accepted_without_invite(
    session: AsyncSession, *, programme_code: str, batch: str, chat_id: int
) -> Sequence[Registration]:
    """The intake's accepted applicants (still with a user) without a link to this group yet:
    accepted before it was named, or when no link could be made, or linked to a former one."""
    query = (
        select(Registration)
        .outerjoin(
            CohortInvite,
            (CohortInvite.registration_id == Registration.id) & (CohortInvite.chat_id == chat_id),
        )
        .where(
            Registration.programme_code == programme_code,
            Registration.batch == batch,
            Registration.status == "accepted",
            Registration.user_id.is_not(None),
            CohortInvite.registration_id.is_(None),
        )
        .order_by(Registration.id)
    )
    return (await session.scalars(query)).all()
