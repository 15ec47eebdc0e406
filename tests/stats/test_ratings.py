"""Hand-off ratings per ISO week in WIB: the week follows the centre's clock, empty weeks show."""

from datetime import UTC, date, datetime

from bot.config import CENTRE_TIMEZONE
from bot.stats.ratings import first_monday, weekly_ratings

# Tuesday 8 December 2026, 10:00 WIB.
NOW = datetime(2026, 12, 8, 3, 0, tzinfo=UTC)


def test_weeks_are_counted_in_wib_newest_first() -> None:
    given = [
        (datetime(2026, 12, 7, 1, 0, tzinfo=UTC), 4),  # Monday 08:00 WIB: this week
        (datetime(2026, 12, 6, 18, 0, tzinfo=UTC), 5),  # Sunday 18:00 UTC = Monday 01:00 WIB
        (datetime(2026, 12, 6, 16, 0), 1),  # naive UTC (SQLite): Sunday 23:00 WIB, last week
        (datetime(2026, 10, 1, 0, 0, tzinfo=UTC), 3),  # before the eight weeks
    ]
    weeks = weekly_ratings(given, now=NOW, zone=CENTRE_TIMEZONE)
    assert len(weeks) == 8
    assert (weeks[0].monday, weeks[0].week, weeks[0].count, weeks[0].average) == (
        date(2026, 12, 7),
        50,
        2,
        4.5,
    )
    assert (weeks[1].week, weeks[1].count, weeks[1].average) == (49, 1, 1.0)
    assert all(week.count == 0 and week.average is None for week in weeks[2:])
    assert weeks[-1].monday == date(2026, 10, 19)


def test_the_window_starts_on_a_monday_at_midnight_wib() -> None:
    start = first_monday(NOW, CENTRE_TIMEZONE)
    assert start == datetime(2026, 10, 18, 17, 0, tzinfo=UTC)  # 19 Oct 00:00 WIB
