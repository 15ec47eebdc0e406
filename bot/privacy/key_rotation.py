"""Moving every keyed value to a new data key: encrypted NIKs, their fingerprints and the
codes of hand-off blocks."""

from dataclasses import dataclass

from cryptography.fernet import InvalidToken
from sqlalchemy.ext.asyncio import AsyncSession

from bot.privacy.vault import NikVault
from db.handoff_blocks import (
    delete_handoff_block,
    list_handoff_block_codes,
    recode_handoff_block,
)
from db.registrations import list_registrations_with_nik
from db.users import list_user_ids


class WrongDataKeyError(Exception):
    """A stored NIK does not open with the current key: nothing was changed."""


@dataclass(frozen=True)
class RotationReport:
    niks: int
    blocks_carried: int
    # Blocks of people who have since deleted their data: their ids are not kept, so their
    # codes cannot be made again under the new key.
    blocks_dropped: int


async def rotate_data_key(
    session: AsyncSession, *, current: NikVault, new: NikVault
) -> RotationReport:
    """Re-key everything in the caller's transaction; all of it or, on an error, none."""
    registrations = await list_registrations_with_nik(session)
    for registration in registrations:
        try:
            nik = current.decrypt(registration.nik_encrypted or "")
        except InvalidToken as error:
            raise WrongDataKeyError(f"registration id {registration.id}") from error
        registration.nik_encrypted = new.encrypt(nik)
        registration.nik_hash = new.fingerprint(nik)
    blocked = set(await list_handoff_block_codes(session))
    carried = 0
    for user_id in await list_user_ids(session):
        code = current.user_code(user_id)
        if code in blocked:
            await recode_handoff_block(session, old=code, new=new.user_code(user_id))
            blocked.discard(code)
            carried += 1
    # A code no stored user matches would never match again under the new key.
    for code in blocked:
        await delete_handoff_block(session, code)
    return RotationReport(len(registrations), carried, len(blocked))
