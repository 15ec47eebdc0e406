"""The FAQ: staff-edited questions and answers, and fuzzy matching of what people type.

Matching is rapidfuzz over every question variant in both languages, so typos, slang and
mixed Indonesian and English still find the right answer. Pure code: no Telegram, no database.
"""

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator
from rapidfuzz import fuzz, process

from bot.config import CONTENT_DIR
from bot.content.files import ContentError, Strict, load_content, text

DEFAULT_FAQ = CONTENT_DIR / "faq.yaml"
TOPICS = (
    "registration",
    "costs",
    "allowances",
    "documents",
    "ages",
    "certificates",
    "courses",
    "japan",
    "korea",
    "migrant_work",
    "sekolah_rakyat",
    "centre",
    "data_privacy",
    "bot_help",
)
Variant = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=120)]
Variants = Annotated[list[Variant], Field(min_length=1, max_length=12)]
# Chat shorthand and filler words: expanded or dropped before matching.
SHORTHAND = {
    "gmn": "gimana",
    "gmna": "gimana",
    "gimna": "gimana",
    "bgmn": "bagaimana",
    "brp": "berapa",
    "brapa": "berapa",
    "ga": "tidak",
    "gak": "tidak",
    "nggak": "tidak",
    "ngga": "tidak",
    "engga": "tidak",
    "enggak": "tidak",
    "tdk": "tidak",
    "gk": "tidak",
    "yg": "yang",
    "utk": "untuk",
    "untk": "untuk",
    "dgn": "dengan",
    "sy": "saya",
    "aq": "saya",
    "aku": "saya",
    "gw": "saya",
    "gue": "saya",
    "udh": "sudah",
    "sdh": "sudah",
    "blm": "belum",
    "krn": "karena",
    "bs": "bisa",
    "bsa": "bisa",
    "jd": "jadi",
    "klo": "kalau",
    "kalo": "kalau",
    "lg": "lagi",
    "skrg": "sekarang",
    "sekolahnya": "sekolah",
}
FILLER = frozenset(
    "kak kakak min admin gan bang mas mbak pak bu dong sih ya yah kah nih deh nya mau tanya "
    "please pls hi halo hello permisi maaf the a an is are do i me my".split()
)
# Scores are 0-100. One answer is shown when it scores STRONG, or CLEAR and LEAD points ahead
# of the next; otherwise answers scoring WEAK are offered as a choice.
STRONG, CLEAR, LEAD, WEAK = 80.0, 70.0, 15.0, 60.0


class FaqError(ContentError):
    pass


class QuestionVariants(Strict):
    id: Variants
    en: Variants


class FaqEntry(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
    topic: Literal[TOPICS]  # type: ignore[valid-type]
    questions: QuestionVariants
    answer: text(700)  # type: ignore[valid-type]
    programme: str | None = None


class Faq(Strict):
    version: Literal[1]
    entries: list[FaqEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def check_codes(self) -> "Faq":
        codes = [entry.code for entry in self.entries]
        if len(set(codes)) != len(codes):
            raise ValueError("two FAQ entries share a code")
        return self

    def entry(self, code: str) -> FaqEntry | None:
        return next((entry for entry in self.entries if entry.code == code), None)


def load_faq(path: Path = DEFAULT_FAQ) -> Faq:
    return load_content(path, Faq, FaqError)


def normalise(phrase: str) -> str:
    """Lower case, no punctuation, shorthand spelled out and filler words dropped."""
    folded = unicodedata.normalize("NFKC", phrase).lower()
    words = re.findall(r"[a-z0-9]+", folded)
    kept = [SHORTHAND.get(word, word) for word in words]
    return " ".join(word for word in kept if word not in FILLER)


@dataclass(frozen=True)
class Match:
    code: str
    score: float


class FaqIndex:
    """Every question variant, normalised once; search returns the best entries first."""

    def __init__(self, faq: Faq) -> None:
        self.faq = faq
        self._variants: list[str] = []
        self._owners: list[str] = []
        for entry in faq.entries:
            for variant in [*entry.questions.id, *entry.questions.en]:
                self._variants.append(normalise(variant))
                self._owners.append(entry.code)

    def search(self, query: str, limit: int = 3) -> list[Match]:
        cleaned = normalise(query)
        if not cleaned:
            return []
        best: dict[str, float] = {}
        for _variant, score, index in process.extract(
            cleaned, self._variants, scorer=blended_score, limit=40
        ):
            code = self._owners[index]
            best[code] = max(best.get(code, 0.0), score)
        ranked = sorted(best.items(), key=lambda item: item[1], reverse=True)
        return [Match(code, score) for code, score in ranked[:limit]]


# Greetings and thanks: answered with the menu, not with "I don't know" and a person.
SMALL_TALK = frozenset(
    {
        "",
        "halo",
        "hallo",
        "hai",
        "hi",
        "hello",
        "hey",
        "p",
        "ping",
        "test",
        "tes",
        "ok",
        "oke",
        "okay",
        "siap",
        "baik",
        "terima kasih",
        "makasih",
        "trims",
        "thanks",
        "thank you",
        "selamat pagi",
        "selamat siang",
        "selamat sore",
        "selamat malam",
        "pagi",
        "siang",
        "malam",
        "assalamualaikum",
        "wassalamualaikum",
        "good morning",
        "mantap",
        "sip",
    }
)


def is_small_talk(phrase: str) -> bool:
    folded = " ".join(re.findall(r"[a-z]+", unicodedata.normalize("NFKC", phrase).lower()))
    return folded in SMALL_TALK or not re.search(r"\w", phrase)


def is_confident(matches: list[Match]) -> bool:
    """Whether the best match is good enough to answer with, without asking."""
    if not matches:
        return False
    best = matches[0].score
    runner_up = matches[1].score if len(matches) > 1 else 0.0
    return best >= STRONG or (best >= CLEAR and best - runner_up >= LEAD)


def blended_score(query: str, variant: str, **_: object) -> float:
    """token_set_ratio finds the variant whose words the question shares; token_sort_ratio and
    the plain ratio break its ties (a two-word question "matches" every long variant that
    contains both words). The weights were chosen with bench/faq_hits.py."""
    return (
        0.5 * fuzz.token_set_ratio(query, variant)
        + 0.3 * fuzz.token_sort_ratio(query, variant)
        + 0.2 * fuzz.ratio(query, variant)
    )
