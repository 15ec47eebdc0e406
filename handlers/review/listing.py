"""/registrations: staff filter and page the submitted registrations.

The filter lives in a saved_filters row and buttons carry its id: callback data is at most
64 bytes (https://core.telegram.org/bots/api#inlinekeyboardbutton). Opening one registration
and moving registrations between stages is handlers/review/moves.py.
"""

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.navigation import ID, PAGE_NUMBER
from bot.review.review_filter import FIELDS, PAGE_SIZE, ReviewFilter
from bot.screens import Screen, show
from bot.staff.roles import is_admin, staff_only
from db.models import utc_now
from db.programmes import list_trainee_programmes
from db.review import count_filtered, get_filter, list_filtered, list_intakes, save_filter
from db.staff import get_role
from handlers.review import screens

P = screens.P


async def programme_titles(session: AsyncSession, locale: str) -> dict[str, str]:
    return {p.code: p.texts["title"][locale] for p in await list_trainee_programmes(session)}


async def load_filter(
    session: AsyncSession, context: BotContext, filter_id: int
) -> tuple[int, ReviewFilter]:
    """The saved filter, or a fresh "everything" one if it has expired."""
    raw = await get_filter(session, filter_id)
    if raw is not None:
        return filter_id, ReviewFilter.from_json(raw)
    flt = ReviewFilter()
    return await save_filter(session, owner_id=context.user_id or 0, criteria=flt.to_json()), flt


async def list_screen(
    session: AsyncSession, context: BotContext, filter_id: int, flt: ReviewFilter, page: int
) -> Screen:
    criteria = flt.criteria(utc_now())
    total = await count_filtered(session, **criteria)
    page = screens.page_of(total, page)
    rows = await list_filtered(session, offset=page * PAGE_SIZE, limit=PAGE_SIZE, **criteria)
    return screens.list_screen(
        context,
        filter_id=filter_id,
        flt=flt,
        page=page,
        total=total,
        rows=rows,
        titles=await programme_titles(session, context.locale),
        admin=is_admin(await get_role(session, context.user_id or 0)),
    )


@staff_only
async def show_registrations(update: Update, context: BotContext) -> None:
    """/registrations: every submitted registration, newest first, with the filter buttons."""
    async with context.db_session() as session, session.begin():
        flt = ReviewFilter()
        filter_id = await save_filter(
            session, owner_id=context.user_id or 0, criteria=flt.to_json()
        )
        screen = await list_screen(session, context, filter_id, flt, 0)
    await show(update, screen)


@staff_only
async def show_page(update: Update, context: BotContext) -> None:
    """◀️ / ▶️ and "back to the list"."""
    filter_id, page = (int(group) for group in context.matches[0].groups())
    async with context.db_session() as session, session.begin():
        filter_id, flt = await load_filter(session, context, filter_id)
        screen = await list_screen(session, context, filter_id, flt, page)
    await show(update, screen)


@staff_only
async def pick_filter(update: Update, context: BotContext) -> None:
    """The choices for programme, intake, stage, home or period."""
    filter_id, field = int(context.matches[0].group(1)), context.matches[0].group(2)
    async with context.db_session() as session, session.begin():
        filter_id, flt = await load_filter(session, context, filter_id)
        titles = await programme_titles(session, context.locale)
        intakes = await list_intakes(session, **flt.criteria(utc_now()))
    screen = screens.options_screen(
        context, filter_id=filter_id, field=field, titles=titles, intakes=intakes, chosen=flt
    )
    await show(update, screen)


@staff_only
async def set_filter(update: Update, context: BotContext) -> None:
    """One filter field chosen: a new saved filter, and its first page."""
    filter_id, field, value = context.matches[0].groups()
    async with context.db_session() as session, session.begin():
        _, flt = await load_filter(session, context, int(filter_id))
        flt = flt.with_value(field, None if value == screens.ANY else value)
        if field == "programme" and flt.intake is not None:
            flt = await keep_intake_if_it_has_registrations(session, flt)
        new_id = await save_filter(session, owner_id=context.user_id or 0, criteria=flt.to_json())
        screen = await list_screen(session, context, new_id, flt, 0)
    await show(update, screen)


async def keep_intake_if_it_has_registrations(
    session: AsyncSession, flt: ReviewFilter
) -> ReviewFilter:
    """A new programme keeps the chosen intake only if it has registrations in that batch:
    batches are per programme, so "2026-1" of welding is no intake of electrical's."""
    only = ReviewFilter(programme=flt.programme, intake=flt.intake)
    if await count_filtered(session, **only.criteria(utc_now())):
        return flt
    return flt.with_value("intake", None)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    fields = "(" + "|".join(FIELDS) + ")"
    return [
        CommandHandler("registrations", show_registrations),
        CallbackQueryHandler(show_page, pattern=rf"^{P}:l:({ID}):({PAGE_NUMBER})$"),
        CallbackQueryHandler(pick_filter, pattern=rf"^{P}:pick:({ID}):{fields}$"),
        CallbackQueryHandler(set_filter, pattern=rf"^{P}:set:({ID}):{fields}:([A-Za-z0-9_\-]+)$"),
    ]
