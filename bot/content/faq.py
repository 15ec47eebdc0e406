"""The FAQ: staff-edited questions and answers, and fuzzy matching of what people type.

Matching is rapidfuzz over every question variant in both languages, so typos, slang and
mixed Indonesian and English still find the right answer. Pure code: no Telegram, no database.
"""

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Annotated, Literal

import bm25s
from pydantic import Field, StringConstraints, model_validator
from rapidfuzz import fuzz, process
from Sastrawi.Stemmer.Stemmer import Stemmer
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

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
    "dmn": "dimana",
    "kpn": "kapan",
    "knp": "kenapa",
    "gimana2": "gimana",
    "bgt": "banget",
    "trs": "terus",
    "trus": "terus",
    "tp": "tapi",
    "tpi": "tapi",
    "sm": "sama",
    "dr": "dari",
    "dri": "dari",
    "dl": "dulu",
    "org": "orang",
    "bln": "bulan",
    "thn": "tahun",
    "th": "tahun",
    "taun": "tahun",
    "kmrn": "kemarin",
    "kemaren": "kemarin",
    "emg": "memang",
    "gpp": "tidak apa",
    "hrs": "harus",
    "msh": "masih",
    "pny": "punya",
    "pnya": "punya",
    "bkn": "bukan",
    "jg": "juga",
    "smk2": "smk",
    "ortu": "orang tua",
    "daptar": "daftar",
    # Sundanese, as people in Banten type it
    "kumaha": "gimana",
    "kepriben": "gimana",
    "naon": "apa",
    "iraha": "kapan",
    "sabaraha": "berapa",
    "teu": "tidak",
    "henteu": "tidak",
    "tiasa": "bisa",
    "abdi": "saya",
    "daftarna": "daftar",
}
# Words of one meaning, in either language, collapsed into one before matching: a question
# about "bayar" finds the answer whose variants say "biaya".
SYNONYMS = {
    spelling: meaning
    for meaning, spellings in {
        "biaya": "bayar harga ongkos tarif duit cost fee fees pay paid price",
        "dokumen": "berkas document documents docs",
        "umur": "usia age old",
        "asrama": "nginep menginap inap mess dorm dormitory kos kost ngekos boarding",
        "laki": "cowo cowok pria boy boys male putra",
        "perempuan": "cewe cewek wanita girl girls female women woman putri",
        "gratis": "free gratisan",
        "daftar": "register registration enrol enroll apply signup",
        "kerja": "work job jobs working",
        "sertifikat": "certificate certificates sertifikasi",
        "jepang": "japan japanese",
        "anak": "child children kid kids",
    }.items()
    for spelling in [meaning, *spellings.split()]
}
FILLER = frozenset(
    "kak kakak min admin gan bang mas mbak pak bu dong sih ya yah kah nih deh nya mau tanya "
    "punten kang teh akang hoyong bade naros hatur nuhun sampurasun "
    "please pls hi halo hello permisi maaf the a an is are do i me my".split()
)
# Scores are 0-100. One answer is shown when it scores CLEAR and is LEAD points ahead of the
# next, or AGREED_LEAD ahead when both rankers put it first; otherwise answers scoring WEAK are
# offered as a choice, and below that the bot says it doesn't know. Tuned with
# bench/faq_hits.py on its tuning split only: direct answers at most 5 % wrong, at most 3 % of
# out-of-scope or too-vague questions ("jual pulsa murah", "berapa?") answered directly, and
# the right answer among the first three shown for at least 97 %.
CLEAR, LEAD, AGREED_LEAD, WEAK = 34.0, 4.0, 2.0, 29.0
LONG_MESSAGE = 80  # characters
# Words that ask without saying about what: a question of only these ("berapa?", "syaratnya
# apa") is never answered directly.
QUESTION_WORDS = (
    "apa berapa gimana bagaimana kapan dimana mana kenapa mengapa siapa apakah boleh bisa tidak "
    "aja saja ada itu ini info informasi syarat tanya nanya tes test how what when where why "
    "who which much many can could is are requirement requirements info information ok oke"
)


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


