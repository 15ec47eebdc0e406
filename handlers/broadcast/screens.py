"""What /broadcast shows staff: the prompt, the audience buttons, the segment choices, the
confirmation after the preview, and the progress message."""

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.broadcast.audience import (
    ACTIVE,
    CAMPAIGN,
    EVERYONE,
    GROUP,
    LANGUAGE,
    PROGRAMME,
    REGENCY,
    STAGE,
    Audience,
)
from bot.broadcast.progress import BROADCAST_PREFIX, progress_keyboard, progress_text
from bot.forms.profile_labels import regency_label
from bot.i18n import N_, Translator
from bot.navigation import button
from bot.review.exports import stage_label
from bot.screens import Screen
from db.broadcast_audience import PARENTS, TRAINEES
from db.models import Broadcast

P = BROADCAST_PREFIX
# Placeholder value where a button carries none (callback data needs every field).
NONE = "-"
LANGUAGE_LABELS = {"id": N_("🇮🇩 Bahasa Indonesia"), "en": N_("🇬🇧 English")}
# Opens the step where staff send the English version.
ADD_ENGLISH = "en"
# Chooses when to send: now or later (handlers/broadcast/schedule.py).
WHEN = "when"


def audience_data(broadcast_id: int, kind: str, value: str = NONE) -> str:
    return f"{P}:aud:{broadcast_id}:{kind}:{value}"


def compose_prompt_screen(translator: Translator) -> Screen:
    return Screen(
        translator.gettext(
            "📣 Send me the message to broadcast: text, a photo, a document or a video, "
            "formatted as you like. Everyone will get an exact copy. /cancel to stop."
        )
    )


def english_prompt_screen(translator: Translator) -> Screen:
    return Screen(
        translator.gettext(
            "🇬🇧 Send me the English version. People who read the bot in English get it; "
            "everyone else gets the first message. /cancel to stop."
        )
    )


def audience_screen(translator: Translator, broadcast_id: int, *, has_english: bool) -> Screen:
    _ = translator.gettext
    rows = (
        []
        if has_english
        else [[button(_("🇬🇧 Add an English version"), f"{P}:{ADD_ENGLISH}:{broadcast_id}")]]
    )
    rows += [
        [button(_("👥 Everyone"), audience_data(broadcast_id, EVERYONE))],
        [
            button(_("🧑‍🎓 Trainees"), audience_data(broadcast_id, GROUP, TRAINEES)),
            button(_("👪 Parents"), audience_data(broadcast_id, GROUP, PARENTS)),
        ],
        [
            button(_("🗣 By language"), f"{P}:seg:{broadcast_id}:{LANGUAGE}"),
            button(_("🏠 By regency"), f"{P}:seg:{broadcast_id}:{REGENCY}"),
        ],
        [
            button(_("📚 By programme"), f"{P}:seg:{broadcast_id}:{PROGRAMME}"),
            button(_("📋 By registration stage"), f"{P}:seg:{broadcast_id}:{STAGE}"),
        ],
        [button(_("📣 By campaign"), f"{P}:seg:{broadcast_id}:{CAMPAIGN}")],
        [
            button(_("🕒 Active in 7 days"), audience_data(broadcast_id, ACTIVE, "7")),
            button(_("🕒 Active in 30 days"), audience_data(broadcast_id, ACTIVE, "30")),
            button(_("🕒 Active in 90 days"), audience_data(broadcast_id, ACTIVE, "90")),
        ],
        [button(_("✖️ Cancel"), f"{P}:drop:{broadcast_id}")],
    ]
    text = _("Who should get it? People who blocked the bot are always left out.")
    if has_english:
        text = _("🇬🇧 English version added.") + "\n\n" + text
    return Screen(text, InlineKeyboardMarkup(rows))


def segment_screen(
    translator: Translator,
    broadcast_id: int,
    kind: str,
    options: list[tuple[str, str]],
    extra_rows: list[list[InlineKeyboardButton]] | None = None,
) -> Screen:
    """The values of one segment (languages, regencies or campaigns) as buttons."""
    _ = translator.gettext
    rows = [[button(label, audience_data(broadcast_id, kind, value))] for label, value in options]
    rows += extra_rows or []
    rows.append([button(_("◀️ Back"), f"{P}:back:{broadcast_id}")])
    text = _("Choose one:") if options else _("Nobody can be chosen this way yet.")
    return Screen(text, InlineKeyboardMarkup(rows))


