"""Builders for test data: catalogues and settings variants."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from bot.config import CENTRE_TIMEZONE, DEFAULT_CATALOGUE, Settings
from bot.privacy.contact_data import phone_columns
from db.models import Registration, SchoolInterest, SchoolInterestChild, User

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.offline.offline_bot import OfflineBot


def both(text: str) -> dict[str, str]:
    return {"id": f"{text} (id)", "en": f"{text} (en)"}


def programme_entry(code: str, category: str, **overrides: Any) -> dict[str, Any]:
    entry = {
        "code": code,
        "category": category,
        "audience": "trainee",
        "intake": "open",
        "intake_confirmed": True,
        "title": both(f"Course {code}"),
        "summary": both("Summary"),
        "description": both("Description"),
        "duration": both("1 month"),
        "cost": both("Free"),
        "location": both("Serang"),
        "requirements": both("Age 17+"),
    }
    entry.update(overrides)
    return entry


def write_catalogue(path: Path, categories: list[str], programmes: list[dict[str, Any]]) -> Path:
    raw = {
        "version": 1,
        "categories": [{"code": code, "title": both(f"Category {code}")} for code in categories],
        "programmes": programmes,
    }
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def shipped_catalogue_raw() -> dict[str, Any]:
    return yaml.safe_load(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))


def with_catalogue(settings: Settings, path: Path) -> Settings:
    return settings.model_copy(update={"catalogue_path": path})


async def add_applicant(bot: "OfflineBot", **fields: Any) -> Registration:
    """A user and their submitted registration, written straight to the database (the fields
    are add_applicant_in's).

    The NIK is 367301520304 followed by the number in four digits; the phone ends in it too.
    """
    services = bot.application.bot_data["services"]
    async with services.session_factory() as session, session.begin():
        return await add_applicant_in(session, bot, **fields)


def earlier_today(steps: int) -> datetime:
    """A moment `steps` minutes ago, or less, so that it is still today at the centre: right
    after midnight in WIB, "today" and the last days hold everything a test just made."""
    now = datetime.now(UTC)
    midnight = now.astimezone(CENTRE_TIMEZONE).replace(hour=0, minute=0, second=0, microsecond=0)
    step = min(timedelta(minutes=1), (now - midnight) / 1000)
    return now - step * steps


async def add_applicant_in(
    session: "AsyncSession",
    bot: "OfflineBot",
    *,
    number: int,
    programme: str = "welding",
    status: str = "submitted",
    regency: str = "3673",
    language: str | None = "id",
    submitted_at: datetime | None = None,
    name: str | None = None,
) -> Registration:
    """add_applicant within a transaction the test holds."""
    services = bot.application.bot_data["services"]
    user_id = 50_000 + number
    nik = f"367301520304{number:04d}"
    when = submitted_at or earlier_today(number)
    session.add(User(id=user_id, first_name=f"Applicant {number}", language=language))
    await session.flush()
    registration = Registration(
        code=f"SRG-2026-{number:06d}",
        user_id=user_id,
        programme_code=programme,
        batch="1",
        status=status,
        full_name=name or f"Applicant {number}",
        nik_encrypted=services.vault.encrypt(nik),
        nik_hash=services.vault.fingerprint(nik),
        nik_masked=f"3673********{number:04d}",
        birth_date=date(2004, 3, 12),
        sex="female",
        **phone_columns(services.vault, f"+628123456{number:04d}"),
        education="sma",
        activity="seeking",
        regency=regency,
        email=f"a{number}@example.com",
        submitted_at=when,
        status_changed_at=when,
    )
    session.add(registration)
    return registration


async def add_school_interest(
    bot: "OfflineBot", *, user_id: int, phone: str, children: list[str]
) -> SchoolInterest:
    """A parent and their sent Sekolah Rakyat request, stored as the form stores it."""
    services = bot.application.bot_data["services"]
    async with services.session_factory() as session, session.begin():
        session.add(User(id=user_id, first_name=f"Parent {user_id}", language="id"))
        await session.flush()
        interest = SchoolInterest(
            code=f"SR-2026-{user_id:06d}",
            user_id=user_id,
            status="submitted",
            parent_name=f"Parent {user_id}",
            relationship="mother",
            regency="3673",
            in_dtsen="yes",
            submitted_at=datetime.now(UTC),
            **phone_columns(services.vault, phone),
        )
        session.add(interest)
        await session.flush()
        for age, name in enumerate(children, start=7):
            session.add(
                SchoolInterestChild(
                    interest_id=interest.id,
                    first_name_encrypted=services.vault.encrypt(name),
                    age=age,
                    level="sd",
                )
            )
    return interest
