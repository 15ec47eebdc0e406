"""In-process stand-in for the Telegram Bot API, plugged into PTB as its request backend."""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import re
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlparse

from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

JSONDict = dict[str, Any]
UploadedFiles = dict[str, tuple[str, bytes, str]]
ApiHandler = Callable[[JSONDict, UploadedFiles], Any]

# High enough that ids a test writes by hand (1, 2, 42, ...) never collide with real ones.
FIRST_MESSAGE_ID = 10_000
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
INJECTABLE_ERRORS = ("retry_after", "blocked", "bad_request", "timeout")

_INLINE_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_HTML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
# Telegram decodes only these character references; anything else stays literal text.
_HTML_ENTITY_RE = re.compile(r"&(?:#x([0-9a-fA-F]+)|#([0-9]+)|([A-Za-z]+));?")
_TRIMMED = " \t\r\n\v\f"
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


class ApiError(Exception):
    """An error answer of the Bot API (status code, description and optional parameters)."""

    def __init__(self, status: int, description: str, parameters: JSONDict | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def payload(self) -> bytes:
        """Return the JSON body Telegram sends for this error."""
        body: JSONDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return json.dumps(body).encode()


def bad_request(detail: str) -> ApiError:
    """Build a 400 error with Telegram's 'Bad Request: ' prefix."""
    return ApiError(400, f"Bad Request: {detail}")


@dataclass
class RecordedCall:
    """One Bot API call as the stand-in received it."""

    method: str
    params: JSONDict
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    error: str | None = None


@dataclass
class CallbackAnswer:
    """An answerCallbackQuery call, tied to the user whose query it answered."""

    query_id: str
    user_id: int
    text: str | None
    show_alert: bool
    url: str | None = None


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
        return [[_button_text(button) for button in row] for row in self._raw_rows()]

    @property
    def buttons(self) -> list[str]:
        """Flat list of button labels, for inline or reply keyboards."""
        return [label for row in self.button_rows for label in row]

    def button(self, label: str) -> JSONDict:
        """Return the raw button with exactly this label."""
        for row in self._raw_rows():
            for button in row:
                if _button_text(button) == label:
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


def _button_text(button: Any) -> str:
    return str(button.get("text", "")) if isinstance(button, dict) else str(button)


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le")) // 2


class EntityParseError(Exception):
    """HTML that Telegram would refuse with "can't parse entities"."""


def _decode_html_entities(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        hex_code, dec_code, name = match.groups()
        if name is not None:
            return _NAMED_HTML_ENTITIES.get(name, match.group(0))
        code = int(hex_code, 16) if hex_code is not None else int(dec_code)
        if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return match.group(0)
        return chr(code)

    return _HTML_ENTITY_RE.sub(replace, text)


@dataclass
class _OpenTag:
    name: str
    attrs: dict[str, str | None]
    offset: int
    language: str | None = None


class TelegramHTMLParser(HTMLParser):
    """Parses Bot API HTML the way Telegram does, producing plain text and entities."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=False)
        self._source = source
        self._line_starts = [0] + [i + 1 for i, ch in enumerate(source) if ch == "\n"]
        self._parts: list[str] = []
        self._utf16 = 0
        self._open: list[_OpenTag] = []
        self._entities: list[JSONDict] = []

    def parse(self) -> tuple[str, list[JSONDict]]:
        """Return (plain text, entities) or raise EntityParseError."""
        self.feed(self._source)
        self.close()
        if self._open:
            raise EntityParseError(
                f'Can\'t find end tag corresponding to start tag "{self._open[-1].name}"'
            )
        entities = sorted(self._entities, key=lambda e: (e["offset"], -e["length"]))
        return "".join(self._parts), entities

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open a formatting entity."""
        if tag not in _HTML_TAGS:
            raise self._unsupported(tag)
        attributes = dict(attrs)
        if tag == "span" and attributes.get("class") != "tg-spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {self._byte_offset()}'
            )
        if tag == "tg-emoji" and not (attributes.get("emoji-id") or "").isdigit():
            raise EntityParseError(
                "Custom emoji entity must contain a valid custom emoji identifier"
            )
        self._open.append(_OpenTag(tag, attributes, self._utf16))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Reject self-closing tags, which Telegram reads as unknown tag names."""
        raise self._unsupported(f"{tag}/")

    def handle_endtag(self, tag: str) -> None:
        """Close the innermost formatting entity."""
        offset = self._byte_offset()
        if not self._open:
            raise EntityParseError(f"Unexpected end tag at byte offset {offset}")
        current = self._open[-1]
        if current.name != tag:
            raise EntityParseError(
                f'Unmatched end tag at byte offset {offset}, expected "</{current.name}>", '
                f'found "</{tag}>"'
            )
        self._open.pop()
        self._add_entity(current)

    def handle_data(self, data: str) -> None:
        """Append text; a raw '<' here is a tag Telegram cannot parse."""
        if "<" in data:
            start = self._char_offset() + data.index("<")
            end = start + 1
            while end < len(self._source) and self._source[end] not in " \t\r\n>":
                end += 1
            if end >= len(self._source):
                raise EntityParseError(f"Unclosed start tag at byte offset {self._bytes(start)}")
            raise EntityParseError(
                f'Unsupported start tag "{self._source[start + 1 : end]}" '
                f"at byte offset {self._bytes(start)}"
            )
        self._append(_decode_html_entities(data))

    def handle_entityref(self, name: str) -> None:
        """Decode a named reference, keeping unknown names literal like Telegram."""
        self._append(_decode_html_entities(self._raw_reference(f"&{name}")))

    def handle_charref(self, name: str) -> None:
        """Decode a numeric character reference."""
        self._append(_decode_html_entities(self._raw_reference(f"&#{name}")))

    def handle_comment(self, data: str) -> None:
        """Reject comments."""
        raise self._unsupported("!--")

    def handle_decl(self, decl: str) -> None:
        """Reject declarations."""
        raise self._unsupported(f"!{decl.split(' ')[0]}")

    def unknown_decl(self, data: str) -> None:
        """Reject CDATA and similar."""
        raise self._unsupported(f"![{data.split(' ')[0]}")

    def handle_pi(self, data: str) -> None:
        """Reject processing instructions."""
        raise self._unsupported(f"?{data.split(' ')[0]}")

    def _add_entity(self, tag: _OpenTag) -> None:
        length = self._utf16 - tag.offset
        if tag.name == "code" and self._open and self._open[-1].name == "pre":
            css_class = tag.attrs.get("class") or ""
            if css_class.startswith("language-"):
                self._open[-1].language = css_class.removeprefix("language-")
                return
        if length <= 0:
            return
        entity: JSONDict = {"type": _HTML_TAGS[tag.name], "offset": tag.offset, "length": length}
        if tag.name == "a":
            href = tag.attrs.get("href")
            if not href:
                return
            entity["url"] = href
        elif tag.name == "pre" and tag.language:
            entity["language"] = tag.language
        elif tag.name == "blockquote" and "expandable" in tag.attrs:
            entity["type"] = "expandable_blockquote"
        elif tag.name == "tg-emoji":
            entity["custom_emoji_id"] = tag.attrs["emoji-id"]
        self._entities.append(entity)

    def _append(self, text: str) -> None:
        self._parts.append(text)
        self._utf16 += utf16_length(text)

    def _raw_reference(self, prefix: str) -> str:
        end = self._char_offset() + len(prefix)
        return prefix + ";" if self._source[end : end + 1] == ";" else prefix

    def _unsupported(self, tag: str) -> EntityParseError:
        return EntityParseError(
            f'Unsupported start tag "{tag}" at byte offset {self._byte_offset()}'
        )

    def _char_offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _byte_offset(self) -> int:
        return self._bytes(self._char_offset())

    def _bytes(self, char_offset: int) -> int:
        return len(self._source[:char_offset].encode())


def _trim(text: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """Strip surrounding whitespace like Telegram, keeping entities aligned with the text."""
    stripped = text.strip(_TRIMMED)
    if stripped == text:
        return text, entities
    # Trimmed characters are ASCII whitespace, so characters and UTF-16 units coincide.
    lead = len(text) - len(text.lstrip(_TRIMMED))
    total = utf16_length(stripped)
    kept: list[JSONDict] = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


def format_text(
    text: str, parse_mode: str | None, entities: list[JSONDict] | None = None
) -> tuple[str, list[JSONDict]]:
    """Turn text as sent into (plain text, entities) as Telegram stores it, or raise ApiError."""
    if parse_mode and parse_mode.lower() == "html":
        try:
            plain, parsed = TelegramHTMLParser(text).parse()
        except EntityParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
        return _trim(plain, parsed)
    # Markdown modes are not parsed: their markup is counted and shown as-is.
    return _trim(text, list(entities or []))


class TelegramStandIn(BaseRequest):
    """A BaseRequest that answers Bot API calls in-process, recording calls and chat history."""

    def __init__(self, *, bot_id: int = 7000000001, bot_username: str = "vokasi_test_bot"):
        self.bot_id = bot_id
        self.bot_username = bot_username
        self.calls: list[RecordedCall] = []
        self.callback_answers: list[CallbackAnswer] = []
        self.menu_buttons: dict[int | None, JSONDict] = {}
        self.webhook_url = ""
        self._chats: dict[int, JSONDict] = {}
        self._history: defaultdict[int, list[SentMessage]] = defaultdict(list)
        self._by_id: dict[tuple[int, int], SentMessage] = {}
        self._incoming: dict[tuple[int, int], JSONDict] = {}
        self._deleted_incoming: set[tuple[int, int]] = set()
        self._next_ids: dict[int, int] = {}
        self._files: dict[str, StoredFile] = {}
        self._file_counter = itertools.count(1)
        self._injections: list[_Injection] = []
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._callback_queries: dict[str, int] = {}
        self._answered_queries: set[str] = set()
        self._topics: dict[int, dict[int, ForumTopic]] = defaultdict(dict)
        self._activity: list[SentMessage] = []
        self._handlers: dict[str, ApiHandler] = {
            name.lower(): handler
            for name, handler in {
                "getMe": self._get_me,
                "getUpdates": lambda params, files: [],
                "deleteWebhook": self._delete_webhook,
                "setWebhook": self._set_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "logOut": lambda params, files: True,
                "close": lambda params, files: True,
                "sendMessage": self._send_message,
                "editMessageText": self._edit_message_text,
                "editMessageReplyMarkup": self._edit_message_reply_markup,
                "editMessageCaption": self._edit_message_caption,
                "deleteMessage": self._delete_message,
                "deleteMessages": self._delete_messages,
                "answerCallbackQuery": self._answer_callback_query,
                "setMyCommands": self._set_my_commands,
                "getMyCommands": self._get_my_commands,
                "deleteMyCommands": self._delete_my_commands,
                "setChatMenuButton": self._set_chat_menu_button,
                "sendChatAction": self._send_chat_action,
                "sendDocument": self._send_document,
                "sendPhoto": self._send_photo,
                "copyMessage": self._copy_message,
                "copyMessages": self._copy_messages,
                "forwardMessage": self._forward_message,
                "getChat": self._get_chat,
                "createForumTopic": self._create_forum_topic,
                "closeForumTopic": self._close_forum_topic,
                "reopenForumTopic": self._reopen_forum_topic,
                "editForumTopic": self._edit_forum_topic,
            }.items()
        }

    # --- BaseRequest interface -------------------------------------------------------------

    @property
    def read_timeout(self) -> float | None:
        """Default read timeout; PTB adds it to long-polling timeouts."""
        return 5.0

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Answer one Bot API call with (HTTP status, JSON body) like Telegram would."""
        # Yield like real I/O would, so concurrent senders interleave realistically.
        await asyncio.sleep(0)
        api_method = url.rstrip("/").rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        files = _read_files(request_data)
        call = RecordedCall(
            api_method, params, {name: (fname, data) for name, (fname, data, _) in files.items()}
        )
        self.calls.append(call)
        try:
            self._fire_injection(api_method, params)
            if api_method.lower() == "getupdates":
                # Hold the long poll like Telegram does, so a polling Updater doesn't spin.
                await asyncio.sleep(float(params.get("timeout") or 0))
            handler = self._handlers.get(api_method.lower())
            if handler is None:
                raise bad_request(f"method {api_method} is not supported by the stand-in")
            result = handler(params, files)
        except ApiError as exc:
            call.error = exc.description
            return exc.status, exc.payload()
        except TimedOut as exc:
            call.error = f"timed out: {exc}"
            raise
        return 200, json.dumps({"ok": True, "result": result}).encode()

    # --- public helpers for the driver and tests --------------------------------------------

    @property
    def bot_user(self) -> JSONDict:
        """The bot's User object as Telegram reports it in messages."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Vokasi Test Bot",
            "username": self.bot_username,
        }

    def next_message_id(self, chat_id: int) -> int:
        """Allocate the next message id in a chat (shared by bot and user messages)."""
        message_id = self._next_ids.get(chat_id, FIRST_MESSAGE_ID)
        self._next_ids[chat_id] = message_id + 1
        return message_id

    def register_chat(
        self,
        chat_id: int,
        *,
        type: str = "private",
        title: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        is_forum: bool = False,
    ) -> JSONDict:
        """Declare a chat's Chat object; unknown chats are otherwise created on first use."""
        chat: JSONDict = {"id": chat_id, "type": type}
        optional = {
            "title": title,
            "first_name": first_name,
            "last_name": last_name,
            "username": username,
        }
        chat.update({key: value for key, value in optional.items() if value is not None})
        if type == "private" and "first_name" not in chat:
            chat["first_name"] = f"User {chat_id}"
        if type != "private" and "title" not in chat:
            chat["title"] = f"Chat {chat_id}"
        if is_forum:
            chat["is_forum"] = True
        self._chats[chat_id] = chat
        return dict(chat)

    def chat_json(self, chat_id: int) -> JSONDict:
        """The Chat object for chat_id, creating a default one if the chat is new."""
        if chat_id not in self._chats:
            if chat_id > 0:
                self.register_chat(chat_id, type="private")
            elif str(chat_id).startswith("-100"):
                self.register_chat(chat_id, type="supergroup")
            else:
                self.register_chat(chat_id, type="group")
        return dict(self._chats[chat_id])

    def history(self, chat_id: int) -> list[SentMessage]:
        """Messages the bot put into a chat, oldest first, including deleted ones."""
        return list(self._history.get(chat_id, []))

    def message(self, chat_id: int, message_id: int) -> SentMessage:
        """The bot message with this id in this chat."""
        try:
            return self._by_id[(chat_id, message_id)]
        except KeyError:
            raise KeyError(f"the bot has no message {message_id} in chat {chat_id}") from None

    def calls_to(self, method: str) -> list[RecordedCall]:
        """Recorded calls of one Bot API method (case-insensitive)."""
        return [call for call in self.calls if call.method.lower() == method.lower()]

    def forum_topics(self, chat_id: int) -> list[ForumTopic]:
        """Forum topics created in a chat, in creation order."""
        return list(self._topics.get(chat_id, {}).values())

    def record_incoming(self, message: JSONDict) -> None:
        """Remember a user's message so the bot can reply to, copy, forward or delete it."""
        key = (int(message["chat"]["id"]), int(message["message_id"]))
        self._incoming[key] = copy.deepcopy(message)

    def register_callback_query(self, query_id: str, user_id: int) -> None:
        """Make a callback query id known so answerCallbackQuery accepts it once."""
        self._callback_queries[query_id] = user_id

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

    def activity_mark(self) -> int:
        """A bookmark into the send/edit log, for touched_since()."""
        return len(self._activity)

    def touched_since(self, mark: int, chat_id: int | None = None) -> list[SentMessage]:
        """Messages sent or edited after mark, first-touch order, without deleted ones."""
        seen: dict[int, SentMessage] = {}
        for sent in self._activity[mark:]:
            if chat_id is None or sent.chat_id == chat_id:
                seen.setdefault(id(sent), sent)
        return [sent for sent in seen.values() if not sent.deleted]

    def inject(
        self,
        method: str,
        *,
        chat_id: int | None = None,
        error: str,
        retry_after: int = 1,
        times: int = 1,
    ) -> None:
        """Make the next `times` matching calls fail with the given error."""
        if error not in INJECTABLE_ERRORS:
            raise ValueError(f"error must be one of {INJECTABLE_ERRORS}, not {error!r}")
        if times < 1:
            raise ValueError("times must be at least 1")
        self._injections.append(_Injection(method.lower(), chat_id, error, retry_after, times))

    # --- plumbing ----------------------------------------------------------------------------

    def _fire_injection(self, method: str, params: JSONDict) -> None:
        target = _as_chat_id(params.get("chat_id"))
        for injection in self._injections:
            if injection.method != method.lower():
                continue
            if injection.chat_id is not None and injection.chat_id != target:
                continue
            injection.remaining -= 1
            if injection.remaining == 0:
                self._injections.remove(injection)
            injection.fire()

    def _chat_id(self, params: JSONDict, key: str = "chat_id") -> int:
        value = params.get(key)
        if value is None or value == "":
            raise bad_request(f"{key} is empty")
        chat_id = _as_chat_id(value)
        if chat_id is None:
            username = str(value).lstrip("@").lower()
            for known in self._chats.values():
                if str(known.get("username", "")).lower() == username:
                    return int(known["id"])
            raise bad_request("chat not found")
        self.chat_json(chat_id)
        return chat_id

    def _live_message(self, chat_id: int, message_id: Any) -> SentMessage | None:
        sent = self._by_id.get((chat_id, _as_int(message_id)))
        return None if sent is None or sent.deleted else sent

    def _live_incoming(self, chat_id: int, message_id: Any) -> JSONDict | None:
        key = (chat_id, _as_int(message_id))
        return None if key in self._deleted_incoming else self._incoming.get(key)

    def _any_message(self, chat_id: int, message_id: Any) -> JSONDict | None:
        sent = self._live_message(chat_id, message_id)
        return sent.raw if sent is not None else self._live_incoming(chat_id, message_id)

    def _thread_id(self, chat_id: int, params: JSONDict) -> int | None:
        thread_id = params.get("message_thread_id")
        if thread_id is None:
            return None
        thread_id = _as_int(thread_id)
        if self._chats[chat_id].get("is_forum"):
            topic = self._topics[chat_id].get(thread_id)
            if topic is None:
                raise bad_request("message thread not found")
            if topic.closed:
                raise bad_request("TOPIC_CLOSED")
        return thread_id

    def _reply_to(self, chat_id: int, params: JSONDict) -> JSONDict | None:
        reply = params.get("reply_parameters")
        if reply is None and params.get("reply_to_message_id") is not None:
            reply = {
                "message_id": params["reply_to_message_id"],
                "allow_sending_without_reply": params.get("allow_sending_without_reply"),
            }
        if not reply:
            return None
        source_chat = _as_chat_id(reply.get("chat_id")) or chat_id
        found = self._any_message(source_chat, reply.get("message_id"))
        if found is None:
            if reply.get("allow_sending_without_reply"):
                return None
            raise bad_request("message to be replied not found")
        return {key: value for key, value in found.items() if key != "reply_to_message"}

    def _store(
        self,
        chat_id: int,
        content: JSONDict,
        *,
        params: JSONDict,
        text: str | None,
        markup: JSONDict | None,
        document: tuple[str, bytes] | None = None,
        photo: bool = False,
        source: tuple[int, int] | None = None,
        forwarded: bool = False,
    ) -> SentMessage:
        thread_id = self._thread_id(chat_id, params)
        reply_to = self._reply_to(chat_id, params)
        chat = self.chat_json(chat_id)
        raw: JSONDict = {
            "message_id": self.next_message_id(chat_id),
            "date": int(time.time()),
            "chat": chat,
        }
        if chat["type"] == "channel":
            raw["sender_chat"] = chat
        else:
            raw["from"] = self.bot_user
        if thread_id is not None:
            raw["message_thread_id"] = thread_id
            raw["is_topic_message"] = True
        if reply_to is not None:
            raw["reply_to_message"] = reply_to
        raw.update(content)
        if markup is not None and "inline_keyboard" in markup:
            # Telegram only echoes inline keyboards back inside Message objects.
            raw["reply_markup"] = markup
        sent = SentMessage(
            message_id=raw["message_id"],
            chat_id=chat_id,
            text=text,
            parse_mode=params.get("parse_mode"),
            reply_markup=markup,
            document=document,
            photo=photo,
            message_thread_id=thread_id,
            source=source,
            forwarded=forwarded,
            raw=raw,
        )
        self._history[chat_id].append(sent)
        self._by_id[(chat_id, sent.message_id)] = sent
        self._activity.append(sent)
        return sent

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

    def _caption(self, params: JSONDict) -> JSONDict:
        caption = params.get("caption")
        if caption is None:
            return {}
        plain, entities = format_text(
            caption, params.get("parse_mode"), params.get("caption_entities")
        )
        if len(plain) > MAX_CAPTION_LENGTH:
            raise bad_request("message caption is too long")
        content: JSONDict = {"caption": plain} if plain else {}
        if entities:
            content["caption_entities"] = entities
        return content

    # --- Bot API methods ---------------------------------------------------------------------

    def _get_me(self, params: JSONDict, files: UploadedFiles) -> JSONDict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _set_webhook(self, params: JSONDict, files: UploadedFiles) -> bool:
        self.webhook_url = str(params.get("url", ""))
        return True

    def _delete_webhook(self, params: JSONDict, files: UploadedFiles) -> bool:
        self.webhook_url = ""
        return True

    def _get_webhook_info(self, params: JSONDict, files: UploadedFiles) -> JSONDict:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": 0,
        }

    def _send_message(self, params: JSONDict, files: UploadedFiles) -> JSONDict:
        chat_id = self._chat_id(params)
        plain, entities = _message_text(params)
        markup = _checked_markup(params.get("reply_markup"))
        content: JSONDict = {"text": plain}
        if entities:
            content["entities"] = entities
        sent = self._store(chat_id, content, params=params, text=params["text"], markup=markup)
        return sent.raw

    def _editable(self, params: JSONDict) -> SentMessage:
        chat_id = self._chat_id(params)
        sent = self._live_message(chat_id, params.get("message_id"))
        if sent is not None:
            return sent
        if self._live_incoming(chat_id, params.get("message_id")) is not None:
            raise bad_request("message can't be edited")
        raise bad_request("message to edit not found")

    def _apply_edit(
        self,
        sent: SentMessage,
        params: JSONDict,
        content: JSONDict,
        content_keys: tuple[str, ...],
    ) -> JSONDict | bool:
        markup = _checked_markup(params.get("reply_markup"))
        if markup is not None and "inline_keyboard" not in markup:
            raise bad_request("inline keyboard expected")
        # Empty and absent compare equal: Telegram omits empty entity lists and captions.
        before = {key: sent.raw.get(key) or None for key in (*content_keys, "reply_markup")}
        after = {key: content.get(key) or None for key in content_keys}
        after["reply_markup"] = markup
        if before == after:
            raise bad_request(NOT_MODIFIED)
        for key in content_keys:
            sent.raw.pop(key, None)
        sent.raw.update({key: value for key, value in content.items() if value})
        sent.raw.pop("reply_markup", None)
        if markup is not None:
            sent.raw["reply_markup"] = markup
        sent.raw["edit_date"] = int(time.time())
        sent.reply_markup = markup
        sent.edit_count += 1
        self._activity.append(sent)
        return sent.raw

    def _edit_message_text(self, params: JSONDict, files: UploadedFiles) -> JSONDict | bool:
        if params.get("inline_message_id"):
            _message_text(params)
            return True
        sent = self._editable(params)
        if "text" not in sent.raw:
            raise bad_request("there is no text in the message to edit")
        plain, entities = _message_text(params)
        result = self._apply_edit(
            sent, params, {"text": plain, "entities": entities}, ("text", "entities")
        )
        sent.text = params["text"]
        sent.parse_mode = params.get("parse_mode")
        return result

    def _edit_message_caption(self, params: JSONDict, files: UploadedFiles) -> JSONDict | bool:
        if params.get("inline_message_id"):
            return True
        sent = self._editable(params)
        if "text" in sent.raw:
            raise bad_request("there is no caption in the message to edit")
        content = self._caption(params)
        result = self._apply_edit(sent, params, content, ("caption", "caption_entities"))
        sent.text = params.get("caption")
        sent.parse_mode = params.get("parse_mode")
        return result

    def _edit_message_reply_markup(
        self, params: JSONDict, files: UploadedFiles
    ) -> JSONDict | bool:
        if params.get("inline_message_id"):
            _checked_markup(params.get("reply_markup"))
            return True
        return self._apply_edit(self._editable(params), params, {}, ())

    def _delete_message(self, params: JSONDict, files: UploadedFiles) -> bool:
        chat_id = self._chat_id(params)
        if not self._delete_one(chat_id, params.get("message_id")):
            raise bad_request("message to delete not found")
        return True

    def _delete_messages(self, params: JSONDict, files: UploadedFiles) -> bool:
        chat_id = self._chat_id(params)
        message_ids = list(params.get("message_ids") or [])
        if not 1 <= len(message_ids) <= 100:
            raise bad_request("message_ids must contain 1-100 identifiers")
        for message_id in message_ids:
            self._delete_one(chat_id, message_id)
        return True

    def _delete_one(self, chat_id: int, message_id: Any) -> bool:
        sent = self._live_message(chat_id, message_id)
        if sent is not None:
            sent.deleted = True
            return True
        if self._live_incoming(chat_id, message_id) is not None:
            self._deleted_incoming.add((chat_id, _as_int(message_id)))
            return True
        return False

    def _answer_callback_query(self, params: JSONDict, files: UploadedFiles) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        user_id = self._callback_queries.get(query_id)
        if user_id is None or query_id in self._answered_queries:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        self._answered_queries.add(query_id)
        self.callback_answers.append(
            CallbackAnswer(
                query_id=query_id,
                user_id=user_id,
                text=params.get("text"),
                show_alert=bool(params.get("show_alert", False)),
                url=params.get("url"),
            )
        )
        return True

    def _set_my_commands(self, params: JSONDict, files: UploadedFiles) -> bool:
        commands = list(params.get("commands") or [])
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("command description is invalid")
        self._commands[_commands_key(params)] = commands
        return True

    def _get_my_commands(self, params: JSONDict, files: UploadedFiles) -> list[JSONDict]:
        return list(self._commands.get(_commands_key(params), []))

    def _delete_my_commands(self, params: JSONDict, files: UploadedFiles) -> bool:
        self._commands.pop(_commands_key(params), None)
        return True

    def _set_chat_menu_button(self, params: JSONDict, files: UploadedFiles) -> bool:
        chat_id = self._chat_id(params) if params.get("chat_id") is not None else None
        self.menu_buttons[chat_id] = dict(params.get("menu_button") or {"type": "default"})
        return True

    def _send_chat_action(self, params: JSONDict, files: UploadedFiles) -> bool:
        self._chat_id(params)
        if not params.get("action"):
            raise bad_request("wrong parameter action in request")
        return True

    def _send_document(self, params: JSONDict, files: UploadedFiles) -> JSONDict:
        chat_id = self._chat_id(params)
        stored = self._file_param(params, files, "document")
        content: JSONDict = {
            "document": {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_name": stored.filename,
                "mime_type": stored.mime_type,
                "file_size": len(stored.content),
            },
            **self._caption(params),
        }
        sent = self._store(
            chat_id,
            content,
            params=params,
            text=params.get("caption"),
            markup=_checked_markup(params.get("reply_markup")),
            document=(stored.filename, stored.content),
        )
        return sent.raw

    def _send_photo(self, params: JSONDict, files: UploadedFiles) -> JSONDict:
        chat_id = self._chat_id(params)
        stored = self._file_param(params, files, "photo")
        content: JSONDict = {"photo": _photo_sizes(stored), **self._caption(params)}
        sent = self._store(
            chat_id,
            content,
            params=params,
            text=params.get("caption"),
            markup=_checked_markup(params.get("reply_markup")),
            photo=True,
        )
        return sent.raw

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
            markup = _checked_markup(params.get("reply_markup"))
            if params.get("caption") is not None and "text" not in content:
                content.pop("caption_entities", None)
                content.pop("caption", None)
                content.update(self._caption(params))
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
            source=(from_chat_id, _as_int(message_id)),
            forwarded=forward,
        )

    def _copy_message(self, params: JSONDict, files: UploadedFiles) -> JSONDict:
        copied = self._copy(params, params.get("message_id"), forward=False)
        if copied is None:
            raise bad_request("message to copy not found")
        return {"message_id": copied.message_id}

    def _copy_messages(self, params: JSONDict, files: UploadedFiles) -> list[JSONDict]:
        result = []
        for message_id in sorted(_as_int(m) for m in params.get("message_ids") or []):
            copied = self._copy(params, message_id, forward=False)
            if copied is not None:
                result.append({"message_id": copied.message_id})
        if not result:
            raise bad_request("there are no messages to copy")
        return result

    def _forward_message(self, params: JSONDict, files: UploadedFiles) -> JSONDict:
        forwarded = self._copy(params, params.get("message_id"), forward=True)
        if forwarded is None:
            raise bad_request("message to forward not found")
        return forwarded.raw

    def _get_chat(self, params: JSONDict, files: UploadedFiles) -> JSONDict:
        chat = self.chat_json(self._chat_id(params))
        return {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def _forum(self, params: JSONDict) -> int:
        chat_id = self._chat_id(params)
        if not self._chats[chat_id].get("is_forum"):
            raise bad_request("the chat is not a forum")
        return chat_id

    def _topic(self, params: JSONDict) -> ForumTopic:
        chat_id = self._forum(params)
        topic = self._topics[chat_id].get(_as_int(params.get("message_thread_id")))
        if topic is None:
            raise bad_request("message thread not found")
        return topic

    def _create_forum_topic(self, params: JSONDict, files: UploadedFiles) -> JSONDict:
        chat_id = self._forum(params)
        name = str(params.get("name", ""))
        if not 1 <= len(name) <= 128:
            raise bad_request("TOPIC_TITLE_EMPTY" if not name else "TOPIC_TITLE_TOO_LONG")
        topic = ForumTopic(
            chat_id=chat_id,
            message_thread_id=self.next_message_id(chat_id),
            name=name,
            icon_color=_as_int(params.get("icon_color", 7322096)),
            icon_custom_emoji_id=params.get("icon_custom_emoji_id"),
        )
        self._topics[chat_id][topic.message_thread_id] = topic
        return _topic_json(topic)

    def _close_forum_topic(self, params: JSONDict, files: UploadedFiles) -> bool:
        topic = self._topic(params)
        if topic.closed:
            raise bad_request("TOPIC_NOT_MODIFIED")
        topic.closed = True
        return True

    def _reopen_forum_topic(self, params: JSONDict, files: UploadedFiles) -> bool:
        topic = self._topic(params)
        if not topic.closed:
            raise bad_request("TOPIC_NOT_MODIFIED")
        topic.closed = False
        return True

    def _edit_forum_topic(self, params: JSONDict, files: UploadedFiles) -> bool:
        topic = self._topic(params)
        name = params.get("name", topic.name)
        emoji = params.get("icon_custom_emoji_id", topic.icon_custom_emoji_id)
        if not 1 <= len(name) <= 128:
            raise bad_request("TOPIC_TITLE_EMPTY" if not name else "TOPIC_TITLE_TOO_LONG")
        if (name, emoji) == (topic.name, topic.icon_custom_emoji_id):
            raise bad_request("TOPIC_NOT_MODIFIED")
        topic.name, topic.icon_custom_emoji_id = name, emoji or None
        return True


@dataclass
class _Injection:
    method: str
    chat_id: int | None
    error: str
    retry_after: int
    remaining: int

    def fire(self) -> None:
        if self.error == "timeout":
            raise TimedOut()
        if self.error == "retry_after":
            raise ApiError(
                429,
                f"Too Many Requests: retry after {self.retry_after}",
                {"retry_after": self.retry_after},
            )
        if self.error == "blocked":
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        raise bad_request("chat not found")


def _read_files(request_data: RequestData | None) -> UploadedFiles:
    if request_data is None or not request_data.contains_files:
        return {}
    files: UploadedFiles = {}
    for name, (filename, content, mime_type) in request_data.multipart_data.items():
        data = content if isinstance(content, bytes) else content.read()
        files[name] = (filename, data, mime_type)
    return files


def _as_int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request(f"invalid integer value {value!r}") from None


def _as_chat_id(value: Any) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        return int(value)
    return None


def _message_text(params: JSONDict) -> tuple[str, list[JSONDict]]:
    plain, entities = format_text(
        str(params.get("text", "")), params.get("parse_mode"), params.get("entities")
    )
    if not plain:
        raise bad_request("message text is empty")
    if len(plain) > MAX_TEXT_LENGTH:
        raise bad_request("message is too long")
    return plain, entities


def _checked_markup(markup: Any) -> JSONDict | None:
    """Validate reply_markup like Telegram and return it unchanged."""
    if markup is None:
        return None
    if isinstance(markup, str):
        try:
            markup = json.loads(markup)
        except ValueError:
            raise bad_request("can't parse reply keyboard markup JSON object") from None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        for row in markup["inline_keyboard"]:
            for button in row:
                _check_inline_button(button)
    elif "keyboard" in markup:
        for row in markup["keyboard"]:
            for button in row:
                if not _button_text(button):
                    raise bad_request("can't parse keyboard button: Text must be non-empty")
    elif not ({"remove_keyboard", "force_reply"} & markup.keys()):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return markup


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict):
        raise bad_request("can't parse inline keyboard button: InlineKeyboardButton expected")
    if not button.get("text"):
        raise bad_request("can't parse inline keyboard button: Text must be non-empty")
    actions = [key for key in _INLINE_BUTTON_ACTIONS if key in button]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        size = len(str(button["callback_data"]).encode("utf-8"))
        if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = str(button["url"])
        scheme = url.split("://", 1)[0].lower() if "://" in url else "http"
        if not url or any(ch.isspace() for ch in url) or scheme not in ("http", "https", "tg"):
            raise bad_request("BUTTON_URL_INVALID")


def _commands_key(params: JSONDict) -> tuple[str, str]:
    scope = params.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")


def _photo_sizes(stored: StoredFile) -> list[JSONDict]:
    return [
        {
            "file_id": f"{stored.file_id}-{width}",
            "file_unique_id": f"{stored.file_unique_id}-{width}",
            "width": width,
            "height": height,
            "file_size": len(stored.content),
        }
        for width, height in ((90, 67), (800, 600))
    ]


def _forward_origin(source: JSONDict) -> JSONDict:
    if "from" in source:
        return {"type": "user", "date": source["date"], "sender_user": source["from"]}
    return {
        "type": "chat",
        "date": source["date"],
        "sender_chat": source.get("sender_chat", source["chat"]),
    }


def _topic_json(topic: ForumTopic) -> JSONDict:
    result: JSONDict = {
        "message_thread_id": topic.message_thread_id,
        "name": topic.name,
        "icon_color": topic.icon_color,
    }
    if topic.icon_custom_emoji_id:
        result["icon_custom_emoji_id"] = topic.icon_custom_emoji_id
    return result
