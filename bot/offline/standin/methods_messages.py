"""Bot API methods that send text messages and edit or delete messages."""

from __future__ import annotations

import time
from typing import Any

from bot.offline.standin.delivery import Delivery
from bot.offline.standin.errors import NOT_MODIFIED, bad_request
from bot.offline.standin.records import JSONDict, SentMessage, UploadedFiles
from bot.offline.standin.validation import (
    as_int,
    caption_content,
    check_group_keyboard,
    checked_markup,
    message_text,
)

# "A message can only be deleted if it was sent less than 48 hours ago."
# https://core.telegram.org/bots/api#deletemessage
DELETE_WINDOW_SECONDS = 48 * 3600
TOO_OLD_TO_DELETE = "message can't be deleted for everyone"


class MessageMethods(Delivery):
    """sendMessage, the editMessage* family, deleteMessage and deleteMessages."""

    def _send_message(self, params: JSONDict, files: UploadedFiles) -> JSONDict:
        chat_id = self._chat_id(params)
        plain, entities = message_text(params)
        markup = checked_markup(params.get("reply_markup"))
        if self.chat_json(chat_id)["type"] != "private":
            check_group_keyboard(markup)
        content: JSONDict = {"text": plain}
        if entities:
            content["entities"] = entities
        sent = self._store(chat_id, content, params=params, text=params["text"], markup=markup)
        return sent.raw

    def _edit_message_text(self, params: JSONDict, files: UploadedFiles) -> JSONDict | bool:
        if params.get("inline_message_id"):
            message_text(params)
            return True
        sent = self._editable(params)
        if "text" not in sent.raw:
            raise bad_request("there is no text in the message to edit")
        plain, entities = message_text(params)
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
        content = caption_content(params)
        result = self._apply_edit(sent, params, content, ("caption", "caption_entities"))
        sent.text = params.get("caption")
        sent.parse_mode = params.get("parse_mode")
        return result

    def _edit_message_reply_markup(
        self, params: JSONDict, files: UploadedFiles
    ) -> JSONDict | bool:
        if params.get("inline_message_id"):
            checked_markup(params.get("reply_markup"))
            return True
        return self._apply_edit(self._editable(params), params, {}, ())

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
    ) -> JSONDict:
        markup = checked_markup(params.get("reply_markup"))
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

    def age_messages(self, seconds: float, chat_id: int | None = None) -> None:
        """Let time pass for the messages already in a chat (or every chat): their dates move
        back, so the 48-hour deletion rule can be tried."""
        shift = int(seconds)
        for sent in self._by_id.values():
            if chat_id is None or sent.chat_id == chat_id:
                sent.raw["date"] -= shift
        for (incoming_chat, _), message in self._incoming.items():
            if chat_id is None or incoming_chat == chat_id:
                message["date"] = int(message.get("date") or time.time()) - shift

    def user_deletes(self, chat_id: int, message_id: int) -> None:
        """The user deletes their own message from the chat: the bot can no longer copy,
        forward or reply to it ("message to copy not found")."""
        if self._live_incoming(chat_id, message_id) is None:
            raise KeyError(f"no message {message_id} from the user in chat {chat_id}")
        self._deleted_incoming.add((chat_id, message_id))

    def _delete_message(self, params: JSONDict, files: UploadedFiles) -> bool:
        chat_id = self._chat_id(params)
        found = self._any_message(chat_id, params.get("message_id"))
        if found is not None and self._too_old_to_delete(found):
            raise bad_request(TOO_OLD_TO_DELETE)
        if not self._delete_one(chat_id, params.get("message_id")):
            raise bad_request("message to delete not found")
        return True

    def _delete_messages(self, params: JSONDict, files: UploadedFiles) -> bool:
        chat_id = self._chat_id(params)
        message_ids = list(params.get("message_ids") or [])
        if not 1 <= len(message_ids) <= 100:
            raise bad_request("message_ids must contain 1-100 identifiers")
        # Messages that can't be found or deleted are skipped.
        for message_id in message_ids:
            found = self._any_message(chat_id, message_id)
            if found is not None and not self._too_old_to_delete(found):
                self._delete_one(chat_id, message_id)
        return True

    @staticmethod
    def _too_old_to_delete(message: JSONDict) -> bool:
        sent_at = int(message.get("date") or time.time())
        return time.time() - sent_at >= DELETE_WINDOW_SECONDS

    def _delete_one(self, chat_id: int, message_id: Any) -> bool:
        sent = self._live_message(chat_id, message_id)
        if sent is not None:
            sent.deleted = True
            return True
        if self._live_incoming(chat_id, message_id) is not None:
            self._deleted_incoming.add((chat_id, as_int(message_id)))
            return True
        return False
