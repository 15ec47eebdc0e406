"""Queries on the typed questions the FAQ was asked: logged, marked, counted and purged."""

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import FaqQuestion, StaffMember


async def record_question(
    session: AsyncSession,
    *,
    user_id: int,
    text_masked: str,
    language: str,
    matched_code: str | None,
    score: float | None,
    outcome: str,
) -> FaqQuestion:
    question = FaqQuestion(
        user_id=user_id,
        text_masked=text_masked,
        language=language,
        matched_code=matched_code,
        score=score,
        outcome=outcome,
    )
    session.add(question)
    await session.flush()
    return question


async def get_question(session: AsyncSession, question_id: int) -> FaqQuestion | None:
    return await session.get(FaqQuestion, question_id)


async def mark_didnt_help(
    session: AsyncSession, *, question_id: int, user_id: int, at: datetime
) -> bool:
    """Only the person who asked can say so; True when the question was theirs."""
    result = await session.execute(
        update(FaqQuestion)
        .where(FaqQuestion.id == question_id, FaqQuestion.user_id == user_id)
        .values(didnt_help_at=at)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _not_from_staff() -> ColumnElement[bool]:
    return FaqQuestion.user_id.not_in(select(StaffMember.user_id))


async def list_open_questions(
    session: AsyncSession, *, since: datetime, limit: int = 2000
) -> Sequence[FaqQuestion]:
    """Unanswered or unhelpful questions since then that staff have not handled, the newest
    `limit` (grouping compares each with every group); staff's own tries are left out."""
    query = (
        select(FaqQuestion)
        .where(
            FaqQuestion.asked_at >= since,
            FaqQuestion.handled_at.is_(None),
            or_(FaqQuestion.outcome == "unanswered", FaqQuestion.didnt_help_at.is_not(None)),
            _not_from_staff(),
        )
        .order_by(FaqQuestion.asked_at.desc(), FaqQuestion.id.desc())
        .limit(limit)
    )
    return (await session.scalars(query)).all()


async def mark_handled(
    session: AsyncSession, question_ids: Collection[int], *, at: datetime
) -> None:
    await session.execute(
        update(FaqQuestion).where(FaqQuestion.id.in_(question_ids)).values(handled_at=at)
    )


async def count_outcomes(session: AsyncSession, *, since: datetime) -> dict[str, int]:
    """answered / suggested / unanswered, and didnt_help, since then; staff left out."""
    recent = (FaqQuestion.asked_at >= since, _not_from_staff())
    rows = await session.execute(
        select(FaqQuestion.outcome, func.count()).where(*recent).group_by(FaqQuestion.outcome)
    )
    counts = {outcome: count for outcome, count in rows.all()}
    counts["didnt_help"] = (
        await session.execute(
            select(func.count())
            .select_from(FaqQuestion)
            .where(*recent, FaqQuestion.didnt_help_at.is_not(None))
        )
    ).scalar_one()
    return counts


async def list_user_questions(session: AsyncSession, user_id: int) -> Sequence[FaqQuestion]:
    query = select(FaqQuestion).where(FaqQuestion.user_id == user_id).order_by(FaqQuestion.id)
    return (await session.scalars(query)).all()


async def delete_user_questions(session: AsyncSession, user_id: int) -> None:
    await session.execute(delete(FaqQuestion).where(FaqQuestion.user_id == user_id))


async def delete_questions_asked_before(session: AsyncSession, *, before: datetime) -> int:
    result = await session.execute(delete(FaqQuestion).where(FaqQuestion.asked_at < before))
    return int(result.rowcount)  # type: ignore[attr-defined]
