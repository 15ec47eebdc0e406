"""The preview of a broadcast: copies of the staff member's message(s) as recipients will see
them, then the counts and the Send and Schedule buttons, which carry the preview's revision.
A button from an older preview shows the current one instead; a source message the staff
member has deleted is said plainly."""

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.error import BadRequest

from bot.broadcast.audience import PROGRAMME, STAGE, Audience, count_recipients, preview_revision
from bot.broadcast.pacing import source_was_deleted
from bot.context import BotContext
from bot.i18n import Translator
from bot.screens import Screen, show
from db.broadcasts import DRAFT, SCHEDULED
from db.models import Broadcast, utc_now
from db.programmes import get_programme
from handlers.broadcast import screens


async def confirm_screen(
    session: AsyncSession, context: BotContext, broadcast: Broadcast, audience: Audience
) -> Screen:
    """The counts under the preview: everyone, and how many get each version."""
    total, english = await count_recipients(
        session, audience, default_locale=context.settings.default_locale, now=utc_now()
    )
    title = ""
    code = audience.stage[0] if audience.stage else audience.value
    if audience.kind in (PROGRAMME, STAGE) and code:
        programme = await get_programme(session, code)
        title = programme.texts["title"][context.locale] if programme else code
    label = screens.audience_label(context.translator, audience, title)
    return screens.confirm_screen(
        context.translator,
        broadcast.id,
        preview_revision(broadcast.audience),
        label,
        total,
        english if broadcast.english_message_id is not None else None,
    )


def previewable(broadcast: Broadcast | None) -> bool:
    """A draft with an audience chosen: its current preview can be shown."""
    return broadcast is not None and broadcast.status == DRAFT and broadcast.audience is not None


def is_current(broadcast: Broadcast | None, revision: int) -> bool:
    """A draft whose preview is the one this button came from."""
    return previewable(broadcast) and preview_revision(broadcast.audience) == revision  # type: ignore[union-attr]


async def refusal_screen(
    session: AsyncSession, context: BotContext, broadcast: Broadcast | None
) -> Screen:
    """A Send or Schedule button that no longer applies: why, and the current preview."""
    translator = context.translator
    if broadcast is not None and broadcast.status == SCHEDULED:
        return already_scheduled_screen(translator, broadcast)
    if broadcast is None or not previewable(broadcast):
        return screens.gone_screen(translator)
    current = await confirm_screen(
        session, context, broadcast, Audience.from_json(broadcast.audience)
    )
    note = translator.gettext(
        "⚠️ This preview is out of date: the audience or the versions changed after it was "
        "shown. Here is the current one; nothing was sent."
    )
    return Screen(note + "\n\n" + current.text, current.keyboard, edit=False)


async def show_refusal(
    update: Update, context: BotContext, broadcast: Broadcast | None, screen: Screen
) -> None:
    """A refusal from refusal_screen: an out-of-date preview comes with the current copies."""
    if broadcast is not None and previewable(broadcast):
        await show_preview(update, context, broadcast, screen)
    else:
        await show(update, screen)


def already_scheduled_screen(translator: Translator, broadcast: Broadcast) -> Screen:
    return Screen(
        translator.gettext(
            "🕒 Broadcast #{id} is already scheduled. See /broadcasts to check or cancel it."
        ).format(id=broadcast.id)
    )


def source_deleted_screen(translator: Translator, english: bool) -> Screen:
    _ = translator.gettext
    text = (
        _(
            "⚠️ I cannot show the preview: your English version was deleted from this chat, "
            "so it can no longer be copied. Nothing was sent. Please start again with "
            "/broadcast."
        )
        if english
        else _(
            "⚠️ I cannot show the preview: your original message was deleted from this chat, "
            "so it can no longer be copied. Nothing was sent. Please start again with "
            "/broadcast."
        )
    )
    return Screen(text, edit=False)


async def show_preview(
    update: Update, context: BotContext, broadcast: Broadcast, screen: Screen
) -> None:
    """The copies as recipients will see them (main version, then English), then the screen;
    if the staff member deleted one of their messages, that is said instead."""
    chat = update.effective_chat
    if chat is not None:
        for message_id in (broadcast.source_message_id, broadcast.english_message_id):
            if message_id is None:
                continue
            try:
                await context.bot.copy_message(
                    chat_id=chat.id, from_chat_id=broadcast.source_chat_id, message_id=message_id
                )
            except BadRequest as error:
                if not source_was_deleted(error):
                    raise
                english = message_id == broadcast.english_message_id
                screen = source_deleted_screen(context.translator, english)
                break
    await show(update, screen)
