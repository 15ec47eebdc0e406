"""The error handler: log without personal data, apologise, and keep the user's place."""

import logging

from telegram import Update

from bot.context import BotContext
from bot.navigation import back_to_menu_keyboard

logger = logging.getLogger(__name__)


async def report_error(update: object, context: BotContext) -> None:
    """Log the failure and tell the user, in their language, that they can simply retry."""
    logger.error("Update %s failed", getattr(update, "update_id", "?"), exc_info=context.error)
    context.services.metrics.errors.inc()
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.effective_chat.type != update.effective_chat.PRIVATE:
        return  # the staff group gets no apology meant for users; the log has the cause
    text = context.translator.gettext(
        "Sorry, something went wrong on our side. Your earlier answers are safe; "
        "please send your last message again in a moment."
    )
    try:
        await update.effective_chat.send_message(
            text, reply_markup=back_to_menu_keyboard(context.translator)
        )
    except Exception:  # noqa: BLE001 - telling the user is best effort; the cause is logged
        logger.warning("Could not tell the user about the failure", exc_info=True)
