"""Bot API methods that send files and copy or forward existing messages."""

from __future__ import annotations

import copy
import itertools
import json
from typing import Any
from urllib.parse import urlparse

from bot.offline.standin.delivery import Delivery
from bot.offline.standin.errors import bad_request
from bot.offline.standin.images import image_size, photo_size_dimensions, valid_photo_dimensions
from bot.offline.standin.records import JSONDict, SentMessage, StoredFile, UploadedFiles
from bot.offline.standin.validation import as_int, caption_content, checked_markup

# copyMessages, deleteMessages, forwardMessages: "A JSON-serialized list of 1-100 identifiers".
MAX_BULK_IDS = 100
# sendMediaGroup: "must include 2-10 items"; documents and audios only with their own kind.
MIN_ALBUM_PARTS, MAX_ALBUM_PARTS = 2, 10
_ALBUM_KINDS = ("photo", "video", "document", "audio")
_CONTENT_KEYS = (
    "text",
    "entities",
    "caption",
    "caption_entities",
    "document",
    "photo",
    "sticker",
    "voice",
    "audio",
    "video",
    "animation",
    "contact",
    "location",
)


class FileMethods(Delivery):
    """sendDocument, sendPhoto, copyMessage(s) and forwardMessage, over the stored files."""

    def store_file(self, filename: str, content: bytes, mime_type: str = "") -> StoredFile:
        """Keep file content under a fresh file_id (for user uploads and bot uploads)."""
        number = next(self._file_counter)
        stored = StoredFile(
            file_id=f"standin-file-{number}",
            file_unique_id=f"standin-unique-{number}",
            filename=filename,
            content=content,
            mime_type=mime_type or "application/octet-stream",
        )
        self._files[stored.file_id] = stored
        return stored

    def store_photo(self, dimensions: list[tuple[int, int]], file_size: int) -> list[JSONDict]:
        """Keep a photo a user sends, as Telegram's PhotoSizes; the largest is `file_size`
        bytes (a smaller size a share of it), and every size's file_id can be sent again."""
        number = next(self._file_counter)
        sizes = []
        largest = max(width * height for width, height in dimensions)
        for width, height in dimensions:
            sizes.append(
                {
                    "file_id": f"standin-photo-{number}-{width}",
                    "file_unique_id": f"standin-photo-unique-{number}-{width}",
                    "width": width,
                    "height": height,
                    "file_size": max(1, file_size * width * height // largest),
                }
            )
        for size in sizes:
            self._files[size["file_id"]] = StoredFile(
                file_id=size["file_id"],
                file_unique_id=size["file_unique_id"],
                filename="photo.jpg",
                content=b"\xff\xd8\xff-photo",
                mime_type="image/jpeg",
                photo_sizes=sizes,
            )
        return sizes

    def _send_document(self, params: JSONDict, files: UploadedFiles) -> JSONDict:
        chat_id = self._chat_id(params)
        stored = self._file_param(params, files, "document")
        if stored.photo_sizes is not None:
            # A photo's file_id is not a document's (Telegram checks the file's type).
            raise bad_request("type of file mismatch")
        content: JSONDict = {"document": stored.document_json(), **caption_content(params)}
        sent = self._store(
            chat_id,
            content,
            params=params,
            text=params.get("caption"),
            markup=checked_markup(params.get("reply_markup")),
            document=(stored.filename, stored.content),
        )
        return sent.raw

    def _send_photo(self, params: JSONDict, files: UploadedFiles) -> JSONDict:
        chat_id = self._chat_id(params)
        stored = self._file_param(params, files, "photo")
        if stored.photo_sizes is None and params.get("photo") == stored.file_id:
            # A document's file_id, even of an image, is not a photo's.
            raise bad_request("type of file mismatch")
        sizes = stored.photo_sizes or _photo_sizes(stored)
        content: JSONDict = {"photo": sizes, **caption_content(params)}
        sent = self._store(
            chat_id,
            content,
            params=params,
            text=params.get("caption"),
            markup=checked_markup(params.get("reply_markup")),
            photo=True,
        )
        sent.photo_content = stored.content
        return sent.raw

    def _send_media_group(self, params: JSONDict, files: UploadedFiles) -> list[JSONDict]:
        """An album from files: 2-10 photos and videos, or documents, or audios
        (https://core.telegram.org/bots/api#sendmediagroup); every part gets the thread
        and reply, and the parts share a fresh media_group_id."""
        chat_id = self._chat_id(params)
        media = params.get("media")
        if isinstance(media, str):
            media = json.loads(media)
        if not isinstance(media, list) or not media:
            raise bad_request("there are no messages to send")
        if len(media) > MAX_ALBUM_PARTS:
            raise bad_request("too many messages to send as an album")
        if len(media) < MIN_ALBUM_PARTS:
            raise bad_request("media must include 2-10 items")
        kinds = [str(item.get("type")) for item in media]
        for kind in kinds:
            if kind not in _ALBUM_KINDS:
                raise bad_request(f"can't parse InputMedia: unsupported media type {kind}")
        for alone in ("document", "audio"):
            if alone in kinds and set(kinds) != {alone}:
                raise bad_request(f"{alone} can't be mixed with other media types")
        contents = [self._album_item(item, files) for item in media]
        media_group_id = self.new_media_group_id()
        sent = []
        for (content, document), item in zip(contents, media, strict=True):
            content["media_group_id"] = media_group_id
            message = self._store(
                chat_id,
                content,
                params={**params, "parse_mode": item.get("parse_mode")},
                text=content.get("caption"),
                markup=None,
                document=document,
                photo="photo" in content,
            )
            sent.append(message.raw)
        return sent

    def _album_item(
        self, item: JSONDict, files: UploadedFiles
    ) -> tuple[JSONDict, tuple[str, bytes] | None]:
        kind = str(item["type"])
        stored = self._file_param(item, files, "media")
        is_photo = stored.photo_sizes is not None
        if (kind == "photo") != is_photo and item.get("media") == stored.file_id:
            raise bad_request("type of file mismatch")
        content: JSONDict = caption_content(item)
        document = None
        if kind == "photo":
            content["photo"] = stored.photo_sizes or _photo_sizes(stored)
        elif kind == "document":
            content["document"] = stored.document_json()
            document = (stored.filename, stored.content)
        elif kind == "video":
            content["video"] = {**stored.document_json(), "duration": 0, "width": 0, "height": 0}
        else:
            content["audio"] = {**stored.document_json(), "duration": 0}
        return content, document

    def _copy_message(self, params: JSONDict, files: UploadedFiles) -> JSONDict:
        copied = self._copy(params, params.get("message_id"), forward=False)
        if copied is None:
            raise bad_request("message to copy not found")
        return {"message_id": copied.message_id}

    def _copy_messages(self, params: JSONDict, files: UploadedFiles) -> list[JSONDict]:
        message_ids = [as_int(m) for m in params.get("message_ids") or []]
        if not 1 <= len(message_ids) <= MAX_BULK_IDS:
            raise bad_request("message_ids must contain 1-100 identifiers")
        if any(later <= earlier for earlier, later in itertools.pairwise(message_ids)):
            raise bad_request("message identifiers must be in a strictly increasing order")
        # "If some of the specified messages can't be found or copied, they are skipped."
        copies = [
            copied
            for message_id in message_ids
            if (copied := self._copy(params, message_id, forward=False)) is not None
        ]
        if not copies:
            raise bad_request("there are no messages to copy")
        self._keep_album_grouping(copies)
        return [{"message_id": copied.message_id} for copied in copies]

    def _keep_album_grouping(self, copies: list[SentMessage]) -> None:
        """ "Album grouping is kept for copied messages": copies of one album's parts form a new
        album of their own (a fresh media_group_id), a lone part is a plain message."""
        albums: dict[str, list[SentMessage]] = {}
        for copied in copies:
            assert copied.source is not None
            source = self._any_message(*copied.source) or {}
            if "media_group_id" in source:
                albums.setdefault(str(source["media_group_id"]), []).append(copied)
        for parts in albums.values():
            if len(parts) > 1:
                media_group_id = self.new_media_group_id()
                for part in parts:
                    part.raw["media_group_id"] = media_group_id

    def _forward_message(self, params: JSONDict, files: UploadedFiles) -> JSONDict:
        forwarded = self._copy(params, params.get("message_id"), forward=True)
        if forwarded is None:
            raise bad_request("message to forward not found")
        return forwarded.raw

    def _copy(self, params: JSONDict, message_id: Any, *, forward: bool) -> SentMessage | None:
        chat_id = self._chat_id(params)
        from_chat_id = self._chat_id(params, "from_chat_id")
        source = self._any_message(from_chat_id, message_id)
        if source is None:
            return None
        content = {key: copy.deepcopy(source[key]) for key in _CONTENT_KEYS if key in source}
        markup = None
        if forward:
            content["forward_origin"] = _forward_origin(source)
        else:
            markup = checked_markup(params.get("reply_markup"))
            if params.get("caption") is not None and "text" not in content:
                content.pop("caption_entities", None)
                content.pop("caption", None)
                content.update(caption_content(params))
        document = None
        if "document" in content:
            stored = self._files.get(content["document"]["file_id"])
            document = (stored.filename, stored.content) if stored else None
        return self._store(
            chat_id,
            content,
            params=params,
            text=content.get("text", content.get("caption")),
            markup=markup,
            document=document,
            photo="photo" in content,
            source=(from_chat_id, as_int(message_id)),
            forwarded=forward,
        )

    def _file_param(self, params: JSONDict, files: UploadedFiles, key: str) -> StoredFile:
        value = params.get(key)
        if value is None or str(value).startswith("attach://"):
            part = key if value is None else str(value).removeprefix("attach://")
            if part not in files:
                raise bad_request(f"there is no {key} in the request")
            filename, content, mime_type = files[part]
            if not content:
                raise bad_request("file must be non-empty")
            return self.store_file(filename, content, mime_type)
        if value in self._files:
            return self._files[value]
        if urlparse(str(value)).scheme in ("http", "https"):
            return self.store_file(urlparse(str(value)).path.rsplit("/", 1)[-1] or "file", b"")
        raise bad_request("wrong file identifier/HTTP URL specified")


def _photo_sizes(stored: StoredFile) -> list[JSONDict]:
    """The PhotoSize list Telegram makes of an upload; a URL the stand-in cannot fetch gets
    typical sizes."""
    if not stored.content:
        dimensions = [(90, 67), (800, 600)]
    else:
        size = image_size(stored.content)
        if size is None:
            raise bad_request("IMAGE_PROCESS_FAILED")
        if not valid_photo_dimensions(*size):
            raise bad_request("PHOTO_INVALID_DIMENSIONS")
        dimensions = photo_size_dimensions(*size)
    return [
        {
            "file_id": f"{stored.file_id}-{width}",
            "file_unique_id": f"{stored.file_unique_id}-{width}",
            "width": width,
            "height": height,
            "file_size": len(stored.content),
        }
        for width, height in dimensions
    ]


def _forward_origin(source: JSONDict) -> JSONDict:
    if "from" in source:
        return {"type": "user", "date": source["date"], "sender_user": source["from"]}
    return {
        "type": "chat",
        "date": source["date"],
        "sender_chat": source.get("sender_chat", source["chat"]),
    }
