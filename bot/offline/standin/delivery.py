"""Putting a bot message into a chat: thread and reply checks, the Message object, history."""

from __future__ import annotations

import time

from bot.offline.standin.errors import ApiError, bad_request
from bot.offline.standin.records import JSONDict, SentMessage
from bot.offline.standin.state import StandInState
from bot.offline.standin.validation import as_chat_id, as_int


class Delivery(StandInState):
    """Stores messages the bot sends, copies or forwards, as Telegram would deliver them."""

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
        self._check_reachable(chat_id)
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

    def _check_reachable(self, chat_id: int) -> None:
        if chat_id in self.blocked_by:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat_id in self.left_chats:
            kind = self.chat_json(chat_id)["type"]
            raise ApiError(403, f"Forbidden: bot is not a member of the {kind} chat")

    def _thread_id(self, chat_id: int, params: JSONDict) -> int | None:
        thread_id = params.get("message_thread_id")
        if thread_id is None:
            return None
        thread_id = as_int(thread_id)
        if self._chats[chat_id].get("is_forum") and self._find_topic(chat_id, thread_id).closed:
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
        source_chat = as_chat_id(reply.get("chat_id")) or chat_id
        found = self._any_message(source_chat, reply.get("message_id"))
        if found is None:
            if reply.get("allow_sending_without_reply"):
                return None
            raise bad_request("message to be replied not found")
        return {key: value for key, value in found.items() if key != "reply_to_message"}
