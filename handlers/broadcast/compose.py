"""/broadcast: staff send the bot any message (and optionally an English version), choose an
audience, see a preview and the number of recipients, and send now or schedule; the broadcast
worker sends the copies. Pause, resume and cancel act on the progress message. Every step
re-checks the staff role.

Send and Schedule act only for the preview they came with (handlers/broadcast/preview.py), and
every button that moves a broadcast on leaves any typed step (handlers/broadcast/form.py). The
audience is counted and the outbox filled in the database (INSERT ... SELECT), so a large
audience does not hold up the other users' updates."""

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.broadcast.audience import (
    CAMPAIGN,
    KINDS,
    LANGUAGE,
    REGENCY,
    Audience,
    count_recipients,
    previewed,
    recipients_query,
)
from bot.broadcast.progress import CANCEL, PAUSE, RESUME
from bot.context import BotContext
from bot.forms.conversation import ended, enter_form, reply
from bot.navigation import COUNT, ID, REVISION_NUMBER
from bot.screens import Screen, show
from bot.staff.roles import staff_only
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
from handlers.broadcast import delete as broadcast_delete
from handlers.broadcast import english as broadcast_english
from handlers.broadcast import schedule as broadcast_schedule
from handlers.broadcast import screens
from handlers.broadcast import segments as broadcast_segments
from handlers.broadcast.form import leaves_form
from handlers.broadcast.preview import (
    confirm_screen,
    is_current,
    refusal_screen,
    show_preview,
    show_refusal,
)

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
@leaves_form
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
@leaves_form
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
@leaves_form
async def preview(update: Update, context: BotContext) -> None:
    """An audience chosen: the copies as recipients will see them, and the counts; the
    Send and Schedule buttons are valid for this preview only."""
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
            broadcast.audience = previewed(audience, broadcast.audience)
            screen = await confirm_screen(session, context, broadcast, audience)
    if broadcast is not None and broadcast.status == DRAFT:
        await show_preview(update, context, broadcast, screen)
    else:
        await show(update, screen)


@staff_only
@leaves_form
async def confirm(update: Update, context: BotContext) -> None:
    """📤 Send: if this is the current preview, fill the outbox in one transaction, audit it,
    and start the progress message."""
    broadcast_id, revision, expected = (int(group) for group in context.matches[0].groups())
    translator = context.translator
    started = False
    async with context.db_session() as session, session.begin():
        broadcast = await get_broadcast(session, broadcast_id)
        tapped_twice = tapped_on_its_progress_message(update, broadcast)
        if tapped_twice:
            refused = False
        elif broadcast is None or not is_current(broadcast, revision):
            screen = await refusal_screen(session, context, broadcast)
            refused = True
        else:
            refused = False
            audience = Audience.from_json(broadcast.audience)
            settings = context.settings
            total, _english = await count_recipients(
                session, audience, default_locale=settings.default_locale, now=utc_now()
            )
            if total != expected or not total:
                # The audience changed since the preview: confirm the new number instead.
                screen = await confirm_screen(session, context, broadcast, audience)
            else:
                query = recipients_query(
                    audience, default_locale=settings.default_locale, now=utc_now()
                )
                started = await start_broadcast(session, broadcast, query)
                if started:
                    screen = await started_screen(update, context, session, broadcast, audience)
                else:
                    # Another tap started (or a cancel ended) it meanwhile: its screen stays.
                    tapped_twice = True
    if tapped_twice:
        # A second tap on the Send that started it: the live progress message (with its
        # Pause and Cancel buttons) stays as it is; the tap gets a short answer.
        await update.callback_query.answer(  # type: ignore[union-attr]
            screens.already_started_text(translator)
        )
        return
    if refused:
        await show_refusal(update, context, broadcast, screen)
        return
    await show(update, screen)
    if started:
        context.services.broadcast_wakeup.set()


async def started_screen(
    update: Update,
    context: BotContext,
    session: AsyncSession,
    broadcast: Broadcast,
    audience: Audience,
) -> Screen:
    """Sending has started: audited, and the confirmation becomes the progress message (its
    id is committed with the status, so the worker can never start without it)."""
    query_message = update.callback_query.message if update.callback_query else None
    if query_message is not None:
        broadcast.progress_message_id = query_message.message_id
    await record_action(
        session,
        actor_id=context.user_id,
        action="broadcast.send",
        subject=str(broadcast.id),
        details={"audience": audience.to_json(), "recipients": broadcast.total_count},
    )
    return screens.progress_screen(context.translator, broadcast, context.settings.broadcast_rate)


def tapped_on_its_progress_message(update: Update, broadcast: Broadcast | None) -> bool:
    """The tapped message has become this broadcast's progress message: the Send on it was
    already taken (the progress screen replaces its buttons, so only a tap made before that
    can arrive)."""
    query = update.callback_query
    return (
        broadcast is not None
        and broadcast.status != DRAFT
        and query is not None
        and query.message is not None
        and broadcast.progress_message_id == query.message.message_id
    )


@staff_only
@leaves_form
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
@leaves_form
async def steer(update: Update, context: BotContext) -> None:
    """⏸ / ▶️ / ✖️ on the progress message; audited, and the worker follows."""
    action, broadcast_id = context.matches[0].group(1), int(context.matches[0].group(2))
    from_statuses, to = STEERING[action]
    # The worker may be editing the same message with what it read a moment ago.
    async with context.services.progress_edits:
        async with context.db_session() as session, session.begin():
            changed = await change_status(
                session, broadcast_id, from_statuses=from_statuses, to=to
            )
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
                screens.progress_screen(
                    context.translator, broadcast, context.settings.broadcast_rate
                )
                if broadcast is not None
                else screens.gone_screen(context.translator)
            )
        await show(update, screen)
    if changed and to == SENDING:
        context.services.broadcast_wakeup.set()


def entry_points() -> list[BaseHandler]:  # type: ignore[type-arg]
    """/broadcast enters the composing step, the English version and a typed time enter
    theirs, so they belong to the forms conversation; so do the buttons that move a
    broadcast on, which leave any typed step (handlers/broadcast/form.py)."""
    steering = "(" + "|".join(STEERING) + ")"
    return [
        CommandHandler("broadcast", ask_for_message),
        *broadcast_english.entry_points(),
        *broadcast_schedule.entry_points(),
        *broadcast_segments.entry_points(),
        *broadcast_delete.entry_points(),
        CallbackQueryHandler(show_audiences, pattern=rf"^{P}:back:({ID})$"),
        CallbackQueryHandler(
            show_segment, pattern=rf"^{P}:seg:({ID}):({LANGUAGE}|{REGENCY}|{CAMPAIGN})$"
        ),
        CallbackQueryHandler(preview, pattern=rf"^{P}:aud:({ID}):{KIND}:([\w\-.]+)$"),
        CallbackQueryHandler(confirm, pattern=rf"^{P}:go:({ID}):({REVISION_NUMBER}):({COUNT})$"),
        CallbackQueryHandler(drop_draft, pattern=rf"^{P}:drop:({ID})$"),
        CallbackQueryHandler(steer, pattern=rf"^{P}:{steering}:({ID})$"),
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
    # Every broadcast button is an entry point of the forms conversation (see above).
    return []
