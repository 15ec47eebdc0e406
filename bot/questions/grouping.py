"""Similar unanswered questions grouped for the staff desk, the most asked first. Pure code."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from rapidfuzz import fuzz

from bot.content.faq import normalise
from db.models import FaqQuestion

# token_set_ratio of the normalised words at which two questions count as the same one.
SIMILAR = 80.0
RECENT_DAYS, LONGER_DAYS = 7, 30


@dataclass
class QuestionGroup:
    """Questions asking the same thing; its id is its first (newest) question's."""

    words: str
    questions: list[FaqQuestion] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.questions[0].id

    @property
    def text(self) -> str:
        """The most typed wording, the newest among equals."""
        counts = Counter(question.text_masked for question in self.questions)
        return max(self.questions, key=lambda question: counts[question.text_masked]).text_masked

    @property
    def language(self) -> str:
        return Counter(question.language for question in self.questions).most_common(1)[0][0]

    @property
    def unhelpful(self) -> int:
        return sum(question.didnt_help_at is not None for question in self.questions)

    def count_since(self, moment: datetime) -> int:
        return sum(asked_at(question) >= moment for question in self.questions)


def asked_at(question: FaqQuestion) -> datetime:
    """SQLite gives the stored UTC time back without its zone."""
    moment = question.asked_at
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def words_to_compare(question: FaqQuestion) -> str:
    return normalise(question.text_masked) or question.text_masked.lower()


def group_questions(questions: Sequence[FaqQuestion], *, now: datetime) -> list[QuestionGroup]:
    """Greedy: each question joins the first group it is similar to, else starts one. The
    groups come most asked in 30 days first, then most asked in 7 days."""
    groups: list[QuestionGroup] = []
    for question in questions:
        words = words_to_compare(question)
        group = next((g for g in groups if fuzz.token_set_ratio(words, g.words) >= SIMILAR), None)
        if group is None:
            group = QuestionGroup(words)
            groups.append(group)
        group.questions.append(question)
    recent, longer = now - timedelta(days=RECENT_DAYS), now - timedelta(days=LONGER_DAYS)
    return sorted(
        groups, key=lambda g: (g.count_since(longer), g.count_since(recent)), reverse=True
    )


def find_group(groups: Sequence[QuestionGroup], question_id: int) -> QuestionGroup | None:
    return next((g for g in groups if any(q.id == question_id for q in g.questions)), None)
