"""Queries on broadcasts and their per-recipient outbox."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, distinct, exists, func, insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Broadcast, BroadcastRecipient, Registration, User, utc_now

PENDING, SENT, BLOCKED, FAILED = "pending", "sent", "blocked", "failed"
DRAFT, SENDING, PAUSED, CANCELLED, DONE = "draft", "sending", "paused", "cancelled", "done"
# Which counter each final outcome adds to.
COUNTERS = {SENT: "sent_count", BLOCKED: "blocked_count", FAILED: "failed_count"}


async def create_broadcast(
    session: AsyncSession, *, created_by: int, source_chat_id: int, source_message_id: int
) -> Broadcast:
    broadcast = Broadcast(
        created_by=created_by,
        source_chat_id=source_chat_id,
        source_message_id=source_message_id,
        status=DRAFT,
    )
    session.add(broadcast)
    await session.flush()
    return broadcast


async def get_broadcast(session: AsyncSession, broadcast_id: int) -> Broadcast | None:
    return await session.get(Broadcast, broadcast_id)


async def list_audience_candidates(
    session: AsyncSession,
    *,
    regency: str | None = None,
    campaign: str | None = None,
    seen_since: datetime | None = None,
) -> Sequence[Row[tuple[int, str | None, str | None]]]:
    """Users who have not blocked the bot, narrowed by the given segment."""
    query = select(User.id, User.language, User.telegram_language).where(
        User.blocked_bot.is_(False)
    )
    if regency is not None:
        query = query.where(
            exists().where(and_(Registration.user_id == User.id, Registration.regency == regency))
        )
    if campaign is not None:
        query = query.where(User.campaign_source == campaign)
    if seen_since is not None:
        query = query.where(User.last_seen_at >= seen_since)
    return (await session.execute(query.order_by(User.id))).all()


async def list_regencies(session: AsyncSession) -> list[str]:
    query = select(distinct(Registration.regency)).where(Registration.regency.is_not(None))
    return sorted(value for value in (await session.scalars(query)).all() if value)


async def list_campaign_sources(session: AsyncSession) -> list[str]:
    query = select(distinct(User.campaign_source)).where(User.campaign_source.is_not(None))
    return sorted(value for value in (await session.scalars(query)).all() if value)


async def start_broadcast(
    session: AsyncSession, broadcast: Broadcast, user_ids: list[int]
) -> None:
    """Fill the outbox, one pending row per recipient, and hand the broadcast to the worker."""
    if user_ids:
        await session.execute(
            insert(BroadcastRecipient),
            [{"broadcast_id": broadcast.id, "user_id": user_id} for user_id in user_ids],
        )
    broadcast.total_count = len(user_ids)
    broadcast.status = SENDING
    broadcast.started_at = utc_now()


async def change_status(
    session: AsyncSession, broadcast_id: int, *, from_statuses: tuple[str, ...], to: str
) -> bool:
    """Move the broadcast only if it is in one of from_statuses (the worker may race us)."""
    values: dict[str, object] = {"status": to}
    if to in (DONE, CANCELLED):
        values["finished_at"] = utc_now()
    result = await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status.in_(from_statuses))
        .values(**values)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def list_sending_ids(session: AsyncSession) -> list[int]:
    query = select(Broadcast.id).where(Broadcast.status == SENDING).order_by(Broadcast.id)
    return list((await session.scalars(query)).all())


async def list_pending(
    session: AsyncSession, broadcast_id: int, *, limit: int
) -> Sequence[Row[tuple[int, int]]]:
    query = (
        select(BroadcastRecipient.id, BroadcastRecipient.user_id)
        .where(
            BroadcastRecipient.broadcast_id == broadcast_id,
            BroadcastRecipient.status == PENDING,
        )
        .order_by(BroadcastRecipient.id)
        .limit(limit)
    )
    return (await session.execute(query)).all()


async def count_pending(session: AsyncSession, broadcast_id: int) -> int:
    query = select(func.count()).where(
        BroadcastRecipient.broadcast_id == broadcast_id, BroadcastRecipient.status == PENDING
    )
    return (await session.execute(query)).scalar_one()


async def record_outcome(
    session: AsyncSession,
    *,
    row_id: int,
    status: str,
    attempts: int,
    message_id: int | None = None,
    error: str | None = None,
) -> None:
    """One recipient's final outcome; only a pending row changes. A plain table update: this
    runs once per recipient, so it skips the ORM's bookkeeping."""
    outbox = BroadcastRecipient.__table__
    await session.execute(
        update(outbox)
        .where(outbox.c.id == row_id, outbox.c.status == PENDING)
        .values(
            status=status,
            attempts=attempts,
            message_id=message_id,
            last_error=error[:200] if error else None,
            sent_at=utc_now() if status == SENT else None,
        )
    )


async def refresh_counts(session: AsyncSession, broadcast: Broadcast) -> Broadcast:
    """Copy the outbox's tallies onto the broadcast (counted, not incremented per row, so
    concurrent sends never contend for the broadcast's row)."""
    query = (
        select(BroadcastRecipient.status, func.count())
        .where(BroadcastRecipient.broadcast_id == broadcast.id)
        .group_by(BroadcastRecipient.status)
    )
    tallies = {status: count for status, count in (await session.execute(query)).all()}
    for status, counter in COUNTERS.items():
        setattr(broadcast, counter, tallies.get(status, 0))
    return broadcast
