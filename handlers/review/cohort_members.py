"""Someone moved away from «Accepted» who is in their intake's cohort group is removed from it:
banned and at once unbanned, so a new link lets them back if they are accepted again. Each
removal (or why none was possible) goes to /audit, and staff read it with the move."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from telegram.error import TelegramError
from telegram.ext import Application

from bot.context import SERVICES, Services
from db.audit import record_action
from db.cohort_groups import get_cohort_group
from db.models import Registration
from handlers.review.cohort_invites import is_in_group, problem_of

logger = logging.getLogger(__name__)
REMOVED, NOT_REMOVED = "cohort.removed", "cohort.not_removed"


@dataclass(frozen=True)
class Removal:
    """One applicant found in the cohort group: removed (problem None), or why not."""

    code: str
    group_title: str
    problem: str | None


async def remove_from_cohort_groups(
    application: Application,  # type: ignore[type-arg]
    registrations: Sequence[Registration],
    *,
    actor_id: int | None,
) -> list[Removal]:
    """Remove each of these (no longer accepted) applicants who is in their cohort group."""
    services: Services = application.bot_data[SERVICES]
    removals = []
    async with services.session_factory() as session:
        async with session.begin():
            targets = []
            for registration in registrations:
                group = await get_cohort_group(
                    session, programme_code=registration.programme_code, batch=registration.batch
                )
                if group is not None and registration.user_id is not None:
                    targets.append((registration, registration.user_id, group))
        for registration, user_id, group in targets:
            if not await is_in_group(application, group.chat_id, user_id):
                continue
            problem = await ban_and_unban(application, group.chat_id, user_id)
            code = registration.code or str(registration.id)
            removals.append(Removal(code, group.title, problem))
            async with session.begin():
                await record_action(
                    session,
                    actor_id=actor_id,
                    action=REMOVED if problem is None else NOT_REMOVED,
                    subject=str(group.chat_id),
                    details={
                        "user": user_id,
                        "code": registration.code,
                        "intake": f"{group.programme_code} {group.batch}",
                        "problem": problem,
                    },
                )
    return removals


async def ban_and_unban(
    application: Application,  # type: ignore[type-arg]
    chat_id: int,
    user_id: int,
) -> str | None:
    """Remove the user from the group without keeping them out; the problem if Telegram
    refused."""
    try:
        await application.bot.ban_chat_member(chat_id, user_id)
    except TelegramError as error:
        logger.warning("Could not remove a member from chat %s: %s", chat_id, error)
        return problem_of(error)
    try:
        await application.bot.unban_chat_member(chat_id, user_id, only_if_banned=True)
    except TelegramError as error:
        # Out of the group, but banned: a new link cannot let them back until an admin lifts
        # the ban in the group's settings.
        logger.warning("Could not lift the ban of a member of chat %s: %s", chat_id, error)
    return None
