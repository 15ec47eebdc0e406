"""t.me/<bot>?start=p-<programme>: a shared or printed link opens that programme's card."""

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.content.programme_links import PROGRAMME_LINK, read_programme_payload
from bot.context import BotContext
from bot.screens import show
from db.funnel import record_bot_start
from handlers.programmes.browse import gone_screen, programme_card

# /start with a programme link's payload; any other payload is the general /start's.
PROGRAMME_START = filters.Regex(r"^/start " + PROGRAMME_LINK.pattern.removeprefix("^"))


async def open_linked_programme(update: Update, context: BotContext) -> None:
    """Count the start (crediting the campaign the link carries, for a first contact) and
    show the card; a programme no longer offered gets the current list instead."""
    linked = read_programme_payload(context.args[0] if context.args else "")
    if linked is None or context.user_id is None:
        return
    code, campaign = linked
    async with context.db_session() as session, session.begin():
        await record_bot_start(
            session,
            user_id=context.user_id,
            campaign_source=campaign,
            first_contact=context.first_contact,
        )
        card = await programme_card(session, context, code)
    await show(update, card or gone_screen(context))


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [CommandHandler("start", open_linked_programme, filters=PROGRAMME_START)]
