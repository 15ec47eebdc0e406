"""Queries on eligibility answers and on the check a user is in the middle of."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import EligibilityAnswer, User

DATE_QUESTIONS = frozenset({"birth_date"})


async def get_answers(session: AsyncSession, user_id: int) -> dict[str, Any]:
    """Every answer the user gave, dates as dates."""
    query = select(EligibilityAnswer.question, EligibilityAnswer.answer).where(
        EligibilityAnswer.user_id == user_id
    )
    return {
        question: date.fromisoformat(answer) if question in DATE_QUESTIONS else answer
        for question, answer in await session.execute(query)
    }


async def save_answer(session: AsyncSession, *, user_id: int, question: str, answer: Any) -> None:
    stored = answer.isoformat() if isinstance(answer, date) else answer
    await session.merge(EligibilityAnswer(user_id=user_id, question=question, answer=stored))


async def set_checking_programme(
    session: AsyncSession, *, user_id: int, programme_code: str | None
) -> None:
    user = await session.get(User, user_id)
    if user is not None:
        user.checking_programme = programme_code


async def delete_answers(
    session: AsyncSession, *, user_id: int, questions: list[str] | None = None
) -> None:
    """Forget some (or all) of a user's answers, so they are asked again."""
    query = delete(EligibilityAnswer).where(EligibilityAnswer.user_id == user_id)
    if questions is not None:
        query = query.where(EligibilityAnswer.question.in_(questions))
    await session.execute(query)


async def delete_answers_of_inactive(session: AsyncSession, *, seen_before: datetime) -> None:
    """Answers of people who have not used the bot for the retention period are dropped."""
    inactive = select(User.id).where(User.last_seen_at < seen_before)
    await session.execute(delete(EligibilityAnswer).where(EligibilityAnswer.user_id.in_(inactive)))
