"""Everything stored about one person, gathered for /mydata (UU 27/2022 right of access)."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.log_privacy import mask_phone
from db.consents import list_user_consents
from db.eligibility import get_answers
from db.models import Registration
from db.users import get_user


async def personal_data_of(session: AsyncSession, user_id: int) -> dict[str, Any]:
    """A JSON-ready account of the person's data; the NIK stays masked even here."""
    user = await get_user(session, user_id)
    registrations = (
        await session.scalars(select(Registration).where(Registration.user_id == user_id))
    ).all()
    answers = await get_answers(session, user_id)
    return {
        "telegram": None
        if user is None
        else {
            "id": user.id,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "username": user.username,
            "language": user.language,
            "campaign_source": user.campaign_source,
            "first_seen": user.created_at.isoformat(),
        },
        "eligibility_answers": {
            key: value.isoformat() if hasattr(value, "isoformat") else value
            for key, value in answers.items()
        },
        "registrations": [
            {
                "code": r.code,
                "programme": r.programme_code,
                "status": r.status,
                "full_name": r.full_name,
                "nik": r.nik_masked,
                "birth_date": r.birth_date.isoformat() if r.birth_date else None,
                "sex": r.sex,
                "phone": mask_phone(r.phone) if r.phone else None,
                "education": r.education,
                "activity": r.activity,
                "regency": r.regency,
                "email": r.email,
            }
            for r in registrations
        ],
        "consents": [
            {
                "purpose": c.purpose,
                "version": c.version,
                "granted_at": c.granted_at.isoformat(),
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            }
            for c in await list_user_consents(session, user_id)
        ],
    }
