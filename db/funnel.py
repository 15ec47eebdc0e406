"""The funnel: the steps each person reached, recorded once, kept when they delete their data.

A step implies every step before it (someone accepted was verified, submitted, consented...),
so recording one also records the earlier ones still missing. Each event is recorded twice:
for the programme, and with programme None for the person's way through the bot as a whole
(their furthest step in any programme). Counting a stage is then counting its rows, which stays
right after a deletion turns user_id into NULL, when rows can no longer be grouped per person.

Only the overall "started" row carries a meaningful date: the user's first contact, even when
it is filled in later (a returning user from before the funnel, a staff move on an old
registration). The other rows' dates say when they were recorded, and nothing counts by them.
Staff members are not counted: they try the bot all day.
"""

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import FUNNEL_STAGES, FunnelEvent, StaffMember, User
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
    if await session.get(StaffMember, user.id) is not None:
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
        event = FunnelEvent(
            user_id=user.id, programme_code=code, stage=step, campaign_source=user.campaign_source
        )
        if (code, step) == (None, STARTED) and user.created_at is not None:
            # The day they became a user, which /stats keeps counting after a deletion.
            event.at = user.created_at
        session.add(event)


async def record_bot_start(
    session: AsyncSession, *, user_id: int, campaign_source: str | None, first_contact: bool
) -> None:
    """/start: count the start once, crediting the campaign only when this /start is the
    person's first contact with the bot (a sign-up through the link). Someone who used the bot
    before and scans a poster later is not the poster's sign-up, and nothing they did before is
    credited to it."""
    if campaign_source is not None and first_contact:
        await set_campaign_source_once(session, user_id=user_id, source=campaign_source)
    await record_funnel_step(session, user_id=user_id, programme_code=None, stage=STARTED)


async def record_eligibility_verdict(
    session: AsyncSession, *, user_id: int | None, programme_code: str, eligible: bool
) -> None:
    """A check ended with a verdict: "checked", and "eligible" when every rule was met."""
    stage = "eligible" if eligible else "checked"
    await record_funnel_step(session, user_id=user_id, programme_code=programme_code, stage=stage)
