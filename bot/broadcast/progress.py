"""What the staff member sees while a broadcast runs: one message with a bar, the counts, the
time left and Pause/Resume/Cancel; the same message becomes the report at the end."""

from datetime import datetime, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.broadcast.schedule import as_utc
from bot.i18n import Translator
from db.broadcasts import CANCELLED, DELETED, DELETING, DONE, PAUSED, SENDING
from db.models import Broadcast, utc_now

# Callback data of the broadcast buttons: "bc:<action>:<broadcast id>[:<value>]".
BROADCAST_PREFIX = "bc"
PAUSE, RESUME, CANCEL = "pause", "resume", "cancel"
# Asks to confirm taking the copies back from every chat.
DELETE = "del"
# Telegram lets a bot delete a message in a private chat only within 48 hours of sending it:
# https://core.telegram.org/bots/api#deletemessage
DELETE_WINDOW = timedelta(hours=48)
BAR_CELLS = 10


def progress_bar(done: int, total: int) -> str:
    share = done / total if total else 1.0
    filled = round(share * BAR_CELLS)
    return "▓" * filled + "░" * (BAR_CELLS - filled) + f" {share:.0%}"


def time_left(broadcast: Broadcast, remaining: int, rate: float, now: datetime) -> timedelta:
    """From the pace so far, else the configured rate."""
    done = broadcast.sent_count + broadcast.failed_count + broadcast.blocked_count
    started = broadcast.started_at
    if started is not None and started.tzinfo is None:
        started = started.replace(tzinfo=now.tzinfo)
    elapsed = (now - started).total_seconds() if started else 0.0
    pace = done / elapsed if done and elapsed > 1 else rate
    return timedelta(seconds=round(remaining / min(pace, rate)))


def format_duration(translator: Translator, duration: timedelta) -> str:
    minutes, seconds = divmod(int(duration.total_seconds()), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return translator.gettext("{hours} h {minutes} min").format(hours=hours, minutes=minutes)
    if minutes:
        return translator.gettext("{minutes} min {seconds} s").format(
            minutes=minutes, seconds=seconds
        )
    return translator.gettext("{seconds} s").format(seconds=seconds)


def progress_text(translator: Translator, broadcast: Broadcast, rate: float) -> str:
    _ = translator.gettext
    done = broadcast.sent_count + broadcast.failed_count + broadcast.blocked_count
    remaining = max(broadcast.total_count - done, 0)
    heading = {
        SENDING: _("📣 <b>Broadcast #{id}</b>: sending"),
        PAUSED: _("⏸ <b>Broadcast #{id}</b>: paused"),
        CANCELLED: _("✖️ <b>Broadcast #{id}</b>: cancelled"),
        DONE: _("✅ <b>Broadcast #{id}</b>: finished"),
    }.get(broadcast.status, _("📣 <b>Broadcast #{id}</b>: sending"))
    lines = [
        heading.format(id=broadcast.id),
        progress_bar(done, broadcast.total_count),
        _("Sent: {sent} · Failed: {failed} · Blocked: {blocked}").format(
            sent=broadcast.sent_count,
            failed=broadcast.failed_count,
            blocked=broadcast.blocked_count,
        ),
    ]
    if broadcast.status in (SENDING, PAUSED):
        lines.append(_("Remaining: {remaining}").format(remaining=remaining))
    if broadcast.status == SENDING:
        left = time_left(broadcast, remaining, rate, utc_now())
        lines.append(_("Time left: about {time}").format(time=format_duration(translator, left)))
    if broadcast.status == CANCELLED:
        lines.append(_("Not sent: {remaining}").format(remaining=remaining))
    return "\n".join(lines)


def progress_keyboard(translator: Translator, broadcast: Broadcast) -> InlineKeyboardMarkup | None:
    _ = translator.gettext
    prefix = f"{BROADCAST_PREFIX}:"
    if broadcast.status == SENDING:
        first = InlineKeyboardButton(_("⏸ Pause"), callback_data=f"{prefix}{PAUSE}:{broadcast.id}")
    elif broadcast.status == PAUSED:
        first = InlineKeyboardButton(
            _("▶️ Resume"), callback_data=f"{prefix}{RESUME}:{broadcast.id}"
        )
    else:
        return None
    cancel = InlineKeyboardButton(_("✖️ Cancel"), callback_data=f"{prefix}{CANCEL}:{broadcast.id}")
    return InlineKeyboardMarkup([[first, cancel]])


def report_text(translator: Translator, broadcast: Broadcast) -> str:
    if broadcast.status == CANCELLED:
        text = translator.gettext(
            "✖️ <b>Broadcast #{id}</b> cancelled: {sent} sent before that, {failed} failed, "
            "{blocked} had blocked the bot."
        )
    else:
        text = translator.gettext(
            "✅ <b>Broadcast #{id}</b> finished: {sent} sent, {failed} failed, "
            "{blocked} had blocked the bot."
        )
    return text.format(
        id=broadcast.id,
        sent=broadcast.sent_count,
        failed=broadcast.failed_count,
        blocked=broadcast.blocked_count,
    )


def can_delete(broadcast: Broadcast, oldest_copy_sent_at: datetime | None, now: datetime) -> bool:
    """Finished or cancelled, not yet taken back, and every copy still young enough."""
    return (
        broadcast.status in (DONE, CANCELLED)
        and broadcast.deletion is None
        and oldest_copy_sent_at is not None
        and now - as_utc(oldest_copy_sent_at) < DELETE_WINDOW
    )


def report_keyboard(
    translator: Translator, deletable: bool, broadcast_id: int
) -> InlineKeyboardMarkup | None:
    if not deletable:
        return None
    delete = InlineKeyboardButton(
        translator.gettext("🗑 Delete from every chat"),
        callback_data=f"{BROADCAST_PREFIX}:{DELETE}:{broadcast_id}",
    )
    return InlineKeyboardMarkup([[delete]])


def deletion_text(translator: Translator, broadcast: Broadcast, tallies: dict[str, int]) -> str:
    if broadcast.deletion == DELETING:
        return translator.gettext(
            "🗑 <b>Broadcast #{id}</b>: deleting the copies from every chat…"
        ).format(id=broadcast.id)
    if broadcast.deletion == DELETED:
        return translator.gettext(
            "🗑 <b>Broadcast #{id}</b> is taken back. Deleted: {deleted} · "
            "Could not be deleted: {failed}"
        ).format(id=broadcast.id, deleted=tallies.get(DELETED, 0), failed=tallies.get("failed", 0))
    return ""


def source_deleted_text(translator: Translator, broadcast: Broadcast, english: bool) -> str:
    """The broadcast paused because the staff member deleted the message being copied."""
    which = (
        translator.gettext("your English version")
        if english
        else translator.gettext("your original message")
    )
    return translator.ngettext(
        "⚠️ <b>Broadcast #{id}</b> is paused: {which} was deleted from this chat, so I can no "
        "longer copy it. {sent} person got the broadcast before that; nobody else will. "
        "Please send a new /broadcast.",
        "⚠️ <b>Broadcast #{id}</b> is paused: {which} was deleted from this chat, so I can no "
        "longer copy it. {sent} people got the broadcast before that; nobody else will. "
        "Please send a new /broadcast.",
        broadcast.sent_count,
    ).format(id=broadcast.id, which=which, sent=broadcast.sent_count)
