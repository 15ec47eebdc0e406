"""Campaign codes, links and QR codes: what staff print for a school visit or a poster."""

import io
import re
import unicodedata
from collections.abc import Collection

import segno

CODE_LENGTH = 32
CODE_PATTERN = re.compile(rf"^[a-z0-9_-]{{1,{CODE_LENGTH}}}$")
# Deep links another feature answers (handlers/school/about.py DEEP_LINKS): a campaign with one of
# these codes would never be counted.
RESERVED_CODES = frozenset({"sekolahrakyat", "sekolah_rakyat", "sr"})
# A programme's own link starts so (bot/content/programme_links.py).
RESERVED_PREFIX = "p-"
FALLBACK_CODE = "campaign"
# The highest number free_code appends: far more campaigns than one name will ever have.
MAX_NUMBER = 99_999
# Module size in pixels: a short link makes about 33 modules plus the quiet zone, so about
# 660 pixels, which prints sharp at 5 cm and more.
QR_SCALE = 16
# The quiet zone the QR standard asks for, in modules.
QR_BORDER = 4


def slug_of(name: str) -> str:
    """A code from a name: "Kunjungan SMKN 1 Serang 12 Des" -> "kunjungan-smkn-1-serang-12-des"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if slug.startswith(RESERVED_PREFIX):
        # "P Las" would read as the link of programme "las": "plas" cannot.
        slug = slug.replace("-", "", 1)
    if len(slug) > CODE_LENGTH:
        cut = slug[:CODE_LENGTH]
        # Rather drop a word than keep half of it.
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug or FALLBACK_CODE


def is_usable(code: str, taken: Collection[str]) -> bool:
    return (
        bool(CODE_PATTERN.match(code))
        and code not in RESERVED_CODES
        and not code.startswith(RESERVED_PREFIX)
        and code not in taken
    )


def split_name_and_code(typed: str) -> tuple[str, str]:
    """ "Poster Pasar Rau | poster-rau" -> the name and the code chosen; when what follows the
    last | is not a valid code ("Diskon | 50% OFF"), all of it is the name and no code is."""
    name, bar, code = typed.rpartition("|")
    code = code.strip().lower()
    if bar and CODE_PATTERN.match(code):
        return " ".join(name.split()), code
    return " ".join(typed.split()), ""


def code_stem(slug: str) -> str:
    """The start shared by the slug and every code free_code makes from it up to -99999: the
    taken codes to look up (a long slug is shortened to make room for the number)."""
    return slug[: CODE_LENGTH - len(f"-{MAX_NUMBER}")].rstrip("-")


def free_code(slug: str, taken: Collection[str]) -> str:
    """The slug itself, or with -2, -3... appended (shortened to fit) when it is taken.

    taken must hold every code starting with code_stem(slug)."""
    if is_usable(slug, taken):
        return slug
    number = 2
    while number <= MAX_NUMBER:
        suffix = f"-{number}"
        candidate = slug[: CODE_LENGTH - len(suffix)].rstrip("-") + suffix
        if is_usable(candidate, taken):
            return candidate
        number += 1
    raise ValueError(f"no free code left for {slug!r}")


def campaign_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"


def qr_png(link: str) -> bytes:
    """The link as a QR code PNG, black on white with its quiet zone, large enough to print."""
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=QR_SCALE, border=QR_BORDER)
    return buffer.getvalue()
