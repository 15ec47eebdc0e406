"""Someone in a group: a staff member in the staff group (the hand-off to people), or a member
of any other group or channel the bot is in or is added to."""

import time
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
        title: str = "Staff",
        chat_type: str = "supergroup",
        language_code: str | None = "id",
    ) -> None:
        super().__init__(
            app, standin, user_id=user_id, first_name=first_name, language_code=language_code
        )
        self.chat_id = chat_id
        standin.register_chat(chat_id, type=chat_type, title=title, is_forum=forum)
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

    def make_bot_admin_quietly(
        self, *, can_invite_users: bool = True, can_restrict_members: bool = True
    ) -> None:
        """Set up a group where the bot already is an admin (with or without the rights to
        invite users and to ban them), as before the test began: no update reaches the bot."""
        self.standin.set_bot_status(
            self.chat_id,
            "administrator",
            can_invite_users=can_invite_users,
            can_restrict_members=can_restrict_members,
        )

    async def add_bot(self, *, as_admin: bool = False) -> list[SentMessage]:
        """Add the bot to this group (or channel), as a member or straight away as an admin."""
        self.standin.left_chats.discard(self.chat_id)
        new = "administrator" if as_admin else "member"
        return await self._bot_membership("left", new, "adding the bot")

    async def remove_bot(self) -> list[SentMessage]:
        """Remove the bot, an admin, from this group (sends there fail from now on)."""
        self.standin.left_chats.add(self.chat_id)
        return await self._bot_membership("administrator", "kicked", "removing the bot")

    async def promote_bot(self) -> list[SentMessage]:
        """Make the bot, already a member, an admin of this group."""
        return await self._bot_membership("member", "administrator", "making the bot an admin")

    async def ask_to_join(self, invite_link: str | None = None) -> list[SentMessage]:
        """Ask to join this group through an invite link that needs approval (a live one of
        this group, else an AssertionError); the request stays pending until the bot decides
        it, and an approved one makes this user a member. The bot hears of it only where
        Telegram would tell it (an admin allowed to invite users, not in a basic group)."""
        request = self.standin.add_join_request(self.chat_id, self.user_json, invite_link)
        if request is None:
            return []
        return await self._dispatch({"chat_join_request": request}, "asking to join")

    def leave_quietly(self) -> None:
        """This user leaves the group; the bot is not told (it gets no member updates)."""
        self.standin.members[self.chat_id].discard(self.user_id)

    @property
    def is_member(self) -> bool:
        """Whether this user is a member of the group now (after an approved request)."""
        return self.standin.is_member(self.chat_id, self.user_id)

    async def post_in_channel(self, text: str) -> list[SentMessage]:
        """Post in this channel as the channel itself (no sender), as its admins do."""
        post = {
            "message_id": self.standin.next_message_id(self.chat_id),
            "date": int(time.time()),
            "chat": self.standin.chat_json(self.chat_id),
            "sender_chat": self.standin.chat_json(self.chat_id),
            "text": text,
        }
        self.standin.record_incoming(post)
        return await self._dispatch({"channel_post": post}, "posting in the channel")

    def _where(self, topic: int | None) -> JSONDict:
        return {} if topic is None else {"message_thread_id": topic, "is_topic_message": True}

    async def _send_message(self, content: JSONDict, action: str) -> list[SentMessage]:
        return await super()._send_message({**content, **self._context}, action)
