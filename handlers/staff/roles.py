"""Staff roles: admins (from the configuration) add, remove and list staff from the bot.

Each change is written to the audit log in its own transaction and moves the person's
command menu with it, so the staff commands show only in staff members' chats.
"""

import re
from html import escape

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.context import SERVICES, BotContext, Services
from bot.forms.conversation import enter_form, leave_form
from bot.navigation import USER_ID
from bot.screens import Screen, show
from bot.staff.command_menus import delete_staff_menu, set_staff_menu
from bot.staff.roles import ADMIN, STAFF, admin_only
from db.audit import record_action
from db.staff import add_staff_member, delete_staff_member, get_role, list_staff, sync_admins
from db.users import get_user

ADDING_STAFF = "adding_staff"
TELEGRAM_ID = rf"^\s*({USER_ID})\s*$"


async def prepare_staff(application) -> None:  # noqa: ANN001 - the VokasiApplication
    """At start: admins as configured (audited), and every staff member's command menu."""
    services: Services = application.bot_data[SERVICES]
    async with services.session_factory() as session, session.begin():
        granted, revoked = await sync_admins(session, services.settings.admin_ids)
        for user_id in granted:
            await record_action(session, actor_id=None, action="staff.add", subject=str(user_id))
        for user_id in revoked:
            await record_action(
                session, actor_id=None, action="staff.remove", subject=str(user_id)
            )
        members = [(m.user_id, m.role) for m in await list_staff(session)]
    for user_id in revoked:
        await delete_staff_menu(application.bot, services, user_id)
    for user_id, role in members:
        await set_staff_menu(application.bot, services, user_id, role)


@admin_only
async def add_staff(update: Update, context: BotContext) -> object:
    """/addstaff <id> adds at once; /addstaff alone asks for an id or a shared contact."""
    if not context.args:
        async with context.db_session() as session, session.begin():
            state = await enter_form(session, update, ADDING_STAFF)
        text = context.translator.gettext(
            "Send the new staff member's Telegram id (digits only), or share their contact."
        )
        await show(update, Screen(text))
        return state
    return await add_by_text(update, context, context.args[0])


@admin_only
async def save_typed_id(update: Update, context: BotContext) -> object:
    """The id typed after a bare /addstaff."""
    return await add_by_text(update, context, update.effective_message.text or "")  # type: ignore[union-attr]


@admin_only
async def save_contact(update: Update, context: BotContext) -> object:
    """A shared contact after a bare /addstaff: only a Telegram account can be staff."""
    contact = update.effective_message.contact  # type: ignore[union-attr]
    if contact is None or contact.user_id is None:
        text = context.translator.gettext(
            "That contact has no Telegram account. Send their Telegram id instead."
        )
        await show(update, Screen(text))
        return ADDING_STAFF
    return await add_member(update, context, contact.user_id)


async def add_by_text(update: Update, context: BotContext, text: str) -> object:
    if not re.fullmatch(TELEGRAM_ID, text):
        reply = context.translator.gettext(
            "A Telegram id is a number, for example /addstaff 123456789."
        )
        await show(update, Screen(reply))
        return None
    return await add_member(update, context, int(text))


async def add_member(update: Update, context: BotContext, user_id: int) -> object:
    _ = context.translator.gettext
    async with context.db_session() as session, session.begin():
        await leave_form(session, update)
        role = await get_role(session, user_id)
        if role is None:
            await add_staff_member(session, user_id=user_id, role=STAFF, added_by=context.user_id)
            await record_action(
                session, actor_id=context.user_id, action="staff.add", subject=str(user_id)
            )
        name = await display_name(session, user_id)
    if role is None:
        await set_staff_menu(context.bot, context.services, user_id, STAFF)
        text = _("✅ {name} is now staff.").format(name=name)
    else:
        text = _("{name} is already staff.").format(name=name)
    await show(update, Screen(text))
    return ConversationHandler.END


@admin_only
async def remove_staff(update: Update, context: BotContext) -> None:
    """/removestaff <id>: staff lose the console at once; admins are set in the configuration."""
    _ = context.translator.gettext
    if not context.args or not re.fullmatch(USER_ID, context.args[0]):
        await show(update, Screen(_("Whom? For example /removestaff 123456789.")))
        return
    user_id = int(context.args[0])
    async with context.db_session() as session, session.begin():
        role = await get_role(session, user_id)
        name = await display_name(session, user_id)
        if role == STAFF:
            await delete_staff_member(session, user_id)
            await record_action(
                session, actor_id=context.user_id, action="staff.remove", subject=str(user_id)
            )
    if role == STAFF:
        await delete_staff_menu(context.bot, context.services, user_id)
        text = _("✅ {name} is no longer staff.").format(name=name)
    elif role == ADMIN:
        text = _("{name} is an admin; admins are set in the configuration (ADMIN_IDS).")
        text = text.format(name=name)
    else:
        text = _("{name} is not staff.").format(name=name)
    await show(update, Screen(text))


@admin_only
async def show_staff(update: Update, context: BotContext) -> None:
    """/staff: everyone with access, admins first."""
    _ = context.translator.gettext
    async with context.db_session() as session:
        members = await list_staff(session)
        lines = [
            "• {name} · {role}".format(
                name=await display_name(session, member.user_id),
                role=_("admin") if member.role == ADMIN else _("staff"),
            )
            for member in members
        ]
    text = _("👥 <b>Staff members</b>") + "\n" + "\n".join(lines)
    text += "\n\n" + _("Add with /addstaff, remove with /removestaff.")
    await show(update, Screen(text))


async def display_name(session: AsyncSession, user_id: int) -> str:
    """Their name if they have written to the bot, and always the id."""
    user = await get_user(session, user_id)
    if user is None:
        return f"<code>{user_id}</code>"
    return f"{escape(user.first_name)} (<code>{user_id}</code>)"


def entry_points() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [CommandHandler("addstaff", add_staff)]


def states() -> dict[object, list[BaseHandler]]:  # type: ignore[type-arg]
    return {
        ADDING_STAFF: [
            MessageHandler(filters.CONTACT, save_contact),
            MessageHandler(filters.TEXT & ~filters.COMMAND, save_typed_id),
        ]
    }


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [
        CommandHandler("staff", show_staff),
        CommandHandler("removestaff", remove_staff),
    ]
