"""The FAQ matcher on its own: how it reads chat Indonesian, and when it answers directly."""

import pytest

from bot.content.faq import (
    FaqIndex,
    Match,
    choices,
    is_confident,
    is_small_talk,
    load_faq,
    normalise,
)


@pytest.fixture(scope="module")
def index() -> FaqIndex:
    return FaqIndex(load_faq())


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("gratisss", "gratis"),  # letters typed for emphasis
        ("langkah2 daftar", "langkah daftar"),  # a doubled word written with a 2
        ("sy mau daftar yg las", "saya daftar yang las"),  # shorthand, filler dropped
        ("punten kang, kumaha daftarna", "gimana daftar"),  # Sundanese
        ("pendaftarannya", "daftar"),  # Indonesian affixes taken off
        ("bayar", "biaya"),  # one meaning, one word
        ("fee", "biaya"),  # in either language
    ],
)
def test_chat_indonesian_is_read_as_it_is_meant(typed: str, read_as: str) -> None:
    assert normalise(typed) == read_as


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("pelatihannya gratisss ga sih kak", "training_free"),
        ("kumaha cara daftar pelatihan di balai", "registration_steps"),
        ("dmn alamat bbpvp serang", "centre_address"),
        ("What documents do I need for the Korea program?", "korea_documents"),
        ("sy udh bikin akun siapkerja trs abis itu ngapain", "after_siapkerja_account"),
    ],
)
def test_a_clear_question_is_answered_directly(
    index: FaqIndex, question: str, answer: str
) -> None:
    found = index.search(question)
    assert is_confident(found) and found[0].code == answer, found


@pytest.mark.parametrize("question", ["berapa?", "syaratnya apa", "how much", "info dong"])
def test_a_question_of_only_question_words_is_never_answered_directly(
    index: FaqIndex, question: str
) -> None:
    assert not is_confident(index.search(question))


@pytest.mark.parametrize("question", ["jual pulsa murah", "siapa presiden amerika", "qwxz zzkq"])
def test_out_of_scope_gets_neither_an_answer_nor_a_choice(index: FaqIndex, question: str) -> None:
    found = index.search(question)
    assert not is_confident(found) and choices(found) == [], found


def test_a_phrase_pasted_over_and_over_is_not_a_surer_match(index: FaqIndex) -> None:
    pasted = "qwxz " + " ".join(["parkir motor di mana"] * 8)
    assert not is_confident(index.search(pasted))
    # Saying what matters twice is still read as the question it is.
    assert is_confident(index.search("biaya pelatihan las berapa? biaya nya berapa"))


def test_a_tie_is_a_choice_not_an_answer() -> None:
    tie = [Match("training_age", 70.0), Match("japan_age", 69.0)]
    assert not is_confident(tie)
    assert not is_confident([Match("training_age", 70.0, agreed=True), Match("japan_age", 69.0)])
    assert is_confident([Match("training_age", 70.0, agreed=True), Match("japan_age", 67.0)])
    assert is_confident([Match("training_age", 70.0), Match("japan_age", 60.0)])


@pytest.mark.parametrize(
    "text", ["see you", "makasih infonya kak", "wkwkwk", "ok thanks see you later", "hatur nuhun"]
)
def test_thanks_and_goodbyes_are_small_talk_not_questions(text: str) -> None:
    assert is_small_talk(text)


@pytest.mark.parametrize("text", ["mau daftar kak", "thank you, where is the centre?"])
def test_a_question_with_thanks_is_still_a_question(text: str) -> None:
    assert not is_small_talk(text)
