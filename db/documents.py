"""Queries on the documents applicants sent: Telegram file ids per registration."""

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Registration, RegistrationDocument, User, utc_now


async def list_documents(
    session: AsyncSession, registration_id: int
) -> Sequence[RegistrationDocument]:
    query = select(RegistrationDocument).where(
        RegistrationDocument.registration_id == registration_id
    )
    return (await session.scalars(query.order_by(RegistrationDocument.id))).all()


async def list_documents_of(
    session: AsyncSession, registration_ids: Sequence[int]
) -> dict[int, list[RegistrationDocument]]:
    """The documents of many registrations at once, by registration id."""
    by_registration: dict[int, list[RegistrationDocument]] = {i: [] for i in registration_ids}
    if not registration_ids:
        return by_registration
    query = select(RegistrationDocument).where(
        RegistrationDocument.registration_id.in_(registration_ids)
    )
    for document in (await session.scalars(query.order_by(RegistrationDocument.id))).all():
        by_registration[document.registration_id].append(document)
    return by_registration


async def save_document(
    session: AsyncSession,
    *,
    registration_id: int,
    code: str,
    kind: str,
    file_id: str,
    file_unique_id: str,
    size: int | None,
) -> RegistrationDocument:
    """Store the file id of a document received; a resend replaces the earlier one."""
    query = select(RegistrationDocument).where(
        RegistrationDocument.registration_id == registration_id,
        RegistrationDocument.code == code,
    )
    document = (await session.scalars(query)).first()
    if document is None:
        document = RegistrationDocument(registration_id=registration_id, code=code)
        session.add(document)
    document.kind, document.file_id, document.file_unique_id = kind, file_id, file_unique_id
    document.size, document.received_at = size, utc_now()
    await session.flush()
    return document


async def delete_user_documents(session: AsyncSession, user_id: int) -> None:
    """Forget the file ids of every registration of this person (before it is anonymised)."""
    own = select(Registration.id).where(Registration.user_id == user_id)
    await session.execute(
        delete(RegistrationDocument)
        .where(RegistrationDocument.registration_id.in_(own))
        .execution_options(synchronize_session=False)
    )


async def delete_documents_of(session: AsyncSession, registration_ids: Sequence[int]) -> None:
    if registration_ids:
        await session.execute(
            delete(RegistrationDocument)
            .where(RegistrationDocument.registration_id.in_(registration_ids))
            .execution_options(synchronize_session=False)
        )


async def set_sending_document(
    session: AsyncSession, *, user_id: int, registration_id: int | None, code: str | None
) -> None:
    """Remember which document the user is asked for now (None: none)."""
    user = await session.get(User, user_id)
    if user is not None:
        user.sending_document = (
            f"{registration_id}:{code}" if registration_id is not None and code else None
        )


async def get_sending_document(session: AsyncSession, user_id: int) -> tuple[int, str] | None:
    user = await session.get(User, user_id)
    if user is None or not user.sending_document:
        return None
    registration_id, _, code = user.sending_document.partition(":")
    return int(registration_id), code
