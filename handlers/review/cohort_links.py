"""Cohort group links that must stop working: the applicant was moved away from «Accepted»,
the group is no longer the intake's, or the person's data went (deletion, retention). The
link is revoked in Telegram first; only the rows whose link was revoked are deleted."""

import logging
from collections.abc import Sequence

from telegram.error import TelegramError
from telegram.ext import Application

from bot.context import SERVICES, Services
from db.cohort_invites import (
    delete_these_invites,
    list_anonymous_invites,
    list_invites_of_chat,
    list_unused_invites,
)
from db.models import CohortInvite

logger = logging.getLogger(__name__)


async def revoke_cohort_invites(
    application: Application,  # type: ignore[type-arg]
    registration_ids: Sequence[int],
) -> None:
    """No longer accepted: an unused link stops working (one already used was revoked when
    it let them in). Only the rows whose link was revoked go."""
    services: Services = application.bot_data[SERVICES]
    async with services.session_factory() as session:
        async with session.begin():
            unused = await list_unused_invites(session, registration_ids)
        revoked = [i for i in unused if await revoke_invite(application, i)]
        async with session.begin():
            await delete_these_invites(session, revoked)


async def retire_group_links(
    application: Application,  # type: ignore[type-arg]
    chat_id: int,
) -> None:
    """The group is no longer a cohort group: its unused links stop working, and the bot
    forgets its links there (a link it could not revoke stays, to be tried again)."""
    services: Services = application.bot_data[SERVICES]
    async with services.session_factory() as session:
        async with session.begin():
            invites = await list_invites_of_chat(session, chat_id)
        done = [
            i for i in invites if i.joined_at is not None or await revoke_invite(application, i)
        ]
        async with session.begin():
            await delete_these_invites(session, done)


async def retire_anonymous_invites(application: Application) -> None:  # type: ignore[type-arg]
    """Links of registrations anonymised (retention, deletion) go with the person: an unused
    one is revoked in Telegram first."""
    services: Services = application.bot_data[SERVICES]
    async with services.session_factory() as session:
        async with session.begin():
            invites = await list_anonymous_invites(session)
        done = [
            i for i in invites if i.joined_at is not None or await revoke_invite(application, i)
        ]
        async with session.begin():
            await delete_these_invites(session, done)


async def revoke_invite(application: Application, invite: CohortInvite) -> bool:  # type: ignore[type-arg]
    """Revoke the row's link; a claim whose link is still being made counts as done (its
    maker finds the claim gone and revokes the link itself)."""
    if invite.invite_link is None:
        return True
    return await revoke_link(application, invite.chat_id, invite.invite_link)


async def revoke_link(application: Application, chat_id: int, invite_link: str) -> bool:  # type: ignore[type-arg]
    """Make the link stop working; False when Telegram refused."""
    try:
        await application.bot.revoke_chat_invite_link(chat_id, invite_link)
    except TelegramError as error:
        # The bot may have lost its rights or the group; the link then dies with them or
        # is left to the group's admins.
        logger.warning("Could not revoke a cohort link in chat %s: %s", chat_id, error)
        return False
    return True
