"""/broadcast: staff send the bot any message (and optionally an English version), choose an
audience, see a preview and the number of recipients, and send now or schedule; the broadcast
worker sends the copies. Pause, resume and cancel act on the progress message. Every step
re-checks the staff role."""

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.audience import (
    CAMPAIGN,
    KINDS,
    LANGUAGE,
    PROGRAMME,
    REGENCY,
    STAGE,
    Audience,
    Recipient,
    find_recipients,
    reads_english_copy,
)
from bot.broadcast_progress import CANCEL, PAUSE, RESUME
from bot.context import BotContext
from bot.forms import ended, enter_form, reply
from bot.roles import staff_only
from bot.screens import show
from db.audit import record_action
from db.broadcast_audience import list_campaign_sources, list_regencies
from db.broadcasts import (
    CANCELLED,
    DRAFT,
    PAUSED,
    SENDING,
    change_status,
    create_broadcast,
    get_broadcast,
    refresh_counts,
    start_broadcast,
)
from db.models import Broadcast, utc_now
from db.programmes import get_programme
from handlers import broadcast_english, broadcast_schedule
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
        screen = screens.audience_screen(context.translator, broadcast.id, has_english=False)
        outcome = await ended(session, update, screen)
    return await reply(update, outcome)


@staff_only
async def show_audiences(update: Update, context: BotContext) -> None:
    """◀️: back to the audience buttons."""
    broadcast_id = int(context.matches[0].group(1))
    async with context.db_session() as session:
        broadcast = await get_broadcast(session, broadcast_id)
    has_english = broadcast is not None and broadcast.english_message_id is not None
    await show(
        update, screens.audience_screen(context.translator, broadcast_id, has_english=has_english)
    )


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
    """An audience chosen: the copies as recipients will see them, and the counts."""
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
            screen = await confirm_screen(session, context, broadcast, audience)
    if broadcast is not None and broadcast.status == DRAFT and update.effective_chat:
        for message_id in (broadcast.source_message_id, broadcast.english_message_id):
            if message_id is not None:
                await context.bot.copy_message(
                    chat_id=update.effective_chat.id,
                    from_chat_id=broadcast.source_chat_id,
                    message_id=message_id,
                )
    await show(update, screen)


async def confirm_screen(
    session: AsyncSession, context: BotContext, broadcast: Broadcast, audience: Audience
) -> screens.Screen:
    """The counts under the preview: everyone, and how many get each version."""
    found = await recipients(session, context, audience)
    title = ""
    code = audience.stage[0] if audience.stage else audience.value
    if audience.kind in (PROGRAMME, STAGE) and code:
        programme = await get_programme(session, code)
        title = programme.texts["title"][context.locale] if programme else code
    label = screens.audience_label(context.translator, audience, title)
    english = None
    if broadcast.english_message_id is not None:
        english = sum(reads_english_copy(r.locale, True) for r in found)
    return screens.confirm_screen(context.translator, broadcast.id, label, len(found), english)


async def recipients(
    session: AsyncSession, context: BotContext, audience: Audience
) -> list[Recipient]:
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
            user_ids = [r.user_id for r in await recipients(session, context, audience)]
            if len(user_ids) != expected or not user_ids:
                # The audience changed since the preview: confirm the new number instead.
                screen = await confirm_screen(session, context, broadcast, audience)
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
    """/broadcast enters the composing step, the English version and a typed time enter
    theirs, so they belong to the forms conversation."""
    return [
        CommandHandler("broadcast", ask_for_message),
        *broadcast_english.entry_points(),
        *broadcast_schedule.entry_points(),
    ]


def states() -> dict[object, list[BaseHandler]]:  # type: ignore[type-arg]
    # Any message at all (text, photo, document, video...) is the one to copy.
    message = filters.UpdateType.MESSAGE & ~filters.COMMAND
    return {
        COMPOSING_BROADCAST: [MessageHandler(message, save_message)],
        **broadcast_english.states(),
        **broadcast_schedule.states(),
    }


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    steering = "(" + "|".join(STEERING) + ")"
    return [
        CallbackQueryHandler(show_audiences, pattern=rf"^{P}:back:(\d+)$"),
        CallbackQueryHandler(
            show_segment, pattern=rf"^{P}:seg:(\d+):({LANGUAGE}|{REGENCY}|{CAMPAIGN})$"
        ),
        CallbackQueryHandler(preview, pattern=rf"^{P}:aud:(\d+):{KIND}:([\w\-.]+)$"),
        CallbackQueryHandler(confirm, pattern=rf"^{P}:go:(\d+):(\d+)$"),
        CallbackQueryHandler(drop_draft, pattern=rf"^{P}:drop:(\d+)$"),
        CallbackQueryHandler(steer, pattern=rf"^{P}:{steering}:(\d+)$"),
    ]
