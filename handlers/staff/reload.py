"""/reload: an admin re-reads the catalogue, FAQ and Sekolah Rakyat files without a restart.

Admins only: the files are the centre's published content and sit on the server, so whoever
reloads them answers for what every user reads next, as with adding staff. The new content
is validated as at start-up; if any file is wrong, nothing changes and the admin is told why.
"""

import asyncio
from html import escape

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.content.files import ContentError
from bot.content.loading import ContentChanges, compare_content, load_all_content
from bot.context import BotContext
from bot.i18n import Translator
from bot.intake.settings import IntakeSync, sync_intakes
from bot.questions.live_faq import refresh_faq
from bot.screens import Screen, show
from bot.staff.roles import admin_only
from db.audit import record_action
from db.models import utc_now
from handlers.intake.settings_screens import FIELD_NAMES
from handlers.reminders import announce_opened_intakes

# A Telegram message holds 4096 characters; the reason is cut well before, with its start kept.
MAX_REASON = 3000


@admin_only
async def reload_content(update: Update, context: BotContext) -> None:
    """Validate all three files, then sync the catalogue and swap in the new texts."""
    services, application = context.services, context.application
    translator = context.translator
    try:
        content = await asyncio.to_thread(load_all_content, context.settings)
    except ContentError as error:
        await show(update, refused_screen(translator, str(error)))
        return
    changes = compare_content(application.catalogue, services.file_faq, content)  # type: ignore[attr-defined]
    async with context.db_session() as session, session.begin():
        synced = await sync_intakes(
            session, content.catalogue, now=utc_now(), actor_id=context.user_id
        )
        await record_action(
            session,
            actor_id=context.user_id,
            action="content.reload",
            details={
                "added": list(changes.added),
                "removed": list(changes.removed),
                "changed": list(changes.changed),
                "faq": {"before": changes.faq_before, "after": changes.faq_after},
                "set_from_bot": {code: list(fields) for code, fields in synced.kept.items()},
            },
        )
    # Everything is built and committed: only now do readers see the new content. Handlers
    # read these through context.services on every update, so no one keeps the old ones.
    application.catalogue = content.catalogue  # type: ignore[attr-defined]
    services.faq = content.faq
    services.file_faq = content.faq.faq
    services.school = content.school
    # Staff's additions from the desk stay layered over the new file.
    await refresh_faq(services)
    titles = {
        row["code"]: row["texts"]["title"][translator.locale]
        for row in content.catalogue.programme_rows()
    }
    await show(update, reloaded_screen(translator, changes, synced, titles))
    await announce_opened_intakes(application, synced.opened)


def refused_screen(translator: Translator, reason: str) -> Screen:
    if len(reason) > MAX_REASON:
        reason = reason[:MAX_REASON] + " …"
    return Screen(
        translator.gettext(
            "⚠️ The files were not loaded:\n<pre>{reason}</pre>\n"
            "Nothing changed: the old content is still in use."
        ).format(reason=escape(reason))
    )


def reloaded_screen(
    translator: Translator, changes: ContentChanges, synced: IntakeSync, titles: dict[str, str]
) -> Screen:
    _ = translator.gettext

    def codes(found: tuple[str, ...]) -> str:
        return ", ".join(escape(code) for code in found) if found else _("none")

    text = _(
        "✅ The catalogue, FAQ and Sekolah Rakyat texts were reloaded.\n"
        "Programmes added: {added}\n"
        "Programmes removed: {removed}\n"
        "Programmes changed: {changed}\n"
        "FAQ entries: {faq_before} before, {faq_after} now"
    ).format(
        added=codes(changes.added),
        removed=codes(changes.removed),
        changed=codes(changes.changed),
        faq_before=translator.format_number(changes.faq_before),
        faq_after=translator.format_number(changes.faq_after),
    )
    return Screen("\n\n".join([text, *intake_lines(translator, synced, titles)]))


def in_file_order(
    found: dict[str, tuple[str, ...]], titles: dict[str, str]
) -> list[tuple[str, tuple[str, ...]]]:
    return [(code, found[code]) for code in titles if code in found]


def intake_lines(translator: Translator, synced: IntakeSync, titles: dict[str, str]) -> list[str]:
    """Where staff settings from /intake still win over the file, and where a new batch in
    the file dropped them."""
    _ = translator.gettext

    def fields(names: tuple[str, ...]) -> str:
        return ", ".join(_(FIELD_NAMES[name]) for name in names)

    lines = []
    if synced.dropped:
        lines.append(
            "\n".join(
                "🆕 "
                + _(
                    "{title}: a new batch in the file, so the {fields} set from the bot for "
                    "the previous batch no longer apply."
                ).format(title=escape(titles[code]), fields=fields(names))
                for code, names in in_file_order(synced.dropped, titles)
            )
        )
    if synced.kept:
        kept = [
            "⚙️ "
            + _("{title}: {fields} set from the bot still apply, over the file.").format(
                title=escape(titles[code]), fields=fields(names)
            )
            for code, names in in_file_order(synced.kept, titles)
        ]
        kept.append(
            _(
                "To follow the file instead: /intake → the programme → 📄 Use the catalogue "
                "file's settings."
            )
        )
        lines.append("\n".join(kept))
    return lines


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [CommandHandler("reload", reload_content)]
