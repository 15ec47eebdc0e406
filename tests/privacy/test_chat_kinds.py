"""The kind of a chat, from Telegram's chat type and the settings."""

import pytest

from bot.privacy.chat_kinds import ChatKind, chat_kind

STAFF, COHORT = -1001, -1002


@pytest.mark.parametrize(
    ("chat_id", "chat_type", "kind"),
    [
        (42, "private", ChatKind.PRIVATE),
        (STAFF, "supergroup", ChatKind.STAFF_GROUP),
        (COHORT, "supergroup", ChatKind.ALLOWED_GROUP),
        (COHORT, "group", ChatKind.ALLOWED_GROUP),
        # A channel is never a place to talk, even when its id is listed by mistake.
        (COHORT, "channel", ChatKind.ELSEWHERE),
        (-1003, "supergroup", ChatKind.ELSEWHERE),
        (-1003, "group", ChatKind.ELSEWHERE),
    ],
)
def test_each_chat_has_one_kind(chat_id: int, chat_type: str, kind: ChatKind) -> None:
    assert chat_kind(chat_id, chat_type, staff_chat_id=STAFF, allowed_group_ids=(COHORT,)) is kind


def test_without_a_staff_group_every_group_is_elsewhere() -> None:
    assert chat_kind(STAFF, "supergroup", staff_chat_id=None, allowed_group_ids=()) is (
        ChatKind.ELSEWHERE
    )
