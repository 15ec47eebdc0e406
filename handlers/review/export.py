"""Exports of a filtered registration list as XLSX or CSV: NIK masked, except the admins'
full-NIK export. Every export carries personal data, so each one is written to the audit log."""

from telegram import Update
from telegram.constants import ChatType
from telegram.error import Forbidden
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import BotContext
from bot.navigation import ID
from bot.privacy.contact_data import phone_of
from bot.review.exports import (
    export_filename,
    export_table,
    filter_fields,
    local_time,
    to_csv,
    to_xlsx,
)
from bot.staff.roles import admin_only, staff_only
from db.audit import record_action
from db.documents import list_documents_of
from db.models import Registration, utc_now
from db.review import list_filtered
from handlers.review.listing import load_filter, programme_titles
from handlers.review.screens import EXPORT_PREFIX as P

KINDS = {"xlsx": "xlsx", "csv": "csv", "full": "xlsx"}


@staff_only
async def send_export(update: Update, context: BotContext) -> None:
    """📄 XLSX / 📄 CSV: the whole filtered list, NIK masked."""
    kind, filter_id = context.matches[0].group(1), int(context.matches[0].group(2))
    await export(update, context, kind, filter_id, full_nik=False)


@admin_only
async def send_full_export(update: Update, context: BotContext) -> None:
    """Admins only: the same list with full NIKs, decrypted here and nowhere else."""
    await export(update, context, "full", int(context.matches[0].group(1)), full_nik=True)


async def export(
    update: Update, context: BotContext, kind: str, filter_id: int, *, full_nik: bool
) -> None:
    vault = context.services.vault

    def nik_of(registration: Registration) -> str:
        if full_nik and registration.nik_encrypted:
            return vault.decrypt(registration.nik_encrypted)
        return registration.nik_masked or ""

    now = utc_now()
    async with context.db_session() as session, session.begin():
        _, flt = await load_filter(session, context, filter_id)
        rows = await list_filtered(session, **flt.criteria(now))
        titles = await programme_titles(session, context.locale)
        received = await list_documents_of(session, [r.id for r in rows])
        table = export_table(
            rows,
            translator=context.translator,
            titles=titles,
            nik_of=nik_of,
            phone_of=lambda registration: phone_of(vault, registration),
            documents={key: [d.code for d in value] for key, value in received.items()},
        )
        await record_action(
            session,
            actor_id=context.user_id,
            action="export.full_nik" if full_nik else "export",
            subject=KINDS[kind],
            details={"rows": len(rows), "filter": flt.to_json()},
        )
    suffix = "-full-nik" if full_nik else ""
    filename = export_filename(flt.to_json(), now.strftime("%Y%m%d-%H%M"), KINDS[kind], suffix)
    if KINDS[kind] == "csv":
        content = to_csv(table)
    else:
        gettext = context.translator.gettext
        content = to_xlsx(
            table,
            title=gettext("Registrations"),
            about=about_export(context, flt.to_json(), titles, local_time(now)),
            about_title=gettext("Filter"),
        )
    caption = context.translator.ngettext(
        "{count} registration", "{count} registrations", len(rows)
    ).format(count=len(rows))
    chat = update.effective_chat
    query = update.callback_query
    if full_nik and chat is not None and chat.type != ChatType.PRIVATE:
        # Full NIKs never go to a group, not even the staff group: to the admin's own chat.
        await send_privately(update, context, content, filename, caption)
    elif chat is not None:
        if query is not None:
            await query.answer()
        await chat.send_document(content, filename=filename, caption=caption)


async def send_privately(
    update: Update, context: BotContext, content: bytes, filename: str, caption: str
) -> None:
    """The admin's private chat gets the file; the group only a toast saying where it went."""
    _ = context.translator.gettext
    assert context.user_id is not None
    try:
        await context.bot.send_document(
            context.user_id, content, filename=filename, caption=caption
        )
        note = _("🔐 Full NIKs are never sent to a group: the file is in your private chat.")
    except Forbidden:
        note = _(
            "🔐 Full NIKs are never sent to a group. Start a private chat with me, then ask "
            "for this file there."
        )
    if update.callback_query is not None:
        await update.callback_query.answer(note, show_alert=True)


def about_export(
    context: BotContext, raw: dict[str, object], titles: dict[str, str], made_at: str
) -> list[tuple[str, str]]:
    """The Filter sheet: each chosen field, or that nothing was filtered, and when."""
    _ = context.translator.gettext
    fields = filter_fields(context.translator, raw, titles) or [
        (_("Filter"), _("All registrations"))
    ]
    return [*fields, (_("Exported"), made_at + " WIB")]


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [
        CallbackQueryHandler(send_export, pattern=rf"^{P}:(xlsx|csv):({ID})$"),
        CallbackQueryHandler(send_full_export, pattern=rf"^{P}:full:({ID})$"),
    ]
