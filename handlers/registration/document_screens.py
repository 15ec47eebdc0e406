"""What an applicant reads about documents: which one to send, why an upload was refused, and
what is still missing."""

from html import escape

from telegram import InlineKeyboardMarkup

from bot.context import BotContext
from bot.forms.documents import PDF, PHOTO, DocumentSpec
from bot.i18n import Translator
from bot.navigation import STATUS, button, menu_button
from bot.screens import Screen

P = "doc"


def send_data(registration_id: int, code: str) -> str:
    return f"{P}:send:{registration_id}:{code}"


def skip_data(registration_id: int, code: str) -> str:
    return f"{P}:skip:{registration_id}:{code}"


def document_title(translator: Translator, spec: DocumentSpec) -> str:
    return spec.title.get(translator.locale) or next(iter(spec.title.values()))


def what_to_send(translator: Translator, spec: DocumentSpec) -> str:
    """The example of an acceptable upload, e.g. "a photo of your KTP, or the PDF file"."""
    _ = translator.gettext
    values = {
        "title": escape(document_title(translator, spec)),
        "size": translator.format_number(spec.max_mb),
    }
    if PHOTO in spec.accepts and PDF in spec.accepts:
        text = _("Send a photo of your {title}, or the PDF file (at most {size} MB).")
    elif PHOTO in spec.accepts:
        text = _("Send a photo of your {title} (at most {size} MB); a PDF cannot be used here.")
    else:
        text = _("Send the PDF file of your {title} (at most {size} MB); a photo cannot be used.")
    return text.format(**values)


def request_screen(
    context: BotContext,
    registration_id: int,
    specs: list[DocumentSpec],
    spec: DocumentSpec,
    *,
    lead: str = "",
) -> Screen:
    """Document n of N: what to send, with Skip for an optional one and Later otherwise."""
    translator = context.translator
    _ = translator.gettext
    text = _("📎 <b>Document {number} of {total}: {title}</b>").format(
        number=specs.index(spec) + 1,
        total=len(specs),
        title=escape(document_title(translator, spec)),
    )
    text += "\n" + what_to_send(translator, spec)
    if spec.accepts != (PDF,):
        text += "\n" + _("Tip: lay it flat in good light, with the whole page in the picture.")
    if spec.required:
        text += "\n" + _(
            "No file at hand? Tap «Send it later»: you can send it any time from /status."
        )
        later = _("⏭ Send it later")
    else:
        text += "\n" + _("This one is optional.")
        later = _("⏭ Skip")
    keyboard = [[button(later, skip_data(registration_id, spec.code))], [menu_button(translator)]]
    return Screen((lead + "\n\n" if lead else "") + text, InlineKeyboardMarkup(keyboard))


def refused_screen(
    context: BotContext, registration_id: int, spec: DocumentSpec, reason: str
) -> Screen:
    """Not that upload: why, the example of what to send, and the way out."""
    translator = context.translator
    _ = translator.gettext
    title = escape(document_title(translator, spec))
    if reason == "size":
        text = _("That file is too large for {title}.").format(title=title)
    else:
        text = _("I can't use that as your {title}.").format(title=title)
    text += "\n" + what_to_send(translator, spec)
    later = _("⏭ Send it later") if spec.required else _("⏭ Skip")
    keyboard = [[button(later, skip_data(registration_id, spec.code))], [menu_button(translator)]]
    return Screen(text, InlineKeyboardMarkup(keyboard))


def received_line(translator: Translator, spec: DocumentSpec) -> str:
    return translator.gettext("✅ Received: {title}.").format(
        title=escape(document_title(translator, spec))
    )


def done_screen(context: BotContext, still_missing: list[DocumentSpec], *, lead: str) -> Screen:
    """Every document asked: thanks, or which required ones are still to come."""
    translator = context.translator
    _ = translator.gettext
    required = [spec for spec in still_missing if spec.required]
    if required:
        text = _(
            "Still needed: {titles}. Send them any time from /status; the centre sees what is "
            "missing."
        ).format(titles=", ".join(escape(document_title(translator, s)) for s in required))
    else:
        text = _("📎 That is all: the centre has every document it needs from you.")
    keyboard = [[button(_("📄 My status"), STATUS)], [menu_button(translator)]]
    return Screen((lead + "\n\n" if lead else "") + text, InlineKeyboardMarkup(keyboard))


def nothing_asked_screen(context: BotContext) -> Screen:
    text = context.translator.gettext(
        "That document is not needed any more, or its registration has ended. Your "
        "registrations and their documents are listed under /status."
    )
    keyboard = [[button(context.translator.gettext("📄 My status"), STATUS)]]
    return Screen(text, InlineKeyboardMarkup(keyboard))


def private_only_screen(context: BotContext) -> Screen:
    return Screen(
        context.translator.gettext(
            "Documents are sent only in a private chat with the bot, never in a group."
        )
    )
