"""When a scheduled broadcast starts: the quick choices offered as buttons, and the date and
time staff may type, both in the centre's time (WIB, Asia/Jakarta). No Telegram here."""

import re
from datetime import UTC, datetime, timedelta

from bot.config import CENTRE_TIMEZONE

# Quick choices: in one hour, and these centre times today and tomorrow (past ones skipped).
QUICK_HOURS_TODAY = (12, 19)
QUICK_HOURS_TOMORROW = (8, 19)
# A choice this close to now is not offered: it would have passed before it was tapped.
MIN_LEAD = timedelta(minutes=5)
# Nobody plans a broadcast further ahead; a typo in the year is more likely.
MAX_AHEAD = timedelta(days=366)
# A date typed without a year and this far in the past means next year's.
PAST_YEAR_ROLLOVER = timedelta(days=60)
TIME = r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})"
TYPED_FORMATS = (
    # 2026-12-01 08:00
    re.compile(rf"^(?P<year>\d{{4}})-(?P<month>\d{{1,2}})-(?P<day>\d{{1,2}})\s+{TIME}$"),
    # 1/12 08:00, 01-12-2026 08.00, 1.12.2026 8:00
    re.compile(
        rf"^(?P<day>\d{{1,2}})([/\-.])(?P<month>\d{{1,2}})(?:\2(?P<year>\d{{2}}|\d{{4}}))?"
        rf"\s+{TIME}$"
    ),
)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; the project stores UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def centre_time(moment: datetime) -> datetime:
    return as_utc(moment).astimezone(CENTRE_TIMEZONE)


def quick_choices(now: datetime) -> list[tuple[str, datetime]]:
    """("in_hour" | "today" | "tomorrow", start in UTC), soonest first, none in the past."""
    local = centre_time(now)
    choices = [("in_hour", as_utc(now).replace(second=0, microsecond=0) + timedelta(hours=1))]
    for day, hours in (("today", QUICK_HOURS_TODAY), ("tomorrow", QUICK_HOURS_TOMORROW)):
        date = local.date() + timedelta(days=1 if day == "tomorrow" else 0)
        for hour in hours:
            start = datetime(date.year, date.month, date.day, hour, tzinfo=CENTRE_TIMEZONE)
            if start - MIN_LEAD > local:
                choices.append((day, start.astimezone(UTC)))
    return sorted(choices, key=lambda choice: choice[1])


def parse_typed_time(text: str, now: datetime) -> datetime | None:
    """A typed centre date and time as UTC, or None if it is not one. Without a year, the
    next such date is meant (5/1 typed in December is next January; yesterday stays past)."""
    cleaned = " ".join(text.strip().split())
    for pattern in TYPED_FORMATS:
        match = pattern.match(cleaned)
        if match is not None:
            break
    else:
        return None
    parts = match.groupdict()
    local_now = centre_time(now)
    year = int(parts["year"]) if parts["year"] else local_now.year
    if parts["year"] and len(parts["year"]) == 2:
        year += 2000
    try:
        local = datetime(
            year,
            int(parts["month"]),
            int(parts["day"]),
            int(parts["hour"]),
            int(parts["minute"]),
            tzinfo=CENTRE_TIMEZONE,
        )
    except ValueError:
        return None
    if not parts["year"] and local < local_now - PAST_YEAR_ROLLOVER:
        try:
            local = local.replace(year=year + 1)
        except ValueError:
            return None
    return local.astimezone(UTC)


def is_schedulable(start: datetime, now: datetime) -> bool:
    """In the future (with a little lead) and not absurdly far ahead."""
    return as_utc(now) + timedelta(minutes=1) <= as_utc(start) <= as_utc(now) + MAX_AHEAD
