"""What the eligibility check shows: the notice, each question, and the verdict in words."""

from datetime import date
from html import escape
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.context import BotContext
from bot.forms.eligibility import (
    ACTIVITIES,
    BANTEN_REGENCIES,
    EDUCATION_LEVELS,
    OUTSIDE_BANTEN,
    SENIOR_SCHOOLS,
    SEXES,
    Age,
    Failure,
    Rules,
)
from bot.forms.profile_labels import EDUCATION_LABELS, SENIOR_SCHOOL_LABELS, answer_label
from bot.i18n import N_, Translator
from bot.navigation import (
    ELIGIBILITY_PICK,
    ELIGIBILITY_PREFIX,
    TALK_TO_STAFF,
    eligibility_start_data,
    menu_button,
    programme_detail_data,
    registration_start_data,
    registration_watch_data,
)
from bot.privacy.retention import months_text
from bot.screens import Screen
from db.models import Programme
from handlers.questions.answers import SEARCH_TYPED

P = ELIGIBILITY_PREFIX
STOP = f"{P}:stop"
CHOICES = {
    "sex": SEXES,
    "education": EDUCATION_LEVELS,
    "senior_school": SENIOR_SCHOOLS,
    "activity": ACTIVITIES,
    "regency": (*BANTEN_REGENCIES, OUTSIDE_BANTEN),
}
QUESTION_TEXTS = {
    "birth_date": N_("📅 What is your date of birth? Type it like this: 17-08-2005"),
    "sex": N_("Are you male or female?"),
    "education": N_("🎓 What is the last school you finished?"),
    "senior_school": N_("🏫 Which senior secondary school did you finish?"),
    "activity": N_("What are you doing at the moment?"),
    "regency": N_("🏠 Where do you live?"),
}
DATE_ERRORS = {
    "date_format": N_(
        "I could not read that as a date. Please type day-month-year, for example 17-08-2005."
    ),
    "date_invalid": N_(
        "That date does not exist. Please check the day and month, for example 17-08-2005."
    ),
    "date_implausible": N_(
        "That date cannot be a birth date. Please type yours, for example 17-08-2005."
    ),
}


def title_of(context: BotContext, programme: Programme) -> str:
    return escape(programme.texts["title"][context.locale])


def answer_data(question: str, value: str) -> str:
    return f"{P}:a:{question}:{value}"


def picker_screen(context: BotContext, programmes: list[Programme]) -> Screen:
    rows = [
        [
            InlineKeyboardButton(
                p.texts["title"][context.locale], callback_data=eligibility_start_data(p.code)
            )
        ]
        for p in programmes
    ]
    rows.append([menu_button(context.translator)])
    text = context.translator.gettext("✅ Which programme would you like to check?")
    return Screen(text, InlineKeyboardMarkup(rows))


def notice_screen(context: BotContext, programme: Programme) -> Screen:
    _ = context.translator.gettext
    text = _(
        "To check <b>{programme}</b> I will ask a few short questions: your date of birth, sex, "
        "last school, current activity and home regency, and for some programmes yes/no "
        "questions about health or background (for example glasses, colour blindness, "
        "tattoos, or a deportation or prison record).\n\n"
        "Your answers are used only to tell you which programmes you qualify for, and kept so "
        "you never answer twice, until you delete them with /mydata or {kept} after your "
        "last visit. Contact: BBPVP Serang, Jl. Raya Pandeglang KM 3, Karundang, Cipocok Jaya, "
        "Kota Serang. Is that all right?"
    ).format(
        programme=title_of(context, programme),
        kept=months_text(context.translator, context.settings.keep_eligibility_answers_months),
    )
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("✅ Yes, start"), callback_data=f"{P}:agree:{programme.code}"
                )
            ],
            [InlineKeyboardButton(_("✖️ No, thanks"), callback_data=STOP)],
        ]
    )
    return Screen(text, keyboard)


