"""What the stand-in remembers about chats and messages, and the lookups its handlers share."""

from __future__ import annotations

import copy
import itertools
from collections import defaultdict
from typing import Any

from bot.offline.standin.errors import bad_request
from bot.offline.standin.records import (
    CallbackAnswer,
    ForumTopic,
    InlineAnswer,
    JSONDict,
    SentMessage,
    StoredFile,
)
from bot.offline.standin.validation import as_chat_id, as_int

# High enough that ids a test writes by hand (1, 2, 42, ...) never collide with real ones.
FIRST_MESSAGE_ID = 10_000


class StandInState:
    """Chats, bot and user messages, files, topics and bot settings held by the stand-in."""

    def __init__(self, *, bot_id: int, bot_username: str):
        self.bot_id = bot_id
        self.bot_username = bot_username
        self.callback_answers: list[CallbackAnswer] = []
        self.inline_answers: list[InlineAnswer] = []
        # The bot's name, description and short description, by (field, language code);
        # "" is the text for every language without its own.
        self.profile: dict[tuple[str, str], str] = {}
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
        self._media_group_counter = itertools.count(1)
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._callback_queries: dict[str, int] = {}
        self._answered_queries: set[str] = set()
        self._inline_queries: dict[str, int] = {}
        self._topics: dict[int, dict[int, ForumTopic]] = defaultdict(dict)
        self._activity: list[SentMessage] = []
        # Groups the bot left, and private chats whose user blocked it: sends there fail.
        self.left_chats: set[int] = set()
        self.blocked_by: set[int] = set()
        # Groups: the bot's status and its invite and ban rights, members and banned users,
        # invite links by URL, pending join requests (with the link used) and the decisions
        # taken on them, in order.
        self.bot_status: dict[int, str] = {}
        self.bot_can_invite: dict[int, bool] = {}
        self.bot_can_restrict: dict[int, bool] = {}
        self.members: defaultdict[int, set[int]] = defaultdict(set)
        self.banned: defaultdict[int, set[int]] = defaultdict(set)
        self.invite_links: dict[str, JSONDict] = {}
        self.join_requests: dict[tuple[int, int], str | None] = {}
        self.decided_requests: list[tuple[int, int, str]] = []

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

    def new_media_group_id(self) -> str:
        """A fresh media_group_id, for an album a user sends or the bot's copy of one."""
        # Telegram's are long numbers, given as strings.
        return str(13_000_000_000_000_000 + next(self._media_group_counter))

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

    def record_incoming(self, message: JSONDict) -> None:
        """Remember a user's message so the bot can reply to, copy, forward or delete it."""
        key = (int(message["chat"]["id"]), int(message["message_id"]))
        self._incoming[key] = copy.deepcopy(message)
        # A message from before (one a restarted test replays) keeps later ids unique.
        chat_id, message_id = key
        self._next_ids[chat_id] = max(
            self._next_ids.get(chat_id, FIRST_MESSAGE_ID), message_id + 1
        )

    def incoming_ids(self, chat_id: int) -> list[int]:
        """The ids of a chat's user messages the stand-in holds, not deleted, oldest first."""
        return sorted(
            message_id
            for chat, message_id in self._incoming
            if chat == chat_id and (chat, message_id) not in self._deleted_incoming
        )

    def incoming(self, chat_id: int, message_id: int) -> JSONDict:
        """A user's message as the stand-in holds it now (edits applied), as a copy."""
        try:
            return copy.deepcopy(self._incoming[(chat_id, message_id)])
        except KeyError:
            raise KeyError(f"no user message {message_id} in chat {chat_id}") from None

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

    def _chat_id(self, params: JSONDict, key: str = "chat_id") -> int:
        value = params.get(key)
        if value is None or value == "":
            raise bad_request(f"{key} is empty")
        chat_id = as_chat_id(value)
        if chat_id is None:
            username = str(value).lstrip("@").lower()
            for known in self._chats.values():
                if str(known.get("username", "")).lower() == username:
                    return int(known["id"])
            raise bad_request("chat not found")
        self.chat_json(chat_id)
        return chat_id

    def _live_message(self, chat_id: int, message_id: Any) -> SentMessage | None:
        sent = self._by_id.get((chat_id, as_int(message_id)))
        return None if sent is None or sent.deleted else sent

    def _live_incoming(self, chat_id: int, message_id: Any) -> JSONDict | None:
        key = (chat_id, as_int(message_id))
        return None if key in self._deleted_incoming else self._incoming.get(key)

    def _any_message(self, chat_id: int, message_id: Any) -> JSONDict | None:
        sent = self._live_message(chat_id, message_id)
        return sent.raw if sent is not None else self._live_incoming(chat_id, message_id)

    def _find_topic(self, chat_id: int, thread_id: int) -> ForumTopic:
        topic = self._topics[chat_id].get(thread_id)
        if topic is None:
            raise bad_request("message thread not found")
        return topic
