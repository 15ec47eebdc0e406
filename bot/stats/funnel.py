"""From stored counts to what /stats shows: funnel steps with their conversion, counts per
regency in the registration form's order, and counts per day in the centre's time zone."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from bot.forms.eligibility import BANTEN_REGENCIES, OUTSIDE_BANTEN
from bot.i18n import N_
from db.models import FUNNEL_STAGES

STAGE_LABELS = {
    "started": N_("Started"),
    "checked": N_("Checked eligibility"),
    "eligible": N_("Eligible"),
    "consented": N_("Consented"),
    "submitted": N_("Submitted"),
    "verified": N_("Verified"),
    "accepted": N_("Accepted"),
}
# Submissions whose regency was never asked (none so far; kept so totals add up).
UNKNOWN_REGENCY = "unknown"


@dataclass(frozen=True)
class FunnelStep:
    stage: str
    count: int
    # Percent of the first step, and of the step before (None when that step is zero).
    of_first: float | None
    of_previous: float | None


def percent(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


def funnel_steps(counts: Mapping[str, int]) -> list[FunnelStep]:
    """Each stage counts everyone who reached it or a later one, so no step exceeds the one
    before it even if an earlier step was never recorded."""
    reached = [0] * len(FUNNEL_STAGES)
    furthest = 0
    for index in reversed(range(len(FUNNEL_STAGES))):
        furthest = max(furthest, counts.get(FUNNEL_STAGES[index], 0))
        reached[index] = furthest
    return [
        FunnelStep(
            stage=stage,
            count=count,
            of_first=percent(count, reached[0]),
            of_previous=percent(count, reached[index - 1]) if index else None,
        )
        for index, (stage, count) in enumerate(zip(FUNNEL_STAGES, reached, strict=True))
    ]


def is_empty(steps: Iterable[FunnelStep]) -> bool:
    return all(step.count == 0 for step in steps)


def regency_rows(counts: Mapping[str | None, int]) -> list[tuple[str, int]]:
    """Every Banten regency or city as the form lists them, then outside Banten, then any
    unknown; zeros included, so a regency with no sign-ups stands out."""
    rows = [(code, counts.get(code, 0)) for code in (*BANTEN_REGENCIES, OUTSIDE_BANTEN)]
    known = {*BANTEN_REGENCIES, OUTSIDE_BANTEN}
    unknown = sum(count for code, count in counts.items() if code not in known)
    if unknown:
        rows.append((UNKNOWN_REGENCY, unknown))
    return rows


def window_start(now: datetime, days: int, zone: tzinfo) -> datetime:
    """Midnight in the centre's time zone, `days` days back including today, in UTC."""
    today = now.astimezone(zone).date()
    first = datetime.combine(today - timedelta(days=days - 1), datetime.min.time(), zone)
    return first.astimezone(UTC)


def daily_counts(
    moments: Iterable[datetime], *, now: datetime, days: int, zone: tzinfo
) -> list[tuple[date, int]]:
    """How many moments fell on each of the last `days` local days, oldest first."""
    today = now.astimezone(zone).date()
    days_shown = [today - timedelta(days=back) for back in reversed(range(days))]
    counts = dict.fromkeys(days_shown, 0)
    for moment in moments:
        # SQLite gives back naive datetimes; the bot stores UTC.
        aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
        day = aware.astimezone(zone).date()
        if day in counts:
            counts[day] += 1
    return list(counts.items())
