"""A person blocking or unblocking the bot in their private chat: broadcasts skip whoever
blocked it (no failed call) and /stats counts them, until they unblock it or write again."""

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import BaseHandler, ChatMemberHandler

from bot.context import BotContext
from db.users import set_blocked_bot


async def track_reachability(update: Update, context: BotContext) -> None:
    change = update.my_chat_member
    if change is None or change.chat.type != ChatType.PRIVATE:
        return
    blocked = change.new_chat_member.status == ChatMemberStatus.BANNED
    async with context.db_session() as session, session.begin():
        await set_blocked_bot(session, user_id=change.chat.id, blocked=blocked)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [ChatMemberHandler(track_reachability, ChatMemberHandler.MY_CHAT_MEMBER)]
