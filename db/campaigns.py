"""Campaigns: named deep links staff print as QR codes for a school visit or a poster."""

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Campaign


async def create_campaign(
    session: AsyncSession, *, code: str, name: str, created_by: int
) -> Campaign:
    campaign = Campaign(code=code, name=name, created_by=created_by)
    session.add(campaign)
    await session.flush()
    return campaign


async def get_campaign(session: AsyncSession, code: str) -> Campaign | None:
    return await session.get(Campaign, code)


async def list_campaigns(
    session: AsyncSession, *, offset: int = 0, limit: int | None = None
) -> tuple[Sequence[Campaign], int]:
    """One page of campaigns, newest first, and how many there are."""
    total = (await session.execute(select(func.count()).select_from(Campaign))).scalar_one()
    query = select(Campaign).order_by(Campaign.created_at.desc(), Campaign.code)
    return (await session.scalars(query.offset(offset).limit(limit))).all(), total


async def list_campaign_page(
    session: AsyncSession, *, page: int, page_size: int
) -> tuple[Sequence[Campaign], int, int]:
    """One page of campaigns, how many there are, and the page shown: the last one when the
    page asked for is beyond the end."""
    campaigns, total = await list_campaigns(session, offset=page * page_size, limit=page_size)
    last = max(0, -(-total // page_size) - 1)
    if page <= last:
        return campaigns, total, page
    campaigns, total = await list_campaigns(session, offset=last * page_size, limit=page_size)
    return campaigns, total, last


async def list_taken_codes(session: AsyncSession, *, starting_with: str) -> set[str]:
    """Campaign codes beginning with this stem (bot.stats.campaigns.code_stem), to find a free
    one."""
    query = select(Campaign.code).where(Campaign.code.startswith(starting_with, autoescape=True))
    return set((await session.scalars(query)).all())
