"""/questions: staff see the most asked unanswered or unhelpful questions, grouped by
similarity, and add one as a new phrasing of an FAQ answer; `/questions export` gives admins
the additions in faq.yaml's form. Staff only, checked again on every button."""

import io
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.content.faq import TOPICS, FaqEntry
from bot.context import BotContext
from bot.navigation import ID
from bot.questions.additions import export_yaml
from bot.questions.grouping import LONGER_DAYS, QuestionGroup, find_group, group_questions
from bot.questions.live_faq import refresh_faq
from bot.screens import show
from bot.staff.roles import current_role, is_admin, refuse, staff_only
from db.audit import record_action
from db.faq_additions import create_staff_phrasing
from db.faq_questions import list_open_questions, mark_handled
from db.models import utc_now
from handlers.staff import questions_screens as screens

P = screens.P
CODE = r"[a-z][a-z0-9_]{0,31}"
SUGGESTIONS = 5
# A phrasing is one of an entry's question variants: the FAQ file's limit.
MAX_PHRASING = 120


async def open_groups(session: AsyncSession) -> list[QuestionGroup]:
    now = utc_now()
    questions = await list_open_questions(session, since=now - timedelta(days=LONGER_DAYS))
    return group_questions(questions, now=now)


async def open_group(context: BotContext) -> QuestionGroup | None:
    """The group of the question id in the tapped button, if it is still open."""
    async with context.db_session() as session:
        return find_group(await open_groups(session), int(context.matches[0].group(1)))


def phrasing_of(group: QuestionGroup) -> str:
    return " ".join(group.text.split())[:MAX_PHRASING]


@staff_only
async def show_questions(update: Update, context: BotContext) -> None:
    """/questions or ◀️: the groups, most asked in 30 days first."""
    if context.args == ["export"]:
        await export_additions(update, context)
        return
    async with context.db_session() as session:
        groups = await open_groups(session)
    await show(update, screens.list_screen(context.translator, groups, utc_now()))


@staff_only
async def show_group(update: Update, context: BotContext) -> None:
    """One group: its wordings, counts, and the two ways to answer it."""
    group = await open_group(context)
    if group is None:
        await show(update, screens.gone_screen(context.translator))
        return
    await show(update, screens.group_screen(context.translator, group, utc_now()))


@staff_only
async def suggest_entries(update: Update, context: BotContext) -> None:
    """The answers closest to the question, and a way to choose by topic."""
    group = await open_group(context)
    if group is None:
        await show(update, screens.gone_screen(context.translator))
        return
    faq = context.services.faq
    found = [faq.faq.entry(match.code) for match in faq.search(group.text, limit=SUGGESTIONS)]
    entries = [entry for entry in found if entry is not None]
    await show(update, screens.suggestions_screen(context.translator, group, entries))


@staff_only
async def choose_topic(update: Update, context: BotContext) -> None:
    """The FAQ's topics, to find the answer the question belongs to."""
    group_id = int(context.matches[0].group(1))
    await show(update, screens.topics_screen(context.translator, group_id, f"{P}:pt:{group_id}"))


@staff_only
async def show_topic_entries(update: Update, context: BotContext) -> None:
    """The answers in one topic."""
    group_id, number = int(context.matches[0].group(1)), int(context.matches[0].group(2))
    topic = TOPICS[number] if number < len(TOPICS) else None
    entries = [e for e in context.services.faq.faq.entries if e.topic == topic]
    await show(update, screens.topic_entries_screen(context.translator, group_id, entries))


def chosen_entry(context: BotContext) -> FaqEntry | None:
    return context.services.faq.faq.entry(context.matches[0].group(2))


@staff_only
async def confirm_phrasing(update: Update, context: BotContext) -> None:
    """The answer chosen: the question, the answer, and ✅ to add the phrasing."""
    group, entry = await open_group(context), chosen_entry(context)
    if group is None or entry is None:
        await show(update, screens.gone_screen(context.translator))
        return
    screen = screens.phrasing_confirm_screen(context.translator, group, entry, phrasing_of(group))
    await show(update, screen)


@staff_only
async def add_phrasing(update: Update, context: BotContext) -> None:
    """The question becomes one more way of asking the entry, at once and audited."""
    entry = chosen_entry(context)
    async with context.db_session() as session, session.begin():
        group = find_group(await open_groups(session), int(context.matches[0].group(1)))
        if group is not None and entry is not None:
            phrasing = phrasing_of(group)
            await create_staff_phrasing(
                session,
                entry_code=entry.code,
                language=group.language,
                text=phrasing,
                created_by=context.user_id or 0,
            )
            await mark_handled(session, [q.id for q in group.questions], at=utc_now())
            await record_action(
                session,
                actor_id=context.user_id,
                action="faq.phrasing",
                subject=entry.code,
                details={"language": group.language, "text": phrasing},
            )
    if group is None or entry is None:
        await show(update, screens.gone_screen(context.translator))
        return
    await refresh_faq(context.services)
    question = getattr(entry.questions, context.locale)[0]
    await show(update, screens.added_screen(context.translator, phrasing, question))


async def export_additions(update: Update, context: BotContext) -> None:
    """`/questions export` (admins): the added and extended entries as a faq.yaml document."""
    if not is_admin(await current_role(context)):
        await refuse(update, context)
        return
    services = context.services
    document = export_yaml(services.file_faq, services.faq.faq)
    async with context.db_session() as session, session.begin():
        await record_action(session, actor_id=context.user_id, action="faq.export")
    await update.effective_chat.send_document(  # type: ignore[union-attr]
        io.BytesIO(document.encode()),
        filename="faq-additions.yaml",
        caption=context.translator.gettext(
            "The answers added or extended from the bot, in faq.yaml's form."
        ),
    )


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [
        CommandHandler("questions", show_questions),
        CallbackQueryHandler(show_questions, pattern=rf"^{screens.LIST}$"),
        CallbackQueryHandler(show_group, pattern=rf"^{P}:g:({ID})$"),
        CallbackQueryHandler(suggest_entries, pattern=rf"^{P}:ps:({ID})$"),
        CallbackQueryHandler(choose_topic, pattern=rf"^{P}:pt:({ID})$"),
        CallbackQueryHandler(show_topic_entries, pattern=rf"^{P}:pt:({ID}):(\d{{1,2}})$"),
        CallbackQueryHandler(confirm_phrasing, pattern=rf"^{P}:pe:({ID}):({CODE})$"),
        CallbackQueryHandler(add_phrasing, pattern=rf"^{P}:pk:({ID}):({CODE})$"),
    ]
