"""Runs before every feature: records who is writing and which language they chose."""

from telegram import Update
from telegram.ext import BaseHandler, TypeHandler

from bot.context import BotContext
from db.users import upsert_user


async def identify_user(update: Update, context: BotContext) -> None:
    """Create or refresh the user's row; remember their chosen language for this update, and
    whether this update is their first contact with the bot."""
    person = update.effective_user
    chat = update.effective_chat
    # Only people talking to the bot privately are users; staff-group members are not stored.
    if person is None or person.is_bot or chat is None or chat.type != chat.PRIVATE:
        return
    async with context.db_session() as session, session.begin():
        user, created = await upsert_user(
            session,
            user_id=person.id,
            first_name=person.first_name,
            last_name=person.last_name,
            username=person.username,
            telegram_language=person.language_code,
        )
        context.remember_language(user.language)
        context.first_contact = created


def handler() -> BaseHandler:  # type: ignore[type-arg]
    return TypeHandler(Update, identify_user)
