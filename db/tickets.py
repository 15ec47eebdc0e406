"""Queries on hand-off tickets and the mapping between staff-group and user messages."""

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Ticket, TicketMessage, utc_now


async def get_open_ticket(session: AsyncSession, user_id: int) -> Ticket | None:
    query = select(Ticket).where(Ticket.user_id == user_id, Ticket.status == "open")
    return (await session.scalars(query.order_by(Ticket.id.desc()).limit(1))).first()


async def create_ticket(session: AsyncSession, *, user_id: int) -> Ticket:
    ticket = Ticket(user_id=user_id, status="open")
    session.add(ticket)
    await session.flush()
    return ticket


async def find_ticket_by_topic(session: AsyncSession, topic_id: int) -> Ticket | None:
    query = select(Ticket).where(Ticket.topic_id == topic_id).order_by(Ticket.id.desc()).limit(1)
    return (await session.scalars(query)).first()


async def find_ticket_by_staff_message(
    session: AsyncSession, staff_message_id: int
) -> Ticket | None:
    query = (
        select(Ticket)
        .join(TicketMessage, TicketMessage.ticket_id == Ticket.id)
        .where(TicketMessage.staff_message_id == staff_message_id)
    )
    return (await session.scalars(query)).first()


async def record_message(
    session: AsyncSession,
    *,
    ticket_id: int,
    staff_message_id: int,
    user_message_id: int | None,
    from_staff: bool,
) -> None:
    session.add(
        TicketMessage(
            ticket_id=ticket_id,
            staff_message_id=staff_message_id,
            user_message_id=user_message_id,
            from_staff=from_staff,
        )
    )


async def count_user_messages(session: AsyncSession, ticket_id: int) -> int:
    query = (
        select(func.count())
        .select_from(TicketMessage)
        .where(
            TicketMessage.ticket_id == ticket_id,
            TicketMessage.from_staff.is_(False),
            TicketMessage.user_message_id.is_not(None),
        )
    )
    return (await session.execute(query)).scalar_one()


async def close_ticket(session: AsyncSession, ticket: Ticket) -> None:
    ticket.status = "closed"
    ticket.closed_at = utc_now()


async def get_header_message_id(session: AsyncSession, ticket_id: int) -> int | None:
    """The staff-group message that introduced the user (the ticket's first message)."""
    query = (
        select(TicketMessage.staff_message_id)
        .where(TicketMessage.ticket_id == ticket_id)
        .order_by(TicketMessage.id)
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def set_topic(session: AsyncSession, ticket_id: int, topic_id: int | None) -> None:
    ticket = await session.get(Ticket, ticket_id)
    if ticket is not None:
        ticket.topic_id = topic_id


async def list_open_tickets(session: AsyncSession, user_id: int) -> list[Ticket]:
    query = select(Ticket).where(Ticket.user_id == user_id, Ticket.status == "open")
    return list((await session.scalars(query)).all())


async def find_staff_copy(
    session: AsyncSession, *, user_id: int, user_message_id: int
) -> int | None:
    """The staff-group copy of a user's message, while their conversation is open."""
    query = (
        select(TicketMessage.staff_message_id)
        .join(Ticket, TicketMessage.ticket_id == Ticket.id)
        .where(
            Ticket.user_id == user_id,
            Ticket.status == "open",
            TicketMessage.user_message_id == user_message_id,
            TicketMessage.from_staff.is_(False),
        )
    )
    return (await session.execute(query.order_by(TicketMessage.id.desc()).limit(1))).scalar()


async def find_user_copy(
    session: AsyncSession, *, staff_message_id: int
) -> tuple[int, int] | None:
    """The user and the message in their chat that a staff reply became, while open."""
    query = (
        select(Ticket.user_id, TicketMessage.user_message_id)
        .join(Ticket, TicketMessage.ticket_id == Ticket.id)
        .where(
            Ticket.status == "open",
            TicketMessage.staff_message_id == staff_message_id,
            TicketMessage.from_staff.is_(True),
            TicketMessage.user_message_id.is_not(None),
        )
    )
    row = (await session.execute(query.order_by(TicketMessage.id.desc()).limit(1))).first()
    return (row[0], row[1]) if row is not None else None


async def list_expired_tickets(session: AsyncSession, *, closed_before: datetime) -> list[Ticket]:
    """Conversations closed before the date: their retention is over."""
    query = select(Ticket).where(Ticket.status == "closed", Ticket.closed_at < closed_before)
    return list((await session.scalars(query.order_by(Ticket.id))).all())


async def list_staff_message_ids(session: AsyncSession, ticket_id: int) -> list[int]:
    query = select(TicketMessage.staff_message_id).where(TicketMessage.ticket_id == ticket_id)
    return list((await session.scalars(query.order_by(TicketMessage.id))).all())


async def delete_tickets(session: AsyncSession, ticket_ids: list[int]) -> None:
    """A conversation and the bot's record of its messages."""
    await session.execute(delete(TicketMessage).where(TicketMessage.ticket_id.in_(ticket_ids)))
    await session.execute(delete(Ticket).where(Ticket.id.in_(ticket_ids)))
