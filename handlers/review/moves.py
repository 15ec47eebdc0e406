"""Moving registrations between stages from /registrations: open one (NIK and phone masked),
move it with an optional note, or move all in a filtered list; each applicant is told.
"""

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import BotContext
from bot.forms.conversation import enter_form, leave_form
from bot.navigation import COUNT, ID
from bot.review.review_filter import MOVABLE_STAGES
from bot.screens import Screen, send_note, show
from bot.staff.roles import staff_only
from db.audit import record_action
from db.models import Registration, utc_now
from db.review import count_filtered, get_registration, list_filtered, move_registration
from db.users import get_user
from handlers.reminders import Outgoing, deliver
from handlers.review import documents
from handlers.review import move_screens as screens
from handlers.review.cohort_invites import send_cohort_invites
from handlers.review.cohort_links import revoke_cohort_invites
from handlers.review.cohort_members import remove_from_cohort_groups
from handlers.review.listing import load_filter, programme_titles
from handlers.review.screens import P

STAFF_NOTE = "staff_note"
PENDING_MOVE = "pending_move"
MAX_NOTE = 500
ACCEPTED = "accepted"
STAGE = "(" + "|".join(MOVABLE_STAGES) + ")"


@staff_only
async def open_registration(update: Update, context: BotContext) -> object:
    """One registration, NIK and phone masked, with the stages it can move to."""
    registration_id, filter_id = (int(group) for group in context.matches[0].groups())
    async with context.db_session() as session, session.begin():
        await leave_form(session, update)
        registration = await get_registration(session, registration_id)
        titles = await programme_titles(session, context.locale)
        specs, present = await documents.wanted_and_present(session, registration)
    if registration is None:
        await show(
            update, Screen(context.translator.gettext("That registration no longer exists."))
        )
        return ConversationHandler.END
    title = titles.get(registration.programme_code, registration.programme_code)
    await show(
        update, screens.card_screen(context, registration, title, filter_id, specs, present)
    )
    return ConversationHandler.END


@staff_only
async def ask_for_note(update: Update, context: BotContext) -> object:
    """Before a move: the applicant will read an optional note, typed next."""
    registration_id, stage, filter_id = context.matches[0].groups()
    async with context.db_session() as session, session.begin():
        registration = await get_registration(session, int(registration_id))
        state = await enter_form(session, update, STAFF_NOTE) if registration else None
    if registration is None:
        await show(
            update, Screen(context.translator.gettext("That registration no longer exists."))
        )
        return None
    context.user_data[PENDING_MOVE] = [registration.id, stage, int(filter_id)]  # type: ignore[index]
    await show(update, screens.note_prompt_screen(context, registration, stage, int(filter_id)))
    return state


@staff_only
async def move_without_note(update: Update, context: BotContext) -> object:
    registration_id, stage, filter_id = context.matches[0].groups()
    return await move(update, context, int(registration_id), stage, int(filter_id), note=None)


@staff_only
async def save_note(update: Update, context: BotContext) -> object:
    """The typed note: move the registration and tell the applicant, note included."""
    note = (update.effective_message.text or "").strip()  # type: ignore[union-attr]
    pending = context.user_data.get(PENDING_MOVE)  # type: ignore[union-attr]
    if len(note) > MAX_NOTE:
        await show(update, screens.note_too_long_screen(context, MAX_NOTE))
        return STAFF_NOTE
    if not pending:
        async with context.db_session() as session, session.begin():
            await leave_form(session, update)
        return ConversationHandler.END
    registration_id, stage, filter_id = pending
    return await move(update, context, registration_id, stage, filter_id, note=note or None)


async def move(
    update: Update,
    context: BotContext,
    registration_id: int,
    stage: str,
    filter_id: int,
    *,
    note: str | None,
) -> object:
    context.user_data.pop(PENDING_MOVE, None)  # type: ignore[union-attr]
    changed: list[Registration] = []
    async with context.db_session() as session, session.begin():
        await leave_form(session, update)
        registration = await get_registration(session, registration_id)
        if registration is None:
            screen, outgoing = (
                Screen(context.translator.gettext("That registration no longer exists.")),
                [],
            )
        else:
            was_accepted = registration.status == ACCEPTED
            moved, outgoing = await move_one(session, context, registration, stage, note)
            screen = screens.moved_screen(context, registration, filter_id, moved=moved)
            changed = [registration] if moved and was_accepted != (stage == ACCEPTED) else []
    screen = await leave_cohort_group(context, stage, changed, screen)
    await show(update, screen)
    await deliver(context.application, outgoing)
    await join_cohort_group(update, context, stage, changed)
    return ConversationHandler.END


async def leave_cohort_group(
    context: BotContext, stage: str, changed: list[Registration], screen: Screen
) -> Screen:
    """Moved away from «Accepted»: an unused link is revoked and whoever is in the cohort
    group is removed from it; the confirmation says so."""
    if not changed or stage == ACCEPTED:
        return screen
    await revoke_cohort_invites(context.application, [r.id for r in changed])
    removals = await remove_from_cohort_groups(
        context.application, changed, actor_id=context.user_id
    )
    return screens.with_removals(context, screen, removals)