def question_screen(
    context: BotContext,
    programme: Programme,
    rules: Rules,
    question: str,
    *,
    number: int,
    total: int,
    hint: str | None,
    search: bool = False,
) -> Screen:
    _ = context.translator.gettext
    stop = [InlineKeyboardButton(_("✖️ Stop checking"), callback_data=STOP)]
    if search:
        label = _("🔎 Search the answers for what I typed")
        stop = [InlineKeyboardButton(label, callback_data=SEARCH_TYPED), *stop]
    if question in QUESTION_TEXTS:
        text = _(QUESTION_TEXTS[question])
        buttons = [
            InlineKeyboardButton(
                answer_label(context.translator, question, value),
                callback_data=answer_data(question, value),
            )
            for value in CHOICES.get(question, ())
        ]
        width = 1 if question == "education" else 2
        rows = [buttons[i : i + width] for i in range(0, len(buttons), width)]
    else:
        check = next(c for c in rules.checks if c.code == question)
        text = escape(check.question[context.locale])
        rows = [
            [
                InlineKeyboardButton(_("Yes"), callback_data=answer_data(check.code, "yes")),
                InlineKeyboardButton(_("No"), callback_data=answer_data(check.code, "no")),
            ]
        ]
    progress = _("Question {number} of {total}").format(number=number, total=total)
    screen = f"✅ <b>{title_of(context, programme)}</b> · {progress}\n\n{text}"
    if hint:
        screen = f"⚠️ {escape(hint)}\n\n{screen}"
    return Screen(screen, InlineKeyboardMarkup([*rows, stop]))


def verdict_screen(
    context: BotContext,
    programme: Programme,
    failures: list[Failure],
    others: list[Programme],
    *,
    rules: Rules,
    today: date,
) -> Screen:
    _ = context.translator.gettext
    title = title_of(context, programme)
    rows = []
    if not failures:
        text = _("🎉 Good news: you meet the requirements for <b>{programme}</b>.").format(
            programme=title
        )
        if programme.intake == "open":
            label, data = _("📝 Register now"), registration_start_data(programme.code)
        else:
            label, data = _("🔔 Tell me when it opens"), registration_watch_data(programme.code)
        rows.append([InlineKeyboardButton(label, callback_data=data)])
    else:
        reasons = "\n".join(f"• {explain(context.translator, title, f)}" for f in failures)
        text = (
            _("You do not meet the requirements for <b>{programme}</b> yet:").format(
                programme=title
            )
            + "\n"
            + reasons
        )
        rows.append(
            [InlineKeyboardButton(_("💬 Ask a person to review it"), callback_data=TALK_TO_STAFF)]
        )
    if others:
        names = "\n".join(f"• {title_of(context, p)}" for p in others[:8])
        text += "\n\n" + _("You do qualify for:") + "\n" + names
        rows += [
            [
                InlineKeyboardButton(
                    p.texts["title"][context.locale], callback_data=programme_detail_data(p.code)
                )
            ]
            for p in others[:4]
        ]
    if rules.has_ages:
        text += "\n\n" + ages_note(context.translator, rules.ages_counted_on(today))
    text += "\n\n" + _(
        "<i>Requirements can change each intake; the centre has the final word. This check is "
        "automatic: you may always ask a person to review it.</i>"
    )
    rows.append(
        [
            InlineKeyboardButton(
                _("✏️ Change my answers"), callback_data=f"{P}:redo:{programme.code}"
            )
        ]
    )
    rows.append([menu_button(context.translator)])
    return Screen(text, InlineKeyboardMarkup(rows))


def ages_note(translator: Translator, counted_on: date | None) -> str:
    """Which day the ages were counted on, so nobody mistakes today's age for the test's."""
    _ = translator.gettext
    if counted_on is None:
        return _(
            "<i>Ages are counted as of today: the selection test date of this intake is not "
            "known yet, and what counts is your age on that day.</i>"
        )
    return _("<i>Ages are counted on the selection test day, {date}.</i>").format(
        date=translator.format_date(counted_on)
    )


