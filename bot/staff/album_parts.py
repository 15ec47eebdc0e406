"""A part of a user's album, as kept until the album goes: what kind of file, its file_id,
and its caption sealed (encrypted), so sendMediaGroup can send it again without the user's
message; and the InputMedia it becomes."""

import json
from dataclasses import dataclass

from telegram import (
    InputMediaAudio,
    InputMediaDocument,
    InputMediaPhoto,
    InputMediaVideo,
    Message,
    MessageEntity,
)

from bot.privacy.vault import NikVault
from db.models import PendingAlbumPart

InputMedia = InputMediaAudio | InputMediaDocument | InputMediaPhoto | InputMediaVideo
# What an album may hold ("a group of photos, videos, documents or audios").
MEDIA_OF_KIND: dict[str, type[InputMedia]] = {
    "photo": InputMediaPhoto,
    "video": InputMediaVideo,
    "document": InputMediaDocument,
    "audio": InputMediaAudio,
}


@dataclass(frozen=True)
class AlbumPart:
    kind: str
    file_id: str
    caption_sealed: str | None


def album_part(message: Message, vault: NikVault) -> AlbumPart | None:
    """The part a message of an album is; None for anything an album cannot hold."""
    if message.photo:
        kind, file_id = "photo", message.photo[-1].file_id
    else:
        media = message.video or message.document or message.audio
        if media is None:
            return None
        kind = "video" if message.video else "document" if message.document else "audio"
        file_id = media.file_id
    sealed = None
    if message.caption:
        entities = [entity.to_dict() for entity in message.caption_entities]
        sealed = vault.encrypt(json.dumps({"caption": message.caption, "entities": entities}))
    return AlbumPart(kind, file_id, sealed)


def input_media(part: PendingAlbumPart, vault: NikVault) -> InputMedia:
    """The part as sendMediaGroup takes it: same file, same caption and formatting."""
    caption, entities = None, None
    if part.caption_sealed is not None:
        opened = json.loads(vault.decrypt(part.caption_sealed))
        caption = opened["caption"]
        entities = [MessageEntity.de_json(entity, None) for entity in opened["entities"]]
    # parse_mode None: the entities are the formatting, the caption is plain text.
    return MEDIA_OF_KIND[part.kind](
        part.file_id, caption=caption, caption_entities=entities or None, parse_mode=None
    )
