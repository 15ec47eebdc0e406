"""/broadcasts: the recent broadcasts at a glance; each opens its report with what can still
be done (cancel a scheduled one, pause or cancel one sending, delete one within 48 hours)."""

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.broadcast.progress import (
    BROADCAST_PREFIX,
    can_delete,
    deletion_text,
    progress_keyboard,
    progress_text,
    report_keyboard,
    report_text,
)
from bot.broadcast.schedule import centre_time
from bot.context import BotContext
from bot.i18n import N_, Translator
from bot.navigation import ID
from bot.screens import Screen, show
from bot.staff.roles import staff_only
from db.broadcasts import (
    CANCELLED,
    DONE,
    PAUSED,
    SCHEDULED,
    SENDING,
    count_deletions,
    get_broadcast,
    list_recent_broadcasts,
    oldest_copy_sent_at,
    refresh_counts,
)
from db.models import Broadcast, utc_now
from handlers.broadcast.delete import SHOW
from handlers.broadcast.schedule import scheduled_screen

P = BROADCAST_PREFIX
LIST = "list"
RECENT = 10
STATUS_LABELS = {
    SCHEDULED: N_("🕒 scheduled"),
    SENDING: N_("📣 sending"),
    PAUSED: N_("⏸ paused"),
    DONE: N_("✅ finished"),
    CANCELLED: N_("✖️ cancelled"),
}


def summary_line(translator: Translator, broadcast: Broadcast) -> str:
    _ = translator.gettext
    status = _(STATUS_LABELS.get(broadcast.status, broadcast.status))
    if broadcast.deletion is not None:
        status += " · " + _("🗑 deleted")
    if broadcast.status == SCHEDULED and broadcast.scheduled_for is not None:
        return _("<b>#{id}</b> {status} for {time} WIB").format(
            id=broadcast.id,
            status=status,
            time=centre_time(broadcast.scheduled_for).strftime("%d/%m %H:%M"),
        )
    return _(
        "<b>#{id}</b> {status} · {time} · {sent} sent, {failed} failed, {blocked} blocked"
    ).format(
        id=broadcast.id,
        status=status,
        time=centre_time(broadcast.started_at or broadcast.created_at).strftime("%d/%m %H:%M"),
        sent=broadcast.sent_count,
        failed=broadcast.failed_count,
        blocked=broadcast.blocked_count,
    )


@staff_only
async def list_broadcasts(update: Update, context: BotContext) -> None:
    """/broadcasts or ◀️: the recent broadcasts, newest first, each a button."""
    translator = context.translator
    async with context.db_session() as session, session.begin():
        recent = list(await list_recent_broadcasts(session, limit=RECENT))
        for broadcast in recent:
            if broadcast.status in (SENDING, PAUSED):
                await refresh_counts(session, broadcast)
    if not recent:
        await show(
            update, Screen(translator.gettext("No broadcasts yet. Start one with /broadcast."))
        )
        return
    lines = [translator.gettext("📣 <b>Recent broadcasts</b> (WIB)")]
    lines += [summary_line(translator, broadcast) for broadcast in recent]
    buttons = [
        InlineKeyboardButton(f"#{b.id}", callback_data=f"{P}:{SHOW}:{b.id}") for b in recent
    ]
    rows = [buttons[index : index + 5] for index in range(0, len(buttons), 5)]
    await show(update, Screen("\n".join(lines), InlineKeyboardMarkup(rows)))


@staff_only
async def show_broadcast(update: Update, context: BotContext) -> None:
    """One broadcast's report, with the buttons that still apply."""
    broadcast_id = int(context.matches[0].group(1))
    translator = context.translator
    async with context.db_session() as session, session.begin():
        broadcast = await get_broadcast(session, broadcast_id)
        if broadcast is not None:
            await refresh_counts(session, broadcast)
            oldest = await oldest_copy_sent_at(session, broadcast_id)
            deletions = await count_deletions(session, broadcast_id)
    back = [
        InlineKeyboardButton(translator.gettext("◀️ All broadcasts"), callback_data=f"{P}:{LIST}")
    ]
    if broadcast is None:
        await show(update, Screen(translator.gettext("This broadcast no longer exists.")))
        return
    if broadcast.status == SCHEDULED:
        screen = scheduled_screen(translator, broadcast)
        text, rows = screen.text, list(screen.keyboard.inline_keyboard) if screen.keyboard else []
    elif broadcast.status in (SENDING, PAUSED):
        text = progress_text(translator, broadcast, context.settings.broadcast_rate)
        keyboard = progress_keyboard(translator, broadcast)
        rows = list(keyboard.inline_keyboard) if keyboard else []
    else:
        text = report_text(translator, broadcast)
        if broadcast.deletion is not None:
            text += "\n" + deletion_text(translator, broadcast, deletions)
        keyboard = report_keyboard(
            translator, can_delete(broadcast, oldest, utc_now()), broadcast.id
        )
        rows = list(keyboard.inline_keyboard) if keyboard else []
    await show(update, Screen(text, InlineKeyboardMarkup([*rows, back])))


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [
        CommandHandler("broadcasts", list_broadcasts),
        CallbackQueryHandler(list_broadcasts, pattern=rf"^{P}:{LIST}$"),
        CallbackQueryHandler(show_broadcast, pattern=rf"^{P}:{SHOW}:({ID})$"),
    ]
