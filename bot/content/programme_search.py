"""Finding programmes by what someone types after the bot's name ("@bot las", "@bot jepang"):
every typed word must start a word of the programme's title or summary, in either language."""

import re
import unicodedata
from collections.abc import Iterable, Sequence

from db.models import Programme

MAX_RESULTS = 50  # what Telegram shows for one inline query


def words_in(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z0-9]+", folded)


def searchable_words(programme: Programme) -> set[str]:
    texts: Iterable[str] = [
        *programme.texts.get("title", {}).values(),
        *programme.texts.get("summary", {}).values(),
        programme.code.replace("_", " "),
    ]
    return {word for text in texts for word in words_in(text)}


def matching_programmes(programmes: Sequence[Programme], query: str) -> list[Programme]:
    """The programmes every typed word fits, those whose title it fits first, in catalogue
    order; an empty query lists them all."""
    wanted = words_in(query)
    found = []
    for position, programme in enumerate(programmes):
        words = searchable_words(programme)
        if all(any(word.startswith(typed) for word in words) for typed in wanted):
            title = {
                word
                for text in programme.texts.get("title", {}).values()
                for word in words_in(text)
            }
            in_title = all(any(word.startswith(typed) for word in title) for typed in wanted)
            found.append((not in_title, position, programme))
    return [programme for *_, programme in sorted(found, key=lambda row: row[:2])][:MAX_RESULTS]
