"""The personal link to the cohort group an applicant gets when moved to «Accepted» (its
revocation is in handlers.review.cohort_links). Links are made after the move is committed,
so a slow or refusing Telegram never holds the database or undoes a move; each is claimed in
the database first, so two flows at once never make two."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ChatMemberStatus
from telegram.error import ChatMigrated, Forbidden, TelegramError
from telegram.ext import Application

from bot.context import SERVICES, Services
from db.cohort_groups import get_cohort_group
from db.cohort_invites import attach_link, claim_invite, release_claim
from db.models import Registration
from db.programmes import get_programme
from db.users import get_user
from handlers.reminders import Outgoing, deliver
from handlers.review.cohort_links import revoke_link

logger = logging.getLogger(__name__)
# Why a link could not be made, as staff are told (handlers.review.move_screens).
NO_RIGHT, GROUP_GONE, REFUSED = "no_right", "group_gone", "refused"
IN_GROUP = frozenset(
    {ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}
)


@dataclass(frozen=True)
class MissingLink:
    """An accepted applicant who got no link: their code, the group, and why (a problem code
    above, not Telegram's English words)."""

    code: str
    group_title: str
    problem: str


def problem_of(error: TelegramError) -> str:
    """Telegram's refusal as one of the problems staff can act on."""
    text = error.message.lower()
    if isinstance(error, ChatMigrated | Forbidden) or any(
        words in text for words in ("chat not found", "kicked", "not a member", "deactivated")
    ):
        return GROUP_GONE
    if "rights" in text or "admin" in text:
        return NO_RIGHT
    return REFUSED


async def is_in_group(
    application: Application,  # type: ignore[type-arg]
    chat_id: int,
    user_id: int,
) -> bool:
    """Whether Telegram says the user is in the group now (False when it cannot say)."""
    try:
        member = await application.bot.get_chat_member(chat_id, user_id)
    except TelegramError as error:
        logger.info("Could not look up a member of chat %s: %s", chat_id, error)
        return False
    return member.status in IN_GROUP or (
        member.status == ChatMemberStatus.RESTRICTED and bool(getattr(member, "is_member", False))
    )


@dataclass(frozen=True)
class _Wanted:
    registration: Registration
    chat_id: int
    group_title: str
    user_id: int
    text: str
    button: str


async def send_cohort_invites(
    application: Application,  # type: ignore[type-arg]
    registrations: Sequence[Registration],
) -> list[MissingLink]:
    """A personal join-request link to each accepted applicant whose intake has a group, unless
    they are in it already or hold an unused link to it."""
    services: Services = application.bot_data[SERVICES]
    missing, outgoing = [], []
    async with services.session_factory() as session:
        async with session.begin():
            wanted = [w for r in registrations if (w := await _wanted(session, services, r))]
        for item in wanted:
            if await is_in_group(application, item.chat_id, item.user_id):
                continue
            async with session.begin():
                claim = await claim_invite(
                    session, registration_id=item.registration.id, chat_id=item.chat_id
                )
            if claim is None:
                continue
            if claim.replaced_link is not None:
                await revoke_link(application, item.chat_id, claim.replaced_link)
            code = item.registration.code or str(item.registration.id)
            try:
                link = await application.bot.create_chat_invite_link(
                    item.chat_id, name=code, creates_join_request=True
                )
            except TelegramError as error:
                logger.warning("No cohort link for %s in chat %s: %s", code, item.chat_id, error)
                async with session.begin():
                    await release_claim(session, claim)
                missing.append(MissingLink(code, item.group_title, problem_of(error)))
                continue
            async with session.begin():
                kept = await attach_link(session, claim, link.invite_link)
            if not kept:
                # Moved away, group changed or data deleted while the link was being made.
                await revoke_link(application, item.chat_id, link.invite_link)
                continue
            keyboard = InlineKeyboardMarkup(
                [[InlineKeyboardButton(item.button, url=link.invite_link)]]
            )
            outgoing.append(Outgoing(item.user_id, item.text, keyboard))
    await deliver(application, outgoing)
    return missing


async def _wanted(
    session: AsyncSession, services: Services, registration: Registration
) -> _Wanted | None:
    """What the applicant's link message needs, or None without a group or a user."""
    group = await get_cohort_group(
        session, programme_code=registration.programme_code, batch=registration.batch
    )
    user = await get_user(session, registration.user_id) if registration.user_id else None
    if group is None or user is None:
        return None
    programme = await get_programme(session, registration.programme_code)
    translator = services.translator_for(user)
    title = (
        programme.texts["title"][translator.locale] if programme else registration.programme_code
    )
    _ = translator.gettext
    text = _(
        "👥 Your cohort group for <b>{programme}</b> is on Telegram. Tap the button to ask "
        "to join: I let you in at once. The link is for you alone, so please don't share it."
    ).format(programme=escape(title))
    return _Wanted(
        registration, group.chat_id, group.title, user.id, text, _("👥 Join your cohort group")
    )
