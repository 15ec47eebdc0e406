"""Queries on Sekolah Rakyat interest forms: the parent's draft, its children, submission."""

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import SchoolInterest, SchoolInterestChild, utc_now


async def get_interest_draft(session: AsyncSession, user_id: int) -> SchoolInterest | None:
    """The parent's unfinished interest form, if any (one at a time)."""
    query = (
        select(SchoolInterest)
        .where(SchoolInterest.user_id == user_id, SchoolInterest.status == "draft")
        .order_by(SchoolInterest.id.desc())
        .limit(1)
    )
    return (await session.scalars(query)).first()


async def create_interest_draft(
    session: AsyncSession, *, user_id: int, consent_id: int
) -> SchoolInterest:
    draft = SchoolInterest(user_id=user_id, consent_id=consent_id, status="draft")
    session.add(draft)
    await session.flush()
    return draft


async def list_children(session: AsyncSession, interest_id: int) -> list[SchoolInterestChild]:
    """The children of one form, in the order they were added."""
    query = (
        select(SchoolInterestChild)
        .where(SchoolInterestChild.interest_id == interest_id)
        .order_by(SchoolInterestChild.id)
    )
    return list((await session.scalars(query)).all())


async def add_child(
    session: AsyncSession, interest: SchoolInterest, *, first_name_encrypted: str
) -> SchoolInterestChild:
    child = SchoolInterestChild(interest_id=interest.id, first_name_encrypted=first_name_encrypted)
    session.add(child)
    await session.flush()
    return child


async def delete_child(session: AsyncSession, child: SchoolInterestChild) -> None:
    await session.delete(child)
    await session.flush()


async def delete_interest_draft(session: AsyncSession, draft: SchoolInterest) -> None:
    """Throw a draft away with its children (the foreign key may not cascade on SQLite)."""
    await session.execute(
        delete(SchoolInterestChild).where(SchoolInterestChild.interest_id == draft.id)
    )
    await session.delete(draft)


async def submit_interest(session: AsyncSession, draft: SchoolInterest, *, prefix: str) -> str:
    """Turn a draft into a request with its reference, e.g. SR-2026-000012."""
    now = utc_now()
    draft.status = "submitted"
    draft.step = None
    draft.submitted_at = now
    draft.code = f"{prefix}-{now.year}-{draft.id:06d}"
    await session.flush()
    return draft.code


async def list_user_interests(session: AsyncSession, user_id: int) -> Sequence[SchoolInterest]:
    query = (
        select(SchoolInterest).where(SchoolInterest.user_id == user_id).order_by(SchoolInterest.id)
    )
    return (await session.scalars(query)).all()


async def delete_user_interests(session: AsyncSession, user_id: int) -> None:
    """Erase every form of the person, drafts and submitted ones, with the children's data."""
    ids = select(SchoolInterest.id).where(SchoolInterest.user_id == user_id)
    await session.execute(
        delete(SchoolInterestChild).where(SchoolInterestChild.interest_id.in_(ids))
    )
    await session.execute(delete(SchoolInterest).where(SchoolInterest.user_id == user_id))


# /mydata names the person's details as registrations do; these are the parent's here.
CORRECTABLE = {
    "full_name": "parent_name",
    "phone_encrypted": "phone_encrypted",
    "phone_masked": "phone_masked",
    "regency": "regency",
}


async def correct_user_interests(
    session: AsyncSession, *, user_id: int, values: Mapping[str, str]
) -> int:
    """Set the parent's name, phone or regency on all their forms, from the registration
    columns given; returns how many changed."""
    columns = {CORRECTABLE[key]: value for key, value in values.items() if key in CORRECTABLE}
    if not columns:
        return 0
    rows = (
        await session.scalars(select(SchoolInterest).where(SchoolInterest.user_id == user_id))
    ).all()
    for interest in rows:
        for column, value in columns.items():
            setattr(interest, column, value)
    return len(rows)


async def list_interests_with_phones(session: AsyncSession) -> Sequence[SchoolInterest]:
    query = select(SchoolInterest).where(SchoolInterest.phone_encrypted.is_not(None))
    return (await session.scalars(query.order_by(SchoolInterest.id))).all()


async def list_children_with_names(session: AsyncSession) -> Sequence[SchoolInterestChild]:
    query = select(SchoolInterestChild).where(
        SchoolInterestChild.first_name_encrypted.is_not(None)
    )
    return (await session.scalars(query.order_by(SchoolInterestChild.id))).all()


async def delete_expired_interests(
    session: AsyncSession, *, submitted_before: datetime, idle_since: datetime
) -> None:
    """Retention: requests a year after they were sent, drafts left idle, with the children."""
    expired = select(SchoolInterest.id).where(
        ((SchoolInterest.status == "submitted") & (SchoolInterest.submitted_at < submitted_before))
        | ((SchoolInterest.status == "draft") & (SchoolInterest.updated_at < idle_since))
    )
    ids = list((await session.scalars(expired)).all())
    if not ids:
        return
    await session.execute(
        delete(SchoolInterestChild).where(SchoolInterestChild.interest_id.in_(ids))
    )
    await session.execute(delete(SchoolInterest).where(SchoolInterest.id.in_(ids)))
