"""/audit: admins read the newest audit entries (who did what, when), a page at a time and
by kind. Admins only, checked again on every button."""

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.navigation import LARGEST_ID
from bot.screens import Screen, show
from bot.staff.audit_log import ALL, KINDS, PAGE_SIZE
from bot.staff.roles import admin_only
from db.audit import count_actions, list_names, list_recent_actions
from handlers.review.listing import programme_titles
from handlers.staff.audit_screens import NEWER, OLDER, AuditPage, P, audit_screen

# A page's edge is an entry id, but any number is an edge: one beyond every id (even beyond
# PostgreSQL's 32-bit ids, LARGEST_ID) means "the newest page"; no button has a longer one.
EDGE = r"\d{1,18}"


async def audit_page(
    session: AsyncSession, context: BotContext, kind: str, direction: str, edge: int
) -> Screen:
    """A page of entries older (or newer) than the entry `edge`; edge 0 is the newest page."""
    prefixes = KINDS[kind]
    entries = await list_recent_actions(
        session,
        prefixes=prefixes,
        older_than=edge if direction == OLDER and edge else None,
        newer_than=edge if direction == NEWER else None,
        limit=PAGE_SIZE,
    )
    # Nothing older (a forged id), or less than a page newer: the newest page, as /audit opens.
    if (direction == NEWER and len(entries) < PAGE_SIZE) or (not entries and edge):
        entries = await list_recent_actions(session, prefixes=prefixes, limit=PAGE_SIZE)
    total = await count_actions(session, prefixes=prefixes)
    newer = (
        await count_actions(session, prefixes=prefixes, newer_than=entries[0].id) if entries else 0
    )
    people = {e.actor_id for e in entries if e.actor_id is not None}
    people |= {
        int(e.subject)
        for e in entries
        if e.action.startswith("staff.") and e.subject and e.subject.isdigit()
    }
    return audit_screen(
        context.translator,
        AuditPage(kind=kind, total=total, newer=newer, entries=entries),
        names=await list_names(session, people),
        titles=await programme_titles(session, context.locale),
    )


@admin_only
async def show_audit(update: Update, context: BotContext) -> None:
    """/audit: the newest entries of every kind."""
    async with context.db_session() as session, session.begin():
        screen = await audit_page(session, context, ALL, OLDER, 0)
    await show(update, screen)


@admin_only
async def show_audit_page(update: Update, context: BotContext) -> None:
    """◀️ Newer / ▶️ Older and the kind buttons."""
    kind, direction, edge = context.matches[0].group(1, 2, 3)
    async with context.db_session() as session, session.begin():
        edge_id = min(int(edge or 0), LARGEST_ID)
        screen = await audit_page(session, context, kind, direction or OLDER, edge_id)
    await show(update, screen)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    kinds = "(" + "|".join(KINDS) + ")"
    return [
        CommandHandler("audit", show_audit),
        CallbackQueryHandler(
            show_audit_page, pattern=rf"^{P}:{kinds}(?::({OLDER}|{NEWER}):({EDGE}))?$"
        ),
    ]
