"""The real bot running against the in-process Telegram stand-in: for tests, shell and bench."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.application import VokasiApplication, build_application
from bot.config import Settings
from bot.offline.chat_driver import ChatUser
from bot.offline.standin import TelegramStandIn


@dataclass
class OfflineBot:
    application: VokasiApplication
    standin: TelegramStandIn

    def user(
        self, user_id: int, *, first_name: str = "Siti", language_code: str | None = "id"
    ) -> ChatUser:
        return ChatUser(
            self.application,
            self.standin,
            user_id=user_id,
            first_name=first_name,
            language_code=language_code,
        )


@asynccontextmanager
async def offline_bot(
    settings: Settings, standin: TelegramStandIn | None = None
) -> AsyncIterator[OfflineBot]:
    """Start the bot as `run` would, minus polling; stop it cleanly afterwards."""
    standin = standin or TelegramStandIn()
    application = build_application(settings, request=standin)
    await application.initialize()
    await application.start()
    try:
        yield OfflineBot(application, standin)
    finally:
        await application.stop()
        await application.shutdown()
