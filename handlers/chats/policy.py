"""The one check, made for every update before any feature runs: outside a private chat only the
staff features may run, and only in the staff group. Every form, /status, /mydata, the hand-off
and every screen with personal data is a private-chat feature, so none of them can answer in a
group, whatever handler or button is added later."""

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, BaseHandler, ConversationHandler

from bot.context import BotContext
from bot.privacy.chat_kinds import ChatKind, chat_kind
from handlers.chats import groups

# The feature packages (or modules) that are for staff: these, and only these, run in the
# staff group. /cancel (handlers.forms) also ends a staff member's broadcast form there.
STAFF_FEATURES = (
    "handlers.broadcast",
    "handlers.review",
    "handlers.intake",
    "handlers.stats",
    "handlers.staff",
    "handlers.handoff.desk",
    "handlers.handoff.edits",
    "handlers.forms",
)


async def keep_to_private_chats(update: Update, context: BotContext) -> None:
    """Let the update through in a private chat, and to a staff feature in the staff group;
    anywhere else answer with the pointer (or nothing) and stop it here."""
    chat = update.effective_chat
    if chat is None:
        return
    settings = context.settings
    kind = chat_kind(
        chat.id,
        chat.type,
        staff_chat_id=settings.staff_chat_id,
        allowed_group_ids=settings.allowed_group_ids,
    )
    if kind is ChatKind.PRIVATE:
        return
    if kind is ChatKind.STAFF_GROUP and only_staff_features_take(update, context.application):
        return
    await groups.answer_outside_private_chats(update, context, kind)
    raise ApplicationHandlerStop


def only_staff_features_take(update: Update, application: Application) -> bool:  # type: ignore[type-arg]
    """True when every handler that would take this update (the first match of each group after
    this one) belongs to a staff feature; also when none would."""
    for group in sorted(application.handlers):
        if group < 0:
            continue
        for handler in application.handlers[group]:
            check = handler.check_update(update)
            if check is None or check is False:
                continue
            if not is_staff_feature(handler_taking(handler, check)):
                return False
            break
    return True


def handler_taking(handler: BaseHandler, check: object) -> BaseHandler:  # type: ignore[type-arg]
    """The handler whose callback would run: inside a conversation, the matching step's."""
    if isinstance(handler, ConversationHandler) and isinstance(check, tuple):
        return check[2]  # type: ignore[no-any-return]
    return handler


def is_staff_feature(handler: BaseHandler) -> bool:  # type: ignore[type-arg]
    module = getattr(handler.callback, "__module__", None) or ""
    return any(module == feature or module.startswith(f"{feature}.") for feature in STAFF_FEATURES)
