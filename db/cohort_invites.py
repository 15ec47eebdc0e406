"""The personal invite links accepted applicants get for their cohort group. A link is claimed
first (a row without a link, with a claim token) and committed before Telegram is asked to
make it: of two flows at once only one wins the claim, and a link made for a claim that was
withdrawn meanwhile (moved away, group changed, data deleted) is not kept."""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import CohortGroup, CohortInvite, Registration, utc_now
from db.upsert import insert_or_skip

# A claim older than this without a link was left by a flow that died (a restart mid-way):
# another flow may take it over.
CLAIM_EXPIRES = timedelta(minutes=10)


@dataclass(frozen=True)
class Claim:
    """The right to make one registration's link to one group; replaced_link is a former link
    of the registration (used, or to a former group) that the claimer revokes."""

    registration_id: int
    chat_id: int
    token: str
    replaced_link: str | None = None


async def get_invite(session: AsyncSession, registration_id: int) -> CohortInvite | None:
    return await session.get(CohortInvite, registration_id, populate_existing=True)


def _this_row(invite: CohortInvite) -> object:
    """The condition matching this very row, not a newer one of the same registration."""
    same = (
        CohortInvite.invite_link == invite.invite_link
        if invite.invite_link is not None
        else CohortInvite.claim_token == invite.claim_token
    )
    return and_(CohortInvite.registration_id == invite.registration_id, same)


async def claim_invite(
    session: AsyncSession, *, registration_id: int, chat_id: int
) -> Claim | None:
    """Claim the registration's link to this group, or None: another flow holds the claim, or
    the registration has an unused link to this group already. A used link, one to a former
    group or an abandoned claim is replaced (the caller checked the person is not in the
    group)."""
    existing = await get_invite(session, registration_id)
    replaced = None
    if existing is not None:
        if existing.chat_id == chat_id and existing.joined_at is None:
            if existing.invite_link is not None:
                return None
            abandoned = await session.execute(
                delete(CohortInvite)
                .where(_this_row(existing), CohortInvite.created_at < utc_now() - CLAIM_EXPIRES)
                .returning(CohortInvite.registration_id)
            )
            if abandoned.first() is None:
                return None
        else:
            gone = await session.execute(
                delete(CohortInvite).where(_this_row(existing)).returning(CohortInvite.chat_id)
            )
            if gone.first() is None:
                return None
            replaced = existing.invite_link
    token = secrets.token_hex(16)
    claimed = await insert_or_skip(
        session,
        CohortInvite.__table__,  # type: ignore[arg-type]
        values={
            "registration_id": registration_id,
            "chat_id": chat_id,
            "invite_link": None,
            "claim_token": token,
            "created_at": utc_now(),
        },
    )
    return Claim(registration_id, chat_id, token, replaced) if claimed else None


async def attach_link(session: AsyncSession, claim: Claim, invite_link: str) -> bool:
    """Keep the link made for the claim, if the claim still stands and the registration is
    still an accepted one of the group's intake; False (nothing kept) if the link lost."""
    # The write comes first: it holds SQLite's lock, and the row locks below hold
    # PostgreSQL's, so a move or a change of group cannot commit between check and keep.
    kept = await session.execute(
        update(CohortInvite)
        .where(
            CohortInvite.registration_id == claim.registration_id,
            CohortInvite.claim_token == claim.token,
        )
        .values(invite_link=invite_link, claim_token=None, created_at=utc_now())
        .returning(CohortInvite.registration_id)
    )
    if kept.first() is None:
        return False
    registration = (
        await session.scalars(
            select(Registration).where(Registration.id == claim.registration_id).with_for_update()
        )
    ).first()
    group = (
        await session.scalars(
            select(CohortGroup).where(CohortGroup.chat_id == claim.chat_id).with_for_update()
        )
    ).first()
    if (
        registration is None
        or registration.status != "accepted"
        or registration.user_id is None
        or group is None
        or (group.programme_code, group.batch) != (registration.programme_code, registration.batch)
    ):
        await session.execute(
            delete(CohortInvite).where(
                CohortInvite.registration_id == claim.registration_id,
                CohortInvite.invite_link == invite_link,
            )
        )
        return False
    return True


async def release_claim(session: AsyncSession, claim: Claim) -> None:
    """No link could be made: a later flow may try again."""
    await session.execute(
        delete(CohortInvite).where(
            CohortInvite.registration_id == claim.registration_id,
            CohortInvite.claim_token == claim.token,
        )
    )


async def list_unused_invites(
    session: AsyncSession, registration_ids: Sequence[int]
) -> Sequence[CohortInvite]:
    """These registrations' links nobody has used yet."""
    query = select(CohortInvite).where(
        CohortInvite.registration_id.in_(registration_ids),
        CohortInvite.invite_link.is_not(None),
        CohortInvite.joined_at.is_(None),
    )
    return (await session.scalars(query)).all()


async def list_invites_of_chat(session: AsyncSession, chat_id: int) -> Sequence[CohortInvite]:
    """Every link (and claim) to one group."""
    query = select(CohortInvite).where(CohortInvite.chat_id == chat_id)
    return (await session.scalars(query)).all()


async def list_anonymous_invites(session: AsyncSession) -> Sequence[CohortInvite]:
    """Links of registrations anonymised (retention, deletion): they go with the person."""
    anonymous = select(Registration.id).where(Registration.user_id.is_(None))
    query = select(CohortInvite).where(CohortInvite.registration_id.in_(anonymous))
    return (await session.scalars(query)).all()


async def delete_these_invites(session: AsyncSession, invites: Sequence[CohortInvite]) -> None:
    """Delete exactly these rows: a newer link of the same registration made meanwhile
    stays."""
    if invites:
        await session.execute(delete(CohortInvite).where(or_(*map(_this_row, invites))))


async def mark_joined(session: AsyncSession, invite: CohortInvite) -> None:
    await session.execute(
        update(CohortInvite).where(_this_row(invite)).values(joined_at=utc_now())
    )


async def list_user_invites(session: AsyncSession, user_id: int) -> Sequence[CohortInvite]:
    """The user's links (not claims still being made)."""
    query = (
        select(CohortInvite)
        .join(Registration, Registration.id == CohortInvite.registration_id)
        .where(Registration.user_id == user_id, CohortInvite.invite_link.is_not(None))
        .order_by(CohortInvite.created_at)
    )
    return (await session.scalars(query)).all()


async def forget_user_invites(session: AsyncSession, user_id: int) -> list[tuple[int, str]]:
    """Delete the user's cohort links and claims; returns the unused links (chat id, link) to
    revoke. A link being made for a claim deleted here is revoked by its maker."""
    mine = select(Registration.id).where(Registration.user_id == user_id)
    query = select(CohortInvite).where(CohortInvite.registration_id.in_(mine))
    invites = (await session.scalars(query)).all()
    unused = [
        (i.chat_id, i.invite_link)
        for i in invites
        if i.invite_link is not None and i.joined_at is None
    ]
    await delete_these_invites(session, invites)
    return unused
