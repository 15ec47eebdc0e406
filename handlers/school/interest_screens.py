"""What the Sekolah Rakyat interest form shows: the consent, each question, a child's menu
and the summary."""

from collections.abc import Sequence
from html import escape

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.context import BotContext
from bot.forms.profile_labels import regency_label
from bot.forms.school_interest import (
    CHILD_MENU,
    CHOICES,
    CONSENT,
    MAX_CHILDREN,
    SUMMARY,
    Step,
    child_number,
    child_step,
    find_child,
    parse_step,
)
from bot.i18n import N_, Translator
from bot.privacy.contact_data import child_name_of
from bot.privacy.log_masking import mask_phone
from bot.privacy.retention import days_text, months_text
from bot.privacy.vault import NikVault
from bot.screens import Note, Screen
from db.models import SchoolInterest, SchoolInterestChild

P = "sri"
CONSENT_VERSION = "sri-1"
Children = Sequence[SchoolInterestChild]
Rows = list[list[InlineKeyboardButton]]

QUESTIONS = {
    "name": N_("✍️ What is your full name?"),
    "relationship": N_("👪 What is your relationship to the child?"),
    "regency": N_("🏠 Which regency or city do you live in?"),
    "phone": N_(
        "📱 Which phone number can you be reached on? Tap «Share my number» below, "
        "or type it, for example 0812 3456 7890."
    ),
    "child_name": N_(
        "👧 <b>Child {number}</b>\n"
        "What is the child's first name? The first name is enough, for example Ani."
    ),
    "child_age": N_("🎂 How old is {name}? Type the age in years, for example 9."),
    "child_level": N_("🎒 Which school level is {name} looking for?"),
    "more_children": N_(
        "Would you like to add another child? (At most {max} children in one request.)"
    ),
    "dtsen": N_(
        "📋 Does your family know whether it is listed in DTSEN, the national social and "
        "economic data (formerly DTKS)? You can check in the Cek Bansos app."
    ),
}
CHOICE_LABELS = {
    "relationship": {
        "mother": N_("Mother"),
        "father": N_("Father"),
        "grandparent": N_("Grandparent"),
        "guardian": N_("Guardian"),
    },
    "child_level": {
        "sd": N_("SD (primary school)"),
        "smp": N_("SMP (junior high school)"),
        "sma": N_("SMA (senior high school)"),
    },
    "more_children": {"yes": N_("➕ Yes, another child"), "no": N_("No, that's all")},
    "dtsen": {
        "yes": N_("✅ Yes, we are listed"),
        "no": N_("❌ No, we are not listed"),
        "unknown": N_("🤷 We don't know"),
    },
}
DTSEN_SHORT = {"yes": N_("Listed"), "no": N_("Not listed"), "unknown": N_("Don't know")}
CHILD_EDITS = (
    ("child_name", N_("✏️ First name")),
    ("child_age", N_("✏️ Age")),
    ("child_level", N_("✏️ School level")),
)
SUMMARY_ROWS = (
    ("name", N_("Your name")),
    ("relationship", N_("Relationship")),
    ("regency", N_("Regency or city")),
    ("phone", N_("Phone")),
    ("dtsen", N_("Listed in DTSEN")),
)
ERRORS = {
    "name_invalid": N_("Please type your name using letters only, for example Siti Aminah."),
    "name_too_long": N_(
        "That is too long for a name (100 characters at most). Please type your name, "
        "for example Siti Aminah."
    ),
    "child_name_invalid": N_("Please type the child's first name in letters, for example Ani."),
    "child_name_too_long": N_(
        "That is too long (50 characters at most). The first name is enough, for example Ani."
    ),
    "age_not_number": N_("Please type the age as a number, for example 9."),
    "age_range": N_(
        "Sekolah Rakyat is for children aged 4 to 18. Please type an age from 4 to 18, "
        "for example 9."
    ),
    "phone_invalid": N_(
        "That does not look like an Indonesian mobile number. Please type it like "
        "0812 3456 7890 or +62 812 3456 7890."
    ),
    "contact_not_own": N_(
        "That is someone else's contact. Please share your own number with the button "
        "below, or type your number."
    ),
    "use_buttons": N_("Please answer with the buttons below."),
    "media": N_("I can only read text here. Please answer the question below."),
}


