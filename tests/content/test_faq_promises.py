"""What the shipped FAQ and Sekolah Rakyat texts tell people must rest on ../shared/domain.md:
no text promises that BBPVP Serang's staff help people register in person (only BLK Paser was
reported doing so, in 2022), and the facts added from domain.md stay in both languages."""

import re

import pytest

from bot.content.faq import load_faq
from bot.content.school import load_school_content

# Sentences that promised help the centre never offered. Each is caught by the check below.
REMOVED_PROMISES = [
    "Susah daftar online? Datang langsung ke BBPVP Serang, petugas bisa bantu.",
    "Kesulitan? Datang ke BBPVP Serang untuk dibantu petugas.",
    "Bisa. Datang langsung ke BBPVP Serang (BLKI Karundang). Petugas bisa bantu kamu daftar.",
    "Kalau menolak, tidak ada yang dicatat, dan kamu tetap bisa daftar langsung di balai.",
    "Trouble registering online? Come to BBPVP Serang and staff can help.",
    "Stuck? Come to BBPVP Serang and staff will help.",
    "Yes. Come to BBPVP Serang (BLKI Karundang). Staff can help you register.",
    "If you do, nothing is recorded, and you can still register at the centre in person.",
]
PROMISE = re.compile(
    r"petugas\b.*\b(bisa|akan|siap)\b.*\bbantu"
    r"|dibantu petugas"
    r"|bisa daftar langsung"
    r"|\bstaff\b.*\b(can|will)\b.*\bhelp\b"
    r"|\bregister (at the centre )?in person\b",
    re.IGNORECASE,
)
# A sentence that asks the user to check with the centre promises nothing.
ASKS_TO_CONFIRM = re.compile(r"\b(apakah|whether)\b", re.IGNORECASE)


def promises(text: str) -> list[str]:
    sentences = re.split(r"(?<=[.!?])\s+|\n+", text)
    return [s for s in sentences if PROMISE.search(s) and not ASKS_TO_CONFIRM.search(s)]


def shipped_texts() -> list[tuple[str, str]]:
    """(where, text) for every answer, section and note a user can be shown."""
    texts = []
    for entry in load_faq().entries:
        texts += [(f"faq {entry.code}.{lang}", entry.answer[lang]) for lang in ("id", "en")]
    school = load_school_content()
    for item in [*school.sections, *school.questions]:
        fields = [getattr(item, name, None) for name in ("text", "answer", "confirm_note")]
        for field in filter(None, fields):
            texts += [(f"school {item.code}.{lang}", field[lang]) for lang in ("id", "en")]
    return texts


@pytest.mark.parametrize("sentence", REMOVED_PROMISES)
def test_the_check_catches_each_promise_that_was_removed(sentence: str) -> None:
    assert promises(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Susah daftar online? Tanyakan ke balai apakah petugas bisa membantu kamu daftar.",
        "Trouble registering online? Ask the centre whether staff can help you register.",
        "At another BLK (BLK Paser, 2022), people who could not register online were helped.",
    ],
)
def test_asking_the_user_to_confirm_with_the_centre_is_not_a_promise(sentence: str) -> None:
    assert promises(sentence) == []


def test_no_shipped_text_promises_in_person_registration_help() -> None:
    found = [(where, sentence) for where, text in shipped_texts() for sentence in promises(text)]
    assert found == []


def test_no_shipped_text_repeats_a_removed_promise() -> None:
    fragments = [
        "petugas bisa bantu",
        "untuk dibantu petugas",
        "tetap bisa daftar langsung di balai",
        "and staff can help.",
        "and staff will help.",
        "staff can help you register.",
        "can still register at the centre in person",
    ]
    for where, text in shipped_texts():
        for fragment in fragments:
            assert fragment not in text.lower(), where


def test_the_in_person_answer_sends_people_to_ask_the_centre_first() -> None:
    answer = load_faq().entry("register_in_person").answer
    assert "Tanyakan dulu ke balai" in answer["id"] and "BLK Paser, 2022" in answer["id"]
    assert "Ask the centre first" in answer["en"] and "BLK Paser, 2022" in answer["en"]


# Each fact added from ../shared/domain.md, as the FAQ entry that must carry it in each language.
FACTS = [
    ("registration_steps", "daftar ulang", "re-registration (daftar ulang)"),
    ("re_registration", "BLK Paser, 2022", "BLK Paser, 2022"),
    ("data_protection", "3×24 jam", "3×24 hours"),
    ("mydata_command", "3×24 jam", "3×24 hours"),
    ("data_rights", "keputusan yang diambil otomatis (Pasal 10)", "automatically (Pasal 10)"),
    ("data_rights", "minta petugas meninjaunya", "ask staff to review it"),
    ("nik_without_ktp", "Kartu Keluarga (KK) dan di KIA", "(Kartu Keluarga, KK) and on the KIA"),
    ("why_nik", "Kartu Keluarga (KK)", "(Kartu Keluarga, KK)"),
    ("sr_documents", "NIK anak tertera di KK dan di KIA", "NIK is on the KK and on the KIA"),
    ("intake_schedule", "20.000 kursi per angkatan", "20,000 places per batch"),
    ("training_free", "KUR PMI", "KUR PMI"),
    ("pmi_training", "belum bisa kami pastikan", "could not confirm what the training costs"),
]


@pytest.mark.parametrize(("code", "indonesian", "english"), FACTS)
def test_each_added_fact_is_told_in_both_languages(
    code: str, indonesian: str, english: str
) -> None:
    answer = load_faq().entry(code).answer
    assert indonesian in answer["id"]
    assert english in answer["en"]


def test_every_entry_keeps_the_question_limits_the_file_header_gives() -> None:
    for entry in load_faq().entries:
        for questions in (entry.questions.id, entry.questions.en):
            assert 4 <= len(questions) <= 8, entry.code
            assert all(len(question) <= 120 for question in questions), entry.code
