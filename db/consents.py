"""Queries on consents: recorded before any personal data is asked for."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Consent, utc_now


async def create_consent(
    session: AsyncSession, *, user_id: int, purpose: str, version: str, locale: str
) -> Consent:
    consent = Consent(user_id=user_id, purpose=purpose, version=version, locale=locale)
    session.add(consent)
    await session.flush()
    return consent


async def get_active_consent(
    session: AsyncSession, *, user_id: int, purpose: str, version: str
) -> Consent | None:
    """The user's standing consent to this purpose in this text version, if any."""
    query = (
        select(Consent)
        .where(
            Consent.user_id == user_id,
            Consent.purpose == purpose,
            Consent.version == version,
            Consent.withdrawn_at.is_(None),
        )
        .order_by(Consent.granted_at.desc())
        .limit(1)
    )
    return (await session.scalars(query)).first()


async def list_user_consents(session: AsyncSession, user_id: int) -> list[Consent]:
    query = select(Consent).where(Consent.user_id == user_id).order_by(Consent.granted_at)
    return list((await session.scalars(query)).all())


async def withdraw_user_consents(session: AsyncSession, user_id: int) -> None:
    """Mark every consent withdrawn and detach it from the person (the record stays)."""
    for consent in await list_user_consents(session, user_id):
        consent.withdrawn_at = consent.withdrawn_at or utc_now()
        consent.user_id = None