def title(context: BotContext) -> str:
    return context.translator.gettext("🏫 <b>Sekolah Rakyat: request to be contacted</b>")


def consent_screen(context: BotContext, *, hint: str | None = None) -> Screen:
    _ = context.translator.gettext
    body = _(
        "Before I ask anything, here is how your data is handled (UU 27/2022 on personal "
        "data protection):\n"
        "• <b>Purpose:</b> BBPVP Serang passes your details to the Dinas Sosial and those "
        "running Sekolah Rakyat, so that they can contact your family about the school.\n"
        "• <b>Data:</b> your name, your relationship to the child, your regency or city and "
        "phone number; each child's first name, age and school level; and whether your family "
        "knows it is listed in DTSEN.\n"
        "• <b>Children's data:</b> under UU 27/2022 Article 25, a child's data needs the "
        "consent of a parent or guardian. By agreeing, you confirm that you are the child's "
        "parent or guardian and give that consent.\n"
        "• <b>Kept:</b> {kept} after you send the request, then deleted; a request left "
        "unfinished is deleted {drafts} after its last answer.\n"
        "• <b>Your rights:</b> see, correct or delete your data at any time with /mydata, and "
        "withdraw this consent.\n"
        "• <b>Contact:</b> BBPVP Serang, Jl. Raya Pandeglang KM 3, Karundang, Cipocok Jaya, "
        "Kota Serang.\n\n"
        "This is not a registration: Kemensos decides who is admitted. Do you agree?"
    ).format(
        kept=months_text(context.translator, context.settings.keep_school_requests_months),
        drafts=days_text(context.translator, context.settings.keep_drafts_days),
    )
    text = f"{title(context)}\n\n{body}"
    rows = [
        [InlineKeyboardButton(_("✅ I agree"), callback_data=f"{P}:agree")],
        [InlineKeyboardButton(_("✖️ No, I don't agree"), callback_data=f"{P}:decline")],
    ]
    return Screen(with_hint(text, hint), InlineKeyboardMarkup(rows))


def with_hint(text: str, hint: str | None) -> str:
    return f"⚠️ {hint}\n\n{text}" if hint else text


def step_screen(
    context: BotContext,
    draft: SchoolInterest,
    children: Children,
    *,
    hint: str | None = None,
    before: tuple[Note, ...] = (),
) -> Screen:
    """The current question with its buttons, ‹ Back and ✖️ Cancel; or the summary."""
    _ = context.translator.gettext
    step = parse_step(draft.step)
    if step.name == CONSENT:
        return consent_screen(context, hint=hint)
    if step.name == SUMMARY:
        text, rows = summary(context, draft, children)
    elif step.name == CHILD_MENU:
        text, rows = child_menu(context, children, step)
    else:
        text, rows = question(context, children, step), choice_rows(context, str(step))
        rows.append(
            [
                InlineKeyboardButton(_("‹ Back"), callback_data=f"{P}:back"),
                InlineKeyboardButton(_("✖️ Cancel"), callback_data=f"{P}:cancel"),
            ]
        )
    after = ()
    if step.name == "phone":
        share = KeyboardButton(_("📱 Share my number"), request_contact=True)
        keyboard = ReplyKeyboardMarkup([[share]], resize_keyboard=True, one_time_keyboard=True)
        after = (Note(_("👇 Or tap this button to share your phone number:"), keyboard),)
    screen_text = with_hint(f"{title(context)}\n\n{text}", hint)
    return Screen(screen_text, InlineKeyboardMarkup(rows), before=before, after=after)


def question(context: BotContext, children: Children, step: Step) -> str:
    child = find_child(children, step.child_id)
    return context.translator.gettext(QUESTIONS[step.name]).format(
        number=child_number(children, step),
        name=escape(name_of(context, child)),
        max=MAX_CHILDREN,
    )


