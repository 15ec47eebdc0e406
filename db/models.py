"""SQLAlchemy models: domain tables and the tables behind the bot's conversation persistence."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, datetime: DateTime(timezone=True)}


class User(Base):
    """Someone who has talked to the bot; the id is their Telegram user id."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    first_name: Mapped[str] = mapped_column(String(64))
    last_name: Mapped[str | None] = mapped_column(String(64))
    username: Mapped[str | None] = mapped_column(String(32))
    # The language the user picked with /language; None means "follow Telegram".
    language: Mapped[str | None] = mapped_column(String(8))
    telegram_language: Mapped[str | None] = mapped_column(String(16))
    # The deep-link payload of the user's first /start (a school visit, a poster...).
    campaign_source: Mapped[str | None] = mapped_column(String(64), index=True)
    blocked_bot: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    last_seen_at: Mapped[datetime] = mapped_column(default=utc_now, index=True)


class ProgrammeCategory(Base):
    __tablename__ = "programme_categories"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    # {"title": {"id": "...", "en": "..."}}
    texts: Mapped[dict[str, Any]]


class Programme(Base):
    """A programme from the staff-edited catalogue, synced at start-up."""

    __tablename__ = "programmes"

    code: Mapped[str] = mapped_column(String(24), primary_key=True)
    category: Mapped[str] = mapped_column(ForeignKey("programme_categories.code"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    audience: Mapped[str] = mapped_column(String(16))
    intake: Mapped[str] = mapped_column(String(16))
    # Every display text by field then language: {"title": {"id": ..., "en": ...}, ...}
    texts: Mapped[dict[str, Any]]
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)


class ConversationState(Base):
    """Where one user stands in one conversation; a row exists only while it is open."""

    __tablename__ = "conversation_states"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    state: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)


class StoredUserData(Base):
    __tablename__ = "persisted_user_data"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    data: Mapped[dict[str, Any]]


class StoredChatData(Base):
    __tablename__ = "persisted_chat_data"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    data: Mapped[dict[str, Any]]


class StoredSingleton(Base):
    """bot_data and the callback-data cache, one row each."""

    __tablename__ = "persisted_singletons"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    data: Mapped[Any] = mapped_column(JSON)
