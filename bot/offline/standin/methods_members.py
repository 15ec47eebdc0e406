"""Bot API methods about who is in a group: the bot's own rights, members, invite links and
join requests (createChatInviteLink, revokeChatInviteLink, approve/declineChatJoinRequest,
getChatMember, banChatMember, unbanChatMember)."""

from __future__ import annotations

import itertools
import secrets
import time

from bot.offline.standin.errors import ApiError, bad_request
from bot.offline.standin.records import JSONDict, UploadedFiles
from bot.offline.standin.state import StandInState
from bot.offline.standin.validation import as_int

MAX_INVITE_LINK_NAME = 32
MAX_MEMBER_LIMIT = 99_999
ADMIN_RIGHTS = (
    "can_manage_chat can_delete_messages can_manage_video_chats can_restrict_members "
    "can_change_info can_invite_users can_post_stories can_edit_stories can_delete_stories"
).split()
_link_numbers = itertools.count(1)


class MemberMethods(StandInState):
    """The bot's status and rights per group, the members, invite links and pending join
    requests, kept as Telegram keeps them."""

    def set_bot_status(
        self,
        chat_id: int,
        status: str,
        *,
        can_invite_users: bool = True,
        can_restrict_members: bool = True,
    ) -> None:
        """Record the bot's status in a chat ("member", "administrator", "left", ...); an
        administrator has every right except, if so given, inviting users or banning them."""
        self.bot_status[chat_id] = status
        self.bot_can_invite[chat_id] = status == "administrator" and can_invite_users
        self.bot_can_restrict[chat_id] = status == "administrator" and can_restrict_members

    def bot_member_json(self, chat_id: int) -> JSONDict:
        """The bot as a ChatMember of this chat, with the rights it has there."""
        status = self.bot_status.get(chat_id, "left")
        member: JSONDict = {"status": status, "user": self.bot_user}
        if status == "administrator":
            member.update(dict.fromkeys(ADMIN_RIGHTS, True))
            member["can_invite_users"] = self.bot_can_invite.get(chat_id, False)
            member["can_restrict_members"] = self.bot_can_restrict.get(chat_id, False)
            member.update(can_be_edited=False, is_anonymous=False, can_promote_members=False)
        return member

    def add_join_request(
        self, chat_id: int, user: JSONDict, invite_link: str | None
    ) -> JSONDict | None:
        """A user asks to join through a link: the ChatJoinRequest Telegram would send, with
        the link as the bot sees it. Only a live link that creates join requests can do it.
        None when Telegram sends the bot nothing: in a basic group, which has no join
        requests, or when the bot is not an admin allowed to invite users (the request then
        waits for the group's human admins)."""
        if self.chat_json(chat_id)["type"] == "group":
            return None
        link: JSONDict | None = None
        if invite_link is not None:
            link = self.invite_links.get(invite_link)
            if link is None or link["chat_id"] != chat_id:
                raise AssertionError(f"{invite_link} is no invite link of chat {chat_id}")
            if link["is_revoked"] or not link["creates_join_request"]:
                raise AssertionError(f"{invite_link} cannot create a join request now")
        user_id = int(user["id"])
        if user_id in self.members[chat_id]:
            raise AssertionError(f"user {user_id} is already a member of chat {chat_id}")
        if user_id in self.banned[chat_id]:
            raise AssertionError(f"user {user_id} is banned from chat {chat_id}")
        self.join_requests[(chat_id, user_id)] = invite_link
        if not self._may_invite(chat_id):
            return None
        request: JSONDict = {
            "chat": self.chat_json(chat_id),
            "from": user,
            "user_chat_id": user_id,
            "date": int(time.time()),
        }
        if link is not None:
            request["invite_link"] = _public_link(link)
        return request

    def is_member(self, chat_id: int, user_id: int) -> bool:
        return user_id in self.members[chat_id]

    def _may_invite(self, chat_id: int) -> bool:
        return (
            self.bot_status.get(chat_id) == "administrator"
            and chat_id not in self.left_chats
            and self.bot_can_invite.get(chat_id, False)
        )

    def _require_admin(self, chat_id: int) -> str:
        if self.chat_json(chat_id)["type"] == "private":
            raise bad_request("chat not found")
        status = self.bot_status.get(chat_id, "left")
        if status in ("left", "kicked") or chat_id in self.left_chats:
            raise ApiError(403, "Forbidden: bot is not a member of the supergroup chat")
        return status

    def _require_invite_rights(self, chat_id: int) -> None:
        if self._require_admin(chat_id) != "administrator" or not self._may_invite(chat_id):
            raise bad_request("not enough rights to manage chat invite links")

    def _require_ban_rights(self, chat_id: int, params: JSONDict) -> int:
        if self._require_admin(chat_id) != "administrator" or not self.bot_can_restrict.get(
            chat_id, False
        ):
            raise bad_request("not enough rights to restrict/unrestrict chat member")
        if params.get("user_id") is None:
            raise bad_request("user_id is empty")
        user_id = as_int(params["user_id"])
        if user_id == self.bot_id:
            raise bad_request("can't remove chat owner")
        return user_id

    def _create_chat_invite_link(self, params: JSONDict, files: UploadedFiles) -> JSONDict:
        chat_id = self._chat_id(params)
        self._require_invite_rights(chat_id)
        name = str(params.get("name") or "")
        if len(name) > MAX_INVITE_LINK_NAME:
            raise bad_request("invite link name is too long")
        creates_join_request = bool(params.get("creates_join_request", False))
        member_limit = params.get("member_limit")
        if member_limit is not None:
            if creates_join_request:
                raise bad_request(
                    "member_limit can't be specified for links requiring administrator approval"
                )
            if not 1 <= as_int(member_limit) <= MAX_MEMBER_LIMIT:
                raise bad_request("USAGE_LIMIT_INVALID")
        link: JSONDict = {
            "invite_link": f"https://t.me/+{secrets.token_urlsafe(12)}{next(_link_numbers)}",
            "creator": self.bot_user,
            "creates_join_request": creates_join_request,
            "is_primary": False,
            "is_revoked": False,
            "chat_id": chat_id,
        }
        if name:
            link["name"] = name
        if member_limit is not None:
            link["member_limit"] = as_int(member_limit)
        if params.get("expire_date") is not None:
            link["expire_date"] = as_int(params["expire_date"])
        self.invite_links[link["invite_link"]] = link
        return _public_link(link)

    def _revoke_chat_invite_link(self, params: JSONDict, files: UploadedFiles) -> JSONDict:
        chat_id = self._chat_id(params)
        self._require_invite_rights(chat_id)
        link = self.invite_links.get(str(params.get("invite_link") or ""))
        if link is None or link["chat_id"] != chat_id:
            raise bad_request("INVITE_HASH_INVALID")
        link["is_revoked"] = True
        return _public_link(link)

    def _approve_chat_join_request(self, params: JSONDict, files: UploadedFiles) -> bool:
        chat_id, user_id = self._pending_request(params)
        self.members[chat_id].add(user_id)
        self.decided_requests.append((chat_id, user_id, "approved"))
        return True

    def _decline_chat_join_request(self, params: JSONDict, files: UploadedFiles) -> bool:
        chat_id, user_id = self._pending_request(params)
        self.decided_requests.append((chat_id, user_id, "declined"))
        return True

    def _ban_chat_member(self, params: JSONDict, files: UploadedFiles) -> bool:
        chat_id = self._chat_id(params)
        user_id = self._require_ban_rights(chat_id, params)
        self.members[chat_id].discard(user_id)
        self.banned[chat_id].add(user_id)
        return True

    def _unban_chat_member(self, params: JSONDict, files: UploadedFiles) -> bool:
        """Lift a ban (the user may join again); without only_if_banned, as Telegram does, a
        member is removed too."""
        chat_id = self._chat_id(params)
        user_id = self._require_ban_rights(chat_id, params)
        if user_id in self.members[chat_id] and not params.get("only_if_banned"):
            self.members[chat_id].discard(user_id)
        self.banned[chat_id].discard(user_id)
        return True

    def _pending_request(self, params: JSONDict) -> tuple[int, int]:
        """The request being decided, no longer pending: a second decision (or one for a user
        who never asked) fails as Telegram's does."""
        chat_id = self._chat_id(params)
        if params.get("user_id") is None:
            raise bad_request("user_id is empty")
        user_id = as_int(params["user_id"])
        self._require_invite_rights(chat_id)
        if (chat_id, user_id) not in self.join_requests:
            raise bad_request("HIDE_REQUESTER_MISSING")
        del self.join_requests[(chat_id, user_id)]
        if user_id in self.members[chat_id]:
            raise bad_request("USER_ALREADY_PARTICIPANT")
        return chat_id, user_id

    def _get_chat_member(self, params: JSONDict, files: UploadedFiles) -> JSONDict:
        chat_id = self._chat_id(params)
        user_id = as_int(params.get("user_id"))
        if user_id == self.bot_id:
            return self.bot_member_json(chat_id)
        user = {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"}
        if self.chat_json(chat_id)["type"] != "private" and user_id in self.members[chat_id]:
            return {"status": "member", "user": user}
        if user_id in self.banned[chat_id]:
            return {"status": "kicked", "user": user, "until_date": 0}
        return {"status": "left", "user": user}


def _public_link(link: JSONDict) -> JSONDict:
    """A ChatInviteLink as the Bot API returns it (without the stand-in's chat id)."""
    return {key: value for key, value in link.items() if key != "chat_id"}
