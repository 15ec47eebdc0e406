"""Bot API methods about the bot and its chats: identity, webhook, commands, callback answers."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from bot.offline.standin.errors import ApiError, bad_request
from bot.offline.standin.records import CallbackAnswer, InlineAnswer, JSONDict, UploadedFiles
from bot.offline.standin.state import StandInState
from bot.offline.standin.validation import checked_markup, message_text

# Telegram's limits on the bot's profile texts (setMyName, setMyDescription,
# setMyShortDescription), by the field getMy... answers with.
PROFILE_LIMITS = {"name": 64, "description": 512, "short_description": 120}
MAX_INLINE_RESULTS = 50
MAX_INLINE_RESULT_ID_BYTES = 64


class BotMethods(StandInState):
    """getMe, webhooks, callback and inline answers, bot commands, the bot's name and
    descriptions, menu button, chat actions, getChat and leaving a group."""

    def register_callback_query(self, query_id: str, user_id: int) -> None:
        """Make a callback query id known so answerCallbackQuery accepts it once."""
        self._callback_queries[query_id] = user_id

    def register_inline_query(self, query_id: str, user_id: int) -> None:
        """Make an inline query id known so answerInlineQuery accepts it once."""
        self._inline_queries[query_id] = user_id

    def _answer_inline_query(self, params: JSONDict, files: UploadedFiles) -> bool:
        query_id = str(params.get("inline_query_id", ""))
        user_id = self._inline_queries.pop(query_id, None)
        if user_id is None:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        results = params.get("results")
        if isinstance(results, str):
            results = json.loads(results)
        results = list(results or [])
        if len(results) > MAX_INLINE_RESULTS:
            raise bad_request("RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for result in results:
            result_id = str(result.get("id", ""))
            if not 1 <= len(result_id.encode("utf-8")) <= MAX_INLINE_RESULT_ID_BYTES:
                raise bad_request("RESULT_ID_INVALID")
            if result_id in seen:
                raise bad_request("RESULT_ID_DUPLICATE")
            seen.add(result_id)
            _check_inline_result(result)
        self.inline_answers.append(
            InlineAnswer(
                query_id=query_id,
                user_id=user_id,
                results=results,
                cache_time=params.get("cache_time"),
                is_personal=bool(params.get("is_personal", False)),
            )
        )
        return True

    def _profile_setter(self, field: str) -> Callable[[JSONDict, UploadedFiles], bool]:
        def set_text(params: JSONDict, files: UploadedFiles) -> bool:
            value = str(params.get(field) or "")
            if len(value) > PROFILE_LIMITS[field]:
                raise bad_request(f"bot {field.replace('_', ' ')} is too long")
            language = str(params.get("language_code") or "")
            if value:
                self.profile[(field, language)] = value
            else:
                self.profile.pop((field, language), None)
            return True

        return set_text

    def _profile_getter(self, field: str) -> Callable[[JSONDict, UploadedFiles], JSONDict]:
        def get_text(params: JSONDict, files: UploadedFiles) -> JSONDict:
            language = str(params.get("language_code") or "")
            own = self.profile.get((field, language))
            return {field: own if own is not None else self.profile.get((field, ""), "")}

        return get_text

    def _get_me(self, params: JSONDict, files: UploadedFiles) -> JSONDict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
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

    def _leave_chat(self, params: JSONDict, files: UploadedFiles) -> bool:
        chat_id = self._chat_id(params)
        if self.chat_json(chat_id)["type"] == "private":
            raise bad_request("chat member status can't be changed in private chats")
        if chat_id in self.left_chats:
            raise ApiError(403, "Forbidden: bot is not a member of the group chat")
        self.left_chats.add(chat_id)
        self.bot_status[chat_id] = "left"
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


def _check_inline_result(result: JSONDict) -> None:
    """An article result as Telegram checks it: a title, and a message to send that is a
    valid text message."""
    if result.get("type") != "article":
        raise bad_request(f"the stand-in answers only article results, not {result.get('type')}")
    if not result.get("title"):
        raise bad_request("RESULT_TITLE_EMPTY")
    content = result.get("input_message_content") or {}
    if "message_text" not in content:
        raise bad_request("MESSAGE_EMPTY")
    message_text({"text": content["message_text"], "parse_mode": content.get("parse_mode")})
    checked_markup(result.get("reply_markup"))


def _commands_key(params: JSONDict) -> tuple[str, str]:
    scope = params.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")
