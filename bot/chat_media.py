"""What a ChatUser sends besides text: a sticker, a photo, a voice note or a document."""

from __future__ import annotations

import mimetypes

from bot.standin import JSONDict, SentMessage, TelegramStandIn


class SendsMedia:
    """Media messages for ChatUser, which provides the stand-in and how a message is sent."""

    standin: TelegramStandIn

    async def _send_message(self, content: JSONDict, action: str) -> list[SentMessage]:
        raise NotImplementedError

    async def send_sticker(self, emoji: str = "👍") -> list[SentMessage]:
        """Send a regular sticker."""
        stored = self.standin.store_file("sticker.webp", b"RIFF-sticker", "image/webp")
        sticker = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return await self._send_message({"sticker": sticker}, "sending a sticker")

    async def send_photo(self, caption: str | None = None) -> list[SentMessage]:
        """Send a photo, optionally captioned."""
        stored = self.standin.store_file("photo.jpg", b"\xff\xd8\xff-photo", "image/jpeg")
        content: JSONDict = {
            "photo": [
                {
                    "file_id": f"{stored.file_id}-{width}",
                    "file_unique_id": f"{stored.file_unique_id}-{width}",
                    "width": width,
                    "height": height,
                }
                for width, height in ((90, 67), (1280, 960))
            ]
        }
        if caption is not None:
            content["caption"] = caption
        return await self._send_message(content, "sending a photo")

    async def send_voice(self, duration: int = 3) -> list[SentMessage]:
        """Send a voice note."""
        stored = self.standin.store_file("voice.ogg", b"OggS-voice", "audio/ogg")
        voice = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "duration": duration,
            "mime_type": "audio/ogg",
        }
        return await self._send_message({"voice": voice}, "sending a voice note")

    async def send_document(
        self, filename: str, content: bytes, *, caption: str | None = None
    ) -> list[SentMessage]:
        """Upload a document with the given name and bytes."""
        mime_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        stored = self.standin.store_file(filename, content, mime_type)
        message: JSONDict = {"document": stored.document_json()}
        if caption is not None:
            message["caption"] = caption
        return await self._send_message(message, f"sending document {filename!r}")
