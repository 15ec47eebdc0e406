"""What the unanswered-questions desk shows staff: the groups, one group, the ways to answer
it, and the new-answer form's prompts."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from html import escape

from telegram import InlineKeyboardMarkup

from bot.content.faq import TOPICS, FaqEntry
from bot.i18n import Translator
from bot.navigation import button
from bot.questions.grouping import LONGER_DAYS, RECENT_DAYS, QuestionGroup
from bot.screens import Screen

P = "qd"
LIST = f"{P}:l"
SKIP_ENGLISH = f"{P}:nskip"
SAVE_ANSWER = f"{P}:nsave"
CANCEL_ANSWER = f"{P}:ncancel"
SHOWN_GROUPS = 10
MAX_LABEL = 48
# A Telegram message holds 4096 characters; a question is shown at most this long.
MAX_QUESTION = 200


def short(text: str, limit: int = MAX_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def group_data(group_id: int) -> str:
    return f"{P}:g:{group_id}"


def counts_line(translator: Translator, group: QuestionGroup, now: datetime) -> str:
    text = translator.gettext(
        "{recent_days} days: {recent} · {longer_days} days: {longer}"
    ).format(
        recent_days=RECENT_DAYS,
        recent=translator.format_number(group.count_since(now - timedelta(days=RECENT_DAYS))),
        longer_days=LONGER_DAYS,
        longer=translator.format_number(group.count_since(now - timedelta(days=LONGER_DAYS))),
    )
    if group.unhelpful:
        text += f" · 👎 {translator.format_number(group.unhelpful)}"
    return text


def list_screen(translator: Translator, groups: Sequence[QuestionGroup], now: datetime) -> Screen:
    _ = translator.gettext
    if not groups:
        return Screen(
            _(
                "❓ <b>Unanswered questions</b>\nNo unanswered or unhelpful questions in the "
                "last {days} days."
            ).format(days=LONGER_DAYS)
        )
    lines = [
        _(
            '❓ <b>Unanswered questions</b>, the most asked first (👎: "this didn\'t help"). '
            "Pick one to answer it:"
        )
    ]
    rows = []
    for number, group in enumerate(groups[:SHOWN_GROUPS], start=1):
        lines.append(
            f"{number}. «{escape(short(group.text, MAX_QUESTION))}»\n"
            f"    {counts_line(translator, group, now)}"
        )
        rows.append([button(f"{number}. {short(group.text)}", group_data(group.id))])
    return Screen("\n".join(lines), InlineKeyboardMarkup(rows))


def group_screen(translator: Translator, group: QuestionGroup, now: datetime) -> Screen:
    _ = translator.gettext
    others = sorted({q.text_masked for q in group.questions} - {group.text})[:5]
    lines = [
        f"❓ «{escape(short(group.text, MAX_QUESTION))}»",
        counts_line(translator, group, now),
    ]
    if others:
        lines.append(_("Also asked as:"))
        lines += [f"• «{escape(short(text, MAX_QUESTION))}»" for text in others]
    lines.append(
        _(
            "What you add works at once for the next person who asks. Those who asked are "
            "not messaged about it."
        )
    )
    rows = [
        [button(_("➕ Add as a phrasing of an answer"), f"{P}:ps:{group.id}")],
        [button(_("✍️ Write a new answer"), f"{P}:na:{group.id}")],
        [button(_("◀️ Unanswered questions"), LIST)],
    ]
    return Screen("\n".join(lines), InlineKeyboardMarkup(rows))


def gone_screen(translator: Translator) -> Screen:
    text = translator.gettext("That question was answered already or is no longer kept.")
    return Screen(text, back_keyboard(translator))


def entry_label(translator: Translator, entry: FaqEntry) -> str:
    return short(getattr(entry.questions, translator.locale)[0])


def suggestions_screen(
    translator: Translator, group: QuestionGroup, entries: Sequence[FaqEntry]
) -> Screen:
    _ = translator.gettext
    text = _("Which answer does «{question}» ask for? The closest ones:").format(
        question=escape(short(group.text, MAX_QUESTION))
    )
    rows = [[button(entry_label(translator, e), f"{P}:pe:{group.id}:{e.code}")] for e in entries]
    rows.append([button(_("🗂 Choose by topic"), f"{P}:pt:{group.id}")])
    rows.append([button(_("◀️ Back"), group_data(group.id))])
    return Screen(text, InlineKeyboardMarkup(rows))


def topics_screen(translator: Translator, group_id: int, data: str) -> Screen:
    """The FAQ's topics; `data` is the callback prefix the chosen topic's number follows."""
    _ = translator.gettext
    rows = [
        [button(topic.replace("_", " "), f"{data}:{number}")]
        for number, topic in enumerate(TOPICS)
    ]
    rows.append([button(_("◀️ Back"), group_data(group_id))])
    return Screen(_("Which topic?"), InlineKeyboardMarkup(rows))


def topic_entries_screen(
    translator: Translator, group_id: int, entries: Sequence[FaqEntry]
) -> Screen:
    _ = translator.gettext
    rows = [[button(entry_label(translator, e), f"{P}:pe:{group_id}:{e.code}")] for e in entries]
    rows.append([button(_("◀️ Topics"), f"{P}:pt:{group_id}")])
    text = _("Which answer?") if entries else _("No answers in this topic yet.")
    return Screen(text, InlineKeyboardMarkup(rows))


def phrasing_confirm_screen(
    translator: Translator, group: QuestionGroup, entry: FaqEntry, phrasing: str
) -> Screen:
    _ = translator.gettext
    text = _("Add «{phrasing}» as one more way of asking:\n<b>{question}</b>\n\n{answer}").format(
        phrasing=escape(phrasing),
        question=escape(getattr(entry.questions, translator.locale)[0]),
        answer=escape(short(entry.answer[translator.locale], 400)),
    )
    rows = [
        [button(_("✅ Add it"), f"{P}:pk:{group.id}:{entry.code}")],
        [button(_("◀️ Back"), f"{P}:ps:{group.id}")],
    ]
    return Screen(text, InlineKeyboardMarkup(rows))


def added_screen(translator: Translator, phrasing: str, question: str) -> Screen:
    text = translator.gettext(
        "✅ Added. Whoever asks «{phrasing}» now gets the answer to «{question}»."
    ).format(phrasing=escape(phrasing), question=escape(question))
    return Screen(text, back_keyboard(translator))


def back_keyboard(translator: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[button(translator.gettext("◀️ Unanswered questions"), LIST)]])


def prompt_screen(
    translator: Translator, step: str, limit: int, asked: str, *, too_long: bool = False
) -> Screen:
    _ = translator.gettext
    texts = {
        "question_id": _(
            "✍️ Type the question in Indonesian, as people would ask it (at most {limit} "
            "characters).\nThey asked: «{asked}»"
        ),
        "answer_id": _("Now the answer in Indonesian (plain text, at most {limit} characters)."),
        "question_en": _(
            "The question in English (at most {limit} characters), or skip English: English "
            "readers then get the Indonesian answer."
        ),
        "answer_en": _("The answer in English (plain text, at most {limit} characters)."),
    }
    text = texts[step].format(limit=translator.format_number(limit), asked=escape(asked))
    if too_long:
        text = _("⚠️ That is too long or too short.") + "\n" + text
    rows = []
    if step == "question_en":
        rows.append([button(_("⏭ Skip English"), SKIP_ENGLISH)])
    rows.append([button(_("✖️ Cancel"), CANCEL_ANSWER)])
    return Screen(text, InlineKeyboardMarkup(rows))


def answer_confirm_screen(translator: Translator, draft: dict[str, str]) -> Screen:
    _ = translator.gettext
    lines = [
        _("Save this new answer? It works at once."),
        f"🇮🇩 <b>{escape(draft['question_id'])}</b>\n{escape(draft['answer_id'])}",
    ]
    if draft.get("question_en"):
        lines.append(f"🇬🇧 <b>{escape(draft['question_en'])}</b>\n{escape(draft['answer_en'])}")
    else:
        lines.append(_("No English: English readers get the Indonesian answer."))
    rows = [[button(_("✅ Save"), SAVE_ANSWER)], [button(_("✖️ Cancel"), CANCEL_ANSWER)]]
    return Screen("\n\n".join(lines), InlineKeyboardMarkup(rows))


def answer_saved_screen(translator: Translator, question: str) -> Screen:
    text = translator.gettext("✅ Saved. Whoever asks «{question}» now gets your answer.").format(
        question=escape(question)
    )
    return Screen(text, back_keyboard(translator))


def answer_cancelled_screen(translator: Translator) -> Screen:
    return Screen(translator.gettext("Okay, nothing was saved."), back_keyboard(translator))
