"""Updates of different chats at once, one chat's in arrival order: the processor alone,
then the real Application fed through its update queue as polling or a webhook feeds it."""

import asyncio

from telegram import Update

from bot.offline.offline_bot import OfflineBot
from bot.traffic.chat_order import ChatOrderedUpdates

# Only a fail-safe, so that a broken processor fails instead of hanging: nothing waits for it.
DEADLOCK_SECONDS = 60


def message_from(chat_id: int, update_id: int) -> Update:
    return Update.de_json(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 0,
                "chat": {"id": chat_id, "type": "private"},
                "from": {"id": chat_id, "is_bot": False, "first_name": "A"},
                "text": "hi",
            },
        },
        None,
    )


class Recorder:
    def __init__(self) -> None:
        self.done: list[str] = []
        self.running = 0
        self.most_running = 0
        self.events: dict[str, asyncio.Event] = {}

    def finished(self, name: str) -> asyncio.Event:
        return self.events.setdefault(name, asyncio.Event())

    async def handle(self, name: str, wait_for: asyncio.Event | None = None) -> None:
        self.running += 1
        self.most_running = max(self.most_running, self.running)
        try:
            if wait_for is not None:
                await wait_for.wait()
            for _ in range(3):  # awaits inside a handler, as database and API calls do
                await asyncio.sleep(0)
            self.done.append(name)
            self.finished(name).set()
        finally:
            self.running -= 1


async def test_a_blocked_chat_holds_one_slot_and_keeps_its_order() -> None:
    processor = ChatOrderedUpdates(limit=2)
    recorder = Recorder()
    first_may_finish = asyncio.Event()
    # As PTB does: one task per update, created in arrival order.
    tasks = [
        asyncio.create_task(
            processor.process_update(
                message_from(1, 1), recorder.handle("a1", wait_for=first_may_finish)
            )
        )
    ]
    tasks += [
        asyncio.create_task(processor.process_update(message_from(1, n), recorder.handle(f"a{n}")))
        for n in range(2, 30)
    ]
    tasks.append(
        asyncio.create_task(processor.process_update(message_from(2, 99), recorder.handle("b")))
    )
    async with asyncio.timeout(DEADLOCK_SECONDS):
        await recorder.finished("b").wait()
    # Chat 2 was served although chat 1's first update is stuck and 28 more wait behind it.
    assert recorder.done == ["b"]
    first_may_finish.set()
    await asyncio.gather(*tasks)
    assert recorder.done == ["b", *(f"a{n}" for n in range(1, 30))]
    assert processor.chats_in_hand == 0, "no lock is kept for a chat with nothing in hand"


async def test_no_more_than_the_limit_run_at_once() -> None:
    processor = ChatOrderedUpdates(limit=3)
    recorder = Recorder()
    await asyncio.gather(
        *(
            processor.process_update(message_from(chat, chat), recorder.handle(str(chat)))
            for chat in range(20)
        )
    )
    assert len(recorder.done) == 20
    assert recorder.most_running == 3


async def test_another_user_is_answered_while_one_chat_floods(bot: OfflineBot) -> None:
    flooder = bot.user(9301, language_code="id")
    other = bot.user(9302, language_code="id")
    texts = ["/start", "/help"] * 50
    for text in texts:
        await flooder.send_through_queue(text)
    await other.send_through_queue("/start")

    def answered(chat_id: int) -> int:
        return len(bot.standin.history(chat_id))

    await bot.standin.wait_until(lambda: answered(other.chat_id) == 1)
    assert answered(flooder.chat_id) < len(texts), "the other user did not wait for the flood"
    await bot.standin.wait_until(lambda: answered(flooder.chat_id) == len(texts))
    replies = [m.plain_text for m in bot.standin.history(flooder.chat_id)]
    menu, help_text = replies[0], replies[1]
    assert menu != help_text
    assert replies == [menu, help_text] * 50, "one chat's updates answered in order"
