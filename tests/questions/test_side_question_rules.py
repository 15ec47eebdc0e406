"""The per-step rule for side questions, both ways for every kind of step, on the real FAQ."""

from datetime import date
from functools import cache

import pytest

from bot.content.faq import FaqIndex, Match, load_faq
from bot.forms import eligibility, registration, school_interest
from bot.forms.side_questions import (
    StepKind,
    TypedStep,
    answers_paused_form,
    asks,
    is_side_question,
    reads_as_question,
)

TODAY = date(2026, 12, 7)
SCHOOL = school_interest.TYPED_QUESTIONS
REGISTRATION = registration.typed_questions(TODAY)
ELIGIBILITY = eligibility.typed_questions(TODAY)


@cache
def faq() -> FaqIndex:
    return FaqIndex(load_faq())


def search(text: str) -> list[Match]:
    return faq().search(text)


def never_searched(text: str) -> list[Match]:
    raise AssertionError(f"the FAQ was searched for {text!r}")


@pytest.mark.parametrize(
    ("steps", "step", "text"),
    [
        (SCHOOL, "child_age", "sekolah rakyat gratis gak?"),
        (SCHOOL, "child_age", "is sekolah rakyat free?"),
        (SCHOOL, "child_age", "umur berapa bisa masuk"),
        (SCHOOL, "child_age", "sekolah rakyat bayar"),  # no question word: a clear FAQ match
        (SCHOOL, "phone", "kenapa harus nomor hp"),
        (SCHOOL, "name", "berapa biaya sekolah rakyat"),
        (SCHOOL, "child_name", "apa itu sekolah rakyat"),
        (REGISTRATION, "name", "berapa biaya pelatihannya?"),
        (REGISTRATION, "name", "how much does the training cost?"),
        (REGISTRATION, "nik", "nik itu apa?"),
        (REGISTRATION, "nik", "dmn cari nik"),
        (REGISTRATION, "birth_date", "kapan pendaftaran dibuka?"),
        (REGISTRATION, "phone", "can I register without a phone?"),
        (REGISTRATION, "email", "apakah harus punya email"),
        (ELIGIBILITY, "birth_date", "berapa umur maksimal?"),
    ],
)
def test_questions_are_questions(steps: dict[str, TypedStep], step: str, text: str) -> None:
    assert is_side_question(steps, step, text, search)


@pytest.mark.parametrize(
    ("steps", "step", "text"),
    [
        (SCHOOL, "child_age", "9"),
        (SCHOOL, "child_age", "9 tahun"),
        (SCHOOL, "child_age", "12 years"),
        (SCHOOL, "child_age", "sepuluh"),  # no number, but no question: the form's hint
        (SCHOOL, "phone", "0812 3456 7890"),
        (SCHOOL, "phone", "my number is 0812 3456 789"),  # an auxiliary inside an answer
        (SCHOOL, "name", "Siti Aminah"),
        (SCHOOL, "name", "Apa Budi"),
        (SCHOOL, "name", "Bisa Santoso"),
        (SCHOOL, "name", "Kapan Sari"),
        (SCHOOL, "child_name", "Ani"),
        (SCHOOL, "child_name", "Mana"),
        (REGISTRATION, "name", "Apa Budi"),
        (REGISTRATION, "name", "Will Smith"),
        (REGISTRATION, "name", "Who Ann"),
        (REGISTRATION, "nik", "3673015203040001"),
        (REGISTRATION, "nik", "3673 0152 0304 0001"),
        (REGISTRATION, "nik", "12345"),  # a wrong NIK gets the NIK's hint
        (REGISTRATION, "birth_date", "17-08-2005"),
        (REGISTRATION, "birth_date", "1 Des 2000"),
        (REGISTRATION, "email", "apa@gmail.com"),
        (ELIGIBILITY, "birth_date", "12 Maret 2004"),
        # Steps answered with buttons are left to their own handling.
        (SCHOOL, "relationship", "apa bedanya wali?"),
        (REGISTRATION, "education", "berapa biaya pelatihannya?"),
        (ELIGIBILITY, "education", "berapa biaya pelatihannya?"),
    ],
)
def test_answers_are_answers(steps: dict[str, TypedStep], step: str, text: str) -> None:
    assert not is_side_question(steps, step, text, search)


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        (StepKind.NUMBER, "9"),
        (StepKind.DATE, "17-08-2005"),
        (StepKind.NIK, "3673015203040001"),
        (StepKind.PHONE, "0812 3456 7890"),
        (StepKind.EMAIL, "apa@gmail.com"),
    ],
)
def test_a_valid_answer_is_never_searched_for(kind: StepKind, text: str) -> None:
    assert not reads_as_question(kind, text, valid=True, search=never_searched)


def test_a_name_that_asks_nothing_is_never_searched_for() -> None:
    assert not reads_as_question(StepKind.NAME, "Siti Aminah", valid=True, search=never_searched)


@pytest.mark.parametrize(
    ("text", "asking"),
    [
        ("gratis?", True),
        ("gratis？", True),
        ("Apa Budi", True),
        ("gmn daftarnya", True),
        ("is it free", True),
        ("Can I come", True),
        ("my number is 0812", False),
        ("Siti Aminah", False),
        ("sepuluh", False),
        ("", False),
    ],
)
def test_what_asks(text: str, asking: bool) -> None:
    assert asks(text) is asking


@pytest.mark.parametrize(
    ("typed", "text", "answers"),
    [
        (SCHOOL["child_age"], "9", True),
        (SCHOOL["child_age"], "sekolah rakyat gratis gak?", False),
        (SCHOOL["phone"], "0812 3456 7890", True),
        (REGISTRATION["nik"], "3673015203040001", True),
        (REGISTRATION["email"], "siti@gmail.com", True),
        (SCHOOL["name"], "Siti Aminah", False),  # a name while paused may be a question
        (SCHOOL["child_name"], "biaya pelatihan", False),
        (None, "9", False),  # a question answered with buttons
    ],
)
def test_what_answers_a_paused_form(typed: TypedStep | None, text: str, answers: bool) -> None:
    assert answers_paused_form(typed, text) is answers
