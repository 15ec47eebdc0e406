"""Queries on broadcasts and their per-recipient outbox."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, case, func, insert, literal, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Broadcast, BroadcastRecipient, User, utc_now

PENDING, SENT, BLOCKED, FAILED = "pending", "sent", "blocked", "failed"
DRAFT, SCHEDULED, SENDING = "draft", "scheduled", "sending"
PAUSED, CANCELLED, DONE = "paused", "cancelled", "done"
# Taking a broadcast back: the broadcast goes "deleting" -> "deleted", each copy
# "pending" -> "deleted" | "failed".
DELETING, DELETED = "deleting", "deleted"
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


async def start_broadcast(
    session: AsyncSession, broadcast: Broadcast, recipients: Sequence[int] | Select[Any]
) -> bool:
    """Claim the broadcast (draft or scheduled -> sending, only if it is still one of them),
    then fill the outbox, one pending row per recipient, and hand it to the worker.

    recipients: user ids, or a query whose first column is the user id (filled in the
    database with INSERT ... SELECT). The claim comes first, as a conditional update: a cancel
    committed before it wins, and two workers can never both fill the outbox. False, and
    nothing filled, if the broadcast was no longer a draft or scheduled."""
    now = utc_now()
    claimed = await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast.id, Broadcast.status.in_((DRAFT, SCHEDULED)))
        .values(status=SENDING, started_at=now)
        .execution_options(synchronize_session=False)
    )
    if not claimed.rowcount:  # type: ignore[attr-defined]
        await session.refresh(broadcast)
        return False
    if isinstance(recipients, Select):
        user_id = recipients.selected_columns[0]
        rows = recipients.with_only_columns(literal(broadcast.id), user_id).order_by(user_id)
        await session.execute(
            insert(BroadcastRecipient).from_select(["broadcast_id", "user_id"], rows)
        )
    elif recipients:
        await session.execute(
            insert(BroadcastRecipient),
            [{"broadcast_id": broadcast.id, "user_id": user_id} for user_id in recipients],
        )
    total = select(func.count()).where(BroadcastRecipient.broadcast_id == broadcast.id)
    broadcast.total_count = (await session.execute(total)).scalar_one()
    broadcast.status = SENDING
    broadcast.started_at = now
    return True


async def schedule_broadcast(session: AsyncSession, broadcast: Broadcast, at: datetime) -> None:
    """The outbox is filled when it starts, so the audience is counted then."""
    broadcast.status = SCHEDULED
    broadcast.scheduled_for = at


async def list_due_ids(session: AsyncSession, now: datetime) -> list[int]:
    query = (
        select(Broadcast.id)
        .where(Broadcast.status == SCHEDULED, Broadcast.scheduled_for <= now)
        .order_by(Broadcast.scheduled_for, Broadcast.id)
    )
    return list((await session.scalars(query)).all())


async def next_scheduled_time(session: AsyncSession) -> datetime | None:
    query = select(func.min(Broadcast.scheduled_for)).where(Broadcast.status == SCHEDULED)
    return (await session.execute(query)).scalar_one()


async def list_recent_broadcasts(session: AsyncSession, *, limit: int) -> Sequence[Broadcast]:
    """Broadcasts that were sent or scheduled, newest first (drafts and dropped drafts not)."""
    query = (
        select(Broadcast)
        .where(Broadcast.status != DRAFT)
        .where((Broadcast.started_at.is_not(None)) | (Broadcast.scheduled_for.is_not(None)))
        .order_by(Broadcast.id.desc())
        .limit(limit)
    )
    return (await session.scalars(query)).all()


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
) -> Sequence[Row[tuple[int, int, str | None, str | None]]]:
    """The next recipients to send to, with what decides the language they read; none once
    the broadcast is no longer sending (paused, cancelled or gone)."""
    query = (
        select(
            BroadcastRecipient.id,
            BroadcastRecipient.user_id,
            User.language,
            User.telegram_language,
        )
        .join(User, User.id == BroadcastRecipient.user_id)
        .join(Broadcast, Broadcast.id == BroadcastRecipient.broadcast_id)
        .where(
            BroadcastRecipient.broadcast_id == broadcast_id,
            BroadcastRecipient.status == PENDING,
            Broadcast.status == SENDING,
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


async def count_outbox_pending(session: AsyncSession) -> int:
    """Copies still to send, over every broadcast that is sending or paused."""
    query = (
        select(func.count())
        .select_from(BroadcastRecipient)
        .join(Broadcast, Broadcast.id == BroadcastRecipient.broadcast_id)
        .where(BroadcastRecipient.status == PENDING, Broadcast.status.in_((SENDING, PAUSED)))
    )
    return int((await session.execute(query)).scalar_one())


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
    runs once per recipient, so it skips the ORM's bookkeeping. A copy that arrives after
    staff asked to delete the broadcast (it was in flight then) is marked for deletion too."""
    outbox = BroadcastRecipient.__table__
    deleting = (
        select(Broadcast.deletion).where(Broadcast.id == outbox.c.broadcast_id).scalar_subquery()
        == DELETING
    )
    await session.execute(
        update(outbox)
        .where(outbox.c.id == row_id, outbox.c.status == PENDING)
        .values(
            status=status,
            attempts=attempts,
            message_id=message_id,
            last_error=error[:200] if error else None,
            sent_at=utc_now() if status == SENT else None,
            deletion=case((deleting, PENDING), else_=None)
            if status == SENT and message_id is not None
            else None,
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


async def oldest_copy_sent_at(session: AsyncSession, broadcast_id: int) -> datetime | None:
    query = select(func.min(BroadcastRecipient.sent_at)).where(
        BroadcastRecipient.broadcast_id == broadcast_id,
        BroadcastRecipient.status == SENT,
        BroadcastRecipient.message_id.is_not(None),
    )
    return (await session.execute(query)).scalar_one()


async def count_copies(session: AsyncSession, broadcast_id: int) -> int:
    """Copies that are in recipients' chats and not yet taken back."""
    query = select(func.count()).where(
        BroadcastRecipient.broadcast_id == broadcast_id,
        BroadcastRecipient.status == SENT,
        BroadcastRecipient.message_id.is_not(None),
        BroadcastRecipient.deletion.is_(None),
    )
    return (await session.execute(query)).scalar_one()


async def start_deletion(session: AsyncSession, broadcast: Broadcast) -> int:
    """Mark every delivered copy for deletion and hand the broadcast to the worker."""
    marked = await mark_copies_for_deletion(session, broadcast.id)
    broadcast.deletion = DELETING
    broadcast.deletion_requested_at = utc_now()
    return marked


async def mark_copies_for_deletion(session: AsyncSession, broadcast_id: int) -> int:
    """Delivered copies not yet marked for deletion: marked now; how many."""
    outbox = BroadcastRecipient.__table__
    result = await session.execute(
        update(outbox)
        .where(
            outbox.c.broadcast_id == broadcast_id,
            outbox.c.status == SENT,
            outbox.c.message_id.is_not(None),
            outbox.c.deletion.is_(None),
        )
        .values(deletion=PENDING)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def list_deleting_ids(session: AsyncSession) -> list[int]:
    query = select(Broadcast.id).where(Broadcast.deletion == DELETING).order_by(Broadcast.id)
    return list((await session.scalars(query)).all())


async def list_pending_deletions(
    session: AsyncSession, broadcast_id: int, *, limit: int
) -> Sequence[Row[tuple[int, int, int]]]:
    query = (
        select(BroadcastRecipient.id, BroadcastRecipient.user_id, BroadcastRecipient.message_id)
        .where(
            BroadcastRecipient.broadcast_id == broadcast_id,
            BroadcastRecipient.deletion == PENDING,
        )
        .order_by(BroadcastRecipient.id)
        .limit(limit)
    )
    return (await session.execute(query)).all()


async def record_deletion(
    session: AsyncSession, *, row_id: int, outcome: str, error: str | None = None
) -> None:
    outbox = BroadcastRecipient.__table__
    values: dict[str, object] = {"deletion": outcome}
    if error:
        values["last_error"] = error[:200]
    await session.execute(
        update(outbox).where(outbox.c.id == row_id, outbox.c.deletion == PENDING).values(**values)
    )


async def finish_deletion(session: AsyncSession, broadcast_id: int) -> dict[str, int]:
    """Mark the broadcast deleted; the tallies of deleted and failed copies."""
    await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.deletion == DELETING)
        .values(deletion=DELETED)
    )
    return await count_deletions(session, broadcast_id)


async def count_deletions(session: AsyncSession, broadcast_id: int) -> dict[str, int]:
    query = (
        select(BroadcastRecipient.deletion, func.count())
        .where(
            BroadcastRecipient.broadcast_id == broadcast_id,
            BroadcastRecipient.deletion.is_not(None),
        )
        .group_by(BroadcastRecipient.deletion)
    )
    return {outcome: count for outcome, count in (await session.execute(query)).all()}
