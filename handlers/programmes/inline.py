"""Inline mode: "@<bot> las" in any chat lists the matching programmes as cards with their
link, in the language of the person typing."""

from html import escape

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ParseMode
from telegram.ext import BaseHandler, InlineQueryHandler

from bot.content.programme_links import programme_link
from bot.content.programme_search import matching_programmes
from bot.context import BotContext
from db.models import Programme
from db.programmes import list_all_programmes
from db.users import get_user

# Results depend on the person's language: cached for them alone, and not for long, so an
# intake opened or closed shows soon.
CACHE_SECONDS = 60


async def offer_programmes(update: Update, context: BotContext) -> None:
    query = update.inline_query
    if query is None:
        return
    async with context.db_session() as session:
        user = await get_user(session, query.from_user.id)
        programmes = await list_all_programmes(session)
    if user is not None:
        context.remember_language(user.language)
    results = [programme_result(context, p) for p in matching_programmes(programmes, query.query)]
    await query.answer(results, cache_time=CACHE_SECONDS, is_personal=True)


def programme_result(context: BotContext, programme: Programme) -> InlineQueryResultArticle:
    """What the chat sees when the person picks the programme: title, summary, cost and the
    link, with a button that opens the card in the bot."""
    _ = context.translator.gettext
    locale = context.locale
    text_of = lambda field: programme.texts.get(field, {}).get(locale, "")  # noqa: E731
    link = programme_link(context.bot.username, programme.code)
    message = _(
        "<b>{title}</b>\n<i>{summary}</i>\n\n💰 <b>Cost:</b> {cost}\n⏱ <b>Duration:</b> "
        "{duration}\n\nRead more and register: {link}"
    ).format(
        title=escape(text_of("title")),
        summary=escape(text_of("summary")),
        cost=escape(text_of("cost")),
        duration=escape(text_of("duration")),
        link=link,
    )
    open_card = InlineKeyboardButton(_("📚 Open in the bot"), url=link)
    return InlineQueryResultArticle(
        id=programme.code,
        title=text_of("title"),
        description=text_of("summary"),
        input_message_content=InputTextMessageContent(message, parse_mode=ParseMode.HTML),
        reply_markup=InlineKeyboardMarkup([[open_card]]),
    )


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [InlineQueryHandler(offer_programmes)]