def words_of(phrase: str) -> list[str]:
    """Lower case words without punctuation: letters typed for emphasis once ("gratisss"),
    doubled words once ("langkah2"), shorthand spelled out, filler words dropped and
    Indonesian affixes taken off ("pendaftarannya" is "daftar")."""
    folded = unicodedata.normalize("NFKC", phrase).lower()
    words = []
    for word in re.findall(r"[a-z0-9]+", folded):
        word = re.sub(r"([a-z])\1{2,}", r"\1", word)
        word = re.sub(r"(?<=[a-z]{2})2$", "", word)
        word = SHORTHAND.get(word, word)
        if word not in FILLER:
            word = stem(word)
            words.append(SYNONYMS.get(word, word))
    return words


@cache
def question_words() -> frozenset[str]:
    return frozenset(words_of(QUESTION_WORDS))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer().stem(word) or word


@cache
def _stemmer() -> Stemmer:
    return StemmerFactory().create_stemmer()


def normalise(phrase: str) -> str:
    return " ".join(words_of(phrase))


@dataclass(frozen=True)
class Match:
    code: str
    score: float
    agreed: bool = False  # both rankers put this entry first
    vague: bool = False  # the question has only question words ("berapa?", "syaratnya apa")


@dataclass(frozen=True)
class Weights:
    """How the two rankers are combined; chosen with bench/faq_hits.py on its tuning split."""

    lexical: float = 0.65
    typo_cutoff: float = 85.0


class FaqIndex:
    """Two rankers over every entry. Lexical: BM25 over the entry's question variants pooled
    into one document, so words spread over several variants add up and rare words count
    most. Fuzzy: the best rapidfuzz score over single variants, which forgives typos. Search
    returns the best entries first, scored 0-100."""

    def __init__(self, faq: Faq, weights: Weights = Weights()) -> None:
        self.faq = faq
        self.weights = weights
        self._variants: list[str] = []
        self._owners: list[str] = []
        self._codes = [entry.code for entry in faq.entries]
        documents = []
        for entry in faq.entries:
            document: list[str] = []
            for variant in [*entry.questions.id, *entry.questions.en]:
                words = words_of(variant)
                self._variants.append(" ".join(words))
                self._owners.append(entry.code)
                document += words
            documents.append(document or ["-"])
        self._vocabulary = sorted({word for document in documents for word in document})
        self._known = frozenset(self._vocabulary)
        frequency = Counter(word for document in documents for word in set(document))
        entries = len(documents)
        self._idf = {
            word: math.log(1 + (entries - count + 0.5) / (count + 0.5))
            for word, count in frequency.items()
        }
        self._unknown_idf = math.log(1 + (entries - 0.5) / 1.5)
        self._bm25 = bm25s.BM25()
        self._bm25.index(documents, show_progress=False)

    def search(self, query: str, limit: int = 3) -> list[Match]:
        """A long message (a greeting, a story, then the question) is also searched by its
        last two clauses, where the question usually is; each entry keeps its better score."""
        best = {match.code: match for match in self._ranked(query)}
        if len(query) > LONG_MESSAGE:
            clauses = [clause for clause in re.split(r"[.,!?;\n]+", query) if clause.strip()]
            for match in self._ranked(" ".join(clauses[-2:])):
                if match.code not in best or match.score > best[match.code].score:
                    best[match.code] = match
        ranked = sorted(best.values(), key=lambda match: match.score, reverse=True)[:limit]
        if set(words_of(query)) <= question_words():
            ranked = [replace(match, vague=True) for match in ranked]
        return ranked

    def _ranked(self, query: str) -> list[Match]:
        words = self._spelled_as_indexed(words_of(query))
        if not words:
            return []
        lexical = self._lexical(words)
        fuzzy = self._fuzzy(" ".join(words))
        w = self.weights.lexical
        scores = {
            code: w * lexical.get(code, 0.0) + (1 - w) * fuzzy.get(code, 0.0)
            for code in {*lexical, *fuzzy}
        }
        firsts = {max(ranker, key=ranker.__getitem__) for ranker in (lexical, fuzzy) if ranker}
        agreed = bool(lexical) and bool(fuzzy) and len(firsts) == 1
        return [
            Match(code, round(score, 1), agreed and code in firsts)
            for code, score in scores.items()
        ]

    def _spelled_as_indexed(self, words: list[str]) -> list[str]:
        """A misspelt word ("pendaftran") becomes the indexed word it is closest to."""
        spelled = []
        for word in words:
            if word not in self._known and len(word) >= 4:
                found = process.extractOne(
                    word,
                    self._vocabulary,
                    scorer=fuzz.ratio,
                    score_cutoff=self.weights.typo_cutoff,
                )
                word = found[0] if found else word
            spelled.append(word)
        return spelled

    def _lexical(self, words: list[str]) -> dict[str, float]:
        """BM25, as a share (0-100) of what the query's words could score at most: a question
        of unknown words ("jual pulsa murah") scores low everywhere."""
        # A word counts at most twice: a phrase pasted over and over is no surer a match.
        counts = Counter(word for word in words if word in self._known)
        known = [word for word, count in counts.items() for _ in range(min(count, 2))]
        if not known:
            return {}
        scores = self._bm25.get_scores(known)
        ceiling = sum(self._idf.get(word, self._unknown_idf) for word in dict.fromkeys(words))
        return {
            code: min(100.0, 100.0 * float(score) / ceiling)
            for code, score in zip(self._codes, scores, strict=True)
            if score > 0
        }

    def _fuzzy(self, cleaned: str) -> dict[str, float]:
        best: dict[str, float] = {}
        for _variant, score, index in process.extract(
            cleaned, self._variants, scorer=blended_score, limit=40
        ):
            code = self._owners[index]
            best[code] = max(best.get(code, 0.0), score)
        return best


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


