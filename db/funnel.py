"""The funnel: the steps each person reached, recorded once, kept when they delete their data.

A step implies every step before it (someone accepted was verified, submitted, consented...),
so recording one also records the earlier ones still missing. Each event is recorded twice:
for the programme, and with programme None for the person's way through the bot as a whole
(their furthest step in any programme). Counting a stage is then counting its rows, which stays
right after a deletion turns user_id into NULL, when rows can no longer be grouped per person.
"""

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import FUNNEL_STAGES, FunnelEvent, User
from db.users import set_campaign_source_once

STARTED = FUNNEL_STAGES[0]


async def record_funnel_step(
    session: AsyncSession, *, user_id: int | None, programme_code: str | None, stage: str
) -> None:
    """Record that the user reached this stage (and the ones before it), once each."""
    if stage not in FUNNEL_STAGES:
        raise ValueError(f"unknown funnel stage {stage!r}")
    user = await session.get(User, user_id) if user_id is not None else None
    if user is None:
        # An anonymised registration moved by staff: nobody to attribute the step to.
        return
    reached = FUNNEL_STAGES[: FUNNEL_STAGES.index(stage) + 1]
    wanted = {(None, step) for step in reached}
    if programme_code is not None:
        wanted |= {(programme_code, step) for step in reached}
    query = select(FunnelEvent.programme_code, FunnelEvent.stage).where(
        FunnelEvent.user_id == user.id,
        or_(FunnelEvent.programme_code.is_(None), FunnelEvent.programme_code == programme_code),
    )
    known = set((await session.execute(query)).tuples().all())
    # Sorted so the earlier stages get the smaller ids, as if recorded one after the other.
    for code, step in sorted(wanted - known, key=lambda pair: FUNNEL_STAGES.index(pair[1])):
        session.add(
            FunnelEvent(
                user_id=user.id,
                programme_code=code,
                stage=step,
                campaign_source=user.campaign_source,
            )
        )


async def record_bot_start(
    session: AsyncSession, *, user_id: int, campaign_source: str | None
) -> None:
    """/start: keep the first campaign, credit it with what the user did so far, and count the
    start itself once."""
    if campaign_source is not None and await set_campaign_source_once(
        session, user_id=user_id, source=campaign_source
    ):
        await session.execute(
            update(FunnelEvent)
            .where(FunnelEvent.user_id == user_id, FunnelEvent.campaign_source.is_(None))
            .values(campaign_source=campaign_source)
        )
    await record_funnel_step(session, user_id=user_id, programme_code=None, stage=STARTED)


async def record_eligibility_verdict(
    session: AsyncSession, *, user_id: int | None, programme_code: str, eligible: bool
) -> None:
    """A check ended with a verdict: "checked", and "eligible" when every rule was met."""
    stage = "eligible" if eligible else "checked"
    await record_funnel_step(session, user_id=user_id, programme_code=programme_code, stage=stage)
