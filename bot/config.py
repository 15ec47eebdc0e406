"""Settings, read once from the environment and `.env`, then passed to whoever needs them."""

from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SUPPORTED_LOCALES = ("id", "en")
CONTENT_DIR = Path(__file__).parent / "content"
DEFAULT_CATALOGUE = CONTENT_DIR / "programmes.yaml"
# Dates and times staff type or read ("today", a schedule, an intake's closing day) are the
# centre's, in Serang (WIB).
CENTRE_TIMEZONE = ZoneInfo("Asia/Jakarta")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", frozen=True, extra="ignore", env_ignore_empty=True
    )

    bot_token: SecretStr | None = None
    database_url: str = "sqlite+aiosqlite:///./data/vokasi.db"
    default_locale: str = "id"
    admin_ids: Annotated[tuple[int, ...], NoDecode] = ()
    staff_chat_id: int | None = None
    # Groups where the bot may stay (cohort groups, say): there it only points to a private
    # chat. Any other group it is added to gets the same pointer, and the bot leaves unless
    # leave_unknown_groups is off. Personal data is only ever asked for and shown privately.
    allowed_group_ids: Annotated[tuple[int, ...], NoDecode] = ()
    leave_unknown_groups: bool = True
    bot_api_base_url: str = "https://api.telegram.org/bot"
    bot_api_base_file_url: str = "https://api.telegram.org/file/bot"
    catalogue_path: Path = DEFAULT_CATALOGUE
    faq_path: Path = CONTENT_DIR / "faq.yaml"
    school_content_path: Path = CONTENT_DIR / "sekolah_rakyat.yaml"
    # Encrypts NIKs at rest (a Fernet key). Unset: a key is made once in data_key_file.
    data_key: SecretStr | None = None
    # Kept apart from data/, so a copy of the database does not carry its key along.
    data_key_file: Path = Path("secrets/data.key")
    # Registration codes read <prefix>-<year>-<number>, e.g. SRG-2026-000123.
    registration_prefix: str = Field(default="SRG", pattern=r"^[A-Z]{2,6}$")
    # Hours after which an unfinished registration gets its one reminder.
    reminder_after_hours: float = Field(default=24, gt=0)
    # How often PTB's own persistence flushes; form answers are committed before replying anyway.
    persistence_flush_seconds: float = Field(default=1.0, gt=0)
    # Broadcast copies per second, kept below Telegram's ~30/s bulk limit (domain.md section 7).
    broadcast_rate: float = Field(default=25, gt=0)
    # Copies sent at once; also how many recipients a crash can leave served but unrecorded.
    broadcast_in_flight: int = Field(default=10, ge=1, le=100)
    # Scales every wait (retry_after, retry back-off); tests make it tiny.
    broadcast_wait_scale: float = Field(default=1.0, ge=0)
    # How often the staff member's progress message is edited.
    broadcast_progress_seconds: float = Field(default=5.0, gt=0)
    # Updates of different chats handled at once (one chat's always in order). Each may hold
    # one of the database pool's 15 connections, so leave a few for the broadcast worker.
    concurrent_updates: int = Field(default=12, ge=1, le=64)
    # Flood control per user: this many updates at once, then this many per second; past that
    # the user is asked once to slow down and further updates are dropped. Staff are exempt.
    flood_burst: int = Field(default=20, ge=1)
    flood_rate: float = Field(default=1.0, gt=0)
    log_level: str = "INFO"

    @field_validator("admin_ids", "allowed_group_ids", mode="before")
    @classmethod
    def split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(int(part) for part in value.replace(" ", "").split(",") if part)
        if isinstance(value, int):
            return (value,)
        return value

    @field_validator("default_locale")
    @classmethod
    def check_locale(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"must be one of {', '.join(SUPPORTED_LOCALES)}")
        return value
