"""In-process stand-in for the Telegram Bot API, plugged into PTB as its request backend."""

from bot.standin.errors import NOT_MODIFIED, ApiError, bad_request
from bot.standin.faults import INJECTABLE_ERRORS
from bot.standin.html import EntityParseError, TelegramHTMLParser, format_text, utf16_length
from bot.standin.records import (
    CallbackAnswer,
    ForumTopic,
    JSONDict,
    RecordedCall,
    SentMessage,
    StoredFile,
    UploadedFiles,
)
from bot.standin.state import FIRST_MESSAGE_ID
from bot.standin.transport import ApiHandler, TelegramStandIn
from bot.standin.validation import MAX_CALLBACK_DATA_BYTES, MAX_CAPTION_LENGTH, MAX_TEXT_LENGTH

__all__ = [
    "FIRST_MESSAGE_ID",
    "INJECTABLE_ERRORS",
    "MAX_CALLBACK_DATA_BYTES",
    "MAX_CAPTION_LENGTH",
    "MAX_TEXT_LENGTH",
    "NOT_MODIFIED",
    "ApiError",
    "ApiHandler",
    "CallbackAnswer",
    "EntityParseError",
    "ForumTopic",
    "JSONDict",
    "RecordedCall",
    "SentMessage",
    "StoredFile",
    "TelegramHTMLParser",
    "TelegramStandIn",
    "UploadedFiles",
    "bad_request",
    "format_text",
    "utf16_length",
]
