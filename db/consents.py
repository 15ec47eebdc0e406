"""Queries on consents: recorded before any personal data is asked for."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Consent


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
