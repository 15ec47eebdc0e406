"""How long personal data is kept. UU 27/2022 sets no period, so the centre chooses them in the
settings; the clean-up and the consent texts both read them from here, so what people are
promised is what happens."""

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import Settings
from bot.i18n import Translator


@dataclass(frozen=True)
class Retention:
    """The cut-offs, as of one moment: anything older than these goes."""

    registrations_finished_before: datetime
    drafts_idle_since: datetime
    school_requests_sent_before: datetime
    eligibility_last_seen_before: datetime
    handoffs_closed_before: datetime
    questions_asked_before: datetime
    join_requests_declined_before: datetime


def retention_as_of(now: datetime, settings: Settings) -> Retention:
    return Retention(
        registrations_finished_before=months_before(now, settings.keep_registrations_months),
        drafts_idle_since=now - timedelta(days=settings.keep_drafts_days),
        school_requests_sent_before=months_before(now, settings.keep_school_requests_months),
        eligibility_last_seen_before=months_before(now, settings.keep_eligibility_answers_months),
        handoffs_closed_before=months_before(now, settings.keep_handoff_months),
        questions_asked_before=now - timedelta(days=settings.keep_questions_days),
        join_requests_declined_before=now
        - timedelta(days=settings.keep_declined_join_requests_days),
    )


def months_before(moment: datetime, months: int) -> datetime:
    """The same day of the month, `months` calendar months earlier (the month's last day where
    it is shorter): "12 months after" means the same date a year later, as people read it."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def months_text(translator: Translator, months: int) -> str:
    """ "12 months" / "12 bulan", as the consent texts quote a period."""
    words = translator.ngettext("{count} month", "{count} months", months)
    return words.format(count=translator.format_number(months))


def days_text(translator: Translator, days: int) -> str:
    words = translator.ngettext("{count} day", "{count} days", days)
    return words.format(count=translator.format_number(days))
