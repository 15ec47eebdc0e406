"""What registering leads to: consent, closed or full intakes, duplicates, the confirmation,
and the staff group's notice."""

import logging
from html import escape

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.context import BotContext
from bot.forms.eligibility import Failure
from bot.forms.profile_labels import answer_label
from bot.navigation import (
    REGISTRATION_PREFIX,
    TALK_TO_STAFF,
    eligibility_start_data,
    menu_button,
)
from bot.privacy.retention import days_text, months_text
from bot.screens import Note, Screen
from db.models import Programme, Registration
from handlers.eligibility.screens import explain
from handlers.registration.screens import title_of

logger = logging.getLogger(__name__)
P = REGISTRATION_PREFIX


def consent_screen(
    context: BotContext, programme: Programme, *, replacing: Registration | None
) -> Screen:
    _ = context.translator.gettext
    text = _(
        "📝 <b>Registering for {programme}</b>\n\n"
        "Before I ask anything, here is how your data is handled (UU 27/2022 on personal data "
        "protection):\n"
        "• <b>Purpose:</b> to register you for this programme and tell you about your "
        "application.\n"
        "• <b>Data:</b> name, NIK, date of birth, phone, last school, current activity, "
        "home regency and, if you like, e-mail.\n"
        "• <b>Kept:</b> until the end of this intake's selection plus {kept}, then deleted; a "
        "registration left unfinished is deleted {drafts} after its last answer.\n"
        "• <b>Your rights:</b> see, correct or delete your data at any time with /mydata, and "
        "withdraw this consent.\n"
        "• <b>Contact:</b> BBPVP Serang, Jl. Raya Pandeglang KM 3, Karundang, Cipocok Jaya, "
        "Kota Serang.\n\n"
        "Your NIK is stored encrypted and shown to staff only masked.\n"
        "Do you agree?"
    ).format(
        programme=title_of(context, programme),
        kept=months_text(context.translator, context.settings.keep_registrations_months),
        drafts=days_text(context.translator, context.settings.keep_drafts_days),
    )
    if replacing is not None:
        text += "\n\n" + _(
            "(This replaces the registration you had started for another programme.)"
        )
    rows = [
        [InlineKeyboardButton(_("✅ I agree"), callback_data=f"{P}:agree:{programme.code}")],
        [InlineKeyboardButton(_("✖️ No, I don't agree"), callback_data=f"{P}:decline")],
    ]
    return Screen(text, InlineKeyboardMarkup(rows))


def declined_screen(context: BotContext) -> Screen:
    text = context.translator.gettext(
        "Understood: nothing was recorded. You can still read about every programme, and "
        "register at the centre in person."
    )
    return Screen(text, InlineKeyboardMarkup([[menu_button(context.translator)]]))


def closed_screen(context: BotContext, programme: Programme) -> Screen:
    _ = context.translator.gettext
    if programme.intake == "planned":
        text = _("<b>{programme}</b> has not opened yet.")
    else:
        text = _("Registration for <b>{programme}</b> is closed at the moment.")
    text = (
        text.format(programme=title_of(context, programme))
        + "\n\n"
        + _("Shall I send you a message when it opens?")
    )
    rows = [
        [
            InlineKeyboardButton(
                _("🔔 Tell me when it opens"), callback_data=f"{P}:watch:{programme.code}"
            )
        ],
        [menu_button(context.translator)],
    ]
    return Screen(text, InlineKeyboardMarkup(rows))


def full_screen(context: BotContext, programme: Programme) -> Screen:
    _ = context.translator.gettext
    text = (
        _("All places for <b>{programme}</b> in this intake are taken.").format(
            programme=title_of(context, programme)
        )
        + "\n\n"
        + _("Ask the centre about the next intake, or look at other programmes.")
    )
    return Screen(text, InlineKeyboardMarkup([[menu_button(context.translator)]]))


def watching_screen(context: BotContext, programme: Programme) -> Screen:
    text = context.translator.gettext(
        "🔔 Done: I will tell you when registration for <b>{programme}</b> opens."
    ).format(programme=title_of(context, programme))
    return Screen(text, InlineKeyboardMarkup([[menu_button(context.translator)]]))


def duplicate_screen(context: BotContext, existing: Registration) -> Screen:
    """The NIK typed is already in this intake: its code only to the account that sent it."""
    if existing.user_id == context.user_id:
        return already_registered_screen(context, existing.code or "")
    _ = context.translator.gettext
    # Another account's registration: nothing about it is said, not even its code or stage.
    text = _(
        "This NIK is already registered for this programme's intake from another Telegram "
        "account, so it cannot be registered again.\n\n"
        "If it is your NIK, follow the registration with /status from the account that sent "
        "it, or ask a person at the centre. If you mistyped it, type it again."
    )
    rows = [
        [InlineKeyboardButton(_("💬 Ask a person"), callback_data=TALK_TO_STAFF)],
        [InlineKeyboardButton(_("✖️ Cancel"), callback_data=f"{P}:cancel")],
        [menu_button(context.translator)],
    ]
    return Screen(text, InlineKeyboardMarkup(rows))


