"""The SQL persistence: what PTB stores survives a new process, and start-up loads little."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.persistence import SqlPersistence, encode_key
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade_database
from db.persistence import get_conversation_state, save_conversation_state


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database_url)
    await upgrade_database(engine)
    yield create_session_factory(engine)
    await engine.dispose()


async def save_steps(sessions, name: str, steps: list[tuple[tuple[int, int], object]]) -> None:  # noqa: ANN001
    """As handlers do (bot.persistence.remember_step): one step per transaction."""
    for key, state in steps:
        async with sessions() as session, session.begin():
            await save_conversation_state(session, name=name, key=encode_key(key), state=state)


async def test_committed_steps_survive_and_ended_ones_are_removed(sessions) -> None:  # noqa: ANN001
    await save_steps(sessions, "registration", [((10, 10), 3), ((11, 11), 1), ((11, 11), None)])
    await save_steps(sessions, "other", [((10, 10), "ASKING")])

    second = SqlPersistence(sessions)
    assert await second.get_conversations("registration") == {(10, 10): 3}
    assert await second.get_conversations("other") == {(10, 10): "ASKING"}


async def test_ptbs_flush_never_puts_an_older_step_over_a_committed_one(sessions) -> None:  # noqa: ANN001
    """PTB's flush hands over what it held in memory when it began, a step behind a handler
    that has committed the next step but not yet returned."""
    await save_steps(sessions, "forms", [((10, 10), "registering"), ((11, 11), None)])
    flushing = SqlPersistence(sessions)
    await flushing.update_conversation("forms", (10, 10), "checking_eligibility")
    await flushing.update_conversation("forms", (11, 11), "registering")  # it had left
    await flushing.update_conversation("forms", (12, 12), "registering")  # never committed
    assert await SqlPersistence(sessions).get_conversations("forms") == {(10, 10): "registering"}


async def test_user_data_is_loaded_when_the_user_comes_back_not_at_start(sessions) -> None:  # noqa: ANN001
    first = SqlPersistence(sessions)
    await first.update_user_data(42, {"draft": {"name": "Siti"}})
    await first.update_chat_data(42, {"last_screen": "programmes"})

    second = SqlPersistence(sessions)
    assert await second.get_user_data() == {}
    user_data: dict = {}
    await second.refresh_user_data(42, user_data)
    assert user_data == {"draft": {"name": "Siti"}}
    chat_data: dict = {}
    await second.refresh_chat_data(42, chat_data)
    assert chat_data == {"last_screen": "programmes"}


async def test_refresh_does_not_overwrite_newer_data_in_memory(sessions) -> None:  # noqa: ANN001
    persistence = SqlPersistence(sessions)
    await persistence.update_user_data(7, {"step": 1})
    user_data = {"step": 2}
    await persistence.refresh_user_data(7, user_data)
    assert user_data == {"step": 2}


async def test_emptied_and_dropped_data_is_deleted(sessions) -> None:  # noqa: ANN001
    first = SqlPersistence(sessions)
    await first.update_user_data(1, {"a": 1})
    await first.update_user_data(1, {})
    await first.update_user_data(2, {"b": 2})
    await first.drop_user_data(2)

    second = SqlPersistence(sessions)
    for user_id in (1, 2):
        data: dict = {}
        await second.refresh_user_data(user_id, data)
        assert data == {}


async def test_callback_data_cache_round_trips(sessions) -> None:  # noqa: ANN001
    first = SqlPersistence(sessions)
    assert await first.get_callback_data() is None
    cache = ([("uuid-1", 1700000000.0, {"button": "prog:detail:welding:0"})], {"q1": "uuid-1"})
    await first.update_callback_data(cache)
    assert await SqlPersistence(sessions).get_callback_data() == cache


async def test_a_form_step_and_the_persistence_flush_can_save_the_same_new_key_at_once(
    sessions,  # noqa: ANN001
) -> None:
    """A handler commits its form step while PTB's periodic flush saves the same conversation:
    neither may fail (a failed write would lose the user's step)."""
    key = "[7, 7]"

    async def save_and_commit(session: AsyncSession, state: str) -> None:
        await save_conversation_state(session, name="forms", key=key, state=state)
        await session.commit()

    async with sessions() as handler, sessions() as flush:
        await save_conversation_state(handler, name="forms", key=key, state="ASKING_NAME")
        # The flush starts while the handler's transaction is still open, and must wait.
        flushing = asyncio.create_task(save_and_commit(flush, "ASKING_NAME"))
        await asyncio.sleep(0.2)
        await handler.commit()
        await flushing
    async with sessions() as session:
        assert await get_conversation_state(session, name="forms", key=key) == "ASKING_NAME"
