"""Everything stored about one person, gathered for /mydata (UU 27/2022 right of access)."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.forms.documents import document_specs, find_spec
from bot.privacy.contact_data import child_name_of, phone_of
from bot.privacy.vault import NikVault
from db.cohort_invites import list_user_invites
from db.consents import list_user_consents
from db.documents import list_documents_of
from db.eligibility import get_answers
from db.faq_questions import list_user_questions
from db.handoff_ratings import list_user_ratings
from db.models import Programme, Registration
from db.programmes import list_user_watches
from db.registrations import list_all_user_registrations
from db.school_interests import list_children, list_user_interests
from db.users import get_user

INTEREST_FIELDS = (
    "code",
    "status",
    "parent_name",
    "relationship",
    "regency",
    "in_dtsen",
    "created_at",
    "submitted_at",
)


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


async def documents_of(
    session: AsyncSession, registration: Registration, documents: list[Any]
) -> list[dict[str, Any]]:
    """The documents sent for a registration: which, when, and how big (the file stays in
    Telegram; the bot keeps only its reference)."""
    programme = await session.get(Programme, registration.programme_code)
    specs = document_specs(programme.documents if programme else [])
    return [
        {
            "code": document.code,
            "title": spec.title if (spec := find_spec(specs, document.code)) else None,
            "kind": document.kind,
            "size": document.size,
            "received_at": _iso(document.received_at),
        }
        for document in documents
    ]


async def personal_data_of(session: AsyncSession, user_id: int, vault: NikVault) -> dict[str, Any]:
    """A complete, JSON-ready account of the person's data; only the NIK stays masked (the
    phone numbers and children's names are decrypted for their owner)."""
    user = await get_user(session, user_id)
    registrations = await list_all_user_registrations(session, user_id)
    codes = {r.id: r.code for r in registrations}
    fields = (
        "code",
        "programme_code",
        "batch",
        "status",
        "full_name",
        "nik_masked",
        "birth_date",
        "sex",
        "education",
        "activity",
        "regency",
        "email",
        "created_at",
        "submitted_at",
        "status_changed_at",
    )
    received = await list_documents_of(session, [r.id for r in registrations])
    return {
        "telegram": None
        if user is None
        else {
            key: _iso(getattr(user, key))
            for key in (
                "id",
                "first_name",
                "last_name",
                "username",
                "language",
                "telegram_language",
                "campaign_source",
                "created_at",
                "last_seen_at",
            )
        },
        "eligibility_answers": {
            key: _iso(value) for key, value in (await get_answers(session, user_id)).items()
        },
        "registrations": [
            {key: _iso(getattr(r, key)) for key in fields}
            | {"phone": phone_of(vault, r)}
            | {"documents": await documents_of(session, r, received[r.id])}
            for r in registrations
        ],
        "intake_watches": [
            {"programme": w.programme_code, "since": _iso(w.created_at)}
            for w in await list_user_watches(session, user_id)
        ],
        "school_interests": [
            {
                **{key: _iso(getattr(interest, key)) for key in INTEREST_FIELDS},
                "phone": phone_of(vault, interest),
                "children": [
                    {"first_name": child_name_of(vault, c), "age": c.age, "level": c.level}
                    for c in await list_children(session, interest.id)
                ],
            }
            for interest in await list_user_interests(session, user_id)
        ],
        "typed_questions": [
            {"asked_at": _iso(q.asked_at), "text": q.text_masked, "outcome": q.outcome}
            for q in await list_user_questions(session, user_id)
        ],
        "consents": [
            {
                "purpose": c.purpose,
                "version": c.version,
                "granted_at": _iso(c.granted_at),
                "withdrawn_at": _iso(c.withdrawn_at),
            }
            for c in await list_user_consents(session, user_id)
        ],
        "handoff_ratings": [
            {
                "rating": r.rating,
                "comment": r.comment_masked,
                "rated_at": _iso(r.rated_at),
                "commented_at": _iso(r.commented_at),
            }
            for r in await list_user_ratings(session, user_id)
        ],
        "cohort_group_links": [
            {
                "registration": codes.get(i.registration_id),
                "group_chat_id": i.chat_id,
                "invite_link": i.invite_link,
                "sent_at": _iso(i.created_at),
                "joined_at": _iso(i.joined_at),
            }
            for i in await list_user_invites(session, user_id)
        ],
    }
