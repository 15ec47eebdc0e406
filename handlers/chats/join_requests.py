"""Join requests to a cohort group: the bot lets in the accepted applicants of the group's
intake, matched by their Telegram account (not by the link, which can be forwarded), and
declines everyone else. Each decision is written to /audit with the Telegram id only, and so
is a request Telegram would not let the bot decide (with Telegram's reason, nothing personal).
"""

import logging
from html import escape

from telegram import ChatJoinRequest
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError

from bot.context import BotContext
from db.audit import record_action
from db.cohort_groups import get_accepted_registration, get_cohort_group_of_chat
from db.cohort_invites import get_invite, mark_joined
from db.models import User
from db.users import get_user
from handlers.review.cohort_links import revoke_link

logger = logging.getLogger(__name__)
APPROVED, DECLINED, UNDECIDED = "cohort.approve", "cohort.decline", "cohort.undecided"
# Telegram's answers meaning the request was decided already (a repeated update, another
# admin quicker, the user in the group by now): nothing to record.
DECIDED_ALREADY = ("HIDE_REQUESTER_MISSING", "USER_ALREADY_PARTICIPANT")


async def decide_join_request(request: ChatJoinRequest, context: BotContext) -> bool:
    """Approve or decline a request to a cohort group; False for any other group."""
    requester = request.from_user.id
    async with context.db_session() as session:
        async with session.begin():
            group = await get_cohort_group_of_chat(session, request.chat.id)
            if group is None:
                return False
            intake = f"{group.programme_code} {group.batch}"
            registration = await get_accepted_registration(session, group, requester)
            invite = await get_invite(session, registration.id) if registration else None
            if invite is not None and invite.chat_id != group.chat_id:
                invite = None
            user = await get_user(session, requester) if registration else None
        accepted = registration is not None
        # Telegram is asked between the two transactions: a slow answer holds no database.
        try:
            if accepted:
                await request.approve()
            else:
                await request.decline()
        except TelegramError as error:
            # PTB capitalises Telegram's message (Hide_requester_missing).
            if any(code in error.message.upper() for code in DECIDED_ALREADY):
                logger.info("Join request to chat %s decided already", request.chat.id)
                return True
            logger.warning("Join request to chat %s not decided: %s", request.chat.id, error)
            async with session.begin():
                await record_action(
                    session,
                    actor_id=None,
                    action=UNDECIDED,
                    subject=str(request.chat.id),
                    details={
                        "intake": intake,
                        "would": "approve" if accepted else "decline",
                        "reason": error.message[:120],
                    },
                )
            return True
        used = request.invite_link.invite_link if request.invite_link else None
        async with session.begin():
            await record_action(
                session,
                actor_id=None,
                action=APPROVED if accepted else DECLINED,
                subject=str(request.chat.id),
                details={
                    "user": requester,
                    "code": registration.code if registration else None,
                    "intake": intake,
                    "own_link": invite is not None and used == invite.invite_link,
                },
            )
            if invite is not None and accepted:
                await mark_joined(session, invite)
    if invite is not None and invite.invite_link is not None and accepted:
        # Used: it should let nobody else ask.
        await revoke_link(context.application, invite.chat_id, invite.invite_link)
    if accepted and user is not None:
        await welcome(context, request, user)
    return True


async def welcome(context: BotContext, request: ChatJoinRequest, user: User) -> None:
    """A short private word to the one let in, in their language."""
    translator = context.services.translator_for(user)
    text = translator.gettext(
        "✅ You are in: welcome to <b>{group}</b>, your cohort group."
    ).format(group=escape(request.chat.title or ""))
    try:
        await context.bot.send_message(request.user_chat_id, text, parse_mode=ParseMode.HTML)
    except Forbidden:
        pass
    except TelegramError as error:
        logger.info("Could not welcome user %s: %s", request.user_chat_id, error)
