"""Moving every keyed value to a new data key: encrypted NIKs and their fingerprints, phone
numbers, children's first names and the codes of hand-off blocks."""

from dataclasses import dataclass

from cryptography.fernet import InvalidToken
from sqlalchemy.ext.asyncio import AsyncSession

from bot.privacy.vault import NikVault
from db.handoff_blocks import (
    delete_handoff_block,
    list_handoff_block_codes,
    recode_handoff_block,
)
from db.registrations import list_registrations_with_secrets
from db.school_interests import list_children_with_names, list_interests_with_phones
from db.users import list_user_ids


class WrongDataKeyError(Exception):
    """A stored value does not open with the current key: nothing was changed."""


@dataclass(frozen=True)
class RotationReport:
    niks: int
    phones: int
    child_names: int
    blocks_carried: int
    # Blocks of people who have since deleted their data: their ids are not kept, so their
    # codes cannot be made again under the new key.
    blocks_dropped: int


def re_encrypt(token: str, *, current: NikVault, new: NikVault, where: str) -> str:
    try:
        return new.encrypt(current.decrypt(token))
    except InvalidToken as error:
        raise WrongDataKeyError(where) from error


async def rotate_data_key(
    session: AsyncSession, *, current: NikVault, new: NikVault
) -> RotationReport:
    """Re-key everything in the caller's transaction; all of it or, on an error, none."""
    niks = phones = 0
    for registration in await list_registrations_with_secrets(session):
        where = f"registration id {registration.id}"
        if registration.nik_encrypted:
            try:
                nik = current.decrypt(registration.nik_encrypted)
            except InvalidToken as error:
                raise WrongDataKeyError(where) from error
            registration.nik_encrypted = new.encrypt(nik)
            registration.nik_hash = new.fingerprint(nik)
            niks += 1
        if registration.phone_encrypted:
            registration.phone_encrypted = re_encrypt(
                registration.phone_encrypted, current=current, new=new, where=where
            )
            phones += 1
    for interest in await list_interests_with_phones(session):
        interest.phone_encrypted = re_encrypt(
            interest.phone_encrypted or "",
            current=current,
            new=new,
            where=f"Sekolah Rakyat request id {interest.id}",
        )
        phones += 1
    children = await list_children_with_names(session)
    for child in children:
        child.first_name_encrypted = re_encrypt(
            child.first_name_encrypted or "",
            current=current,
            new=new,
            where=f"child id {child.id}",
        )
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
    return RotationReport(niks, phones, len(children), carried, len(blocked))