def already_registered_screen(context: BotContext, code: str) -> Screen:
    text = context.translator.gettext(
        "You have already registered for this programme's intake, with code <b>{code}</b>. "
        "Follow it with /status; there is nothing more to fill in."
    ).format(code=escape(code))
    return Screen(text, InlineKeyboardMarkup([[menu_button(context.translator)]]))


def submitted_screen(context: BotContext, programme: Programme, code: str) -> Screen:
    text = context.translator.gettext(
        "✅ <b>Registration received.</b>\n\n"
        "Programme: {programme}\nYour registration code: <b>{code}</b>\n\n"
        "What happens next: the centre checks your data, then tells you here about the "
        "selection (usually a test and an interview). Follow your application with /status."
    ).format(programme=title_of(context, programme), code=code)
    return Screen(text, InlineKeyboardMarkup([[menu_button(context.translator)]]))


def cancelled_screen(context: BotContext, on_phone: bool = False) -> Screen:
    text = context.translator.gettext(
        "Registration cancelled; what you had typed is deleted. What would you like to do?"
    )
    keyboard = InlineKeyboardMarkup([[menu_button(context.translator)]])
    return Screen(text, keyboard, before=keyboard_removed(on_phone))


def keyboard_removed(needed: bool) -> tuple[Note, ...]:
    """Take the share-contact keyboard away once the phone question is left."""
    return (Note("↩️", ReplyKeyboardRemove()),) if needed else ()


def check_first_screen(context: BotContext, programme: Programme) -> Screen:
    _ = context.translator.gettext
    text = _(
        "<b>{programme}</b> has requirements I have not asked you about yet. Please check "
        "them first: it takes a minute, and then you can register."
    ).format(programme=title_of(context, programme))
    rows = [
        [
            InlineKeyboardButton(
                _("✅ Check if I qualify"), callback_data=eligibility_start_data(programme.code)
            )
        ],
        [menu_button(context.translator)],
    ]
    return Screen(text, InlineKeyboardMarkup(rows))


def rules_not_met(context: BotContext, programme: Programme, failures: list[Failure]) -> str:
    """Why the answers in the form do not meet the programme's rules, as a hint."""
    _ = context.translator.gettext
    title = title_of(context, programme)
    reasons = "\n".join(f"• {explain(context.translator, title, f)}" for f in failures)
    return (
        _("With these answers you do not meet the requirements for <b>{programme}</b>:").format(
            programme=title
        )
        + "\n"
        + reasons
        + "\n"
        + _("If an answer is wrong, correct it below; otherwise you can cancel.")
    )


async def answer_already_sent(update: Update, context: BotContext) -> None:
    """A second tap on Submit: a short notice, leaving the confirmation on screen."""
    if update.callback_query is not None:
        await update.callback_query.answer(
            context.translator.gettext("Already sent. See /status for your registrations."),
        )


def no_draft_screen(context: BotContext) -> Screen:
    text = context.translator.gettext(
        "You have no registration in progress. Your registrations are listed under /status."
    )
    return Screen(text, InlineKeyboardMarkup([[menu_button(context.translator)]]))


def gone_screen(context: BotContext) -> Screen:
    text = context.translator.gettext(
        "That programme is not taking registrations any more. Please look at the current "
        "programmes."
    )
    return Screen(text, InlineKeyboardMarkup([[menu_button(context.translator)]]))


async def notify_staff(context: BotContext, draft: Registration, programme: Programme) -> None:
    """Tell the staff group about a new registration, NIK masked; best effort."""
    chat_id = context.settings.staff_chat_id
    if chat_id is None:
        return
    # Staff read the centre's default language, whatever the applicant's.
    staff = context.services.translators[context.settings.default_locale]
    text = "🆕 <b>{code}</b> · {programme}\n{name} · NIK {nik} · {regency}".format(
        code=draft.code,
        programme=escape(programme.texts["title"][staff.locale]),
        name=escape(draft.full_name or ""),
        nik=draft.nik_masked,
        regency=answer_label(staff, "regency", draft.regency),
    )
    try:
        await context.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML)
    except TelegramError:
        logger.warning("Could not notify the staff group about %s", draft.code, exc_info=True)


def open_programmes_screen(context: BotContext, programmes: list[Programme]) -> Screen:
    _ = context.translator.gettext
    open_ones = [p for p in programmes if p.intake == "open"]
    rows = [
        [
            InlineKeyboardButton(
                p.texts["title"][context.locale], callback_data=f"{P}:start:{p.code}"
            )
        ]
        for p in open_ones
    ]
    rows.append([menu_button(context.translator)])
    if open_ones:
        text = _("📝 These programmes are open for registration now. Which one?")
    else:
        text = _(
            "No programme is open for registration right now. Look under 📚 Programmes "
            "and tap «Tell me when it opens»."
        )
    return Screen(text, InlineKeyboardMarkup(rows))
