"""/broadcast: staff send the bot any message, choose an audience, see a preview and the number
of recipients, and confirm; the broadcast worker sends the copies. Pause, resume and cancel
act on the progress message. Every step re-checks the staff role."""

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.audience import CAMPAIGN, KINDS, LANGUAGE, REGENCY, Audience, find_recipients
from bot.broadcast_progress import CANCEL, PAUSE, RESUME
from bot.context import BotContext
from bot.forms import ended, enter_form, reply
from bot.roles import staff_only
from bot.screens import show
from db.audit import record_action
from db.broadcasts import (
    CANCELLED,
    DRAFT,
    PAUSED,
    SENDING,
    change_status,
    create_broadcast,
    get_broadcast,
    list_campaign_sources,
    list_regencies,
    refresh_counts,
    start_broadcast,
)
from db.models import utc_now
from handlers import broadcast_screens as screens

P = screens.P
COMPOSING_BROADCAST = "composing_broadcast"
KIND = "(" + "|".join(KINDS) + ")"
# What each progress button does: the statuses it acts on, and the status it sets.
STEERING = {
    PAUSE: ((SENDING,), PAUSED),
    RESUME: ((PAUSED,), SENDING),
    CANCEL: ((SENDING, PAUSED), CANCELLED),
}


@staff_only
async def ask_for_message(update: Update, context: BotContext) -> object:
    """/broadcast: ask for the message to copy."""
    async with context.db_session() as session, session.begin():
        state = await enter_form(session, update, COMPOSING_BROADCAST)
    await show(update, screens.compose_prompt_screen(context.translator))
    return state


@staff_only
async def save_message(update: Update, context: BotContext) -> object:
    """Whatever the staff member sent becomes the broadcast's source; then the audience."""
    message = update.effective_message
    assert message is not None
    async with context.db_session() as session, session.begin():
        broadcast = await create_broadcast(
            session,
            created_by=context.user_id or 0,
            source_chat_id=message.chat_id,
            source_message_id=message.message_id,
        )
        outcome = await ended(
            session, update, screens.audience_screen(context.translator, broadcast.id)
        )
    return await reply(update, outcome)


@staff_only
async def show_audiences(update: Update, context: BotContext) -> None:
    """◀️: back to the audience buttons."""
    broadcast_id = int(context.matches[0].group(1))
    await show(update, screens.audience_screen(context.translator, broadcast_id))


@staff_only
async def show_segment(update: Update, context: BotContext) -> None:
    """The languages, regencies or campaigns to choose from."""
    broadcast_id, kind = int(context.matches[0].group(1)), context.matches[0].group(2)
    translator = context.translator
    async with context.db_session() as session:
        if kind == REGENCY:
            options = screens.regency_options(translator, await list_regencies(session))
        elif kind == CAMPAIGN:
            options = screens.campaign_options(await list_campaign_sources(session))
        else:
            options = screens.language_options(translator)
    await show(update, screens.segment_screen(translator, broadcast_id, kind, options))


@staff_only
async def preview(update: Update, context: BotContext) -> None:
    """An audience chosen: a copy of the message as recipients will see it, and the count."""
    broadcast_id, kind, value = context.matches[0].groups()
    async with context.db_session() as session, session.begin():
        broadcast = await get_broadcast(session, int(broadcast_id))
        if broadcast is None or broadcast.status != DRAFT:
            screen = screens.gone_screen(context.translator)
        else:
            if kind == CAMPAIGN:
                sources = await list_campaign_sources(session)
                value = (
                    sources[int(value)] if value.isdigit() and int(value) < len(sources) else ""
                )
            audience = Audience(kind, None if value == screens.NONE else value)
            if not audience.is_valid():
                audience = Audience()
            broadcast.audience = audience.to_json()
            count = len(await recipients(session, context, audience))
            screen = screens.confirm_screen(context.translator, broadcast.id, audience, count)
    if broadcast is not None and broadcast.status == DRAFT and update.effective_chat:
        await context.bot.copy_message(
            chat_id=update.effective_chat.id,
            from_chat_id=broadcast.source_chat_id,
            message_id=broadcast.source_message_id,
        )
    await show(update, screen)


async def recipients(session: AsyncSession, context: BotContext, audience: Audience) -> list[int]:
    return await find_recipients(
        session, audience, default_locale=context.settings.default_locale, now=utc_now()
    )


