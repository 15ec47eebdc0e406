"""Phone numbers and children's first names at rest: encrypted with the data key, as the NIK is.

A phone keeps its masked form beside it (+62812*****890), so the summaries and staff cards that
show it masked never decrypt; only the owner's own views (/mydata, its file) and the staff
export open it. Nothing looks a phone or a child's name up, so neither needs a fingerprint.
"""

from bot.privacy.log_masking import mask_phone
from bot.privacy.vault import NikVault
from db.models import Registration, SchoolInterest, SchoolInterestChild

WithPhone = Registration | SchoolInterest


def phone_columns(vault: NikVault, phone: str) -> dict[str, str]:
    """A phone number as it is stored: the column values, by column name."""
    return {"phone_encrypted": vault.encrypt(phone), "phone_masked": mask_phone(phone)}


def store_phone(vault: NikVault, record: WithPhone, phone: str) -> None:
    for column, value in phone_columns(vault, phone).items():
        setattr(record, column, value)


def phone_of(vault: NikVault, record: WithPhone) -> str | None:
    """The whole number, for its owner or an export."""
    return vault.decrypt(record.phone_encrypted) if record.phone_encrypted else None


def store_child_name(vault: NikVault, child: SchoolInterestChild, first_name: str) -> None:
    child.first_name_encrypted = vault.encrypt(first_name)


def child_name_of(vault: NikVault, child: SchoolInterestChild) -> str | None:
    return vault.decrypt(child.first_name_encrypted) if child.first_name_encrypted else None
