"""Personal data at rest: NIKs, phone numbers and children's first names encrypted (see
bot/privacy/contact_data.py), a keyed fingerprint of the NIK for duplicate checks, and a keyed
code for a Telegram id that must outlive the person's data (a hand-off block)."""

import base64
import hashlib
import hmac
import logging
import os
from pathlib import Path

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bot.config import Settings

logger = logging.getLogger(__name__)


class NikVault:
    """The data key at work; named for the NIK, its first value, it encrypts every one."""

    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)
        self._hash_key = _derive(key, b"vokasi-bot nik fingerprint")
        # A separate key: a NIK fingerprint and a user code can never be compared.
        self._user_key = _derive(key, b"vokasi-bot handoff block user")

    def encrypt(self, value: str) -> str:
        return self._fernet.encrypt(value.encode()).decode()

    def decrypt(self, token: str) -> str:
        return self._fernet.decrypt(token.encode()).decode()

    def fingerprint(self, nik: str) -> str:
        """The same NIK always gives the same value; without the key it reveals nothing."""
        return hmac.new(self._hash_key, nik.encode(), hashlib.sha256).hexdigest()

    def user_code(self, user_id: int) -> str:
        """A Telegram user id as an unreadable code: recognisable again only with the key."""
        return hmac.new(self._user_key, str(user_id).encode(), hashlib.sha256).hexdigest()


def _derive(key: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(
        base64.urlsafe_b64decode(key)
    )


def load_data_key(settings: Settings) -> bytes:
    """DATA_KEY from the settings, else the key file, created on first use."""
    if settings.data_key is not None:
        return settings.data_key.get_secret_value().encode()
    return read_or_create_key_file(settings.data_key_file)


def read_or_create_key_file(path: Path) -> bytes:
    """The Fernet key in a file; a new one, readable by the owner only, when there is none."""
    if path.is_file():
        return path.read_bytes().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(key)
        file.flush()
        os.fsync(file.fileno())
    logger.warning(
        "Created a new data key in %s: back it up, NIKs and phone numbers cannot be read "
        "without it",
        path,
    )
    return key
