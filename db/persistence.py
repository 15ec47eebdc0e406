"""Storage for python-telegram-bot's persistence: conversation states and per-user/chat data."""

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    ConversationState,
    StoredChatData,
    StoredSingleton,
    StoredUserData,
    utc_now,
)
from db.upsert import upsert


async def list_conversation_states(session: AsyncSession, name: str) -> dict[str, Any]:
    """Every open conversation's key and state; plain rows, as start-up reads them all."""
    query = select(ConversationState.key, ConversationState.state).where(
        ConversationState.name == name
    )
    return {key: state for key, state in await session.execute(query)}


async def get_conversation_state(session: AsyncSession, *, name: str, key: str) -> Any:
    row = await session.get(ConversationState, (name, key))
    return None if row is None else row.state


async def save_conversation_state(
    session: AsyncSession, *, name: str, key: str, state: Any
) -> None:
    """Record a position in a conversation; a state of None means the conversation ended."""
    if state is None:
        await session.execute(
            delete(ConversationState).where(
                ConversationState.name == name, ConversationState.key == key
            )
        )
        return
    await upsert(
        session,
        ConversationState.__table__,
        keys={"name": name, "key": key},
        values={"state": state, "updated_at": utc_now()},
    )


async def get_user_data(session: AsyncSession, user_id: int) -> dict[str, Any] | None:
    row = await session.get(StoredUserData, user_id)
    return None if row is None else row.data


async def save_user_data(session: AsyncSession, *, user_id: int, data: dict[str, Any]) -> None:
    """Store a user's data; empty data is not kept, so the table stays as small as its use."""
    if not data:
        await delete_user_data(session, user_id)
        return
    await upsert(
        session, StoredUserData.__table__, keys={"user_id": user_id}, values={"data": data}
    )


async def delete_user_data(session: AsyncSession, user_id: int) -> None:
    await session.execute(delete(StoredUserData).where(StoredUserData.user_id == user_id))


async def get_chat_data(session: AsyncSession, chat_id: int) -> dict[str, Any] | None:
    row = await session.get(StoredChatData, chat_id)
    return None if row is None else row.data


async def save_chat_data(session: AsyncSession, *, chat_id: int, data: dict[str, Any]) -> None:
    if not data:
        await delete_chat_data(session, chat_id)
        return
    await upsert(
        session, StoredChatData.__table__, keys={"chat_id": chat_id}, values={"data": data}
    )


async def delete_chat_data(session: AsyncSession, chat_id: int) -> None:
    await session.execute(delete(StoredChatData).where(StoredChatData.chat_id == chat_id))


async def get_singleton(session: AsyncSession, name: str) -> Any:
    row = await session.get(StoredSingleton, name)
    return None if row is None else row.data


async def save_singleton(session: AsyncSession, *, name: str, data: Any) -> None:
    await upsert(session, StoredSingleton.__table__, keys={"name": name}, values={"data": data})


async def delete_conversation_states_of(session: AsyncSession, key: str) -> None:
    await session.execute(delete(ConversationState).where(ConversationState.key == key))