def age_words(translator: Translator, age: Age) -> str:
    """An age as people say it: "18 years" or "18 years 6 months"."""
    years = translator.ngettext("{count} year", "{count} years", age.years)
    words = years.format(count=translator.format_number(age.years))
    if age.months:
        months = translator.ngettext("{count} month", "{count} months", age.months)
        words += " " + months.format(count=translator.format_number(age.months))
    return words


def explain_age(translator: Translator, programme: str, details: dict[str, Any]) -> str:
    """The age limit that applies, the person's age on the day it counts, and, for someone too
    young, the day they reach the minimum."""
    _ = translator.gettext
    lowest, highest = details["min"], details["max"]
    if details["school"]:
        label = _(SENIOR_SCHOOL_LABELS[details["school"]])
        who = _("{school} graduates").format(school=label)
    else:
        who = _("applicants")
    if lowest is not None and highest is not None:
        limit = _("{programme} takes {who} aged {min} to {max}.")
    elif lowest is not None:
        limit = _("{programme} takes {who} aged {min} or older.")
    else:
        limit = _("{programme} takes {who} aged up to {max}.")
    text = limit.format(
        programme=programme,
        who=who,
        min=age_words(translator, lowest) if lowest else "",
        max=age_words(translator, highest) if highest else "",
    )
    age = age_words(translator, details["age"])
    if details["on"] is not None:
        text += " " + _("On the selection test day, {date}, you will be {age}.").format(
            date=translator.format_date(details["on"]), age=age
        )
    else:
        text += " " + _("You are {age} today.").format(age=age)
    if details["from"] is not None:
        text += " " + _(
            "You will be {min} on {date}: look for an intake whose selection test is on or "
            "after that day."
        ).format(min=age_words(translator, lowest), date=translator.format_date(details["from"]))
    return text


def explain(translator: Translator, programme: str, failure: Failure) -> str:
    """One failed rule in plain words."""
    _ = translator.gettext
    details = failure.details
    if failure.rule == "age":
        return explain_age(translator, programme, dict(details))
    if failure.rule == "sex" and details.get("explanation"):
        return escape(details["explanation"][translator.locale])
    if failure.rule == "education":
        return _("{programme} needs at least {needed}; you finished {have}.").format(
            programme=programme,
            needed=_(EDUCATION_LABELS[details["needed"]]),
            have=_(EDUCATION_LABELS[details["have"]]),
        )
    if failure.rule == "check":
        return escape(details["explanation"][translator.locale])
    templates = {
        "sex": _("{programme} currently takes men only.")
        if details.get("sex") == "male"
        else _("{programme} currently takes women only."),
        "working": _("{programme} is for people who are not working at the moment."),
        "studying": _("{programme} is for people who are not in school at the moment."),
        "domicile": _("{programme} is for people who live in Banten."),
    }
    return templates[failure.rule].format(programme=programme)


def stopped_screen(context: BotContext) -> Screen:
    text = context.translator.gettext(
        "Okay, I stopped the check. Your answers so far are kept for next time."
    )
    return Screen(text, InlineKeyboardMarkup([[menu_button(context.translator)]]))


def finished_screen(context: BotContext) -> Screen:
    _ = context.translator.gettext
    text = _("That check has already finished. Choose a programme to check again.")
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(_("✅ Check eligibility"), callback_data=ELIGIBILITY_PICK)],
            [menu_button(context.translator)],
        ]
    )
    return Screen(text, keyboard)


def gone_screen(context: BotContext) -> Screen:
    text = context.translator.gettext(
        "That programme is no longer in our list. Please look at the current programmes."
    )
    return Screen(text, InlineKeyboardMarkup([[menu_button(context.translator)]]))
