"""Reading and validating Bot API call parameters the way Telegram does."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.offline.standin.errors import bad_request
from bot.offline.standin.html import format_text
from bot.offline.standin.records import JSONDict, button_text

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64

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


def as_int(value: Any) -> int:
    """Read an integer parameter, or raise a Bad Request."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request(f"invalid integer value {value!r}") from None


def as_chat_id(value: Any) -> int | None:
    """Read a numeric chat id; None for a @username or anything else."""
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        return int(value)
    return None


def message_text(params: JSONDict) -> tuple[str, list[JSONDict]]:
    """The (plain text, entities) of a text message, checked for emptiness and length."""
    plain, entities = format_text(
        str(params.get("text", "")), params.get("parse_mode"), params.get("entities")
    )
    if not plain:
        raise bad_request("message text is empty")
    if len(plain) > MAX_TEXT_LENGTH:
        raise bad_request("message is too long")
    return plain, entities


def caption_content(params: JSONDict) -> JSONDict:
    """The caption and caption_entities fields of a media message ({} without a caption)."""
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


def checked_markup(markup: Any) -> JSONDict | None:
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
                if not button_text(button):
                    raise bad_request("can't parse keyboard button: Text must be non-empty")
    elif not ({"remove_keyboard", "force_reply"} & markup.keys()):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return markup


def check_group_keyboard(markup: JSONDict | None) -> None:
    """Buttons that share a chat or users work in private chats only
    (https://core.telegram.org/bots/api#keyboardbutton)."""
    for row in (markup or {}).get("keyboard") or []:
        for button in row:
            if isinstance(button, dict) and ({"request_chat", "request_users"} & button.keys()):
                raise bad_request("BUTTON_TYPE_INVALID")


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict):
        raise bad_request("can't parse inline keyboard button: InlineKeyboardButton expected")
    if not button.get("text"):
        raise bad_request("can't parse inline keyboard button: Text must be non-empty")
    if not any(key in button for key in _INLINE_BUTTON_ACTIONS):
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
