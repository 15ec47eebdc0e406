"""/mydata: see everything stored about you, get it as a file, correct it, or delete it."""

import io
import json
from datetime import date, datetime
from html import escape
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import BotContext
from bot.forms.profile_labels import answer_label
from bot.forms.registration import CHOICES
from bot.i18n import N_
from bot.navigation import MY_DATA, menu_button
from bot.persistence import conversation_key, encode_key
from bot.privacy.data_export import personal_data_of
from bot.privacy.retention import days_text
from bot.screens import Screen, show
from db.audit import forget_requester
from db.cohort_invites import forget_user_invites
from db.consents import withdraw_user_consents
from db.eligibility import delete_answers
from db.faq_questions import delete_user_questions
from db.handoff_blocks import add_handoff_block
from db.handoff_ratings import forget_user_ratings
from db.persistence import delete_conversation_states_of, delete_user_data
from db.registrations import anonymise_user_registrations
from db.school_interests import delete_user_interests
from db.users import delete_user, get_user
from handlers.handoff.talking import close_open_ticket, is_blocked_from_staff
from handlers.privacy.corrections import (
    CORRECTING,
    FIELD_LABELS,
    FIX,
    TYPED_FIELDS,
    ask_correction,
    choose_field,
    finish,
    save_choice_correction,
    save_typed_correction,
    stop_correcting,
)
from handlers.review.cohort_links import revoke_link
from handlers.school.interest_outcomes import data_line as school_interest_line

P = "me"
DELETED_NOTE = N_("The user deleted their data; this conversation is closed.")
BLOCK_KEPT = N_(
    "The centre has stopped you from writing to staff through the bot. That stop stays after "
    "deletion, kept only as an unreadable code made from your Telegram account, so it cannot "
    "be undone by deleting."
)
ANSWER_LABELS = {
    **FIELD_LABELS,
    "birth_date": N_("Date of birth"),
    "sex": N_("Sex"),
    "glasses": N_("Wears glasses"),
    "tattoo": N_("Tattoo or piercing"),
    "colour_blind": N_("Colour-blind"),
    "deported_korea": N_("Deported from Korea"),
    "prison": N_("Prison or travel ban"),
}
STAGES = {
    "draft": N_("unfinished"),
    "submitted": N_("📨 Submitted"),
    "verified": N_("✔️ Data verified"),
    "test_scheduled": N_("🗓 Test scheduled"),
    "accepted": N_("🎉 Accepted"),
    "rejected": N_("Not accepted"),
    "withdrawn": N_("↩️ Withdrawn"),
}


async def show_my_data(update: Update, context: BotContext) -> object:
    """Everything stored about the user, in words, NIK masked; also ends a correction."""
    async with context.db_session() as session, session.begin():
        await stop_correcting(session, update, context)
        data = await personal_data_of(session, context.user_id or 0, context.services.vault)
        user = await get_user(session, context.user_id or 0)
        blocked = await is_blocked_from_staff(session, context, user)
    await show(update, data_screen(context, data, blocked=blocked))
    return ConversationHandler.END