async def join_cohort_group(
    update: Update, context: BotContext, stage: str, changed: list[Registration]
) -> None:
    """Moved to «Accepted»: each gets their cohort group link; staff read why one could not
    be made."""
    if not changed or stage != ACCEPTED:
        return
    missing = await send_cohort_invites(context.application, changed)
    if missing:
        chat = update.effective_chat
        assert chat is not None
        await send_note(chat, screens.missing_links_note(context, missing))


async def move_one(
    session: AsyncSession,
    context: BotContext,
    registration: Registration,
    stage: str,
    note: str | None,
) -> tuple[bool, list[Outgoing]]:
    """Move, audit, and prepare the applicant's notice (sent after the commit)."""
    previous = registration.status
    if previous == stage or not await move_registration(session, registration, stage):
        return previous == stage, []
    await record_action(
        session,
        actor_id=context.user_id,
        action="registration.stage",
        subject=registration.code,
        details={"from": previous, "to": stage, "note": note},
    )
    return True, await notices(session, context, [registration], note)


async def notices(
    session: AsyncSession, context: BotContext, registrations: list[Registration], note: str | None
) -> list[Outgoing]:
    """Each applicant's notice in their own language (their choice, else Telegram's)."""
    outgoing = []
    titles_by_locale: dict[str, dict[str, str]] = {}
    for registration in registrations:
        user = await get_user(session, registration.user_id) if registration.user_id else None
        if user is None or user.blocked_bot:
            continue
        translator = context.services.translator_for(user)
        if translator.locale not in titles_by_locale:
            titles_by_locale[translator.locale] = await programme_titles(
                session, translator.locale
            )
        title = titles_by_locale[translator.locale].get(
            registration.programme_code, registration.programme_code
        )
        text, keyboard = screens.applicant_notice(translator, registration, title, note)
        outgoing.append(Outgoing(user.id, text, keyboard))
    return outgoing


@staff_only
async def choose_bulk_stage(update: Update, context: BotContext) -> None:
    """ "Move all N": which stage?"""
    filter_id = int(context.matches[0].group(1))
    async with context.db_session() as session, session.begin():
        filter_id, flt = await load_filter(session, context, filter_id)
        total = await count_filtered(session, **flt.criteria(utc_now()))
    await show(update, screens.bulk_stage_screen(context, filter_id, total))


@staff_only
async def preview_bulk_move(update: Update, context: BotContext) -> None:
    """How many would move and the first codes; nothing moves without the confirmation."""
    filter_id, stage = int(context.matches[0].group(1)), context.matches[0].group(2)
    async with context.db_session() as session, session.begin():
        filter_id, flt = await load_filter(session, context, filter_id)
        rows = await list_filtered(session, **flt.criteria(utc_now()))
    codes = [r.code or "" for r in rows if r.status != stage]
    await show(update, screens.bulk_preview_screen(context, filter_id, stage, codes))


@staff_only
async def confirm_bulk_move(update: Update, context: BotContext) -> None:
    """Move every registration the preview counted, then tell the applicants one by one."""
    filter_id, stage, expected = context.matches[0].groups()
    async with context.db_session() as session, session.begin():
        _, flt = await load_filter(session, context, int(filter_id))
        rows = [
            r for r in await list_filtered(session, **flt.criteria(utc_now())) if r.status != stage
        ]
        changed: list[Registration] = []
        if len(rows) != int(expected):
            screen, outgoing = screens.bulk_changed_screen(context, int(filter_id)), []
        else:
            accepted_before = {r.id for r in rows if r.status == ACCEPTED}
            moved = [r for r in rows if await move_registration(session, r, stage)]
            changed = [r for r in moved if (r.id in accepted_before) != (stage == ACCEPTED)]
            await record_action(
                session,
                actor_id=context.user_id,
                action="registration.bulk_stage",
                subject=stage,
                details={"codes": [r.code for r in moved], "filter": flt.to_json()},
            )
            outgoing = await notices(session, context, moved, None)
            screen = screens.bulk_done_screen(
                context, int(filter_id), len(moved), len(rows) - len(moved)
            )
    screen = await leave_cohort_group(context, stage, changed, screen)
    await show(update, screen)
    await deliver(context.application, outgoing)
    await join_cohort_group(update, context, stage, changed)


def entry_points() -> list[BaseHandler]:  # type: ignore[type-arg]
    """The stage moves enter and leave the note step, so they belong to the forms."""
    return [
        CallbackQueryHandler(ask_for_note, pattern=rf"^{P}:mv:({ID}):{STAGE}:({ID})$"),
        CallbackQueryHandler(move_without_note, pattern=rf"^{P}:go:({ID}):{STAGE}:({ID})$"),
        CallbackQueryHandler(open_registration, pattern=rf"^{P}:o:({ID}):({ID})$"),
    ]


def states() -> dict[object, list[BaseHandler]]:  # type: ignore[type-arg]
    return {STAFF_NOTE: [MessageHandler(filters.TEXT & ~filters.COMMAND, save_note)]}


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [
        CallbackQueryHandler(choose_bulk_stage, pattern=rf"^{P}:bulk:({ID})$"),
        CallbackQueryHandler(preview_bulk_move, pattern=rf"^{P}:bp:({ID}):{STAGE}$"),
        CallbackQueryHandler(confirm_bulk_move, pattern=rf"^{P}:bok:({ID}):{STAGE}:({COUNT})$"),
    ]