# Words that greet, thank, say goodbye or call the admin; a message of only these, or of
# laughter, is small talk ("makasih infonya kak", "ok see you", "wkwkwk").
SMALL_TALK_WORDS = frozenset(
    " ".join(SMALL_TALK).split()
    + (
        "kak kakak min admin gan bang mas mbak pak bu teh kang semua semuanya ya yah deh dong "
        "kasih makasi makasih makasihh nuhun hatur infonya informasinya bye dadah sampai jumpa "
        "ketemu lagi see you later night thx ty okey okay oce okee noted cool nice good great "
        "wah wow"
    ).split()
)


def is_small_talk(phrase: str) -> bool:
    words = re.findall(r"[a-z]+", unicodedata.normalize("NFKC", phrase).lower())
    if " ".join(words) in SMALL_TALK or not re.search(r"\w", phrase):
        return True
    laughter = re.compile(r"(wk)+w?|(ha)+h?|(he)+h?|(hi)+h?|(xi)+|a?w?kwk\w*")
    return all(word in SMALL_TALK_WORDS or laughter.fullmatch(word) for word in words)


def is_confident(matches: list[Match]) -> bool:
    """Whether the best match is good enough to answer with, without asking."""
    if not matches or matches[0].vague or matches[0].score < CLEAR:
        return False
    lead = matches[0].score - (matches[1].score if len(matches) > 1 else 0.0)
    return lead >= LEAD or (matches[0].agreed and lead >= AGREED_LEAD)


def choices(matches: list[Match]) -> list[Match]:
    """The answers worth offering when none is clear."""
    return [match for match in matches if match.score >= WEAK]


def see_also(matches: list[Match]) -> list[Match]:
    """Other answers worth a button under a clear answer."""
    return [match for match in matches[1:] if match.score >= WEAK]


def blended_score(query: str, variant: str, **_: object) -> float:
    """token_set_ratio finds the variant whose words the question shares; token_sort_ratio and
    the plain ratio break its ties (a two-word question "matches" every long variant that
    contains both words). The weights were chosen with bench/faq_hits.py."""
    return (
        0.5 * fuzz.token_set_ratio(query, variant)
        + 0.3 * fuzz.token_sort_ratio(query, variant)
        + 0.2 * fuzz.ratio(query, variant)
    )
