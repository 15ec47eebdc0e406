"""Shared steps of the cohort group tests: a staff console, the welding intake's group named
by staff with the bot an admin there, and accepting an applicant."""

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.offline.chat_driver import ChatUser
from bot.offline.group_driver import GroupMember
from bot.offline.offline_bot import OfflineBot, offline_bot
from handlers.intake.cohort_group_screens import CHOOSE_GROUP_REQUEST

ADMIN, STAFF, OTHER_STAFF = 9001, 9002, 9003
COHORT = -1005560001
OTHER_COHORT = -1005560002
STRANGER = 777
JOIN_BUTTON = "👥 Gabung grup angkatanmu"


@pytest.fixture
async def console(settings: Settings) -> AsyncIterator[OfflineBot]:
    async with offline_bot(settings.model_copy(update={"admin_ids": (ADMIN,)})) as running:
        admin = running.user(ADMIN, language_code="en")
        await admin.send(f"/addstaff {STAFF}")
        await admin.send(f"/addstaff {OTHER_STAFF}")
        yield running


async def rows(bot: OfflineBot, model: type) -> list:
    """Every row of the model's table, in key order (PostgreSQL keeps no order of its own)."""
    query = select(model).order_by(*model.__table__.primary_key.columns)  # type: ignore[attr-defined]
    async with bot.application.bot_data["services"].session_factory() as session:
        return list((await session.scalars(query)).all())


def group_member(
    bot: OfflineBot, user_id: int, chat_id: int = COHORT, *, title: str = "Las Angkatan 1"
) -> GroupMember:
    return GroupMember(
        bot.application,
        bot.standin,
        chat_id=chat_id,
        user_id=user_id,
        forum=False,
        title=title,
        first_name="Member",
    )


async def choose_group(
    bot: OfflineBot, staff: ChatUser, chat_id: int = COHORT, *, programme: str = "🟢 Welding"
) -> None:
    await staff.send("/intake")
    await staff.tap(programme)
    await staff.tap("👥 Cohort group")
    await staff.share_chat(CHOOSE_GROUP_REQUEST, chat_id)


async def accept(staff: ChatUser, code: str) -> None:
    await move(staff, code, "→ Accepted")


async def move(staff: ChatUser, code: str, stage: str) -> None:
    await staff.send("/registrations")
    await staff.tap(code)
    await staff.tap(stage)
    await staff.tap("Move without a note")


async def with_group(bot: OfflineBot, chat_id: int = COHORT) -> ChatUser:
    """The welding intake's group named by staff, the bot an admin there."""
    group_member(bot, STAFF, chat_id).make_bot_admin_quietly()
    staff = bot.user(STAFF, language_code="en")
    await choose_group(bot, staff, chat_id)
    return staff


def link_of(bot: OfflineBot, user_id: int) -> str | None:
    """The join link in the newest message the applicant got, if it has one."""
    return bot.standin.history(user_id)[-1].url_for(JOIN_BUTTON)


def links_sent(bot: OfflineBot, user_id: int) -> list[str]:
    """Every join link the applicant was sent, oldest first."""
    return [
        link
        for message in bot.standin.history(user_id)
        if JOIN_BUTTON in message.buttons and (link := message.url_for(JOIN_BUTTON))
    ]


def is_live(bot: OfflineBot, link: str) -> bool:
    return not bot.standin.invite_links[link]["is_revoked"]
