"""What the bot says outside private chats: one short line with a button to the private chat,
on /start, /help, a mention or a reply, and as the answer to any old button. Nothing else: no
menu, no form, no answer to ordinary group chatter. Added to a group it does not know, it says
that line, leaves if the settings say so, and writes it to /audit."""

import logging

from telegram import (
    ChatMember,
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

from bot.context import BotContext
from bot.i18n import Translator
from bot.privacy.chat_kinds import ChatKind
from bot.staff.command_menus import ADMIN_COMMANDS, COMMANDS, STAFF_COMMANDS
from bot.staff.roles import is_staff
from db.audit import record_action
from db.cohort_groups import get_cohort_group_of_chat
from db.staff import get_role
from db.unnamed_groups import add_unnamed_group, forget_unnamed_group
from db.users import get_user
from handlers.chats.join_requests import decide_join_request

logger = logging.getLogger(__name__)
# The deep link's payload: /start from a group counts as this campaign source in /stats.
FROM_A_GROUP = "grp"
OUR_COMMANDS = frozenset(name for name, _ in (*COMMANDS, *STAFF_COMMANDS, *ADMIN_COMMANDS))
PRESENT = frozenset(
    {ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}
)
ADDED, PROMOTED = "group.added", "group.promoted"
KEPT_COHORT, KEPT_STAFF = "cohort", "staff"


async def answer_outside_private_chats(
    update: Update, context: BotContext, kind: ChatKind
) -> None:
    if update.my_chat_member is not None:
        await on_bot_membership(update.my_chat_member, context, kind)
    elif update.chat_join_request is not None:
        request = update.chat_join_request
        if not await decide_join_request(request, context):
            logger.info("Join request to chat %s left alone: not a cohort group", request.chat.id)
    elif update.callback_query is not None:
        await answer_old_button(update, context)
    elif update.message is not None and is_for_the_bot(update.message, context):
        await point_to_private_chat(update.message, context)


def pointer_text(translator: Translator) -> str:
    return translator.gettext(
        "👋 I am the assistant of BBPVP Serang. To keep your personal data safe, I only help "
        "in a private chat: tap the button below to talk to me."
    )


def private_chat_link(context: BotContext) -> str:
    return f"https://t.me/{context.bot.username}?start={FROM_A_GROUP}"


def group_translator(context: BotContext) -> Translator:
    """A group has no language of its own: the centre's."""
    return context.services.translators[context.settings.default_locale]


def pointer_keyboard(translator: Translator, context: BotContext) -> InlineKeyboardMarkup:
    button = InlineKeyboardButton(
        translator.gettext("💬 Chat with me privately"), url=private_chat_link(context)
    )
    return InlineKeyboardMarkup([[button]])


async def point_to_private_chat(message: Message, context: BotContext) -> None:
    translator = group_translator(context)
    await message.reply_text(
        pointer_text(translator), reply_markup=pointer_keyboard(translator, context)
    )


async def answer_old_button(update: Update, context: BotContext) -> None:
    """A button tapped in a group opens the private chat; the screen never changes there. The
    toast is the tapping person's own, so it is in their language."""
    query = update.callback_query
    assert query is not None
    async with context.db_session() as session:
        user = await get_user(session, query.from_user.id)
    if user is not None:
        context.remember_language(user.language)
    await query.answer(pointer_text(context.translator), url=private_chat_link(context))


def is_for_the_bot(message: Message, context: BotContext) -> bool:
    """A command of ours (bare or /name@bot), a mention of the bot, or a reply to one of its
    messages; ordinary group chatter is not."""
    bot = context.bot
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot.id:
        return True
    entities = {**message.parse_entities(), **message.parse_caption_entities()}
    for entity, text in entities.items():
        if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            name, _, target = text[1:].partition("@")
            if target.lower() == bot.username.lower() or (not target and name in OUR_COMMANDS):
                return True
        if entity.type == MessageEntity.MENTION and text[1:].lower() == bot.username.lower():
            return True
        if entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot.id:
            return True
    return False


async def on_bot_membership(
    change: ChatMemberUpdated, context: BotContext, kind: ChatKind
) -> None:
    """Added to (or made admin of) a group nobody allowed: say what the bot is, leave when the
    settings say so, and tell staff through /audit so they can allow the group."""
    if change.new_chat_member.user.id != context.bot.id or kind is not ChatKind.ELSEWHERE:
        return
    old, new = change.old_chat_member, change.new_chat_member
    if not is_present(new):
        async with context.db_session() as session, session.begin():
            await forget_unnamed_group(session, change.chat.id)
        return
    added = not is_present(old)
    if not added and not (
        new.status == ChatMemberStatus.ADMINISTRATOR and old.status != new.status
    ):
        return
    chat = change.chat
    kept = await kept_because(context, chat.id, change.from_user.id)
    leave = context.settings.leave_unknown_groups and kept is None
    if added and chat.type != ChatType.CHANNEL:
        translator = group_translator(context)
        try:
            await chat.send_message(
                pointer_text(translator), reply_markup=pointer_keyboard(translator, context)
            )
        except TelegramError as error:
            logger.info("Could not introduce myself in chat %s: %s", chat.id, error)
    if leave:
        try:
            await chat.leave()
        except TelegramError as error:
            logger.warning("Could not leave chat %s: %s", chat.id, error)
    async with context.db_session() as session, session.begin():
        await record_action(
            session,
            actor_id=change.from_user.id,
            action=ADDED if added else PROMOTED,
            subject=str(chat.id),
            details={"title": (chat.title or "")[:64], "left": leave, "kept": kept},
        )
        if kept == KEPT_STAFF and context.settings.leave_unknown_groups:
            # Kept to be named a cohort group: handlers.chats.unnamed_groups leaves it if it
            # is not named in time.
            await add_unnamed_group(
                session, chat_id=chat.id, title=chat.title or "", added_by=change.from_user.id
            )


async def kept_because(context: BotContext, chat_id: int, adder_id: int) -> str | None:
    """Why the bot stays in a group not in the settings: it is a cohort group, or a staff
    member added it (to make it one); None when nothing keeps it."""
    async with context.db_session() as session:
        if await get_cohort_group_of_chat(session, chat_id) is not None:
            return KEPT_COHORT
        if is_staff(await get_role(session, adder_id)):
            return KEPT_STAFF
    return None


def is_present(member: ChatMember) -> bool:
    return member.status in PRESENT or (
        member.status == ChatMemberStatus.RESTRICTED and bool(getattr(member, "is_member", False))
    )