@staff_only
async def confirm(update: Update, context: BotContext) -> None:
    """📤 Send: fill the outbox in one transaction, audit it, and start the progress message."""
    broadcast_id, expected = (int(group) for group in context.matches[0].groups())
    translator = context.translator
    async with context.db_session() as session, session.begin():
        broadcast = await get_broadcast(session, broadcast_id)
        if broadcast is None or broadcast.status != DRAFT:
            screen = screens.gone_screen(translator)
        else:
            audience = Audience.from_json(broadcast.audience)
            user_ids = await recipients(session, context, audience)
            if len(user_ids) != expected or not user_ids:
                # The audience changed since the preview: confirm the new number instead.
                screen = screens.confirm_screen(translator, broadcast.id, audience, len(user_ids))
            else:
                await start_broadcast(session, broadcast, user_ids)
                # The confirmation becomes the progress message; its id is committed with the
                # status, so the worker can never start without it.
                query_message = update.callback_query.message if update.callback_query else None
                if query_message is not None:
                    broadcast.progress_message_id = query_message.message_id
                await record_action(
                    session,
                    actor_id=context.user_id,
                    action="broadcast.send",
                    subject=str(broadcast.id),
                    details={"audience": audience.to_json(), "recipients": len(user_ids)},
                )
                screen = screens.progress_screen(
                    translator, broadcast, context.settings.broadcast_rate
                )
    await show(update, screen)
    if broadcast is not None and broadcast.status == SENDING:
        context.services.broadcast_wakeup.set()


@staff_only
async def drop_draft(update: Update, context: BotContext) -> None:
    """✖️ before sending: the draft is cancelled and nothing goes out."""
    broadcast_id = int(context.matches[0].group(1))
    async with context.db_session() as session, session.begin():
        dropped = await change_status(session, broadcast_id, from_statuses=(DRAFT,), to=CANCELLED)
    translator = context.translator
    await show(
        update, screens.dropped_screen(translator) if dropped else screens.gone_screen(translator)
    )


@staff_only
async def steer(update: Update, context: BotContext) -> None:
    """⏸ / ▶️ / ✖️ on the progress message; audited, and the worker follows."""
    action, broadcast_id = context.matches[0].group(1), int(context.matches[0].group(2))
    from_statuses, to = STEERING[action]
    async with context.db_session() as session, session.begin():
        changed = await change_status(session, broadcast_id, from_statuses=from_statuses, to=to)
        if changed:
            await record_action(
                session,
                actor_id=context.user_id,
                action=f"broadcast.{action}",
                subject=str(broadcast_id),
            )
        broadcast = await get_broadcast(session, broadcast_id)
        if broadcast is not None:
            await refresh_counts(session, broadcast)
        screen = (
            screens.progress_screen(context.translator, broadcast, context.settings.broadcast_rate)
            if broadcast is not None
            else screens.gone_screen(context.translator)
        )
    await show(update, screen)
    if changed and to == SENDING:
        context.services.broadcast_wakeup.set()


def entry_points() -> list[BaseHandler]:  # type: ignore[type-arg]
    """/broadcast enters the composing step, so it belongs to the forms conversation."""
    return [CommandHandler("broadcast", ask_for_message)]


def states() -> dict[object, list[BaseHandler]]:  # type: ignore[type-arg]
    # Any message at all (text, photo, document, video...) is the one to copy.
    message = filters.UpdateType.MESSAGE & ~filters.COMMAND
    return {COMPOSING_BROADCAST: [MessageHandler(message, save_message)]}


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    steering = "(" + "|".join(STEERING) + ")"
    return [
        CallbackQueryHandler(show_audiences, pattern=rf"^{P}:back:(\d+)$"),
        CallbackQueryHandler(
            show_segment, pattern=rf"^{P}:seg:(\d+):({LANGUAGE}|{REGENCY}|{CAMPAIGN})$"
        ),
        CallbackQueryHandler(preview, pattern=rf"^{P}:aud:(\d+):{KIND}:([\w\-]+)$"),
        CallbackQueryHandler(confirm, pattern=rf"^{P}:go:(\d+):(\d+)$"),
        CallbackQueryHandler(drop_draft, pattern=rf"^{P}:drop:(\d+)$"),
        CallbackQueryHandler(steer, pattern=rf"^{P}:{steering}:(\d+)$"),
    ]