def language_options(translator: Translator) -> list[tuple[str, str]]:
    return [(translator.gettext(label), code) for code, label in LANGUAGE_LABELS.items()]


def regency_options(translator: Translator, codes: list[str]) -> list[tuple[str, str]]:
    return [(regency_label(translator, code), code) for code in codes]


def campaign_options(sources: list[str]) -> list[tuple[str, str]]:
    # Campaign codes can be long; the button carries the position in the sorted list.
    return [(source, str(index)) for index, source in enumerate(sources)]


def audience_label(translator: Translator, audience: Audience, programme_title: str = "") -> str:
    _ = translator.gettext
    value = audience.value or ""
    if audience.kind == LANGUAGE:
        return _("people reading {language}").format(language=_(LANGUAGE_LABELS.get(value, value)))
    if audience.kind == REGENCY:
        return _("people registered from {regency}").format(
            regency=escape(regency_label(translator, value))
        )
    if audience.kind == CAMPAIGN:
        return _("people who came through campaign {campaign}").format(campaign=escape(value))
    if audience.kind == ACTIVE:
        return _("people active in the last {days} days").format(days=value)
    if audience.kind == GROUP:
        return _("trainees") if value == TRAINEES else _("parents")
    if audience.kind == PROGRAMME:
        return _("people interested in {programme}").format(programme=escape(programme_title))
    if audience.kind == STAGE and audience.stage is not None:
        return _("{programme} registrations at stage {stage}").format(
            programme=escape(programme_title), stage=stage_label(translator, audience.stage[1])
        )
    return _("everyone")


def confirm_screen(
    translator: Translator,
    broadcast_id: int,
    revision: int,
    label: str,
    count: int,
    english_count: int | None = None,
) -> Screen:
    """Shown below the preview copies: nothing goes out before "Send" or "Schedule", and
    both carry the preview's revision, so they send only what this preview showed."""
    _ = translator.gettext
    back = button(_("◀️ Change audience"), f"{P}:back:{broadcast_id}")
    cancel = button(_("✖️ Cancel"), f"{P}:drop:{broadcast_id}")
    if count == 0:
        text = _("Nobody matches {audience}. Choose another audience.").format(audience=label)
        return Screen(text, InlineKeyboardMarkup([[back], [cancel]]), edit=False)
    text = translator.ngettext(
        "☝️ This is the preview. It will go to {count} person ({audience}).",
        "☝️ This is the preview. It will go to {count} people ({audience}).",
        count,
    ).format(count=count, audience=label)
    if english_count is not None:
        text += "\n" + _(
            "☝️ Above: the main version, then the English version.\n"
            "🇮🇩 Main version: {main} · 🇬🇧 English version: {english}"
        ).format(main=count - english_count, english=english_count)
    send = button(
        translator.ngettext(
            "📤 Send to {count} person", "📤 Send to {count} people", count
        ).format(count=count),
        f"{P}:go:{broadcast_id}:{revision}:{count}",
    )
    schedule = button(_("🕒 Schedule"), f"{P}:{WHEN}:{broadcast_id}:{revision}")
    return Screen(text, InlineKeyboardMarkup([[send], [schedule], [back], [cancel]]), edit=False)


def dropped_screen(translator: Translator) -> Screen:
    return Screen(translator.gettext("Okay, the broadcast is cancelled. Nothing was sent."))


def already_started_text(translator: Translator) -> str:
    return translator.gettext(
        "This broadcast was already started (or cancelled): see its progress message."
    )


def gone_screen(translator: Translator) -> Screen:
    return Screen(translator.gettext("This broadcast was already sent or cancelled."))


def progress_screen(translator: Translator, broadcast: Broadcast, rate: float) -> Screen:
    return Screen(
        progress_text(translator, broadcast, rate), progress_keyboard(translator, broadcast)
    )
