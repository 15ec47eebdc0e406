"""The FAQ matcher as it was before issue 12, kept so bench.faq_hits can report before and
after on the same phrasings: rapidfuzz over single question variants, no lexical ranker, no
stemming, and its thresholds."""

import re
import unicodedata

from rapidfuzz import process

from bot.content.faq import FILLER, SHORTHAND, Faq, Match, blended_score

STRONG, CLEAR, LEAD, WEAK = 80.0, 70.0, 15.0, 60.0


def normalise(phrase: str) -> str:
    words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKC", phrase).lower())
    return " ".join(w for w in (SHORTHAND.get(w, w) for w in words) if w not in FILLER)


class FuzzyIndex:
    def __init__(self, faq: Faq) -> None:
        pairs = [
            (normalise(variant), entry.code)
            for entry in faq.entries
            for variant in [*entry.questions.id, *entry.questions.en]
        ]
        self._variants = [variant for variant, _ in pairs]
        self._owners = [code for _, code in pairs]

    def search(self, query: str, limit: int = 3) -> list[Match]:
        cleaned = normalise(query)
        if not cleaned:
            return []
        best: dict[str, float] = {}
        for _, score, index in process.extract(
            cleaned, self._variants, scorer=blended_score, limit=40
        ):
            best[self._owners[index]] = max(best.get(self._owners[index], 0.0), score)
        ranked = sorted(best.items(), key=lambda item: item[1], reverse=True)
        return [Match(code, score) for code, score in ranked[:limit]]

    @staticmethod
    def is_confident(matches: list[Match]) -> bool:
        if not matches:
            return False
        runner_up = matches[1].score if len(matches) > 1 else 0.0
        best = matches[0].score
        return best >= STRONG or (best >= CLEAR and best - runner_up >= LEAD)

    @staticmethod
    def choices(matches: list[Match]) -> list[Match]:
        return [match for match in matches if match.score >= WEAK]

    @staticmethod
    def see_also(matches: list[Match]) -> list[Match]:
        return [match for match in matches[1:] if match.score >= WEAK]
