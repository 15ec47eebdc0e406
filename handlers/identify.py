"""Runs before every feature: turns a flood away, keeps every feature but the staff ones to
private chats, records who is writing and which language they chose."""

from telegram import Chat, Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from bot.context import BotContext
from bot.staff.roles import current_role, is_staff
from bot.traffic.flood import Verdict
from db.users import get_user, upsert_user
from handlers.chats.policy import keep_to_private_chats


async def identify_user(update: Update, context: BotContext) -> None:
    """Create or refresh the user's row; remember their chosen language for this update, and
    whether this update is their first contact with the bot."""
    person = update.effective_user
    if person is not None and not person.is_bot:
        await hold_back_a_flood(update, context, person.id)
    # Outside a private chat, only staff features in the staff group go further.
    await keep_to_private_chats(update, context)
    chat = update.effective_chat
    if person is None or person.is_bot or chat is None or chat.type != Chat.PRIVATE:
        return
    # Blocking the bot is not writing to it (and must not bring back a deleted user's row).
    if update.my_chat_member is not None:
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


async def hold_back_a_flood(update: Update, context: BotContext, user_id: int) -> None:
    """Past the user's flood limit the update goes no further: nothing of it is applied, so a
    form answer is taken whole or not at all. Staff are exempt; the user is asked to slow down
    once per flood."""
    gate = context.services.flood_gate
    verdict = gate.admit(user_id)
    if verdict is Verdict.ADMIT:
        return
    exempt = gate.known_exemption(user_id)
    if exempt is None:
        exempt = is_staff(await current_role(context))
        gate.remember_exemption(user_id, exempt)
    if exempt:
        return
    gate.count_dropped()
    context.services.metrics.flood_dropped.inc()
    if verdict is Verdict.WARN:
        await ask_to_slow_down(update, context, user_id)
    raise ApplicationHandlerStop


async def ask_to_slow_down(update: Update, context: BotContext, user_id: int) -> None:
    """In the language they chose; in a private chat or on the button tapped, never a group."""
    async with context.db_session() as session:
        user = await get_user(session, user_id)
    if user is not None:
        context.remember_language(user.language)
    text = context.translator.gettext(
        "⏳ That is a lot of messages at once. Please wait a moment: I will answer again in a "
        "few seconds."
    )
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_chat is not None and update.effective_chat.type == Chat.PRIVATE:
        await update.effective_chat.send_message(text)


def handler() -> BaseHandler:  # type: ignore[type-arg]
    return TypeHandler(Update, identify_user)
