"""Queries on what staff added to the FAQ from the desk: new answers and new phrasings."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import FaqStaffEntry, FaqStaffPhrasing


async def create_staff_entry(
    session: AsyncSession,
    *,
    topic: str,
    question_id: str,
    answer_id: str,
    question_en: str | None,
    answer_en: str | None,
    created_by: int,
) -> FaqStaffEntry:
    entry = FaqStaffEntry(
        topic=topic,
        question_id=question_id,
        answer_id=answer_id,
        question_en=question_en,
        answer_en=answer_en,
        created_by=created_by,
    )
    session.add(entry)
    await session.flush()
    return entry


async def create_staff_phrasing(
    session: AsyncSession, *, entry_code: str, language: str, text: str, created_by: int
) -> FaqStaffPhrasing:
    phrasing = FaqStaffPhrasing(
        entry_code=entry_code, language=language, text=text, created_by=created_by
    )
    session.add(phrasing)
    await session.flush()
    return phrasing


async def list_staff_entries(session: AsyncSession) -> Sequence[FaqStaffEntry]:
    return (await session.scalars(select(FaqStaffEntry).order_by(FaqStaffEntry.id))).all()


async def list_staff_phrasings(session: AsyncSession) -> Sequence[FaqStaffPhrasing]:
    return (await session.scalars(select(FaqStaffPhrasing).order_by(FaqStaffPhrasing.id))).all()
