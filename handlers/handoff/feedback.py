"""Feedback after a hand-off: the message saying staff closed the conversation asks for a
rating (1-5, once per ticket); after it the user may add one short comment, stored masked."""

from telegram import Chat, InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import BotContext
from bot.forms.conversation import ended, enter_form, leave_form, reply
from bot.i18n import Translator
from bot.navigation import ID, button, menu_button
from bot.privacy.log_masking import mask_personal_data
from bot.screens import Screen, show
from db.handoff_ratings import create_rating, get_rating, set_comment
from db.users import get_user
from handlers.questions.answers import search_screen

P = "fb"
RATINGS = range(1, 6)
COMMENT_PREFIX = f"{P}:c"
SKIP = f"{P}:skip"
COMMENTING = "commenting_on_handoff"
COMMENT_LENGTH = 1000
# user_data key: the ticket whose comment the next typed text is. Any other tap or command
# forgets it (forget_pending_comment), so the prompt never keeps taking typed text.
PENDING_COMMENT = "pending_handoff_comment"


def rating_data(ticket_id: int, rating: int) -> str:
    return f"{P}:{ticket_id}:{rating}"


def comment_data(ticket_id: int) -> str:
    return f"{COMMENT_PREFIX}:{ticket_id}"


def rating_keyboard(ticket_id: int) -> InlineKeyboardMarkup:
    """Under "the centre has closed this conversation": five stars, whatever the language."""
    return InlineKeyboardMarkup(
        [[button(f"{rating} ⭐", rating_data(ticket_id, rating)) for rating in RATINGS]]
    )


def rating_question(translator: Translator) -> str:
    return translator.gettext("How helpful was this conversation? Tap 1 (not at all) to 5 (very).")


async def save_rating(update: Update, context: BotContext) -> None:
    """A star tapped: stored once per ticket, then thanks and the offer of a comment."""
    ticket_id, rating = (int(group) for group in context.matches[0].groups())
    async with context.db_session() as session, session.begin():
        rated_before = await get_rating(session, ticket_id) is not None
        rated = None
        user = await get_user(session, context.user_id or 0)
        # Blocked users are not asked (desk.py), and a forged tap changes nothing.
        if not rated_before and user is not None and not user.handoff_blocked:
            rated = await create_rating(
                session, ticket_id=ticket_id, user_id=context.user_id or 0, rating=rating
            )
    _ = context.translator.gettext
    if rated_before:
        screen = Screen(_("You already rated this conversation. Thank you!"), menu(context))
    elif rated is None:
        text = _("This conversation can no longer be rated. Thank you all the same!")
        screen = Screen(text, menu(context))
    else:
        screen = thanks_screen(context.translator, ticket_id)
    # A new message: the tapped one keeps saying that the conversation was closed.
    await show(update, Screen(screen.text, screen.keyboard, edit=False))


def thanks_screen(translator: Translator, ticket_id: int) -> Screen:
    _ = translator.gettext
    text = _("🙏 Thank you for your rating! Would you like to tell the centre more?")
    keyboard = InlineKeyboardMarkup(
        [
            [button(_("✍️ Add a comment"), comment_data(ticket_id))],
            [button(_("No thanks"), SKIP)],
        ]
    )
    return Screen(text, keyboard)


def menu(context: BotContext) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[menu_button(context.translator)]])


async def ask_for_comment(update: Update, context: BotContext) -> object:
    """✍️ Add a comment: the next typed text is the comment (a rating comes first)."""
    ticket_id = int(context.matches[0].group(1))
    _ = context.translator.gettext
    async with context.db_session() as session, session.begin():
        rated = await get_rating(session, ticket_id)
        mine = rated is not None and rated.user_id == context.user_id
        waiting = mine and rated.comment_masked is None  # type: ignore[union-attr]
        if waiting:
            context.user_data[PENDING_COMMENT] = ticket_id  # type: ignore[index]
            outcome = (await enter_form(session, update, COMMENTING), comment_prompt(context))
    if waiting:
        return await reply(update, outcome)
    text = (
        _("You already left a comment on this conversation. Thank you!")
        if mine
        else _("Please rate the conversation first, with the stars above.")
    )
    # None: whatever form the user is in stays as it was.
    await show(update, Screen(text, menu(context), edit=False))
    return None


def comment_prompt(context: BotContext, problem: str | None = None) -> Screen:
    _ = context.translator.gettext
    lines = {
        None: _("✍️ Type your comment in one message (at most {limit} characters)."),
        "long": _(
            "That is a little long: please shorten it to {limit} characters at most and send "
            "it again."
        ),
        "text": _("Please type your comment as text (at most {limit} characters)."),
    }
    text = lines[problem].format(limit=context.translator.format_number(COMMENT_LENGTH))
    keyboard = InlineKeyboardMarkup([[button(_("No thanks"), SKIP)]])
    return Screen(text, keyboard, edit=False)


