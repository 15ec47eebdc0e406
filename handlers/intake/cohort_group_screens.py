"""What staff see when they name an intake's cohort group: the screen with Telegram's own group
chooser, and what happens with the group they chose."""

from html import escape

from telegram import (
    ChatAdministratorRights,
    InlineKeyboardMarkup,
    KeyboardButton,
    KeyboardButtonRequestChat,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.i18n import Translator
from bot.navigation import button
from bot.screens import Note, Screen
from db.models import CohortGroup, Programme
from handlers.intake.settings_screens import P, detail_data, title

# The request_id of the chooser button: the chat_shared message names it back.
CHOOSE_GROUP_REQUEST = 13
# The bot needs to make invite links there (createChatInviteLink).
INVITE_RIGHTS = ChatAdministratorRights(
    is_anonymous=False,
    can_manage_chat=False,
    can_delete_messages=False,
    can_manage_video_chats=False,
    can_restrict_members=False,
    can_promote_members=False,
    can_change_info=False,
    can_invite_users=True,
    can_post_stories=False,
    can_edit_stories=False,
    can_delete_stories=False,
)


def cohort_data(code: str) -> str:
    return f"{P}:cg:{code}"


def remove_data(code: str) -> str:
    return f"{P}:cgx:{code}"


def chooser_keyboard(translator: Translator) -> ReplyKeyboardMarkup:
    """Telegram's own chooser, offering only groups the bot is in (not channels)."""
    choose = KeyboardButton(
        translator.gettext("👥 Choose the group"),
        request_chat=KeyboardButtonRequestChat(
            request_id=CHOOSE_GROUP_REQUEST,
            chat_is_channel=False,
            bot_is_member=True,
            bot_administrator_rights=INVITE_RIGHTS,
            request_title=True,
        ),
    )
    return ReplyKeyboardMarkup([[choose]], resize_keyboard=True, one_time_keyboard=True)


def cohort_screen(
    translator: Translator, programme: Programme, group: CohortGroup | None, *, private: bool
) -> Screen:
    """The intake's group and, in a private chat (the only place Telegram's chooser works),
    the chooser."""
    _ = translator.gettext
    text = _("👥 <b>Cohort group of {title}</b>, intake {batch}").format(
        title=title(translator, programme), batch=escape(programme.batch)
    )
    if group is not None:
        text += "\n" + _("Now: {group}").format(group=escape(group.title))
    else:
        text += "\n" + _("None yet.")
    text += "\n\n" + _(
        "Each applicant moved to «Accepted» gets a personal link to ask to join. I let in only "
        "the accepted applicants of this intake and decline everyone else; /audit shows each "
        "decision."
    )
    rows = []
    if group is not None:
        rows.append([button(_("🗑 Remove the cohort group"), remove_data(programme.code))])
    rows.append([button(_("« Back"), detail_data(programme.code))])
    if not private:
        text += "\n\n" + _(
            "To choose the group, open /intake in a private chat with me: Telegram's group "
            "chooser works only there."
        )
        return Screen(text, InlineKeyboardMarkup(rows))
    chooser = Note(
        _(
            "Add me to the group as an admin allowed to invite users, then tap «👥 Choose the "
            "group» below and pick it."
        ),
        chooser_keyboard(translator),
    )
    return Screen(text, InlineKeyboardMarkup(rows), after=(chooser,))


def chosen_note(translator: Translator, text: str) -> Note:
    """The answer to a chosen group, taking the chooser away."""
    return Note(text, ReplyKeyboardRemove(), html=True)


def saved_text(
    translator: Translator,
    programme: Programme,
    group_title: str,
    waiting: int,
    former_title: str | None = None,
) -> str:
    text = "✅ " + translator.gettext(
        "<b>{group}</b> is now the cohort group of {title}, intake {batch}. Each applicant "
        "accepted from now on gets a personal link to it."
    ).format(
        group=escape(group_title),
        title=title(translator, programme),
        batch=escape(programme.batch),
    )
    if former_title is not None:
        text += "\n" + translator.gettext(
            "The links to <b>{group}</b> nobody used yet stop working now."
        ).format(group=escape(former_title))
    if waiting:
        text += "\n" + translator.ngettext(
            "The {count} applicant accepted already gets theirs now.",
            "The {count} applicants accepted already get theirs now.",
            waiting,
        ).format(count=waiting)
    return text


def not_admin_text(translator: Translator, group_title: str) -> str:
    return "⚠️ " + translator.gettext(
        "I am not an admin of <b>{group}</b> with the right to invite users, so I cannot make "
        "invite links there. Make me an admin of the group with «Invite users via link», then "
        "choose it again."
    ).format(group=escape(group_title))


def taken_text(translator: Translator, group_title: str, other: Programme, batch: str) -> str:
    return "⚠️ " + translator.gettext(
        "<b>{group}</b> is already the cohort group of {title}, intake {batch}. One group "
        "serves one intake: choose another group, or remove it there first."
    ).format(group=escape(group_title), title=title(translator, other), batch=escape(batch))


def removed_text(translator: Translator) -> str:
    return "🗑 " + translator.gettext(
        "The cohort group is removed: no more links are sent, the links nobody used yet stop "
        "working, and I no longer decide who joins it."
    )


def expired_text(translator: Translator) -> str:
    return translator.gettext(
        "I don't know which intake that group is for any more. Open the intake with /intake "
        "and tap «👥 Cohort group» again."
    )
