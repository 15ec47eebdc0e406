"""Settings, read once from the environment and `.env`, then passed to whoever needs them.

Each field's description is the operator's documentation: `python -m bot config-reference`
renders them into the README's configuration reference, and a test keeps the two equal."""

import re
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SUPPORTED_LOCALES = ("id", "en")
# What Telegram accepts as a webhook's secret_token.
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
CONTENT_DIR = Path(__file__).parent / "content"
DEFAULT_CATALOGUE = CONTENT_DIR / "programmes.yaml"
# Dates and times staff type or read ("today", a schedule, an intake's closing day) are the
# centre's, in Serang (WIB).
CENTRE_TIMEZONE = ZoneInfo("Asia/Jakarta")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", frozen=True, extra="ignore", env_ignore_empty=True
    )

    bot_token: SecretStr | None = Field(
        default=None,
        description="The bot's token from @BotFather. Without it `run` stops and says how to "
        "get one; `shell` needs none. Never logged.",
    )
    database_url: str = Field(
        default="sqlite+aiosqlite:///./data/vokasi.db",
        description="Where data lives: a SQLite file (nothing to set up), or "
        "`postgresql+asyncpg://user:password@host:5432/dbname`.",
    )
    default_locale: str = Field(
        default="id",
        description="The language for users whose Telegram language is neither Indonesian nor "
        "English: `id` or `en`.",
    )
    admin_ids: Annotated[tuple[int, ...], NoDecode] = Field(
        default=(),
        description="Telegram user ids of the admins, comma-separated. Admins add staff with "
        "/addstaff.",
    )
    staff_chat_id: int | None = Field(
        default=None,
        description="The staff group's chat id (a negative number), for notices and hand-offs.",
    )
    handoff_album_wait_seconds: float = Field(
        default=1.0,
        gt=0,
        le=10,
        description="Seconds the bot waits after a part of an album a user sends to staff: "
        "when none has come for that long, the parts reach staff together, as one album. The "
        "parts wait in the database, so a restart loses none and a part received by another "
        "process of the bot is included.",
    )
    # Personal data is only ever asked for and shown privately, so in these groups too the bot
    # only points to a private chat.
    allowed_group_ids: Annotated[tuple[int, ...], NoDecode] = Field(
        default=(),
        description="Groups where the bot may stay (cohort groups, say), comma-separated chat "
        "ids. There it only points people to a private chat.",
    )
    leave_unknown_groups: bool = Field(
        default=True,
        description="Whether the bot leaves a group not in ALLOWED_GROUP_IDS after saying what "
        "it is; /audit shows who added it.",
    )
    unnamed_group_grace_hours: float = Field(
        default=24,
        gt=0,
        le=24 * 30,
        description="Hours the bot stays in a group a staff member added it to, so it can be "
        "named an intake's cohort group; not named by then, the bot leaves it (when "
        "LEAVE_UNKNOWN_GROUPS is on) and /audit says so.",
    )
    bot_api_base_url: str = Field(
        default="https://api.telegram.org/bot",
        description="The Bot API server; change it (and the file URL) for a self-hosted Bot API "
        "server.",
    )
    bot_api_base_file_url: str = Field(
        default="https://api.telegram.org/file/bot",
        description="The Bot API server's file URL.",
    )
    catalogue_path: Path = Field(
        default=DEFAULT_CATALOGUE,
        description="The staff-edited programme catalogue (YAML). Default: the one shipped in "
        "bot/content/.",
    )
    faq_path: Path = Field(
        default=CONTENT_DIR / "faq.yaml",
        description="The FAQ (YAML). Default: the one shipped in bot/content/.",
    )
    school_content_path: Path = Field(
        default=CONTENT_DIR / "sekolah_rakyat.yaml",
        description="The Sekolah Rakyat texts (YAML). Default: the one shipped in bot/content/.",
    )
    data_key: SecretStr | None = Field(
        default=None,
        description="The Fernet key that encrypts NIKs, phone numbers and children's names at "
        "rest. Unset: a key is made once in DATA_KEY_FILE. Losing it makes them unreadable.",
    )
    # Kept apart from data/, so a copy of the database does not carry its key along.
    data_key_file: Path = Field(
        default=Path("secrets/data.key"),
        description="Where the key is kept when DATA_KEY is unset; back it up apart from the "
        "database.",
    )
    registration_prefix: str = Field(
        default="SRG",
        pattern=r"^[A-Z]{2,6}$",
        description="Registration codes read <prefix>-<year>-<number>, e.g. SRG-2026-000123.",
    )
    reminder_after_hours: float = Field(
        default=24,
        gt=0,
        description="Hours after which an unfinished registration gets its one reminder.",
    )
    # Retention (UU 27/2022 sets no period: the centre does, and the consent texts quote these).
    keep_registrations_months: int = Field(
        default=12,
        ge=1,
        le=120,
        description="Months a registration's personal data is kept after its selection ended "
        "(accepted, rejected or withdrawn); then only programme, stage, dates and regency stay, "
        "for statistics. Quoted in the registration consent.",
    )
    keep_drafts_days: int = Field(
        default=60,
        ge=1,
        le=3650,
        description="Days an unfinished registration or Sekolah Rakyat request is kept after "
        "its last answer, then deleted. Quoted in both consents.",
    )
    keep_school_requests_months: int = Field(
        default=12,
        ge=1,
        le=120,
        description="Months a sent Sekolah Rakyat request, with the children's details, is "
        "kept, then deleted. Quoted in its consent.",
    )
    keep_eligibility_answers_months: int = Field(
        default=12,
        ge=1,
        le=120,
        description="Months eligibility answers are kept after a person's last visit, then "
        "deleted. Quoted before the first question.",
    )
    keep_handoff_months: int = Field(
        default=6,
        ge=1,
        le=120,
        description="Months a closed conversation with staff is kept: then its topic in the "
        "staff group (every message in it) and the bot's record of it are deleted. The bot "
        "needs the group's Delete messages right. Quoted when a user is connected.",
    )
    keep_questions_days: int = Field(
        default=180,
        ge=1,
        le=3650,
        description="Days a typed question is kept (NIK and phone numbers masked) for the "
        "staff's unanswered-questions desk and the FAQ hit rate in /stats, then deleted. "
        "Quoted where the bot invites a question.",
    )
    keep_declined_join_requests_days: int = Field(
        default=30,
        ge=1,
        le=3650,
        description="Days /audit keeps the Telegram id of someone the bot declined at a cohort "
        "group's door (not an accepted applicant); then the entry stays without it. An "
        "accepted applicant's id goes with their registration (KEEP_REGISTRATIONS_MONTHS).",
    )
    sqlite_busy_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        le=120,
        description="With SQLite: how long a write waits for the database while another "
        "write or program holds it; past that the user is told to send their message again "
        "and nothing is half-written. Under heavy load writes queue for seconds: keep it long.",
    )
    sqlite_synchronous: Literal["full", "normal"] = Field(
        default="full",
        description="With SQLite: `full` writes every answer to the disk before the user is "
        "answered; `normal` answers sooner under load (a third of the slowest replies' "
        "time, bench.conversation) and survives the bot crashing or being killed, but a "
        "power cut may undo the last few seconds.",
    )
    # Form answers are committed before the bot replies anyway.
    persistence_flush_seconds: float = Field(
        default=1.0,
        gt=0,
        description="Seconds between flushes of the conversation data the bot keeps in memory.",
    )
    broadcast_rate: float = Field(
        default=25,
        gt=0,
        description="Broadcast copies per second; Telegram allows about 30 in bulk, so stay "
        "below.",
    )
    broadcast_in_flight: int = Field(
        default=10,
        ge=1,
        le=100,
        description="Broadcast copies on their way at once; also the most a crash can send twice.",
    )
    # Tests make it tiny.
    broadcast_wait_scale: float = Field(
        default=1.0,
        ge=0,
        description="Scales every broadcast wait (Telegram's retry_after, retry back-off).",
    )
    broadcast_progress_seconds: float = Field(
        default=5.0,
        gt=0,
        description="How often the staff member's broadcast progress message is edited.",
    )
    # Each update may hold one of the database pool's 15 connections, so leave a few for the
    # broadcast worker.
    concurrent_updates: int = Field(
        default=12,
        ge=1,
        le=64,
        description="Updates of different chats handled at once; one chat's always run in order.",
    )
    flood_burst: int = Field(
        default=20,
        ge=1,
        description="Flood control: updates a user may send at once. Past the limit they are "
        "asked once to slow down and further updates are dropped. Staff are exempt.",
    )
    flood_rate: float = Field(
        default=1.0,
        gt=0,
        description="Flood control: updates per second a user may send once the burst is used.",
    )
    webhook_url: str | None = Field(
        default=None,
        description="Set to receive updates by webhook instead of polling: the public HTTPS "
        "address Telegram posts to, e.g. `https://bot.example.org/telegram` (a reverse proxy "
        "with TLS forwards it to WEBHOOK_LISTEN:WEBHOOK_PORT, same path).",
    )
    webhook_secret: SecretStr | None = Field(
        default=None,
        description="Needed with WEBHOOK_URL: 1-256 letters, digits, _ or -. Telegram sends "
        "it with every update; a request without it is refused (403) and counted.",
    )
    webhook_listen: str = Field(
        default="127.0.0.1",
        description="The address the webhook, /healthz and /metrics listen on; 0.0.0.0 in a "
        "container.",
    )
    webhook_port: int = Field(
        default=8080, ge=1, le=65535, description="The port of the webhook, /healthz and /metrics."
    )
    metrics_port: int | None = Field(
        default=None,
        ge=0,
        le=65535,
        description="When polling: serve /healthz and /metrics on WEBHOOK_LISTEN at this port "
        "(unset: no HTTP server). With a webhook they share WEBHOOK_PORT.",
    )
    log_level: str = Field(
        default="INFO",
        description="DEBUG, INFO, WARNING or ERROR. NIKs, phone numbers and the token are "
        "masked on every line.",
    )
    log_format: Literal["text", "json"] = Field(
        default="text",
        description="text, or json for one JSON object per line (time, level, logger, "
        "message) for a log collector.",
    )
    sql_debug: bool = Field(
        default=False,
        description="Log every SQL statement (never its parameters). Off, the database "
        "libraries log only warnings even at LOG_LEVEL=DEBUG, since their lines quote "
        "people's data.",
    )

    @field_validator("admin_ids", "allowed_group_ids", mode="before")
    @classmethod
    def split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(int(part) for part in value.replace(" ", "").split(",") if part)
        if isinstance(value, int):
            return (value,)
        return value

    @field_validator("webhook_secret")
    @classmethod
    def check_webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("must be 1-256 characters, each a letter, a digit, _ or -")
        return value

    @model_validator(mode="after")
    def webhook_needs_secret(self) -> "Settings":
        if self.webhook_url is not None:
            if self.webhook_secret is None:
                raise ValueError(
                    "WEBHOOK_SECRET is needed with WEBHOOK_URL, or anyone could post updates; "
                    "make one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
                )
            if not self.webhook_url.startswith("https://"):
                raise ValueError("WEBHOOK_URL must start with https:// (Telegram needs TLS)")
        return self

    @field_validator("default_locale")
    @classmethod
    def check_locale(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"must be one of {', '.join(SUPPORTED_LOCALES)}")
        return value
