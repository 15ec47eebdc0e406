"""The parts of users' albums to staff, waiting until their album goes (see the model)."""

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import PendingAlbumPart
from db.upsert import upsert


async def add_pending_album_part(
    session: AsyncSession,
    *,
    chat_id: int,
    media_group_id: str,
    message_id: int,
    ticket_id: int,
    locale: str,
    kind: str,
    file_id: str,
    caption_sealed: str | None,
) -> int:
    """Keep a part (once, should Telegram deliver it twice); how many its album has now."""
    await upsert(
        session,
        PendingAlbumPart.__table__,  # type: ignore[arg-type]
        keys={"chat_id": chat_id, "message_id": message_id},
        values={
            "media_group_id": media_group_id,
            "ticket_id": ticket_id,
            "locale": locale,
            "kind": kind,
            "file_id": file_id,
            "caption_sealed": caption_sealed,
        },
    )
    query = select(func.count()).where(
        PendingAlbumPart.chat_id == chat_id, PendingAlbumPart.media_group_id == media_group_id
    )
    return (await session.execute(query)).scalar_one()


async def take_pending_album(
    session: AsyncSession, *, chat_id: int, media_group_id: str
) -> list[PendingAlbumPart]:
    """An album's parts in the order sent, no longer waiting. Deleting and reading are one
    statement, so two processes never both take the same part."""
    statement = (
        delete(PendingAlbumPart)
        .where(
            PendingAlbumPart.chat_id == chat_id,
            PendingAlbumPart.media_group_id == media_group_id,
        )
        .returning(PendingAlbumPart)
    )
    parts = (await session.scalars(statement)).all()
    return sorted(parts, key=lambda part: part.message_id)


async def list_pending_albums(
    session: AsyncSession, *, chat_id: int | None = None
) -> list[tuple[int, str]]:
    """The (chat, media_group_id) of the albums waiting (of one chat, or all), oldest first."""
    first_part = func.min(PendingAlbumPart.message_id)
    query = select(PendingAlbumPart.chat_id, PendingAlbumPart.media_group_id).group_by(
        PendingAlbumPart.chat_id, PendingAlbumPart.media_group_id
    )
    if chat_id is not None:
        query = query.where(PendingAlbumPart.chat_id == chat_id)
    rows = await session.execute(query.order_by(func.min(PendingAlbumPart.id), first_part))
    return [(row[0], row[1]) for row in rows]
