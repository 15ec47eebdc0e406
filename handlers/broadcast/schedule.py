"""Scheduling a broadcast: after the preview, a quick time or a typed date and time (WIB);
the worker starts it then, counting its audience at that moment. Staff can cancel it before
it starts. Every step re-checks the staff role and is audited."""

from datetime import UTC, datetime, timedelta
from html import escape

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.broadcast.progress import BROADCAST_PREFIX
from bot.broadcast.schedule import (
    MAX_AHEAD,
    centre_time,
    is_schedulable,
    parse_typed_time,
    quick_choices,
)
from bot.context import BotContext
from bot.forms.conversation import ended, enter_form, reply
from bot.i18n import Translator
from bot.navigation import ID, REVISION_NUMBER, TIMESTAMP
from bot.screens import Screen, show
from bot.staff.roles import staff_only
from db.audit import record_action
from db.broadcasts import CANCELLED, SCHEDULED, change_status, get_broadcast
from db.broadcasts import schedule_broadcast as store_schedule
from db.models import Broadcast, utc_now
from handlers.broadcast.form import leaves_form
from handlers.broadcast.preview import is_current, refusal_screen, show_refusal

P = BROADCAST_PREFIX
WHEN, AT, TYPE, UNSCHEDULE = "when", "at", "type", "unsch"
TYPING_BROADCAST_TIME = "typing_broadcast_time"
# The draft and preview revision a typed time is for: [broadcast id, revision].
SCHEDULING = "scheduling_broadcast"


def centre_label(moment: datetime) -> str:
    return centre_time(moment).strftime("%d/%m/%Y %H:%M")


def example_time(now: datetime) -> str:
    tomorrow = centre_time(now) + timedelta(days=1)
    return f"{tomorrow.day}/{tomorrow.month} 08:00"


def when_screen(
    translator: Translator, broadcast_id: int, revision: int, now: datetime, note: str = ""
) -> Screen:
    _ = translator.gettext
    labels = {
        "in_hour": _("⏰ In 1 hour ({time})"),
        "today": _("📅 Today, {time}"),
        "tomorrow": _("📅 Tomorrow, {time}"),
    }
    rows = [
        [
            InlineKeyboardButton(
                labels[day].format(time=centre_time(start).strftime("%H:%M")),
                callback_data=f"{P}:{AT}:{broadcast_id}:{revision}:{int(start.timestamp())}",
            )
        ]
        for day, start in quick_choices(now)
    ]
    rows.append(
        [
            InlineKeyboardButton(
                _("⌨️ Type a date and time"),
                callback_data=f"{P}:{TYPE}:{broadcast_id}:{revision}",
            )
        ]
    )
    rows.append([InlineKeyboardButton(_("◀️ Back"), callback_data=f"{P}:back:{broadcast_id}")])
    text = _("🕒 When should it go out? Times are WIB (Serang).")
    return Screen(note + text, InlineKeyboardMarkup(rows))


def scheduled_screen(translator: Translator, broadcast: Broadcast) -> Screen:
    """A scheduled broadcast, with the button to cancel it before it starts."""
    _ = translator.gettext
    text = _(
        "🕒 <b>Broadcast #{id}</b> is scheduled for {time} WIB.\n"
        "Who gets it is worked out when it starts, so the count may change."
    ).format(id=broadcast.id, time=centre_label(broadcast.scheduled_for or utc_now()))
    cancel = InlineKeyboardButton(
        _("✖️ Cancel the scheduled broadcast"), callback_data=f"{P}:{UNSCHEDULE}:{broadcast.id}"
    )
    return Screen(text, InlineKeyboardMarkup([[cancel]]))


@staff_only
@leaves_form
async def choose_time(update: Update, context: BotContext) -> None:
    """🕒 Schedule: the quick times, and typing one (for this preview only)."""
    broadcast_id, revision = (int(group) for group in context.matches[0].groups())
    async with context.db_session() as session:
        broadcast = await get_broadcast(session, broadcast_id)
        if is_current(broadcast, revision):
            await show(update, when_screen(context.translator, broadcast_id, revision, utc_now()))
            return
        screen = await refusal_screen(session, context, broadcast)
    await show_refusal(update, context, broadcast, screen)


async def schedule(
    session: AsyncSession, context: BotContext, broadcast: Broadcast, at: datetime
) -> Screen:
    await store_schedule(session, broadcast, at)
    await record_action(
        session,
        actor_id=context.user_id,
        action="broadcast.schedule",
        subject=str(broadcast.id),
        details={"at": at.isoformat(), "audience": broadcast.audience},
    )
    return scheduled_screen(context.translator, broadcast)


@staff_only
@leaves_form
async def schedule_at(update: Update, context: BotContext) -> None:
    """A quick time tapped: scheduled, unless that time has passed meanwhile. The pattern
    takes a 10-digit Unix time only, which is always a datetime."""
    broadcast_id, revision, timestamp = (int(group) for group in context.matches[0].groups())
    at, now = datetime.fromtimestamp(timestamp, UTC), utc_now()
    async with context.db_session() as session, session.begin():
        broadcast = await get_broadcast(session, broadcast_id)
        refused = not is_current(broadcast, revision)
        if refused:
            screen = await refusal_screen(session, context, broadcast)
        elif not is_schedulable(at, now):
            # No button offers a time beyond MAX_AHEAD: a forged one just shows the choices.
            passed = context.translator.gettext("⌛ That time has passed; choose another.")
            note = passed + "\n\n" if at <= now + MAX_AHEAD else ""
            screen = when_screen(context.translator, broadcast_id, revision, now, note)
        else:
            screen = await schedule(session, context, broadcast, at)  # type: ignore[arg-type]
    if refused:
        await show_refusal(update, context, broadcast, screen)
        return
    await show(update, screen)
    context.services.broadcast_wakeup.set()


