"""What kind of chat an update comes from, which decides what the bot may say there: personal
data is asked for and shown only in a private chat."""

from collections.abc import Collection
from enum import Enum


class ChatKind(Enum):
    # A person talking to the bot on their own: every feature.
    PRIVATE = "private"
    # The centre's staff group (STAFF_CHAT_ID): the staff features only.
    STAFF_GROUP = "staff_group"
    # A group staff allowed (ALLOWED_GROUP_IDS): the bot stays, and only points to a private chat.
    ALLOWED_GROUP = "allowed_group"
    # Any other group, supergroup or channel: the pointer, and the bot leaves when told to.
    ELSEWHERE = "elsewhere"


def chat_kind(
    chat_id: int,
    chat_type: str,
    *,
    staff_chat_id: int | None,
    allowed_group_ids: Collection[int],
) -> ChatKind:
    """Telegram's chat type says private; the settings name the staff and allowed groups."""
    if chat_type == "private":
        return ChatKind.PRIVATE
    if chat_id == staff_chat_id:
        return ChatKind.STAFF_GROUP
    if chat_id in allowed_group_ids and chat_type != "channel":
        return ChatKind.ALLOWED_GROUP
    return ChatKind.ELSEWHERE
