"""What the registration form shows: each question, the summary, and every outcome."""

import logging
from datetime import date
from html import escape

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.context import BotContext
from bot.forms.eligibility import ACTIVITIES, BANTEN_REGENCIES, EDUCATION_LEVELS, OUTSIDE_BANTEN
from bot.forms.profile_labels import answer_label
from bot.i18n import N_
from bot.navigation import REGISTRATION_PREFIX, TALK_TO_STAFF
from bot.privacy.log_masking import mask_phone
from bot.privacy.nik import parse_nik
from bot.screens import Note, Screen
from db.models import Programme, Registration
from handlers.questions.answers import SEARCH_TYPED

logger = logging.getLogger(__name__)
CONSENT_VERSION = "reg-1"
P = REGISTRATION_PREFIX
QUESTIONS = {
    "name": N_("✍️ What is your full name, as written on your KTP?"),
    "nik": N_("🪪 What is your NIK? It is the 16-digit number on your KTP or family card (KK)."),
    "birth_date": N_("📅 What is your date of birth? Type it like this: 17-08-2005"),
    "phone": N_(
        "📱 What is your phone number? Tap «Share my number» below, or type it, "
        "for example 0812 3456 7890."
    ),
    "education": N_("🎓 What is the last school you finished?"),
    "activity": N_("What are you doing at the moment?"),
    "regency": N_("🏠 Where do you live?"),
    "email": N_("📧 Your e-mail address, if you have one (optional)."),
}
CHOICES = {
    "education": EDUCATION_LEVELS,
    "activity": ACTIVITIES,
    "regency": (*BANTEN_REGENCIES, OUTSIDE_BANTEN),
}
SUMMARY_ROWS = (
    ("name", N_("Name")),
    ("nik", N_("NIK")),
    ("birth_date", N_("Date of birth")),
    ("phone", N_("Phone")),
    ("education", N_("Last school")),
    ("activity", N_("Activity")),
    ("regency", N_("Home")),
    ("email", N_("E-mail")),
)
ERRORS = {
    "format": N_("An NIK has exactly 16 digits, for example 3604xxxxxxxxxxxx."),
    "region": N_(
        "The first digits of that NIK are not a region code. Please check it against your KTP."
    ),
    "date": N_(
        "Digits 7 to 12 of an NIK hold a birth date, and these do not. Please check "
        "it against your KTP."
    ),
    "serial": N_("The last four digits of an NIK cannot be 0000. Please check it."),
    "name_invalid": N_("Please type your name in letters, for example Siti Aminah."),
    "name_too_long": N_("That is longer than a name can be here (100 characters at most)."),
    "date_format": N_(
        "I could not read that as a date. Please type day-month-year, for example 17-08-2005."
    ),
    "date_invalid": N_(
        "That date does not exist. Please check the day and month, for example 17-08-2005."
    ),
    "date_implausible": N_(
        "That date cannot be a birth date. Please type yours, for example 17-08-2005."
    ),
    "phone_invalid": N_(
        "That does not look like an Indonesian mobile number. Type it like "
        "0812 3456 7890 or +62 812 3456 7890."
    ),
    "email_invalid": N_(
        "That is not an e-mail address. Type it like nama@gmail.com, or tap «Skip»."
    ),
    "contact_not_own": N_(
        "That is someone else's contact. Please share your own number "
        "with the button below, or type it."
    ),
    "use_buttons": N_("Please answer with the buttons below."),
    "media": N_("I can only read text here. Please answer the question below."),
}


def nik_birth_date(context: BotContext, draft: Registration) -> date | None:
    """The birth date written in the draft's NIK."""
    if not draft.nik_encrypted:
        return None
    nik = context.services.vault.decrypt(draft.nik_encrypted)
    return parse_nik(nik, date.today()).birth_date


def title_of(context: BotContext, programme: Programme | None) -> str:
    return escape(programme.texts["title"][context.locale]) if programme else ""


