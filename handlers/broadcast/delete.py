"""Taking a broadcast back within Telegram's 48 hours: staff confirm how many copies go, then
the worker deletes each recipient's copy (bot/broadcast/deletion.py) and reports."""

from html import escape

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.broadcast.progress import BROADCAST_PREFIX, DELETE, can_delete
from bot.broadcast.schedule import centre_time
from bot.context import BotContext
from bot.i18n import Translator
from bot.navigation import ID
from bot.screens import Screen, show
from bot.staff.roles import staff_only
from db.audit import record_action
from db.broadcasts import (
    DELETED,
    DELETING,
    FAILED,
    PAUSED,
    SENDING,
    count_copies,
    count_deletions,
    get_broadcast,
    oldest_copy_sent_at,
    start_deletion,
)
from db.models import Broadcast, utc_now
from handlers.broadcast.form import leaves_form

P = BROADCAST_PREFIX
CONFIRM_DELETE = "delgo"
SHOW = "show"


async def refusal(
    session: AsyncSession, translator: Translator, broadcast: Broadcast | None
) -> str | None:
    """Why these copies cannot be deleted now, or None if they can."""
    _ = translator.gettext
    if broadcast is None:
        return _("This broadcast no longer exists.")
    if broadcast.status in (SENDING, PAUSED):
        return _("Broadcast #{id} is still being sent. Cancel it first, then delete it.").format(
            id=broadcast.id
        )
    if broadcast.deletion == DELETING:
        tallies = await count_deletions(session, broadcast.id)
        total = sum(tallies.values())
        return translator.ngettext(
            "🗑 Broadcast #{id} is already being deleted: {done} of {total} copy taken back "
            "so far. I will report when it is done.",
            "🗑 Broadcast #{id} is already being deleted: {done} of {total} copies taken back "
            "so far. I will report when it is done.",
            total,
        ).format(
            id=broadcast.id,
            done=tallies.get(DELETED, 0) + tallies.get(FAILED, 0),
            total=total,
        )
    if broadcast.deletion is not None:
        return _("Broadcast #{id} is already deleted from every chat.").format(id=broadcast.id)
    oldest = await oldest_copy_sent_at(session, broadcast.id)
    if oldest is None:
        return _("Broadcast #{id} has no copies in anyone's chat.").format(id=broadcast.id)
    if not can_delete(broadcast, oldest, utc_now()):
        return _(
            "Broadcast #{id} can no longer be deleted: Telegram lets a bot delete a message "
            "only within 48 hours, and the first copies went out on {time} WIB."
        ).format(id=broadcast.id, time=escape(centre_time(oldest).strftime("%d/%m/%Y %H:%M")))
    return None


def back_button(translator: Translator, broadcast_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        translator.gettext("◀️ Back"), callback_data=f"{P}:{SHOW}:{broadcast_id}"
    )


@staff_only
@leaves_form
async def ask_to_delete(update: Update, context: BotContext) -> None:
    """🗑 Delete from every chat: how many copies will go, to confirm."""
    broadcast_id = int(context.matches[0].group(1))
    translator = context.translator
    async with context.db_session() as session:
        broadcast = await get_broadcast(session, broadcast_id)
        refused = await refusal(session, translator, broadcast)
        count = await count_copies(session, broadcast_id)
    back = back_button(translator, broadcast_id)
    if refused is not None:
        await show(update, Screen(refused, InlineKeyboardMarkup([[back]])))
        return
    text = translator.ngettext(
        "🗑 Delete broadcast #{id} from every chat? {count} copy will disappear from its "
        "recipient's chat. This cannot be undone.",
        "🗑 Delete broadcast #{id} from every chat? {count} copies will disappear from "
        "recipients' chats. This cannot be undone.",
        count,
    ).format(id=broadcast_id, count=count)
    confirm = InlineKeyboardButton(
        translator.ngettext(
            "🗑 Yes, delete {count} copy", "🗑 Yes, delete {count} copies", count
        ).format(count=count),
        callback_data=f"{P}:{CONFIRM_DELETE}:{broadcast_id}",
    )
    await show(update, Screen(text, InlineKeyboardMarkup([[confirm], [back]])))


@staff_only
@leaves_form
async def delete_everywhere(update: Update, context: BotContext) -> None:
    """Confirmed: every copy is marked for deletion and the worker takes them back; audited."""
    broadcast_id = int(context.matches[0].group(1))
    translator = context.translator
    async with context.db_session() as session, session.begin():
        broadcast = await get_broadcast(session, broadcast_id)
        refused = await refusal(session, translator, broadcast)
        if refused is None and broadcast is not None:
            count = await start_deletion(session, broadcast)
            await record_action(
                session,
                actor_id=context.user_id,
                action="broadcast.delete",
                subject=str(broadcast_id),
                details={"copies": count},
            )
    if refused is not None:
        await show(update, Screen(refused))
        return
    text = translator.ngettext(
        "🗑 Deleting {count} copy of broadcast #{id}. I will report when it is done.",
        "🗑 Deleting {count} copies of broadcast #{id}. I will report when it is done.",
        count,
    ).format(id=broadcast_id, count=count)
    await show(update, Screen(text))
    context.services.broadcast_wakeup.set()


def entry_points() -> list[BaseHandler]:  # type: ignore[type-arg]
    """Deleting moves a broadcast on and leaves any typed step, so these belong to the forms
    conversation (through handlers/broadcast/compose.py)."""
    return [
        CallbackQueryHandler(ask_to_delete, pattern=rf"^{P}:{DELETE}:({ID})$"),
        CallbackQueryHandler(delete_everywhere, pattern=rf"^{P}:{CONFIRM_DELETE}:({ID})$"),
    ]
