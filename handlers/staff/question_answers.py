"""From the desk, staff write a new FAQ answer for a question nobody could answer: a topic,
the question and answer in Indonesian, optionally in English, then ✅. It works at once, is
audited, and is layered over the FAQ file from the database."""

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.content.faq import TOPICS
from bot.context import BotContext
from bot.forms.conversation import Outcome, ended, enter_form, reply
from bot.navigation import ID
from bot.questions.grouping import find_group
from bot.questions.live_faq import refresh_faq
from bot.screens import Screen, show
from bot.staff.roles import staff_only
from db.audit import record_action
from db.faq_additions import create_staff_entry
from db.faq_questions import mark_handled
from db.models import utc_now
from handlers.staff import questions_screens as screens
from handlers.staff.questions_desk import open_groups

P = screens.P
WRITING_FAQ_ANSWER = "writing_faq_answer"
# user_data key: the answer being written, with the step it is at.
DRAFT = "faq_answer_draft"
STEPS = ("question_id", "answer_id", "question_en", "answer_en")
LIMITS = {"question_id": 120, "answer_id": 700, "question_en": 120, "answer_en": 700}
CONFIRMING = "confirm"


def draft_of(context: BotContext) -> dict[str, str] | None:
    return context.user_data.get(DRAFT)  # type: ignore[union-attr]


@staff_only
async def choose_answer_topic(update: Update, context: BotContext) -> None:
    """✍️ Write a new answer: first the topic it belongs to."""
    group_id = int(context.matches[0].group(1))
    await show(update, screens.topics_screen(context.translator, group_id, f"{P}:nt:{group_id}"))


@staff_only
async def ask_for_question(update: Update, context: BotContext) -> object:
    """The topic chosen: the form starts with the question in Indonesian."""
    group_id, number = int(context.matches[0].group(1)), int(context.matches[0].group(2))
    async with context.db_session() as session, session.begin():
        group = find_group(await open_groups(session), group_id)
        if group is None or number >= len(TOPICS):
            outcome: Outcome = await ended(
                session, update, screens.gone_screen(context.translator)
            )
        else:
            context.user_data[DRAFT] = {  # type: ignore[index]
                "group": str(group_id),
                "topic": TOPICS[number],
                "asked": group.text,
                "step": STEPS[0],
            }
            state = await enter_form(session, update, WRITING_FAQ_ANSWER)
            outcome = state, step_screen(context)
    return await reply(update, outcome)


def step_screen(context: BotContext, *, too_long: bool = False) -> Screen:
    draft = draft_of(context) or {}
    step = draft.get("step", CONFIRMING)
    if step == CONFIRMING:
        return screens.answer_confirm_screen(context.translator, draft)
    return screens.prompt_screen(
        context.translator, step, LIMITS[step], draft.get("asked", ""), too_long=too_long
    )


@staff_only
async def save_step(update: Update, context: BotContext) -> object:
    """A typed question or answer: kept in the draft, then the next step."""
    draft = draft_of(context)
    if draft is None:
        return await cancel_answer(update, context)
    typed = (update.effective_message.text or "").strip()  # type: ignore[union-attr]
    step = draft["step"]
    if step != CONFIRMING:
        if not 2 <= len(typed) <= LIMITS[step]:
            await show(update, step_screen(context, too_long=True))
            return WRITING_FAQ_ANSWER
        draft[step] = typed
        following = STEPS.index(step) + 1
        draft["step"] = STEPS[following] if following < len(STEPS) else CONFIRMING
    await show(update, step_screen(context))
    return WRITING_FAQ_ANSWER


@staff_only
async def nudge_for_text(update: Update, context: BotContext) -> object:
    """A photo or sticker where text was expected: the same step again."""
    await show(update, step_screen(context))
    return WRITING_FAQ_ANSWER


@staff_only
async def skip_english(update: Update, context: BotContext) -> object:
    """⏭ No English: on to the confirmation."""
    draft = draft_of(context)
    if draft is None:
        return await cancel_answer(update, context)
    draft.pop("question_en", None)
    draft.pop("answer_en", None)
    draft["step"] = CONFIRMING
    await show(update, step_screen(context))
    return WRITING_FAQ_ANSWER


@staff_only
async def save_answer(update: Update, context: BotContext) -> object:
    """✅ The new answer is stored, the question's group handled, and the FAQ rebuilt."""
    draft = draft_of(context)
    if draft is None or "answer_id" not in draft:
        return await cancel_answer(update, context)
    async with context.db_session() as session, session.begin():
        entry = await create_staff_entry(
            session,
            topic=draft["topic"],
            question_id=draft["question_id"],
            answer_id=draft["answer_id"],
            question_en=draft.get("question_en"),
            answer_en=draft.get("answer_en"),
            created_by=context.user_id or 0,
        )
        group = find_group(await open_groups(session), int(draft["group"]))
        if group is not None:
            await mark_handled(session, [q.id for q in group.questions], at=utc_now())
        await record_action(
            session,
            actor_id=context.user_id,
            action="faq.answer",
            subject=f"added_{entry.id}",
            details={"question": draft["question_id"], "english": "answer_en" in draft},
        )
        screen = screens.answer_saved_screen(context.translator, draft["question_id"])
        outcome = await ended(session, update, screen)
    context.user_data.pop(DRAFT, None)  # type: ignore[union-attr]
    await refresh_faq(context.services)
    return await reply(update, outcome)


@staff_only
async def cancel_answer(update: Update, context: BotContext) -> object:
    """✖️ Nothing is saved."""
    context.user_data.pop(DRAFT, None)  # type: ignore[union-attr]
    async with context.db_session() as session, session.begin():
        outcome = await ended(session, update, screens.answer_cancelled_screen(context.translator))
    return await reply(update, outcome)


def entry_points() -> list[BaseHandler]:  # type: ignore[type-arg]
    """The topic starts the typed steps, so these belong to the forms conversation, as do the
    buttons that move the draft on (they work from any step)."""
    return [
        CallbackQueryHandler(ask_for_question, pattern=rf"^{P}:nt:({ID}):(\d{{1,2}})$"),
        CallbackQueryHandler(skip_english, pattern=rf"^{screens.SKIP_ENGLISH}$"),
        CallbackQueryHandler(save_answer, pattern=rf"^{screens.SAVE_ANSWER}$"),
        CallbackQueryHandler(cancel_answer, pattern=rf"^{screens.CANCEL_ANSWER}$"),
    ]


def states() -> dict[object, list[BaseHandler]]:  # type: ignore[type-arg]
    message = filters.UpdateType.MESSAGE & ~filters.COMMAND
    return {
        WRITING_FAQ_ANSWER: [
            MessageHandler(message & filters.TEXT, save_step),
            MessageHandler(message & ~filters.StatusUpdate.ALL, nudge_for_text),
        ]
    }


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [CallbackQueryHandler(choose_answer_topic, pattern=rf"^{P}:na:({ID})$")]