def data_screen(context: BotContext, data: dict[str, Any], *, blocked: bool = False) -> Screen:
    _ = context.translator.gettext
    t = context.translator
    lines = [_("🔐 <b>Your data in this bot</b>")]
    if data["telegram"]:
        lines.append(
            _("Telegram: {name}, language {language}").format(
                name=escape(data["telegram"]["first_name"]), language=context.locale
            )
        )
    for question, value in data["eligibility_answers"].items():
        if question == "birth_date":
            value = date.fromisoformat(value)
        shown = answer_label(t, question, value)
        label = _(ANSWER_LABELS[question]) if question in ANSWER_LABELS else question
        lines.append(f"• {escape(label)}: {escape(shown)}")
    for r in data["registrations"]:
        lines.append(
            _(
                "Registration {code} ({programme}, {stage}): {name}, NIK {nik}, born {born}, "
                "phone {phone}, e-mail {email}, {school}, {home}"
            ).format(
                code=r["code"] or "–",
                programme=escape(r["programme_code"]),
                stage=_(STAGES[r["status"]]),
                name=escape(r["full_name"] or "–"),
                nik=r["nik_masked"] or "–",
                born=r["birth_date"] or "–",
                phone=r["phone"] or "–",
                email=escape(r["email"] or "–"),
                school=answer_label(t, "education", r["education"]) if r["education"] else "–",
                home=answer_label(t, "regency", r["regency"]) if r["regency"] else "–",
            )
        )
        if r["documents"]:
            lines.append(documents_line(context, r["documents"]))
    for interest in data["school_interests"]:
        lines.append(school_interest_line(context, interest))
    if data["typed_questions"]:
        lines.append(
            _("Questions you typed, kept {kept} without NIK or phone numbers: {count}").format(
                kept=days_text(t, context.settings.keep_questions_days),
                count=t.format_number(len(data["typed_questions"])),
            )
        )
    for link in data["cohort_group_links"]:
        lines.append(cohort_link_line(context, link))
    lines.append(_("Consents given: {count}").format(count=len(data["consents"])))
    if data["handoff_ratings"]:
        lines.append(
            _(
                "Your ratings of conversations with staff: {count} (with any comment, in the file)"
            ).format(count=len(data["handoff_ratings"]))
        )
    if blocked:
        lines.append(_(BLOCK_KEPT))
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(_("📄 Send me a file"), callback_data=f"{P}:file")],
            [InlineKeyboardButton(_("✏️ Correct my data"), callback_data=FIX)],
            [
                InlineKeyboardButton(
                    _("🔄 Forget my eligibility answers"), callback_data=f"{P}:forget"
                )
            ],
            [InlineKeyboardButton(_("🗑 Delete everything"), callback_data=f"{P}:delete")],
            [menu_button(t)],
        ]
    )
    return Screen("\n".join(lines), keyboard)


def cohort_link_line(context: BotContext, link: dict[str, Any]) -> str:
    """One personal link to a cohort group, and whether it let the user in."""
    _ = context.translator.gettext
    if link["joined_at"]:
        text = _("Cohort group link for {code}: {link} (used: you are in the group)")
    else:
        text = _("Cohort group link for {code}: {link} (not used yet)")
    return text.format(code=escape(link["registration"] or "–"), link=escape(link["invite_link"]))


def documents_line(context: BotContext, documents: list[dict[str, Any]]) -> str:
    """The documents sent for one registration, each with the day it was received."""
    t = context.translator
    shown = ", ".join(
        "{title} ({day})".format(
            title=escape((d["title"] or {}).get(context.locale) or d["code"]),
            day=t.format_date(datetime.fromisoformat(d["received_at"]).date()),
        )
        for d in documents
    )
    return "  " + t.gettext(
        "Documents sent (only Telegram's reference is kept): {documents}"
    ).format(documents=shown)


async def send_data_file(update: Update, context: BotContext) -> None:
    """The same data as a JSON file the user can keep."""
    async with context.db_session() as session:
        data = await personal_data_of(session, context.user_id or 0, context.services.vault)
    if update.callback_query:
        await update.callback_query.answer()
    content = json.dumps(data, ensure_ascii=False, indent=2).encode()
    await update.effective_chat.send_document(  # type: ignore[union-attr]
        io.BytesIO(content),
        filename="my-data.json",
        caption=context.translator.gettext("Your data as stored by this bot (NIK masked)."),
    )


async def forget_answers(update: Update, context: BotContext) -> None:
    """Forget every eligibility answer, so the next check asks again."""
    async with context.db_session() as session, session.begin():
        await delete_answers(session, user_id=context.user_id or 0)
    text = context.translator.gettext(
        "Done: your eligibility answers are forgotten. The next check asks again."
    )
    await show(update, Screen(text, InlineKeyboardMarkup([[menu_button(context.translator)]])))


