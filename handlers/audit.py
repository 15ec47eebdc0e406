"""/audit: admins read the newest audit entries (who did what, when), a page at a time and
by kind. Admins only, checked again on every button."""

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.audit_log import ALL, KINDS, PAGE_SIZE, page_count
from bot.context import BotContext
from bot.roles import admin_only
from bot.screens import Screen, show
from db.audit import count_actions, list_names, list_recent_actions
from handlers.audit_screens import P, audit_screen


async def audit_page(session: AsyncSession, context: BotContext, kind: str, page: int) -> Screen:
    prefixes = KINDS[kind]
    total = await count_actions(session, prefixes=prefixes)
    page = max(0, min(page, page_count(total) - 1))
    entries = await list_recent_actions(
        session, prefixes=prefixes, offset=page * PAGE_SIZE, limit=PAGE_SIZE
    )
    people = {e.actor_id for e in entries if e.actor_id is not None}
    people |= {
        int(e.subject)
        for e in entries
        if e.action.startswith("staff.") and e.subject and e.subject.isdigit()
    }
    return audit_screen(
        context.translator,
        kind=kind,
        page=page,
        total=total,
        entries=entries,
        names=await list_names(session, people),
    )


@admin_only
async def show_audit(update: Update, context: BotContext) -> None:
    """/audit: the newest entries of every kind."""
    async with context.db_session() as session, session.begin():
        screen = await audit_page(session, context, ALL, 0)
    await show(update, screen)


@admin_only
async def show_audit_page(update: Update, context: BotContext) -> None:
    """◀️ / ▶️ and the kind buttons."""
    kind, page = context.matches[0].group(1), int(context.matches[0].group(2))
    async with context.db_session() as session, session.begin():
        screen = await audit_page(session, context, kind, page)
    await show(update, screen)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    kinds = "(" + "|".join(KINDS) + ")"
    return [
        CommandHandler("audit", show_audit),
        CallbackQueryHandler(show_audit_page, pattern=rf"^{P}:{kinds}:(\d+)$"),
    ]