@staff_only
async def ask_for_time(update: Update, context: BotContext) -> object:
    """⌨️ Type a date and time: the next text is read as a WIB date and time."""
    broadcast_id, revision = (int(group) for group in context.matches[0].groups())
    async with context.db_session() as session, session.begin():
        broadcast = await get_broadcast(session, broadcast_id)
        if is_current(broadcast, revision):
            state = await enter_form(session, update, TYPING_BROADCAST_TIME)
        else:
            state, screen = None, await refusal_screen(session, context, broadcast)
    if state is None:
        await show_refusal(update, context, broadcast, screen)
        return None
    context.user_data[SCHEDULING] = [broadcast_id, revision]  # type: ignore[index]
    text = context.translator.gettext(
        "⌨️ Type the date and time in WIB, for example <code>{example}</code> or "
        "<code>2026-12-01 08:00</code>. /cancel to stop."
    ).format(example=example_time(utc_now()))
    await show(update, Screen(text, edit=False))
    return state


def unreadable_time_screen(
    translator: Translator, text: str, at: datetime | None, now: datetime, back: str
) -> Screen:
    """Why a typed time cannot be used, an example, and the ways out of typing."""
    _ = translator.gettext
    if at is None:
        answer = _(
            "🤔 I could not read <i>{typed}</i> as a date and time. Please type it like "
            "<code>{example}</code> or <code>2026-12-01 08:00</code> (WIB)."
        )
    elif at <= now:
        answer = _(
            "⌛ {typed} has already passed (it is now {now} WIB). Please type a time in "
            "the future, for example <code>{example}</code>."
        )
    else:
        answer = _(
            "📆 {typed} is more than a year away. Please type a time within the next "
            "year, for example <code>{example}</code>."
        )
    text = answer.format(typed=escape(text[:40]), now=centre_label(now), example=example_time(now))
    text += "\n" + _("Or tap ◀️ Back to choose a quick time, or /cancel to stop.")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(_("◀️ Back"), callback_data=back)]])
    return Screen(text, keyboard)


@staff_only
async def save_typed_time(update: Update, context: BotContext) -> object:
    """A typed time: scheduled if it is a future date and time; otherwise an example."""
    text = (update.effective_message.text or "") if update.effective_message else ""
    now = utc_now()
    at = parse_typed_time(text, now)
    broadcast_id, revision = context.user_data.get(SCHEDULING) or (0, 0)  # type: ignore[union-attr]
    if at is None or not is_schedulable(at, now):
        back = f"{P}:{WHEN}:{broadcast_id}:{revision}"
        await show(update, unreadable_time_screen(context.translator, text, at, now, back))
        return TYPING_BROADCAST_TIME
    async with context.db_session() as session, session.begin():
        broadcast = await get_broadcast(session, broadcast_id) if broadcast_id else None
        if is_current(broadcast, revision):
            screen = await schedule(session, context, broadcast, at)  # type: ignore[arg-type]
        else:
            screen = await refusal_screen(session, context, broadcast)
        outcome = await ended(session, update, screen)
    state = await reply(update, outcome)
    context.services.broadcast_wakeup.set()
    return state


@staff_only
@leaves_form
async def cancel_scheduled(update: Update, context: BotContext) -> None:
    """✖️ on a scheduled broadcast: it will not start; audited."""
    broadcast_id = int(context.matches[0].group(1))
    _ = context.translator.gettext
    async with context.db_session() as session, session.begin():
        cancelled = await change_status(
            session, broadcast_id, from_statuses=(SCHEDULED,), to=CANCELLED
        )
        if cancelled:
            await record_action(
                session,
                actor_id=context.user_id,
                action="broadcast.unschedule",
                subject=str(broadcast_id),
            )
    if cancelled:
        text = _("✖️ Scheduled broadcast #{id} is cancelled. Nothing was sent.")
    else:
        text = _(
            "Broadcast #{id} is no longer scheduled: it has started or was cancelled. "
            "See /broadcasts."
        )
    await show(update, Screen(text.format(id=broadcast_id)))


def entry_points() -> list[BaseHandler]:  # type: ignore[type-arg]
    """Typing a time is a form step; the other buttons leave any typed step."""
    return [
        CallbackQueryHandler(ask_for_time, pattern=rf"^{P}:{TYPE}:({ID}):({REVISION_NUMBER})$"),
        CallbackQueryHandler(choose_time, pattern=rf"^{P}:{WHEN}:({ID}):({REVISION_NUMBER})$"),
        CallbackQueryHandler(
            schedule_at, pattern=rf"^{P}:{AT}:({ID}):({REVISION_NUMBER}):({TIMESTAMP})$"
        ),
        CallbackQueryHandler(cancel_scheduled, pattern=rf"^{P}:{UNSCHEDULE}:({ID})$"),
    ]


def states() -> dict[object, list[BaseHandler]]:  # type: ignore[type-arg]
    typed = filters.TEXT & ~filters.COMMAND
    return {TYPING_BROADCAST_TIME: [MessageHandler(typed, save_typed_time)]}
