"""Queries on how users rated the conversations staff closed, and their comments."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import HandoffRating, Ticket, utc_now


async def get_rating(session: AsyncSession, ticket_id: int) -> HandoffRating | None:
    query = select(HandoffRating).where(HandoffRating.ticket_id == ticket_id)
    return (await session.scalars(query)).first()


async def create_rating(
    session: AsyncSession, *, ticket_id: int, user_id: int, rating: int
) -> HandoffRating | None:
    """The user's rating of their own closed ticket; None when the ticket is not theirs, is
    still open, or was rated already (one rating per ticket)."""
    ticket = await session.get(Ticket, ticket_id)
    if ticket is None or ticket.user_id != user_id or ticket.status != "closed":
        return None
    if await get_rating(session, ticket_id) is not None:
        return None
    # One chat's updates run in order (bot/traffic/chat_order.py), so a double tap comes
    # after this one committed; the unique ticket_id guards against anything else.
    rated = HandoffRating(ticket_id=ticket_id, user_id=user_id, rating=rating)
    session.add(rated)
    await session.flush()
    return rated


async def set_comment(
    session: AsyncSession, *, ticket_id: int, user_id: int, comment_masked: str
) -> HandoffRating | None:
    """The comment on the user's rating of this ticket; None when there is no such rating."""
    rated = await get_rating(session, ticket_id)
    if rated is None or rated.user_id != user_id:
        return None
    rated.comment_masked = comment_masked
    rated.commented_at = utc_now()
    return rated


async def list_rating_moments(
    session: AsyncSession, *, since: datetime
) -> Sequence[tuple[datetime, int]]:
    query = select(HandoffRating.rated_at, HandoffRating.rating).where(
        HandoffRating.rated_at >= since
    )
    return (await session.execute(query)).tuples().all()


async def list_latest_comments(
    session: AsyncSession, *, limit: int
) -> Sequence[tuple[datetime, int, str]]:
    """The newest comments first: when, the rating, and the masked text."""
    query = (
        select(HandoffRating.commented_at, HandoffRating.rating, HandoffRating.comment_masked)
        .where(HandoffRating.comment_masked.is_not(None), HandoffRating.commented_at.is_not(None))
        .order_by(HandoffRating.commented_at.desc(), HandoffRating.id.desc())
        .limit(limit)
    )
    return (await session.execute(query)).tuples().all()  # type: ignore[return-value]


async def list_user_ratings(session: AsyncSession, user_id: int) -> Sequence[HandoffRating]:
    query = select(HandoffRating).where(HandoffRating.user_id == user_id)
    return (await session.scalars(query.order_by(HandoffRating.id))).all()


async def forget_user_ratings(session: AsyncSession, user_id: int) -> None:
    """At deletion: the comments go and the ratings no longer say whose; the numbers stay."""
    await session.execute(
        update(HandoffRating)
        .where(HandoffRating.user_id == user_id)
        .values(user_id=None, ticket_id=None, comment_masked=None)
    )


async def forget_ticket_ratings(session: AsyncSession, ticket_ids: Sequence[int]) -> None:
    """The conversations' retention is over: their comments go with them; the numbers stay."""
    await session.execute(
        update(HandoffRating)
        .where(HandoffRating.ticket_id.in_(ticket_ids))
        .values(user_id=None, ticket_id=None, comment_masked=None)
    )
