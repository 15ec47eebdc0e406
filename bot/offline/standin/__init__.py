"""In-process stand-in for the Telegram Bot API, plugged into PTB as its request backend.
Imports only `telegram` and itself: it knows nothing of the bot it answers."""

from bot.offline.standin.errors import NOT_MODIFIED, ApiError, bad_request
from bot.offline.standin.faults import INJECTABLE_ERRORS
from bot.offline.standin.html import (
    EntityParseError,
    TelegramHTMLParser,
    format_text,
    utf16_length,
)
from bot.offline.standin.records import (
    CallbackAnswer,
    ForumTopic,
    InlineAnswer,
    JSONDict,
    RecordedCall,
    SentMessage,
    StoredFile,
    UploadedFiles,
)
from bot.offline.standin.state import FIRST_MESSAGE_ID
from bot.offline.standin.transport import ApiHandler, TelegramStandIn
from bot.offline.standin.validation import (
    MAX_CALLBACK_DATA_BYTES,
    MAX_CAPTION_LENGTH,
    MAX_TEXT_LENGTH,
)

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
    "InlineAnswer",
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
