"""Hand-off ratings per ISO week in the centre's time zone: how many, and their average."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

WEEKS_SHOWN = 8


@dataclass(frozen=True)
class WeekRatings:
    # The Monday the ISO week starts on, and its year and number.
    monday: date
    year: int
    week: int
    count: int
    # None when nobody rated that week.
    average: float | None


def first_monday(now: datetime, zone: tzinfo, weeks: int = WEEKS_SHOWN) -> datetime:
    """Midnight (local) of the Monday `weeks` ISO weeks back, this week included, in UTC."""
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    return datetime.combine(monday, datetime.min.time(), zone).astimezone(UTC)


def weekly_ratings(
    ratings: Iterable[tuple[datetime, int]],
    *,
    now: datetime,
    zone: tzinfo,
    weeks: int = WEEKS_SHOWN,
) -> list[WeekRatings]:
    """The last `weeks` ISO weeks, newest first, empty weeks included."""
    this_monday = first_monday(now, zone, 1).astimezone(zone).date()
    mondays = [this_monday - timedelta(weeks=back) for back in range(weeks)]
    given: dict[date, list[int]] = {monday: [] for monday in mondays}
    for moment, rating in ratings:
        # SQLite gives back naive datetimes; the bot stores UTC.
        aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
        day = aware.astimezone(zone).date()
        monday = day - timedelta(days=day.weekday())
        if monday in given:
            given[monday].append(rating)
    return [
        WeekRatings(
            monday=monday,
            year=monday.isocalendar().year,
            week=monday.isocalendar().week,
            count=len(given[monday]),
            average=sum(given[monday]) / len(given[monday]) if given[monday] else None,
        )
        for monday in mondays
    ]
