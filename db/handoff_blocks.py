"""Blocks on talking to staff, by keyed hash of the Telegram id (see bot/privacy/vault.py)."""

from collections.abc import Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import HandoffBlock


async def is_handoff_blocked(session: AsyncSession, user_hash: str) -> bool:
    query = select(HandoffBlock.user_hash).where(HandoffBlock.user_hash == user_hash)
    return (await session.execute(query)).first() is not None


async def add_handoff_block(
    session: AsyncSession, user_hash: str, *, blocked_by: int | None
) -> None:
    """Idempotent: a second block keeps the first one's time and author."""
    if await session.get(HandoffBlock, user_hash) is None:
        session.add(HandoffBlock(user_hash=user_hash, blocked_by=blocked_by))


async def delete_handoff_block(session: AsyncSession, user_hash: str) -> bool:
    """Lift the block; False when there was none."""
    result = await session.execute(delete(HandoffBlock).where(HandoffBlock.user_hash == user_hash))
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def list_handoff_block_codes(session: AsyncSession) -> Sequence[str]:
    return (await session.scalars(select(HandoffBlock.user_hash))).all()


async def recode_handoff_block(session: AsyncSession, *, old: str, new: str) -> None:
    """The same block under a code made with another key (see bot/privacy/key_rotation.py)."""
    await session.execute(
        update(HandoffBlock).where(HandoffBlock.user_hash == old).values(user_hash=new)
    )
