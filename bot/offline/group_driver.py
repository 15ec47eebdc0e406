"""A staff member writing in the staff group, for tests of the hand-off to people."""

from typing import Any

from telegram.ext import Application

from bot.offline.chat_driver import ChatUser
from bot.offline.standin import JSONDict, SentMessage, TelegramStandIn


class GroupMember(ChatUser):
    """Like ChatUser, but in a group chat, optionally inside a forum topic or as a reply."""

    def __init__(
        self,
        app: Application[Any, Any, Any, Any, Any, Any],
        standin: TelegramStandIn,
        *,
        chat_id: int,
        user_id: int,
        first_name: str = "Staff",
        forum: bool = True,
    ) -> None:
        super().__init__(app, standin, user_id=user_id, first_name=first_name)
        self.chat_id = chat_id
        standin.register_chat(chat_id, type="supergroup", title="Staff", is_forum=forum)
        self._context: JSONDict = {}

    async def say(
        self, text: str, *, topic: int | None = None, reply_to: int | None = None
    ) -> list[SentMessage]:
        """Write in the group: in a topic, and/or as a reply to one of the bot's messages."""
        self._context = self._where(topic)
        try:
            return await self.send(text, reply_to=reply_to)
        finally:
            self._context = {}

    async def send_photo_in(self, topic: int, caption: str | None = None) -> list[SentMessage]:
        self._context = self._where(topic)
        try:
            return await self.send_photo(caption)
        finally:
            self._context = {}

    def _where(self, topic: int | None) -> JSONDict:
        return {} if topic is None else {"message_thread_id": topic, "is_topic_message": True}

    async def _send_message(self, content: JSONDict, action: str) -> list[SentMessage]:
        return await super()._send_message({**content, **self._context}, action)
