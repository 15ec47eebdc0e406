"""The desk's pure rules: similar questions grouped, staff additions layered over the file."""

from datetime import timedelta

import yaml

from bot.content.faq import FaqEntry, load_faq
from bot.questions.additions import export_yaml, layered_faq
from bot.questions.grouping import group_questions
from db.models import FaqQuestion, FaqStaffEntry, FaqStaffPhrasing, utc_now


def asked(number: int, text: str, days_ago: float) -> FaqQuestion:
    return FaqQuestion(
        id=number,
        user_id=1,
        text_masked=text,
        language="id",
        outcome="unanswered",
        asked_at=utc_now() - timedelta(days=days_ago),
    )


def test_similar_questions_form_one_group_counted_per_window() -> None:
    questions = [
        asked(4, "lapangan futsal ada?", 1),
        asked(3, "boleh bawa motor ke balai kak", 2),
        asked(2, "Boleh bawa motor ke balai?", 10),
        asked(1, "boleh bawa motor ke balai", 20),
    ]
    motor, futsal = group_questions(questions, now=utc_now())
    assert [q.id for q in motor.questions] == [3, 2, 1]
    assert motor.id == 3 and futsal.id == 4
    now = utc_now()
    assert motor.count_since(now - timedelta(days=7)) == 1
    assert motor.count_since(now - timedelta(days=30)) == 3


def test_additions_join_their_entry_and_follow_the_file() -> None:
    faq = load_faq()
    code = faq.entries[0].code
    entry = FaqStaffEntry(
        id=7, topic="centre", question_id="ada kantin?", answer_id="Ada.", created_by=1
    )
    phrasings = [
        FaqStaffPhrasing(entry_code=code, language="id", text="daftar lewat hp", created_by=1),
        FaqStaffPhrasing(entry_code="gone_from_file", language="id", text="x y", created_by=1),
    ]
    layered = layered_faq(faq, [entry], phrasings)
    assert len(layered.entries) == len(faq.entries) + 1
    assert layered.entries[0].questions.id[-1] == "daftar lewat hp"
    added = layered.entry("added_7")
    assert added is not None and added.answer == {"id": "Ada.", "en": "Ada."}
    exported = yaml.safe_load(export_yaml(faq, layered))
    assert [raw["code"] for raw in exported["entries"]] == [code, "added_7"]
    assert all(FaqEntry.model_validate(raw) for raw in exported["entries"])