def choice_rows(context: BotContext, step: str) -> Rows:
    name = parse_step(step).name
    buttons = [
        InlineKeyboardButton(
            choice_label(context.translator, name, value), callback_data=f"{P}:c:{step}:{value}"
        )
        for value in CHOICES.get(name, ())
    ]
    width = 2 if name in ("relationship", "regency") else 1
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


def choice_label(translator: Translator, step: str, value: str) -> str:
    if step == "regency":
        return regency_label(translator, value)
    return translator.gettext(CHOICE_LABELS[step][value])


def name_of(context: BotContext, child: SchoolInterestChild | None) -> str:
    """A child's first name, decrypted to be shown; "" for none."""
    return (child_name_of(context.services.vault, child) or "") if child else ""


def child_line(vault: NikVault, child: SchoolInterestChild) -> str:
    """Ani (9, SD): the levels are the Indonesian school names in every language."""
    name = child_name_of(vault, child) or ""
    return f"{escape(name)} ({child.age}, {(child.level or '').upper()})"


def answers_of(translator: Translator, draft: SchoolInterest) -> dict[str, str]:
    """The parent's answers as shown in the summary; the phone masked."""
    return {
        "name": escape(draft.parent_name or ""),
        "relationship": choice_label(translator, "relationship", draft.relationship or ""),
        "regency": regency_label(translator, draft.regency or ""),
        "phone": draft.phone_masked or "",
        "dtsen": translator.gettext(DTSEN_SHORT[draft.in_dtsen or "unknown"]),
    }


def summary(context: BotContext, draft: SchoolInterest, children: Children) -> tuple[str, Rows]:
    _ = context.translator.gettext
    values = answers_of(context.translator, draft)
    lines = [f"{_(label)}: <b>{values[step]}</b>" for step, label in SUMMARY_ROWS]
    lines.append(_("Children:"))
    lines.extend(f"• {child_line(context.services.vault, child)}" for child in children)
    text = _("Please check the answers below. Tap a button to change one.")
    text += "\n\n" + "\n".join(lines)
    edits = [
        InlineKeyboardButton("✏️ " + _(label), callback_data=f"{P}:edit:{step}")
        for step, label in SUMMARY_ROWS
    ]
    edits += [
        InlineKeyboardButton(
            "✏️ " + name_of(context, child),
            callback_data=f"{P}:edit:{child_step(CHILD_MENU, child)}",
        )
        for child in children
    ]
    if len(children) < MAX_CHILDREN:
        edits.append(
            InlineKeyboardButton(_("➕ Add a child"), callback_data=f"{P}:edit:child_name")
        )
    rows = [edits[i : i + 2] for i in range(0, len(edits), 2)]
    rows.append([InlineKeyboardButton(_("✅ Send my request"), callback_data=f"{P}:submit")])
    rows.append([InlineKeyboardButton(_("✖️ Cancel"), callback_data=f"{P}:cancel")])
    return text, rows


def child_menu(context: BotContext, children: Children, step: Step) -> tuple[str, Rows]:
    """One child's answers to change, or the child to remove from the request."""
    _ = context.translator.gettext
    name = name_of(context, find_child(children, step.child_id))
    text = _("What would you like to change about {name}?").format(name=escape(name))
    rows = [
        [InlineKeyboardButton(_(label), callback_data=f"{P}:edit:{Step(name, step.child_id)}")]
        for name, label in CHILD_EDITS
    ]
    if len(children) > 1:
        remove = _("🗑 Remove {name}").format(name=name)
        rows.append([InlineKeyboardButton(remove, callback_data=f"{P}:drop:{step.child_id}")])
    rows.append([InlineKeyboardButton(_("‹ Back"), callback_data=f"{P}:back")])
    return text, rows


def phone_saved_note(context: BotContext, phone: str) -> Note:
    text = context.translator.gettext("✅ Number saved: {phone}").format(phone=mask_phone(phone))
    return Note(text, ReplyKeyboardRemove())


def keyboard_removed(needed: bool) -> tuple[Note, ...]:
    """Take the share-contact keyboard away once the phone question is left."""
    return (Note("↩️", ReplyKeyboardRemove()),) if needed else ()


def error_text(context: BotContext, reason: str) -> str:
    return context.translator.gettext(ERRORS[reason])
