"""Queries on registrations: drafts, submission, duplicates, quotas and reminders."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.documents import delete_documents_of, delete_user_documents
from db.models import ACTIVE_STATUSES, FINAL_STATUSES, IntakeWatcher, Registration, utc_now


async def get_draft(session: AsyncSession, user_id: int) -> Registration | None:
    """The user's unfinished registration, if any (one at a time)."""
    query = (
        select(Registration)
        .where(Registration.user_id == user_id, Registration.status == "draft")
        .order_by(Registration.id.desc())
        .limit(1)
    )
    return (await session.scalars(query)).first()


async def create_draft(
    session: AsyncSession,
    *,
    user_id: int,
    programme_code: str,
    batch: str,
    consent_id: int,
    prefill: dict[str, Any],
) -> Registration:
    """Start a registration; answers the user already gave elsewhere are filled in."""
    draft = Registration(
        user_id=user_id,
        programme_code=programme_code,
        batch=batch,
        consent_id=consent_id,
        status="draft",
        **prefill,
    )
    session.add(draft)
    await session.flush()
    return draft


async def list_registrations_with_nik(session: AsyncSession) -> Sequence[Registration]:
    """Every row, draft or not, that holds an encrypted NIK."""
    query = select(Registration).where(Registration.nik_encrypted.is_not(None))
    return (await session.scalars(query.order_by(Registration.id))).all()


async def list_registrations_with_secrets(session: AsyncSession) -> Sequence[Registration]:
    """Every row, draft or not, that holds an encrypted NIK or phone number."""
    query = select(Registration).where(
        or_(Registration.nik_encrypted.is_not(None), Registration.phone_encrypted.is_not(None))
    )
    return (await session.scalars(query.order_by(Registration.id))).all()


async def delete_draft(session: AsyncSession, draft: Registration) -> None:
    await session.delete(draft)


async def find_active_registration(
    session: AsyncSession, *, nik_hash: str, programme_code: str, batch: str
) -> Registration | None:
    query = select(Registration).where(
        Registration.nik_hash == nik_hash,
        Registration.programme_code == programme_code,
        Registration.batch == batch,
        Registration.status.in_(ACTIVE_STATUSES),
    )
    return (await session.scalars(query)).first()


async def find_own_active_registration(
    session: AsyncSession, *, user_id: int, programme_code: str, batch: str
) -> Registration | None:
    """The user's own application to this intake, if one is still going."""
    query = select(Registration).where(
        Registration.user_id == user_id,
        Registration.programme_code == programme_code,
        Registration.batch == batch,
        Registration.status.in_(ACTIVE_STATUSES),
    )
    return (await session.scalars(query)).first()


async def count_active_registrations(
    session: AsyncSession, *, programme_code: str, batch: str
) -> int:
    query = (
        select(func.count())
        .select_from(Registration)
        .where(
            Registration.programme_code == programme_code,
            Registration.batch == batch,
            Registration.status.in_(ACTIVE_STATUSES),
        )
    )
    return (await session.execute(query)).scalar_one()


async def submit_registration(session: AsyncSession, draft: Registration, *, prefix: str) -> str:
    """Turn a draft into an application with its registration code, e.g. SRG-2026-000123."""
    now = utc_now()
    draft.status = "submitted"
    draft.step = None
    draft.submitted_at = now
    draft.status_changed_at = now
    draft.code = f"{prefix}-{now.year}-{draft.id:06d}"
    await session.flush()
    return draft.code


async def list_user_registrations(session: AsyncSession, user_id: int) -> Sequence[Registration]:
    query = (
        select(Registration)
        .where(Registration.user_id == user_id, Registration.status != "draft")
        .order_by(Registration.submitted_at.desc())
    )
    return (await session.scalars(query)).all()


async def get_user_registration(
    session: AsyncSession, *, user_id: int, code: str
) -> Registration | None:
    query = select(Registration).where(Registration.user_id == user_id, Registration.code == code)
    return (await session.scalars(query)).first()


async def set_registration_status(
    session: AsyncSession, registration: Registration, status: str
) -> None:
    registration.status = status
    registration.status_changed_at = utc_now()


async def list_drafts_to_remind(
    session: AsyncSession, *, idle_since: datetime
) -> Sequence[Registration]:
    """Drafts untouched since the given time that have not had their one reminder."""
    query = select(Registration).where(
        Registration.status == "draft",
        Registration.updated_at < idle_since,
        Registration.reminder_sent_at.is_(None),
        Registration.user_id.is_not(None),
    )
    return (await session.scalars(query)).all()


async def add_intake_watcher(session: AsyncSession, *, user_id: int, programme_code: str) -> None:
    await session.merge(IntakeWatcher(user_id=user_id, programme_code=programme_code))


async def anonymise_user_registrations(session: AsyncSession, user_id: int) -> None:
    """Keep each registration's programme, stage, dates and regency for statistics only;
    the documents' file ids go."""
    await delete_user_documents(session, user_id)
    query = select(Registration).where(Registration.user_id == user_id)
    for registration in (await session.scalars(query)).all():
        if registration.status == "draft":
            await session.delete(registration)
        else:
            anonymise(registration)


def anonymise(registration: Registration) -> None:
    registration.user_id = None
    registration.full_name = registration.email = None
    registration.phone_encrypted = registration.phone_masked = None
    registration.nik_encrypted = registration.nik_hash = registration.nik_masked = None
    registration.birth_date = None
    registration.sex = None


async def purge_finished(session: AsyncSession, *, finished_before: datetime) -> int:
    """Anonymise registrations whose selection ended (a final stage) before the date."""
    query = select(Registration).where(
        Registration.status.in_(FINAL_STATUSES),
        Registration.status_changed_at < finished_before,
        Registration.full_name.is_not(None),
    )
    rows = (await session.scalars(query)).all()
    await delete_documents_of(session, [registration.id for registration in rows])
    for registration in rows:
        anonymise(registration)
    return len(rows)


async def delete_stale_drafts(session: AsyncSession, *, idle_since: datetime) -> int:
    query = select(Registration).where(
        Registration.status == "draft", Registration.updated_at < idle_since
    )
    rows = (await session.scalars(query)).all()
    for draft in rows:
        await session.delete(draft)
    return len(rows)


OPEN_STATUSES = ("draft", *ACTIVE_STATUSES)


async def correct_open_registrations(
    session: AsyncSession, *, user_id: int, values: Mapping[str, str]
) -> int:
    """Set the columns given (one answer: a phone is two) on every registration still in play;
    returns how many changed."""
    query = select(Registration).where(
        Registration.user_id == user_id, Registration.status.in_(OPEN_STATUSES)
    )
    rows = (await session.scalars(query)).all()
    for registration in rows:
        for column, value in values.items():
            setattr(registration, column, value)
    return len(rows)


async def list_all_user_registrations(
    session: AsyncSession, user_id: int
) -> Sequence[Registration]:
    query = select(Registration).where(Registration.user_id == user_id).order_by(Registration.id)
    return (await session.scalars(query)).all()
