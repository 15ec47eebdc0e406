"""Queries on users."""

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import User, utc_now


async def get_user(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def upsert_user(
    session: AsyncSession,
    *,
    user_id: int,
    first_name: str,
    last_name: str | None,
    username: str | None,
    telegram_language: str | None,
) -> tuple[User, bool]:
    """Create the user on first contact, otherwise refresh their Telegram profile; True when
    the row was just created."""
    user = await session.get(User, user_id)
    created = user is None
    if user is None:
        user = User(id=user_id)
        session.add(user)
    user.first_name = first_name[:64]
    user.last_name = last_name[:64] if last_name else None
    user.username = username[:32] if username else None
    user.telegram_language = telegram_language[:16] if telegram_language else None
    user.last_seen_at = utc_now()
    user.blocked_bot = False
    return user, created


async def set_user_language(session: AsyncSession, *, user_id: int, language: str) -> None:
    user = await session.get(User, user_id)
    if user is not None:
        user.language = language


async def set_campaign_source_once(session: AsyncSession, *, user_id: int, source: str) -> bool:
    """Keep the first campaign a user came from; later deep links do not overwrite it."""
    user = await session.get(User, user_id)
    if user is None or user.campaign_source is not None:
        return False
    user.campaign_source = source
    return True


async def count_users(session: AsyncSession) -> int:
    return (await session.execute(select(func.count()).select_from(User))).scalar_one()


async def list_user_ids(session: AsyncSession) -> Sequence[int]:
    return (await session.scalars(select(User.id))).all()


async def delete_user(session: AsyncSession, user_id: int) -> None:
    """Remove the user row; their answers and intake watches go with it (ON DELETE CASCADE)."""
    user = await session.get(User, user_id)
    if user is not None:
        await session.delete(user)


async def set_blocked_bot(session: AsyncSession, *, user_id: int, blocked: bool) -> None:
    """Telegram said the user blocked (or unblocked) the bot; a user the bot never stored, or
    who deleted their data, stays unknown."""
    user = await session.get(User, user_id)
    if user is not None:
        user.blocked_bot = blocked


async def count_blocked_bot(session: AsyncSession) -> int:
    query = select(func.count()).select_from(User).where(User.blocked_bot.is_(True))
    return (await session.execute(query)).scalar_one()


async def mark_blocked(session: AsyncSession, user_ids: list[int]) -> None:
    """Users who blocked the bot: later messages skip them until they write again."""
    for user_id in user_ids:
        user = await session.get(User, user_id)
        if user is not None:
            user.blocked_bot = True