def step_screen(
    context: BotContext,
    draft: Registration,
    programme: Programme | None,
    *,
    hint: str | None = None,
    before: tuple[Note, ...] = (),
    search: bool = False,
    person: bool = False,
) -> Screen:
    _ = context.translator.gettext
    step = draft.step or "summary"
    if step == "summary":
        text, rows = summary(context, draft)
    elif step == "nik_check":
        text, rows = nik_check(context, draft)
    else:
        text, rows = _(QUESTIONS[step]), choice_rows(context, step)
        if step == "email":
            rows.append([InlineKeyboardButton(_("Skip"), callback_data=f"{P}:c:email:skip")])
    navigation = [InlineKeyboardButton(_("✖️ Cancel"), callback_data=f"{P}:cancel")]
    if step not in ("name", "summary"):
        navigation.insert(0, InlineKeyboardButton(_("‹ Back"), callback_data=f"{P}:back"))
    if search:
        label = _("🔎 Search the answers for what I typed")
        rows.append([InlineKeyboardButton(label, callback_data=SEARCH_TYPED)])
    if person:
        rows.append([InlineKeyboardButton(_("💬 Ask a person"), callback_data=TALK_TO_STAFF)])
    if step != "summary":
        rows.append(navigation)
    header = f"📝 <b>{title_of(context, programme)}</b>"
    screen_text = f"{header}\n\n{text}"
    if hint:
        screen_text = f"⚠️ {hint}\n\n{screen_text}"
    after = ()
    if step == "phone":
        share = KeyboardButton(_("📱 Share my number"), request_contact=True)
        keyboard = ReplyKeyboardMarkup([[share]], resize_keyboard=True, one_time_keyboard=True)
        after = (Note(_("👇 Or tap this button to share your number:"), keyboard),)
    return Screen(screen_text, InlineKeyboardMarkup(rows), before=before, after=after)


def choice_rows(context: BotContext, step: str) -> list[list[InlineKeyboardButton]]:
    buttons = [
        InlineKeyboardButton(
            answer_label(context.translator, step, value), callback_data=f"{P}:c:{step}:{value}"
        )
        for value in CHOICES.get(step, ())
    ]
    width = 1 if step == "education" else 2
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


def nik_check(
    context: BotContext, draft: Registration
) -> tuple[str, list[list[InlineKeyboardButton]]]:
    _ = context.translator.gettext
    born = nik_birth_date(context, draft)
    text = _(
        "From your NIK {nik} I read: <b>{sex}</b>, born <b>{born}</b>. Is that right?"
    ).format(
        nik=draft.nik_masked,
        sex=answer_label(context.translator, "sex", draft.sex),
        born=context.translator.format_date(born),
    )
    rows = [
        [InlineKeyboardButton(_("✅ Yes, that's right"), callback_data=f"{P}:c:nik_check:yes")],
        [
            InlineKeyboardButton(
                _("✏️ I typed my NIK wrong"), callback_data=f"{P}:c:nik_check:retype"
            )
        ],
        [
            InlineKeyboardButton(
                _("📅 The NIK is right, my birth date differs"),
                callback_data=f"{P}:c:nik_check:differs",
            )
        ],
    ]
    return text, rows


def summary(
    context: BotContext, draft: Registration
) -> tuple[str, list[list[InlineKeyboardButton]]]:
    _ = context.translator.gettext
    values = {
        "name": escape(draft.full_name or ""),
        "nik": draft.nik_masked or "",
        "birth_date": answer_label(context.translator, "birth_date", draft.birth_date),
        "phone": draft.phone_masked or "",
        "education": answer_label(context.translator, "education", draft.education),
        "activity": answer_label(context.translator, "activity", draft.activity),
        "regency": answer_label(context.translator, "regency", draft.regency),
        "email": escape(draft.email) if draft.email else "–",
    }
    lines = [f"{_(label)}: <b>{values[step]}</b>" for step, label in SUMMARY_ROWS]
    text = _("Please check your answers. Tap one to change it.") + "\n\n" + "\n".join(lines)
    edit = [
        InlineKeyboardButton("✏️ " + _(label), callback_data=f"{P}:edit:{step}")
        for step, label in SUMMARY_ROWS
    ]
    rows = [edit[i : i + 2] for i in range(0, len(edit), 2)]
    rows.append(
        [InlineKeyboardButton(_("✅ Submit my registration"), callback_data=f"{P}:submit")]
    )
    rows.append([InlineKeyboardButton(_("✖️ Cancel"), callback_data=f"{P}:cancel")])
    return text, rows


def phone_saved_note(context: BotContext, phone: str) -> Note:
    text = context.translator.gettext("✅ Number saved: {phone}").format(phone=mask_phone(phone))
    return Note(text, ReplyKeyboardRemove())


def birth_date_warning(context: BotContext, draft: Registration) -> str | None:
    """A gentle note when the typed birth date differs from the one in the NIK."""
    from_nik = nik_birth_date(context, draft)
    if from_nik is None or from_nik == draft.birth_date:
        return None
    return context.translator.gettext(
        "Noted. Your NIK says {nik_date}; the centre will check this with your KTP."
    ).format(nik_date=context.translator.format_date(from_nik))


def error_text(context: BotContext, reason: str) -> str:
    return context.translator.gettext(ERRORS[reason])


def help_offer(context: BotContext) -> str:
    return context.translator.gettext(
        "Having trouble? You can /cancel and register at the centre, where staff will help "
        "you: Jl. Raya Pandeglang KM 3, Karundang, Cipocok Jaya, Kota Serang."
    )
