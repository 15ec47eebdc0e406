"""A group a staff member added the bot to is kept for a grace period, to be named an intake's
cohort group; not named by then, the bot leaves it (when LEAVE_UNKNOWN_GROUPS is on), and
/audit says so."""

import logging
from datetime import datetime, timedelta

from telegram.error import TelegramError
from telegram.ext import Application

from bot.context import SERVICES, BotContext, Services
from db.audit import record_action
from db.cohort_groups import get_cohort_group_of_chat
from db.models import utc_now
from db.unnamed_groups import forget_unnamed_group, list_unnamed_groups_added_before

logger = logging.getLogger(__name__)
LEFT_UNNAMED = "group.left_unnamed"
CHECK_EVERY_SECONDS = 60 * 60


async def leave_unnamed_groups(
    application: Application,  # type: ignore[type-arg]
    *,
    now: datetime | None = None,
) -> int:
    """Leave each group whose grace period ended without it being named; returns how many."""
    services: Services = application.bot_data[SERVICES]
    settings = services.settings
    if not settings.leave_unknown_groups:
        return 0
    cut = (now or utc_now()) - timedelta(hours=settings.unnamed_group_grace_hours)
    allowed = {*settings.allowed_group_ids, settings.staff_chat_id}
    left = 0
    async with services.session_factory() as session:
        async with session.begin():
            expired = []
            for group in await list_unnamed_groups_added_before(session, cut):
                # Named meanwhile, or allowed in the settings: the bot stays.
                if group.chat_id in allowed or await get_cohort_group_of_chat(
                    session, group.chat_id
                ):
                    await forget_unnamed_group(session, group.chat_id)
                else:
                    expired.append((group.chat_id, group.title, group.added_by))
        for chat_id, title, added_by in expired:
            try:
                await application.bot.leave_chat(chat_id)
                done = True
            except TelegramError as error:
                # Removed from it meanwhile, most likely: nothing left to do there.
                logger.info("Could not leave unnamed group %s: %s", chat_id, error)
                done = False
            left += done
            async with session.begin():
                await forget_unnamed_group(session, chat_id)
                await record_action(
                    session,
                    actor_id=None,
                    action=LEFT_UNNAMED,
                    subject=str(chat_id),
                    details={"title": title[:64], "added_by": added_by, "left": done},
                )
    return left


async def leave_unnamed_groups_regularly(context: BotContext) -> None:
    """The JobQueue's periodic run."""
    await leave_unnamed_groups(context.application)
