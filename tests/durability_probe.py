"""A bot process that is SIGKILLed the instant its reply reaches the user (run by a test).

Usage: python -m tests.durability_probe DATABASE_URL (remember|forget|registration) KEY_FILE
       python -m tests.durability_probe DATABASE_URL crowd KEY_FILE REPLIES
("crowd": an admin sends a broadcast to BROADCAST_AUDIENCE stored users, then 50 people
register at once while it goes out, and the process dies as the REPLIES-th reply to one of the
50 arrives; every reply delivered before is printed as `DELIVERED <chat id> <text as JSON>`,
every broadcast copy as `COPIED <chat id>`, and the admin's message being broadcast as
`SOURCE <message as JSON>`, for the restarted test's Telegram to keep.)
"""

import asyncio
import json
import os
import signal
import sys
from enum import IntEnum
from typing import Any

from telegram import Update
from telegram.ext import CommandHandler, ConversationHandler, MessageHandler, filters

from bench.conversation import FIRST_PERSON, TimedUpdates, one_person
from bot.application import build_application
from bot.config import Settings
from bot.context import BotContext
from bot.offline.chat_driver import ChatUser
from bot.offline.offline_bot import OfflineBot
from bot.offline.standin import TelegramStandIn
from bot.persistence import remember_step
from db.models import User

CONVERSATION = "probe"
QUESTION = "What is your name?"


class Step(IntEnum):
    ASKING_NAME = 1


def probe_conversation(*, remember: bool) -> ConversationHandler:  # type: ignore[type-arg]
    async def ask_name(update: Update, context: BotContext) -> Step:
        if remember:
            async with context.db_session() as session, session.begin():
                await remember_step(session, update, CONVERSATION, Step.ASKING_NAME)
        await update.effective_message.reply_text(QUESTION)  # type: ignore[union-attr]
        return Step.ASKING_NAME

    async def greet(update: Update, context: BotContext) -> int:
        await update.effective_message.reply_text(
            f"Nice to meet you, {update.effective_message.text}"
        )  # type: ignore[union-attr]
        return ConversationHandler.END

    return ConversationHandler(
        entry_points=[CommandHandler("probe", ask_name)],
        states={Step.ASKING_NAME: [MessageHandler(filters.TEXT & ~filters.COMMAND, greet)]},
        fallbacks=[],
        name=CONVERSATION,
        persistent=True,
    )


class KillOnQuestion(TelegramStandIn):
    """Delivers the question, then dies as a process killed by the OOM killer would."""

    marker = QUESTION

    async def do_request(
        self, url: str, method: str, request_data: Any = None, **kwargs: Any
    ) -> tuple[int, bytes]:
        answer = await super().do_request(url, method, request_data, **kwargs)
        text = request_data.parameters.get("text", "") if request_data else ""
        if url.endswith(("/sendMessage", "/editMessageText")) and self.marker in text:
            print("DELIVERED", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
        return answer


class KillOnNikQuestion(KillOnQuestion):
    marker = "What is your NIK?"


async def register_until_killed(settings: Settings) -> None:
    """The real registration form, killed as the NIK question reaches the user."""
    standin = KillOnNikQuestion()
    application = build_application(settings, request=standin)
    await application.initialize()
    await application.start()
    user = ChatUser(application, standin, user_id=502, language_code="en")
    await user.send("/programmes")
    await user.tap("Courses at BBPVP Serang")
    await user.tap("🟡 Welding (not confirmed)")
    await user.tap("📝 Register")
    await user.tap("✅ I agree")
    await user.send("Siti Aminah")


CROWD = 50
ADMIN = 9_001
# Stored users the admin's broadcast goes to: at BROADCAST_RATE copies a second it is still
# going out when the crowd's replies run out (Telegram's ~30 calls a second are shared).
BROADCAST_AUDIENCE = range(7_000_000, 7_000_500)
BROADCAST_RATE = 5


class KillAfterReplies(TelegramStandIn):
    """Prints each reply and broadcast copy as it is delivered and dies as the given reply to
    the crowd arrives."""

    def __init__(self, replies: int) -> None:
        super().__init__()
        self.left = replies

    async def do_request(
        self, url: str, method: str, request_data: Any = None, **kwargs: Any
    ) -> tuple[int, bytes]:
        answer = await super().do_request(url, method, request_data, **kwargs)
        if request_data is None:
            return answer
        params = request_data.parameters
        if url.endswith("/copyMessage"):
            print("COPIED", params.get("chat_id"), flush=True)
        elif url.endswith(("/sendMessage", "/editMessageText")):
            text = json.dumps(str(params.get("text", "")))
            print("DELIVERED", params.get("chat_id"), text, flush=True)
            if int(params.get("chat_id", 0)) >= FIRST_PERSON:
                self.left -= 1
                if self.left == 0:
                    os.kill(os.getpid(), signal.SIGKILL)
        return answer


async def start_broadcast(bot: OfflineBot) -> None:
    """The admin sends an announcement to everyone stored, as staff do after an intake opens."""
    async with bot.application.bot_data["services"].session_factory() as session:
        async with session.begin():
            session.add_all(User(id=n, first_name=f"User {n}") for n in BROADCAST_AUDIENCE)
    admin = bot.user(ADMIN, language_code="en")
    await admin.send("/broadcast")
    await admin.send("Welding course opens Monday")
    [*_, source] = bot.standin.incoming_ids(ADMIN)
    print("SOURCE", json.dumps(bot.standin.incoming(ADMIN, source)), flush=True)
    await admin.tap("👥 Everyone")
    await admin.tap(f"📤 Send to {len(BROADCAST_AUDIENCE) + 1} people")


async def crowd_until_killed(settings: Settings, replies: int) -> None:
    """The bench's path (eligibility, then the whole registration) for CROWD people at once,
    through the update queue and the bot's own update processor, while a broadcast goes out."""
    standin = KillAfterReplies(replies)
    processor = TimedUpdates(settings.concurrent_updates)
    application = build_application(settings, request=standin, update_processor=processor)
    await application.initialize()
    await application.start()
    bot = OfflineBot(application, standin)
    await start_broadcast(bot)
    latencies: list[float] = []
    halfway = asyncio.Event()
    await asyncio.gather(
        *(one_person(bot, processor, n, latencies, halfway, CROWD, False) for n in range(CROWD))
    )
    print("ALL DONE", flush=True)


async def main(database_url: str, mode: str, key_file: str, replies: str = "0") -> None:
    # PTB's default flush interval: without remember_step the step would only be in memory.
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=database_url,
        persistence_flush_seconds=60,
        flood_burst=100_000,  # the crowd answers far faster than people type
        data_key_file=key_file,
        admin_ids=(ADMIN,),
        broadcast_rate=BROADCAST_RATE,
    )
    if mode == "registration":
        await register_until_killed(settings)
        return
    if mode == "crowd":
        await crowd_until_killed(settings, int(replies))
        return
    remember = mode == "remember"
    standin = KillOnQuestion()
    application = build_application(settings, request=standin)
    application.add_handler(probe_conversation(remember=remember), group=-2)
    await application.initialize()
    await application.start()
    await ChatUser(application, standin, user_id=501).send("/probe")


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))
