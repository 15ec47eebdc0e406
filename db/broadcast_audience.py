"""Who can be chosen as a broadcast's audience: the candidates of each segment, and the
programmes and stages that segments are built from."""

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    distinct,
    exists,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    FUNNEL_STAGES,
    EligibilityAnswer,
    FunnelEvent,
    IntakeWatcher,
    Programme,
    Registration,
    SchoolInterest,
    User,
)

TRAINEES, PARENTS = "trainee", "parent"
# The Sekolah Rakyat deep links (t.me/<bot>?start=sekolahrakyat), kept as the campaign source.
SCHOOL_DEEP_LINKS = ("sekolahrakyat", "sekolah_rakyat", "sr")
# Opening a programme's card records "started"; only the steps after it show interest.
INTERESTED_STAGES = FUNNEL_STAGES[1:]


def locale_of_user(
    supported: Sequence[str], aliases: Mapping[str, str], default: str
) -> ColumnElement[str]:
    """The language a user reads, in SQL: the twin of bot.i18n.resolve_locale, built from the
    same lists (the user's own choice, else their Telegram language's primary subtag if
    supported, directly or through an alias, else the default)."""
    telegram = func.lower(User.telegram_language)
    whens: list[tuple[ColumnElement[bool], ColumnElement[str]]] = [
        (User.language.in_(supported), User.language)
    ]
    for code, locale in [*((code, code) for code in supported), *aliases.items()]:
        if locale in supported:
            matches = or_(telegram == code, telegram.like(f"{code}-%"))
            whens.append((matches, literal(locale)))
    return case(*whens, else_=literal(default))


def is_parent() -> ColumnElement[bool]:
    """Parents: anyone who asked about Sekolah Rakyat, or came through its deep link."""
    return or_(
        exists().where(SchoolInterest.user_id == User.id),
        User.campaign_source.in_(SCHOOL_DEEP_LINKS),
    )


def is_trainee() -> ColumnElement[bool]:
    """Trainees: anyone who registered, answered the eligibility check, watches an intake, or
    checked a programme for trainees or went further (not Sekolah Rakyat, which is for
    parents); merely opening a programme's card does not count."""
    trainee_programme = select(Programme.code).where(Programme.audience == TRAINEES)
    return or_(
        exists().where(Registration.user_id == User.id),
        exists().where(EligibilityAnswer.user_id == User.id),
        exists().where(IntakeWatcher.user_id == User.id),
        exists().where(
            FunnelEvent.user_id == User.id,
            FunnelEvent.programme_code.in_(trainee_programme),
            FunnelEvent.stage.in_(INTERESTED_STAGES),
        ),
    )


def is_interested_in(programme_code: str) -> ColumnElement[bool]:
    """Anyone with a registration or an intake watch for the programme, or who checked it or
    went further; merely opening its card does not count."""
    return or_(
        exists().where(
            Registration.user_id == User.id, Registration.programme_code == programme_code
        ),
        exists().where(
            IntakeWatcher.user_id == User.id, IntakeWatcher.programme_code == programme_code
        ),
        exists().where(
            FunnelEvent.user_id == User.id,
            FunnelEvent.programme_code == programme_code,
            FunnelEvent.stage.in_(INTERESTED_STAGES),
        ),
    )


def audience_query(
    locale: ColumnElement[str],
    *,
    language: str | None = None,
    regency: str | None = None,
    campaign: str | None = None,
    seen_since: datetime | None = None,
    group: str | None = None,
    programme: str | None = None,
    stage: tuple[str, str] | None = None,
) -> Select[tuple[int, str]]:
    """(user id, locale) of the users who have not blocked the bot, narrowed by the given
    segment; locale is the expression from locale_of_user."""
    query = select(User.id, locale.label("locale")).where(User.blocked_bot.is_(False))
    if language is not None:
        query = query.where(locale == language)
    if regency is not None:
        query = query.where(
            exists().where(and_(Registration.user_id == User.id, Registration.regency == regency))
        )
    if campaign is not None:
        query = query.where(User.campaign_source == campaign)
    if seen_since is not None:
        query = query.where(User.last_seen_at >= seen_since)
    if group is not None:
        query = query.where(is_parent() if group == PARENTS else is_trainee())
    if programme is not None:
        query = query.where(is_interested_in(programme))
    if stage is not None:
        programme_code, status = stage
        query = query.where(
            exists().where(
                Registration.user_id == User.id,
                Registration.programme_code == programme_code,
                Registration.status == status,
            )
        )
    return query


async def count_audience(
    session: AsyncSession, query: Select[tuple[int, str]], locale: str
) -> tuple[int, int]:
    """How many the audience query finds, and how many of them read this locale."""
    found = query.subquery()
    counting = select(
        func.count(), func.coalesce(func.sum(case((found.c.locale == locale, 1), else_=0)), 0)
    )
    total, in_locale = (await session.execute(counting)).one()
    return int(total), int(in_locale)


async def list_regencies(session: AsyncSession) -> list[str]:
    query = select(distinct(Registration.regency)).where(Registration.regency.is_not(None))
    return sorted(value for value in (await session.scalars(query)).all() if value)


async def list_campaign_sources(session: AsyncSession) -> list[str]:
    query = select(distinct(User.campaign_source)).where(User.campaign_source.is_not(None))
    return sorted(value for value in (await session.scalars(query)).all() if value)


async def list_programme_titles(session: AsyncSession, locale: str) -> list[tuple[str, str]]:
    """Every active programme as (code, title), in catalogue order."""
    query = select(Programme).where(Programme.active).order_by(Programme.position)
    return [(p.code, p.texts["title"][locale]) for p in (await session.scalars(query)).all()]
