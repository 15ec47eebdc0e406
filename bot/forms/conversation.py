"""The one conversation for forms: a user fills at most one form (eligibility check,
registration or the Sekolah Rakyat request) at a time, and where they are is committed before
the bot replies.

A form left for the menu mid-way (/start, /menu, the menu button) is paused: its step stays,
typed text is a question for the FAQ, and "▶️ Continue" brings back the pending question.
"""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, Update
from telegram.error import TelegramError
from telegram.ext import Application, ConversationHandler

from bot.context import SERVICES, BotContext
from bot.i18n import N_, Translator
from bot.navigation import CONTINUE_FORM
from bot.persistence import encode_key, remember_step
from bot.screens import Screen, show
from db.persistence import get_conversation_state, save_conversation_state

FORMS = "forms"
# The forms people fill in for themselves, as their conversation states; these can be paused.
ELIGIBILITY_FORM = "checking_eligibility"
REGISTRATION_FORM = "registering"
SCHOOL_INTEREST_FORM = "school_interest"
CONTINUE_LABELS = {
    ELIGIBILITY_FORM: N_("▶️ Continue the eligibility check"),
    REGISTRATION_FORM: N_("▶️ Continue registration"),
    SCHOOL_INTEREST_FORM: N_("▶️ Continue the Sekolah Rakyat request"),
}
PAUSED = "paused"


async def enter_form(session: AsyncSession, update: Update, state: str) -> str:
    """Record, in the handler's transaction, that typed text now belongs to this form."""
    await remember_step(session, update, FORMS, state)
    return state


async def leave_form(session: AsyncSession, update: Update) -> None:
    await remember_step(session, update, FORMS, None)


def paused(form: str) -> str:
    """The conversation state of this form while paused."""
    return f"{PAUSED}:{form}"


async def pause_form(session: AsyncSession, update: Update, form: str) -> str:
    """Record, in the handler's transaction, that typed text is a question until Continue."""
    return await enter_form(session, update, paused(form))


def form_of(state: object) -> str | None:
    """The form a conversation state is in, paused or not; None outside those forms."""
    form = (
        state.partition(":")[2] if isinstance(state, str) and state.startswith(PAUSED) else state
    )
    return form if isinstance(form, str) and form in CONTINUE_LABELS else None


async def current_form(session: AsyncSession, context: BotContext) -> str | None:
    """The form this chat is filling in or has paused, as committed."""
    if context.chat_id is None or context.user_id is None:
        return None
    key = encode_key((context.chat_id, context.user_id))
    return form_of(await get_conversation_state(session, name=FORMS, key=key))


def continue_form_button(translator: Translator, form: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        translator.gettext(CONTINUE_LABELS[form]), callback_data=CONTINUE_FORM
    )


# What a form handler decides inside its transaction: the conversation's next state and the
# screen to show once the transaction has committed.
Outcome = tuple[object, Screen]


async def ended(session: AsyncSession, update: Update, screen: Screen) -> Outcome:
    """Leave the form (recorded with the transaction) and show this screen."""
    await leave_form(session, update)
    return ConversationHandler.END, screen


async def reply(update: Update, outcome: Outcome) -> object:
    """After the commit: show the screen, and hand PTB the conversation's new state."""
    state, screen = outcome
    await show(update, screen)
    return state


class FormsConversation(ConversationHandler):  # type: ignore[type-arg]
    """PTB's ConversationHandler, committing where a chat is as soon as an update has moved it.

    Form handlers commit their step before they reply (enter_form, leave_form): that is what
    survives a SIGKILL right after the reply. A handler that moves the conversation without
    doing so (a button that leaves a form, say) is still recorded here, once it returns. One
    chat's updates run one at a time (bot/traffic/chat_order.py), so this is never a step
    behind, as PTB's periodic flush can be (bot/persistence.py leaves steps to the handlers).
    """

    async def handle_update(  # type: ignore[override]
        self,
        update: Update,
        application: Application,
        check_result: Any,
        context: Any,  # type: ignore[type-arg]
    ) -> object:
        key = self._get_key(update)
        before = self._conversations.get(key)
        try:
            result = await super().handle_update(update, application, check_result, context)
        except TelegramError:
            # The handler committed its step, then its reply was refused (the user blocked
            # the bot, say): PTB keeps the step it had, and so does the database.
            await self._commit(application, key, before)
            raise
        after = self._conversations.get(key)
        # A state still pending (a handler run with block=False) is not a step yet.
        if after != before and (after is None or isinstance(after, str | int)):
            await self._commit(application, key, after)
        return result

    async def _commit(self, application: Application, key: Any, state: object) -> None:  # type: ignore[type-arg]
        async with application.bot_data[SERVICES].session_factory() as session:
            async with session.begin():
                await save_conversation_state(
                    session, name=self.name, key=encode_key(key), state=state
                )
