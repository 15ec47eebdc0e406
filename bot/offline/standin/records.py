"""Records the stand-in keeps: calls, callback answers, forum topics, files and bot messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JSONDict = dict[str, Any]
UploadedFiles = dict[str, tuple[str, bytes, str]]


@dataclass
class RecordedCall:
    """One Bot API call as the stand-in received it."""

    method: str
    params: JSONDict
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    error: str | None = None
    # The stand-in's clock (time.monotonic()): when the call arrived and when it was answered.
    received_at: float = 0.0
    answered_at: float | None = None


@dataclass
class CallbackAnswer:
    """An answerCallbackQuery call, tied to the user whose query it answered."""

    query_id: str
    user_id: int
    text: str | None
    show_alert: bool
    url: str | None = None


@dataclass
class InlineAnswer:
    """An answerInlineQuery call, tied to the user whose inline query it answered."""

    query_id: str
    user_id: int
    results: list[JSONDict]
    cache_time: int | None
    is_personal: bool

    @property
    def titles(self) -> list[str]:
        return [str(result.get("title", "")) for result in self.results]


@dataclass
class ForumTopic:
    """State of a forum topic created through the stand-in."""

    chat_id: int
    message_thread_id: int
    name: str
    icon_color: int
    icon_custom_emoji_id: str | None = None
    closed: bool = False


@dataclass
class StoredFile:
    """A file the stand-in has seen, addressable by its file_id."""

    file_id: str
    file_unique_id: str
    filename: str
    content: bytes
    mime_type: str
    # A photo a user sent: its PhotoSizes, each file_id of which addresses this same file.
    photo_sizes: list[JSONDict] | None = None

    def document_json(self) -> JSONDict:
        """This file as a Bot API Document object."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_name": self.filename,
            "mime_type": self.mime_type,
            "file_size": len(self.content),
        }


@dataclass
class SentMessage:
    """A message the bot sent (or copied/forwarded) into a chat, kept current through edits."""

    message_id: int
    chat_id: int
    text: str | None
    parse_mode: str | None = None
    reply_markup: JSONDict | None = None
    document: tuple[str, bytes] | None = None
    photo: bool = False
    # The uploaded image of a sendPhoto, as the bot sent it.
    photo_content: bytes | None = None
    deleted: bool = False
    edit_count: int = 0
    message_thread_id: int | None = None
    source: tuple[int, int] | None = None
    forwarded: bool = False
    raw: JSONDict = field(default_factory=dict, repr=False)

    @property
    def plain_text(self) -> str:
        """Text or caption as the user sees it: tags stripped, entities unescaped."""
        return str(self.raw.get("text") or self.raw.get("caption") or "")

    @property
    def entities(self) -> list[JSONDict]:
        """Formatting entities Telegram derived for the text or caption."""
        return list(self.raw.get("entities") or self.raw.get("caption_entities") or [])

    @property
    def has_inline_keyboard(self) -> bool:
        """Whether the message carries an inline keyboard."""
        return bool(self.reply_markup and "inline_keyboard" in self.reply_markup)

    @property
    def has_reply_keyboard(self) -> bool:
        """Whether the message shows a custom reply keyboard."""
        return bool(self.reply_markup and "keyboard" in self.reply_markup)

    @property
    def button_rows(self) -> list[list[str]]:
        """Button labels row by row, for inline or reply keyboards."""
        return [[button_text(button) for button in row] for row in self._raw_rows()]

    @property
    def buttons(self) -> list[str]:
        """Flat list of button labels, for inline or reply keyboards."""
        return [label for row in self.button_rows for label in row]

    @property
    def button_objects(self) -> list[JSONDict | str]:
        """Every button as sent, row by row flattened."""
        return [button for row in self._raw_rows() for button in row]

    def button(self, label: str) -> JSONDict:
        """Return the raw button with exactly this label."""
        for row in self._raw_rows():
            for button in row:
                if button_text(button) == label:
                    return button if isinstance(button, dict) else {"text": button}
        raise AssertionError(
            f"message {self.message_id} has no button {label!r}; buttons: {self.buttons}"
        )

    def callback_data_for(self, label: str) -> str | None:
        """Return the callback_data of the inline button with this label (None for URL etc.)."""
        return self.button(label).get("callback_data")

    def url_for(self, label: str) -> str | None:
        """Return the url of the inline button with this label."""
        return self.button(label).get("url")

    def _raw_rows(self) -> list[list[Any]]:
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        return [list(row) for row in rows]


def button_text(button: Any) -> str:
    """The label of a keyboard button, given as a dict or (reply keyboards) a bare string."""
    return str(button.get("text", "")) if isinstance(button, dict) else str(button)
