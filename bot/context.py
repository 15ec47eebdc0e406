"""The callback context every handler receives, with typed access to the process's services."""

import asyncio
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.content.faq import Faq, FaqIndex
from bot.content.school import SchoolContent
from bot.i18n import Translator, resolve_locale
from bot.operations.metrics import BotMetrics
from bot.privacy.vault import NikVault
from bot.staff.delivery_order import DeliveryOrder
from bot.traffic.flood import FloodGate
from db.models import User

SERVICES = "services"


@dataclass
class Services:
    """Per-process objects, built once by build_application and kept in (unpersisted) bot_data."""

    settings: Settings
    session_factory: async_sessionmaker[AsyncSession]
    translators: dict[str, Translator]
    vault: NikVault
    # The FAQ answered from: the file's (file_faq) with staff's additions layered over it.
    faq: FaqIndex
    file_faq: Faq
    school: SchoolContent
    flood_gate: FloodGate
    metrics: BotMetrics
    # Whether the staff group has forum topics; asked of Telegram once, when first needed.
    staff_forum: bool | None = None
    # Set when a broadcast starts or resumes, so the broadcast worker need not poll for it.
    broadcast_wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    # Held while a broadcast's progress message is read and edited, by the worker and by the
    # staff member's ⏸ / ▶️ / ✖️: the later edit is always of the newer state.
    progress_edits: asyncio.Lock = field(default_factory=asyncio.Lock)
    # Held while the FAQ index is rebuilt with staff's additions (bot/questions/live_faq.py).
    faq_refresh: asyncio.Lock = field(default_factory=asyncio.Lock)
    # Per chat, what a user sends reaches staff in order (handlers/handoff/albums.py).
    delivery_order: DeliveryOrder = field(default_factory=DeliveryOrder)

    def translator_for(self, user: User) -> Translator:
        """The translator of a stored user: their choice, else Telegram's language."""
        locale = resolve_locale(
            user.language, user.telegram_language, self.settings.default_locale
        )
        return self.translators[locale]


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    telegram_language: str | None = None
    user_id: int | None = None
    chat_id: int | None = None
    # The language the user chose with /language (None: follow Telegram). PTB builds one
    # context per update and hands it to every handler group, so the identify handler in
    # group -1 sets this for the features in group 0 (all our handlers block).
    chosen_language: str | None = None
    # True when the identify handler just created the user's row: this update is their first
    # contact with the bot (a campaign link then counts them as its sign-up).
    first_contact: bool = False

    @classmethod
    def from_update(  # type: ignore[override]
        cls, update: object, application: Application[Any, Any, Any, Any, Any, Any]
    ) -> "BotContext":
        context = super().from_update(update, application)
        if isinstance(update, Update) and update.effective_user:
            context.user_id = update.effective_user.id
            context.telegram_language = update.effective_user.language_code
        if isinstance(update, Update) and update.effective_chat:
            context.chat_id = update.effective_chat.id
        return context  # type: ignore[return-value]

    @property
    def services(self) -> Services:
        return self.bot_data[SERVICES]  # type: ignore[no-any-return]

    @property
    def settings(self) -> Settings:
        return self.services.settings

    def db_session(self) -> AsyncSession:
        """A new session for this update; the handler opens the transaction."""
        return self.services.session_factory()

    @property
    def locale(self) -> str:
        return resolve_locale(
            self.chosen_language, self.telegram_language, self.settings.default_locale
        )

    @property
    def translator(self) -> Translator:
        return self.services.translators[self.locale]

    def remember_language(self, language: str | None) -> None:
        self.chosen_language = language
