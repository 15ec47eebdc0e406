"""👥 Cohort group on an /intake screen: staff pick the intake's Telegram group in Telegram's
own chooser, or remove it. The bot checks it may make invite links there; the choice is
audited. Accepted applicants then get a personal link (handlers.review.cohort_invites) and
the bot decides their join requests (handlers.chats.join_requests)."""

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import ChatMemberAdministrator, Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.context import BotContext
from bot.persistence import recall_step, remember_step
from bot.screens import Screen, send_note, show
from bot.staff.roles import staff_only
from db.audit import record_action
from db.cohort_groups import (
    delete_cohort_group,
    get_cohort_group,
    get_cohort_group_of_chat,
    list_accepted_without_invite,
    set_cohort_group,
)
from db.models import Programme, Registration
from db.programmes import get_programme
from db.unnamed_groups import forget_unnamed_group
from handlers.intake import cohort_group_screens as screens
from handlers.intake import settings_screens
from handlers.intake.settings import CODE, trainee_programme, view_of
from handlers.review.cohort_invites import send_cohort_invites
from handlers.review.cohort_links import retire_group_links
from handlers.review.move_screens import missing_links_note

P = settings_screens.P
# Which intake the group chosen next is for: committed with the screen that asks.
CHOOSING_FOR = "cohort_group_for"


@staff_only
async def show_cohort_group(update: Update, context: BotContext) -> None:
    """The intake's group now, and Telegram's chooser to name (another) one."""
    code = context.matches[0].group(1)
    async with context.db_session() as session, session.begin():
        programme = await trainee_programme(session, code)
        if programme is None:
            screen = settings_screens.gone_screen(context.translator)
        else:
            group = await get_cohort_group(session, programme_code=code, batch=programme.batch)
            await remember_step(session, update, CHOOSING_FOR, code)
            private = update.effective_chat is not None and update.effective_chat.type == "private"
            screen = screens.cohort_screen(context.translator, programme, group, private=private)
    await show(update, screen)


@staff_only
async def save_chosen_group(update: Update, context: BotContext) -> None:
    """The group picked in the chooser: kept when the bot may invite there, else why not."""
    shared = update.effective_message.chat_shared  # type: ignore[union-attr]
    if shared is None or shared.request_id != screens.CHOOSE_GROUP_REQUEST:
        return
    translator = context.translator
    waiting: Sequence[Registration] = []
    former: int | None = None
    group_title = shared.title or str(shared.chat_id)
    may_invite = await bot_may_invite(context, shared.chat_id)
    async with context.db_session() as session, session.begin():
        code = await recall_step(session, update, CHOOSING_FOR)
        programme = await trainee_programme(session, code) if code else None
        if programme is None:
            screen = Screen(screens.expired_text(translator), edit=False)
        elif not may_invite:
            screen = await intake_screen(
                session, context, programme, screens.not_admin_text(translator, group_title)
            )
        else:
            screen, waiting, former = await keep_group(
                session, context, update, programme, shared.chat_id, group_title
            )
    await show(update, screen)
    if former is not None:
        await retire_group_links(context.application, former)
    if waiting:
        missing = await send_cohort_invites(context.application, waiting)
        if missing:
            chat = update.effective_chat
            assert chat is not None
            await send_note(chat, missing_links_note(context, missing))


async def keep_group(
    session: AsyncSession,
    context: BotContext,
    update: Update,
    programme: Programme,
    chat_id: int,
    group_title: str,
) -> tuple[Screen, Sequence[Registration], int | None]:
    """Keep the group for the intake, unless it serves another; with the accepted applicants
    still waiting for a link (accepted before the group was named, when no link could be
    made, or all of them when it replaces another group) and the group it replaces."""
    translator = context.translator
    other = await get_cohort_group_of_chat(session, chat_id)
    if other is not None and (other.programme_code, other.batch) != (
        programme.code,
        programme.batch,
    ):
        other_programme = await get_programme(session, other.programme_code)
        text = screens.taken_text(
            translator, group_title, other_programme or programme, other.batch
        )
        return await intake_screen(session, context, programme, text), [], None
    current = await get_cohort_group(session, programme_code=programme.code, batch=programme.batch)
    former = current.chat_id if current and current.chat_id != chat_id else None
    former_title = current.title if current and former is not None else None
    await set_cohort_group(
        session,
        programme_code=programme.code,
        batch=programme.batch,
        chat_id=chat_id,
        title=group_title[:128],
        set_by=context.user_id or 0,
    )
    await record_action(
        session,
        actor_id=context.user_id,
        action="cohort.set",
        subject=str(chat_id),
        details={
            "programme": programme.code,
            "batch": programme.batch,
            "title": group_title[:64],
            "replaces": former,
        },
    )
    await forget_unnamed_group(session, chat_id)
    await remember_step(session, update, CHOOSING_FOR, None)
    waiting = await list_accepted_without_invite(
        session, programme_code=programme.code, batch=programme.batch, chat_id=chat_id
    )
    text = screens.saved_text(translator, programme, group_title, len(waiting), former_title)
    return await intake_screen(session, context, programme, text), waiting, former


async def intake_screen(
    session: AsyncSession, context: BotContext, programme: Programme, text: str
) -> Screen:
    """The answer (taking the chooser away), then the intake's screen as a new message."""
    detail = settings_screens.detail_screen(context.translator, await view_of(session, programme))
    return Screen(
        detail.text,
        detail.keyboard,
        before=(screens.chosen_note(context.translator, text),),
        edit=False,
    )


async def bot_may_invite(context: BotContext, chat_id: int) -> bool:
    """Whether the bot is an admin of the chat allowed to invite users (make invite links)."""
    try:
        member = await context.bot.get_chat_member(chat_id, context.bot.id)
    except TelegramError:
        return False
    return isinstance(member, ChatMemberAdministrator) and bool(member.can_invite_users)


@staff_only
async def remove_cohort_group(update: Update, context: BotContext) -> None:
    """🗑 Remove: no more links, and the bot no longer decides who joins."""
    code = context.matches[0].group(1)
    async with context.db_session() as session, session.begin():
        programme = await trainee_programme(session, code)
        group = (
            await get_cohort_group(session, programme_code=code, batch=programme.batch)
            if programme
            else None
        )
        if programme is None:
            screen = settings_screens.gone_screen(context.translator)
        else:
            if group is not None:
                await delete_cohort_group(session, programme_code=code, batch=programme.batch)
                await record_action(
                    session,
                    actor_id=context.user_id,
                    action="cohort.remove",
                    subject=str(group.chat_id),
                    details={
                        "programme": code,
                        "batch": programme.batch,
                        "title": group.title[:64],
                    },
                )
            await remember_step(session, update, CHOOSING_FOR, None)
            screen = await intake_screen(
                session, context, programme, screens.removed_text(context.translator)
            )
    await show(update, screen)
    if group is not None:
        await retire_group_links(context.application, group.chat_id)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [
        CallbackQueryHandler(show_cohort_group, pattern=rf"^{P}:cg:{CODE}$"),
        CallbackQueryHandler(remove_cohort_group, pattern=rf"^{P}:cgx:{CODE}$"),
        MessageHandler(
            filters.StatusUpdate.CHAT_SHARED & filters.ChatType.PRIVATE, save_chosen_group
        ),
    ]