async def save_comment(update: Update, context: BotContext) -> object:
    """The typed comment, masked, on the rating; too long gets asked to shorten it."""
    typed = update.effective_message.text or ""  # type: ignore[union-attr]
    ticket_id = context.user_data.get(PENDING_COMMENT)  # type: ignore[union-attr]
    if ticket_id is None:
        # The prompt was left by another tap: the text is a question like any other.
        async with context.db_session() as session, session.begin():
            await leave_form(session, update)
        return await reply(update, (ConversationHandler.END, await search_screen(context, typed)))
    if len(typed) > COMMENT_LENGTH:
        await show(update, comment_prompt(context, "long"))
        return COMMENTING
    _ = context.translator.gettext
    async with context.db_session() as session, session.begin():
        await set_comment(
            session,
            ticket_id=ticket_id,
            user_id=context.user_id or 0,
            comment_masked=mask_personal_data(typed.strip()),
        )
        text = _("✅ Thank you! Your comment was passed on to the centre.")
        outcome = await ended(session, update, Screen(text, menu(context)))
    context.user_data.pop(PENDING_COMMENT, None)  # type: ignore[union-attr]
    return await reply(update, outcome)


async def nudge_for_text(update: Update, context: BotContext) -> object:
    """A sticker, photo or voice note where the comment was expected: ask for text."""
    if context.user_data.get(PENDING_COMMENT) is None:  # type: ignore[union-attr]
        async with context.db_session() as session, session.begin():
            outcome = await ended(session, update, Screen(media_text(context), menu(context)))
        return await reply(update, outcome)
    await show(update, comment_prompt(context, "text"))
    return COMMENTING


def media_text(context: BotContext) -> str:
    return context.translator.gettext(
        "I can only read text and button taps here. Please choose from the menu below."
    )


async def skip_comment(update: Update, context: BotContext) -> object:
    """No thanks while the comment is awaited: the prompt ends, nothing more is asked."""
    context.user_data.pop(PENDING_COMMENT, None)  # type: ignore[union-attr]
    async with context.db_session() as session, session.begin():
        outcome = await ended(session, update, goodbye_screen(context))
    return await reply(update, outcome)


async def decline_comment(update: Update, context: BotContext) -> None:
    """No thanks under the thanks for a rating: whatever form the user is in stays as it is."""
    await show(update, goodbye_screen(context))


def goodbye_screen(context: BotContext) -> Screen:
    text = context.translator.gettext("Thank you! We are glad to help again at any time.")
    return Screen(text, menu(context), edit=False)


async def forget_pending_comment(update: Update, context: BotContext) -> None:
    """Any other tap or command: the comment prompt no longer takes the next typed text."""
    if context.user_data is not None:
        context.user_data.pop(PENDING_COMMENT, None)


def entry_points() -> list[BaseHandler]:  # type: ignore[type-arg]
    """✍️ Add a comment waits for typed text, so it belongs to the forms conversation."""
    return [CallbackQueryHandler(ask_for_comment, pattern=rf"^{COMMENT_PREFIX}:({ID})$")]


def states() -> dict[object, list[BaseHandler]]:  # type: ignore[type-arg]
    message = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & ~filters.COMMAND
    return {
        COMMENTING: [
            MessageHandler(message & filters.TEXT, save_comment),
            MessageHandler(message & ~filters.StatusUpdate.ALL, nudge_for_text),
            CallbackQueryHandler(skip_comment, pattern=rf"^{SKIP}$"),
        ]
    }


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [
        CallbackQueryHandler(save_rating, pattern=rf"^{P}:({ID}):([1-5])$"),
        CallbackQueryHandler(decline_comment, pattern=rf"^{SKIP}$"),
    ]


class OtherPrivateAction(BaseHandler):  # type: ignore[type-arg]
    """Any tap but the comment's own, or any command, in a private chat: so the staff group's
    updates stay with the staff features (handlers/chats/policy.py)."""

    def check_update(self, update: object) -> bool:
        if not isinstance(update, Update) or update.effective_chat is None:
            return False
        if update.effective_chat.type != Chat.PRIVATE:
            return False
        if update.callback_query is not None:
            return not (update.callback_query.data or "").startswith(f"{COMMENT_PREFIX}:")
        message = update.message
        return message is not None and filters.COMMAND.check_update(update) is True


def forgetting_handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    """For a group after the features, which sees every update too."""
    return [OtherPrivateAction(forget_pending_comment)]