async def confirm_deletion(update: Update, context: BotContext) -> None:
    _ = context.translator.gettext
    async with context.db_session() as session:
        user = await get_user(session, context.user_id or 0)
        blocked = await is_blocked_from_staff(session, context, user)
    text = _(
        "🗑 Delete everything this bot stores about you? Your answers and registrations are "
        "erased; only anonymous counts (programme and stage) stay for statistics. "
        "This cannot be undone."
    )
    if blocked:
        text += "\n\n" + _(BLOCK_KEPT)
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(_("🗑 Yes, delete everything"), callback_data=f"{P}:erase")],
            [InlineKeyboardButton(_("No, keep it"), callback_data=MY_DATA)],
        ]
    )
    await show(update, Screen(text, keyboard))


async def delete_everything(update: Update, context: BotContext) -> object:
    """Erase the person's data, keeping anonymous registration counts only."""
    user_id = context.user_id or 0
    # Staff are told in the topic before the ticket (and its mapping) goes with the user.
    await close_open_ticket(update, context, note=DELETED_NOTE)
    async with context.db_session() as session, session.begin():
        blocked = await keep_block_by_code(session, context, user_id)
        unused_links = await forget_user_invites(session, user_id)
        await forget_requester(session, user_id)
        await anonymise_user_registrations(session, user_id)
        await delete_user_interests(session, user_id)
        await delete_user_questions(session, user_id)
        await forget_user_ratings(session, user_id)
        await withdraw_user_consents(session, user_id)
        await delete_user_data(session, user_id)
        await delete_conversation_states_of(session, encode_key(conversation_key(update)))
        await delete_user(session, user_id)
    context.application.drop_user_data(user_id)
    for chat_id, invite_link in unused_links:
        await revoke_link(context.application, chat_id, invite_link)
    context.remember_language(None)
    text = context.translator.gettext(
        "Done: everything is deleted. If you write to the bot again, it will only know your "
        "Telegram name and language."
    )
    if blocked:
        text += "\n\n" + context.translator.gettext(BLOCK_KEPT)
    return await finish(
        update, Screen(text, InlineKeyboardMarkup([[menu_button(context.translator)]]))
    )


async def keep_block_by_code(session: AsyncSession, context: BotContext, user_id: int) -> bool:
    """A block by staff survives deletion as a keyed hash of the Telegram id, nothing else.
    UU 27/2022 limits data to its purpose: keeping someone staff stopped for abuse from
    coming back by deleting is a legitimate interest, and the code identifies nobody without
    the key. Blocks made before the codes existed are carried over here."""
    user = await get_user(session, user_id)
    if user is None or not await is_blocked_from_staff(session, context, user):
        return False
    await add_handoff_block(session, context.services.vault.user_code(user_id), blocked_by=None)
    return True


def entry_points() -> list[BaseHandler]:  # type: ignore[type-arg]
    """Buttons that start, leave or end a correction, so the form state always follows."""
    typed = "|".join(TYPED_FIELDS)
    return [
        CallbackQueryHandler(ask_correction, pattern=rf"^{FIX}:({typed})$"),
        CallbackQueryHandler(choose_field, pattern=rf"^{FIX}$"),
        CallbackQueryHandler(show_my_data, pattern=rf"^{MY_DATA}$"),
        CallbackQueryHandler(delete_everything, pattern=rf"^{P}:erase$"),
    ]


def states() -> dict[object, list[BaseHandler]]:  # type: ignore[type-arg]
    text = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND
    return {CORRECTING: [MessageHandler(text, save_typed_correction)]}


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    choices = "|".join(CHOICES)
    return [
        CommandHandler("mydata", show_my_data),
        CallbackQueryHandler(send_data_file, pattern=rf"^{P}:file$"),
        CallbackQueryHandler(ask_correction, pattern=rf"^{FIX}:({choices})$"),
        CallbackQueryHandler(save_choice_correction, pattern=rf"^{P}:set:({choices}):(\w+)$"),
        CallbackQueryHandler(forget_answers, pattern=rf"^{P}:forget$"),
        CallbackQueryHandler(confirm_deletion, pattern=rf"^{P}:delete$"),
    ]
