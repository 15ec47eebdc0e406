"""What the staff member sees while a broadcast runs: one message with a bar, the counts, the
time left and Pause/Resume/Cancel; the same message becomes the report at the end."""

from datetime import datetime, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from db.broadcasts import CANCELLED, DONE, PAUSED, SENDING
from db.models import Broadcast, utc_now

# Callback data of the broadcast buttons: "bc:<action>:<broadcast id>[:<value>]".
BROADCAST_PREFIX = "bc"
PAUSE, RESUME, CANCEL = "pause", "resume", "cancel"
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
    return translator.gettext(
        "✅ <b>Broadcast #{id}</b> finished: {sent} sent, {failed} failed, "
        "{blocked} had blocked the bot."
    ).format(
        id=broadcast.id,
        sent=broadcast.sent_count,
        failed=broadcast.failed_count,
        blocked=broadcast.blocked_count,
    )
