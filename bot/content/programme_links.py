"""Links that open one programme's card, for sharing with a friend or printing on a poster.

t.me/<bot>?start=p-<programme> opens the card; p-<programme>-<campaign> also credits the
campaign, as the campaign's own link does (programme codes have no "-", campaign codes may)."""

import re
from urllib.parse import urlencode

PREFIX = "p-"
PROGRAMME_LINK = re.compile(r"^p-([a-z][a-z0-9_]{0,23})(?:-([a-z0-9_-]{1,32}))?$")
SHARE_URL = "https://t.me/share/url"


def programme_payload(programme: str, campaign: str | None = None) -> str:
    return f"{PREFIX}{programme}-{campaign}" if campaign else f"{PREFIX}{programme}"


def read_programme_payload(payload: str) -> tuple[str, str | None] | None:
    """(programme, campaign or None) from a /start payload; None when it is not such a link."""
    found = PROGRAMME_LINK.match(payload)
    return (found.group(1), found.group(2)) if found else None


def programme_link(bot_username: str, programme: str, campaign: str | None = None) -> str:
    return f"https://t.me/{bot_username}?start={programme_payload(programme, campaign)}"


def share_url(link: str, text: str) -> str:
    """Telegram's "share to a chat" page: the user picks a chat, the link and text go there."""
    return f"{SHARE_URL}?{urlencode({'url': link, 'text': text})}"
