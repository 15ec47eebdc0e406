"""Start-up time and memory with 100,000 stored users, against an empty database and PTB's own
PicklePersistence holding the same data. Every figure is a ratio measured in this one run."""

import asyncio
import json
import pickle
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from sqlalchemy import insert

from bot.forms.conversation import FORMS
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade_database
from db.models import ConversationState, StoredUserData, User

USERS = 100_000
# A realistic share of users in the middle of a form at any moment.
OPEN_CONVERSATIONS = 10_000
RUNS = 3
CHUNK = 5_000


def user_data(user_id: int) -> dict[str, object]:
    return {"last_programme": "welding", "seen_intro": True, "draft": {"step": user_id % 7}}


async def seed_database(url: str, users: int) -> None:
    engine = create_engine(url)
    await upgrade_database(engine)
    sessions = create_session_factory(engine)
    async with sessions() as session, session.begin():
        for start in range(0, users, CHUNK):
            ids = range(start + 1, min(start + CHUNK, users) + 1)
            await session.execute(
                insert(User),
                [{"id": i, "first_name": f"User {i}", "telegram_language": "id"} for i in ids],
            )
            await session.execute(
                insert(StoredUserData), [{"user_id": i, "data": user_data(i)} for i in ids]
            )
        if users:
            await session.execute(
                insert(ConversationState),
                [
                    {"name": FORMS, "key": json.dumps([i, i]), "state": "registering"}
                    for i in range(1, min(users, OPEN_CONVERSATIONS) + 1)
                ],
            )
    await engine.dispose()


def seed_pickle(path: Path, users: int) -> None:
    data = {
        "user_data": {i: user_data(i) for i in range(1, users + 1)},
        "chat_data": {},
        "bot_data": {},
        "callback_data": None,
        "conversations": {
            FORMS: {(i, i): "registering" for i in range(1, min(users, OPEN_CONVERSATIONS) + 1)}
        },
    }
    with path.open("wb") as file:
        pickle.dump(data, file)


def measure(kind: str, target: str) -> dict[str, float]:
    runs = []
    for _ in range(RUNS):
        output = subprocess.run(
            [sys.executable, "-m", "bench.startup_probe", kind, target],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        runs.append(json.loads(output.strip().splitlines()[-1]))
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        empty_url = f"sqlite+aiosqlite:///{folder}/empty.db"
        full_url = f"sqlite+aiosqlite:///{folder}/full.db"
        asyncio.run(seed_database(empty_url, 0))
        asyncio.run(seed_database(full_url, USERS))
        seed_pickle(Path(folder) / "full.pickle", USERS)
        empty = measure("sql", empty_url)
        full = measure("sql", full_url)
        ptb = measure("pickle", f"{folder}/full.pickle")

    print(
        f"start-up with {USERS:,} stored users ({OPEN_CONVERSATIONS:,} mid-form), "
        f"median of {RUNS} fresh processes each"
    )
    print(f"{'':34}{'seconds':>10}{'peak RSS MiB':>14}")
    for label, row in (
        ("SQL persistence, empty database", empty),
        (f"SQL persistence, {USERS:,} users", full),
        (f"PTB PicklePersistence, {USERS:,}", ptb),
    ):
        print(f"{label:34}{row['seconds']:>10.3f}{row['rss_mib']:>14.1f}")
    print(
        f"ratio 100k users / empty database:  time {full['seconds'] / empty['seconds']:.2f}x, "
        f"memory {full['rss_mib'] / empty['rss_mib']:.2f}x"
    )
    print(
        f"ratio ours / PicklePersistence:     time {full['seconds'] / ptb['seconds']:.2f}x, "
        f"memory {full['rss_mib'] / ptb['rss_mib']:.2f}x"
    )


if __name__ == "__main__":
    main()
