"""Bot API methods that manage forum topics in supergroups."""

from __future__ import annotations

from typing import Any

from bot.offline.standin.errors import bad_request
from bot.offline.standin.records import ForumTopic, JSONDict, UploadedFiles
from bot.offline.standin.state import StandInState
from bot.offline.standin.validation import as_int

# Telegram's default topic colour (blue) when createForumTopic names none.
_DEFAULT_ICON_COLOR = 7322096


class ForumMethods(StandInState):
    """createForumTopic, editForumTopic, closeForumTopic, reopenForumTopic and
    deleteForumTopic."""

    def forum_topics(self, chat_id: int) -> list[ForumTopic]:
        """Forum topics created in a chat, in creation order."""
        return list(self._topics.get(chat_id, {}).values())

    def _create_forum_topic(self, params: JSONDict, files: UploadedFiles) -> JSONDict:
        chat_id = self._forum(params)
        name = str(params.get("name", ""))
        _check_topic_name(name)
        topic = ForumTopic(
            chat_id=chat_id,
            message_thread_id=self.next_message_id(chat_id),
            name=name,
            icon_color=as_int(params.get("icon_color", _DEFAULT_ICON_COLOR)),
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

    def _delete_forum_topic(self, params: JSONDict, files: UploadedFiles) -> bool:
        """The topic goes with every message in it, whatever their age (the bot must be an
        administrator with can_delete_messages, as for the staff group)."""
        topic = self._topic(params)
        chat_id, thread_id = topic.chat_id, topic.message_thread_id
        del self._topics[chat_id][thread_id]
        for sent in self._history.get(chat_id, []):
            if sent.message_thread_id == thread_id:
                sent.deleted = True
        for (incoming_chat, message_id), message in self._incoming.items():
            if incoming_chat == chat_id and message.get("message_thread_id") == thread_id:
                self._deleted_incoming.add((chat_id, message_id))
        return True

    def _edit_forum_topic(self, params: JSONDict, files: UploadedFiles) -> bool:
        topic = self._topic(params)
        name = params.get("name", topic.name)
        emoji = params.get("icon_custom_emoji_id", topic.icon_custom_emoji_id)
        _check_topic_name(name)
        if (name, emoji) == (topic.name, topic.icon_custom_emoji_id):
            raise bad_request("TOPIC_NOT_MODIFIED")
        topic.name, topic.icon_custom_emoji_id = name, emoji or None
        return True

    def _forum(self, params: JSONDict) -> int:
        chat_id = self._chat_id(params)
        if not self._chats[chat_id].get("is_forum"):
            raise bad_request("the chat is not a forum")
        return chat_id

    def _topic(self, params: JSONDict) -> ForumTopic:
        chat_id = self._forum(params)
        return self._find_topic(chat_id, as_int(params.get("message_thread_id")))


def _check_topic_name(name: Any) -> None:
    if not 1 <= len(name) <= 128:
        raise bad_request("TOPIC_TITLE_EMPTY" if not name else "TOPIC_TITLE_TOO_LONG")


def _topic_json(topic: ForumTopic) -> JSONDict:
    result: JSONDict = {
        "message_thread_id": topic.message_thread_id,
        "name": topic.name,
        "icon_color": topic.icon_color,
    }
    if topic.icon_custom_emoji_id:
        result["icon_custom_emoji_id"] = topic.icon_custom_emoji_id
    return result
