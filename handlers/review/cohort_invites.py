"""The personal link to the cohort group an applicant gets when moved to «Accepted», and its
revocation when they are moved away again. Links are made after the move is committed, so a
slow or refusing Telegram never holds the database or undoes a move."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import TelegramError
from telegram.ext import Application

from bot.context import SERVICES, Services
from db.cohort_groups import delete_invites, get_cohort_group, get_invite, save_invite
from db.models import Registration
from db.programmes import get_programme
from db.users import get_user
from handlers.reminders import Outgoing, deliver

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MissingLink:
    """An accepted applicant who got no link: their code, the group, and Telegram's reason."""

    code: str
    group_title: str
    reason: str


async def send_cohort_invites(
    application: Application,  # type: ignore[type-arg]
    registrations: Sequence[Registration],
) -> list[MissingLink]:
    """A personal join-request link to each accepted applicant whose intake has a group."""
    services: Services = application.bot_data[SERVICES]
    wanted = []
    async with services.session_factory() as session:
        for registration in registrations:
            group = await get_cohort_group(
                session, programme_code=registration.programme_code, batch=registration.batch
            )
            user = await get_user(session, registration.user_id) if registration.user_id else None
            if group is None or user is None:
                continue
            programme = await get_programme(session, registration.programme_code)
            translator = services.translator_for(user)
            title = (
                programme.texts["title"][translator.locale]
                if programme
                else registration.programme_code
            )
            wanted.append((registration, group.chat_id, group.title, user.id, translator, title))
    missing, outgoing = [], []
    for registration, chat_id, group_title, user_id, translator, title in wanted:
        code = registration.code or str(registration.id)
        try:
            link = await application.bot.create_chat_invite_link(
                chat_id, name=code, creates_join_request=True
            )
        except TelegramError as error:
            logger.warning("No cohort link for %s in chat %s: %s", code, chat_id, error)
            missing.append(MissingLink(code, group_title, error.message))
            continue
        async with services.session_factory() as session, session.begin():
            await save_invite(
                session,
                registration_id=registration.id,
                chat_id=chat_id,
                invite_link=link.invite_link,
            )
        _ = translator.gettext
        text = _(
            "👥 Your cohort group for <b>{programme}</b> is on Telegram. Tap the button to ask "
            "to join: I let you in at once. The link is for you alone, so please don't share it."
        ).format(programme=escape(title))
        join = InlineKeyboardButton(_("👥 Join your cohort group"), url=link.invite_link)
        outgoing.append(Outgoing(user_id, text, InlineKeyboardMarkup([[join]])))
    await deliver(application, outgoing)
    return missing


async def revoke_cohort_invites(
    application: Application,  # type: ignore[type-arg]
    registration_ids: Sequence[int],
) -> None:
    """No longer accepted: an unused link stops working (one already used is left; the
    applicant is in the group, and staff decide about that there)."""
    services: Services = application.bot_data[SERVICES]
    async with services.session_factory() as session:
        invites = [
            await get_invite(session, registration_id) for registration_id in registration_ids
        ]
    unused = [invite for invite in invites if invite is not None and invite.joined_at is None]
    for invite in unused:
        await revoke_link(application, invite.chat_id, invite.invite_link)
    async with services.session_factory() as session, session.begin():
        await delete_invites(session, [invite.registration_id for invite in unused])


async def revoke_link(application: Application, chat_id: int, invite_link: str) -> None:  # type: ignore[type-arg]
    try:
        await application.bot.revoke_chat_invite_link(chat_id, invite_link)
    except TelegramError as error:
        # The bot may have lost its rights or the group; the link then dies with them or
        # is left to the group's admins.
        logger.warning("Could not revoke a cohort link in chat %s: %s", chat_id, error)
