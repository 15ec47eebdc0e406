"""/intake: staff open, close or plan an intake, set its quota and registration dates, or go
back to the catalogue file's settings. Settings are kept over the file (across reloads and
restarts), audited, and an intake that opens is announced to those waiting for it. The dates
also act by themselves: a job opens and closes intakes on their days."""

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import SERVICES, BotContext, Services
from bot.forms.conversation import Outcome, ended, enter_form, leave_form, reply
from bot.intake.dates import (
    INTAKE_STATES,
    QuotaError,
    centre_today,
    check_setting,
    parse_date,
    parse_quota,
    planned_by_opening_date,
)
from bot.intake.settings import apply_dates, change_intake, restore_file_settings
from bot.navigation import PAGE_NUMBER
from bot.persistence import recall_step, remember_step
from bot.screens import Screen, show
from bot.staff.roles import staff_only
from db.cohort_groups import get_cohort_group
from db.models import Programme, utc_now
from db.programmes import get_override, get_programme, list_trainee_programmes
from db.registrations import count_active_registrations
from handlers.intake import settings_screens as screens
from handlers.programmes.browse import unconfirmed
from handlers.reminders import announce_opened_intakes

P = screens.P
SETTING_INTAKE = "setting_intake"
# Which programme and field the typed value is for: a row of its own beside the forms state.
PENDING = "intake_setting"
CODE = r"([a-z][a-z0-9_]{0,23})"
STATE = "(" + "|".join(INTAKE_STATES) + ")"
FIELD = "(" + "|".join(screens.TYPED_FIELDS) + ")"
DATES_EVERY_SECONDS = 15 * 60


async def view_of(session: AsyncSession, programme: Programme) -> screens.IntakeView:
    taken = await count_active_registrations(
        session, programme_code=programme.code, batch=programme.batch
    )
    override = await get_override(session, programme.code)
    fields = tuple(
        f for f in ("intake", *screens.TYPED_FIELDS) if override and f in override.values
    )
    group = await get_cohort_group(session, programme_code=programme.code, batch=programme.batch)
    return screens.IntakeView(programme, taken, fields, group.title if group else None)


async def trainee_programme(session: AsyncSession, code: str) -> Programme | None:
    programme = await get_programme(session, code)
    return programme if programme is not None and programme.audience == "trainee" else None


@staff_only
async def show_intakes(update: Update, context: BotContext) -> None:
    """/intake and « All intakes: every trainee intake, paged, with buttons."""
    page = int(context.matches[0].group(1)) if context.matches else 0
    async with context.db_session() as session:
        views = [await view_of(session, p) for p in await list_trainee_programmes(session)]
    await show(update, screens.list_screen(context.translator, views, page))


@staff_only
async def show_intake(update: Update, context: BotContext) -> None:
    """One intake's settings and the buttons to change them."""
    async with context.db_session() as session:
        programme = await trainee_programme(session, context.matches[0].group(1))
        screen = (
            screens.detail_screen(context.translator, await view_of(session, programme))
            if programme
            else screens.gone_screen(context.translator)
        )
    await show(update, screen)


@staff_only
async def set_state(update: Update, context: BotContext) -> None:
    """🟢 Open / 🔴 Close / 🕒 Planned."""
    code, state = context.matches[0].groups()
    async with context.db_session() as session, session.begin():
        screen, opened = await save_setting(context, session, code, "intake", state)
    await show(update, screen)
    await announce_opened_intakes(context.application, opened)


@staff_only
async def ask_for_value(update: Update, context: BotContext) -> object:
    """🎟 / 📅: ask for the quota or a date, typed next; which programme and field the typed
    value is for is committed with the form's state, so nothing can switch or lose it."""
    code, field = context.matches[0].groups()
    async with context.db_session() as session, session.begin():
        programme = await trainee_programme(session, code)
        if programme is None:
            return await reply(
                update, await ended(session, update, screens.gone_screen(context.translator))
            )
        state = await enter_form(session, update, SETTING_INTAKE)
        await remember_step(session, update, PENDING, [code, field])
    await show(update, screens.prompt_screen(context.translator, programme, field))
    return state


@staff_only
async def save_typed_value(update: Update, context: BotContext) -> object:
    """The typed quota or date: read it, check it, and save it; else say how to write it."""
    typed = (update.effective_message.text or "").strip()  # type: ignore[union-attr]
    async with context.db_session() as session, session.begin():
        pending = await recall_step(session, update, PENDING)
        if not pending:
            await leave_form(session, update)
    if not pending:
        return ConversationHandler.END
    code, field = pending
    translator = context.translator
    value: Any
    if field == screens.QUOTA:
        try:
            value = parse_quota(typed)
        except QuotaError:
            await show(update, Screen(screens.bad_quota_text(translator)))
            return SETTING_INTAKE
    else:
        value = parse_date(typed)
        if value is None:
            await show(update, Screen(screens.bad_date_text(translator)))
            return SETTING_INTAKE
    return await finish(update, context, code, field, value)


@staff_only
async def nudge_for_text(update: Update, context: BotContext) -> object:
    """A sticker, photo or voice note where a quota or date was asked: the question again."""
    async with context.db_session() as session, session.begin():
        pending = await recall_step(session, update, PENDING)
        programme = await trainee_programme(session, pending[0]) if pending else None
        if programme is None:
            outcome = await ended(session, update, screens.gone_screen(context.translator))
        else:
            outcome = (
                SETTING_INTAKE,
                screens.prompt_screen(context.translator, programme, pending[1], nudge=True),
            )
    return await reply(update, outcome)


@staff_only
async def clear_value(update: Update, context: BotContext) -> object:
    """♾ No limit / 🗑 No date."""
    code, field = context.matches[0].groups()
    return await finish(update, context, code, field, None)


@staff_only
async def leave_prompt(update: Update, context: BotContext) -> object:
    """« Back from a prompt: nothing changes."""
    async with context.db_session() as session, session.begin():
        programme = await trainee_programme(session, context.matches[0].group(1))
        screen = (
            screens.detail_screen(context.translator, await view_of(session, programme))
            if programme
            else screens.gone_screen(context.translator)
        )
        outcome = await leave_prompt_form(session, update, screen)
    return await reply(update, outcome)


async def leave_prompt_form(session: AsyncSession, update: Update, screen: Screen) -> Outcome:
    await remember_step(session, update, PENDING, None)
    return await ended(session, update, screen)


async def finish(update: Update, context: BotContext, code: str, field: str, value: Any) -> object:
    """Save a typed or cleared value and leave the form; a refused one asks again."""
    async with context.db_session() as session, session.begin():
        screen, opened = await save_setting(context, session, code, field, value)
        if screen.edit:
            outcome: Outcome = await leave_prompt_form(session, update, screen)
        else:
            outcome = (SETTING_INTAKE, screen)
    state = await reply(update, outcome)
    await announce_opened_intakes(context.application, opened)
    return state


async def save_setting(
    context: BotContext, session: AsyncSession, code: str, field: str, value: Any
) -> tuple[Screen, list[str]]:
    """Check and save one setting; the dates then take effect at once. A refused setting
    comes back as a new message (edit=False), leaving the settings as they were. A state
    the intake already has changes nothing (a double tap, an old message)."""
    translator = context.translator
    programme = await trainee_programme(session, code)
    if programme is None:
        return screens.gone_screen(translator), []
    confirming = field == "intake" and value == "open" and unconfirmed(programme)
    if field == "intake" and value == programme.intake and not confirming:
        view = await view_of(session, programme)
        return screens.detail_screen(
            translator, view, note=screens.already_text(translator, value)
        ), []
    today = centre_today(utc_now())
    current = {"opens_on": programme.opens_on, "closes_on": programme.closes_on}
    conflict = check_setting(current, field, value, today)
    if conflict is not None:
        return Screen(screens.conflict_text(translator, conflict), edit=False), []
    changes = {field: value}
    if planned_by_opening_date(programme.intake, field, value, today):
        changes["intake"] = "planned"
    notes = [screens.opening_date_text(translator, programme.intake, field, value, today)]
    await change_intake(session, programme, changes=changes, actor_id=context.user_id or 0)
    opened = await apply_dates(session, now=utc_now())
    if field == "intake" and value == "open" and not confirming and code not in opened:
        opened.append(code)
    view = await view_of(session, programme)
    notes.append(screens.over_quota_text(translator, view))
    note = "\n\n".join(n for n in notes if n)
    return screens.detail_screen(translator, view, note=note), opened


@staff_only
async def use_file_settings(update: Update, context: BotContext) -> None:
    """📄 Use the catalogue file's settings: the staff settings are forgotten."""
    code = context.matches[0].group(1)
    opened: list[str] = []
    async with context.db_session() as session, session.begin():
        programme = await trainee_programme(session, code)
        was_open = programme is not None and programme.intake == "open"
        restored = programme is not None and await restore_file_settings(
            session,
            programme,
            catalogue=context.application.catalogue,  # type: ignore[attr-defined]
            actor_id=context.user_id or 0,
            now=utc_now(),
        )
        if programme is None or not restored:
            screen = screens.gone_screen(context.translator)
        else:
            screen = screens.detail_screen(context.translator, await view_of(session, programme))
            opened = [code] if programme.intake == "open" and not was_open else []
    await show(update, screen)
    await announce_opened_intakes(context.application, opened)


async def open_and_close_on_dates(application: Any, *, now: datetime) -> list[str]:  # noqa: ANN401
    """Apply the registration dates and tell watchers of intakes that opened."""
    services: Services = application.bot_data[SERVICES]
    async with services.session_factory() as session, session.begin():
        opened = await apply_dates(session, now=now)
    await announce_opened_intakes(application, opened)
    return opened


async def apply_dates_regularly(context: BotContext) -> None:
    """The JobQueue's periodic run."""
    await open_and_close_on_dates(context.application, now=utc_now())


def entry_points() -> list[BaseHandler]:  # type: ignore[type-arg]
    """Asking for a typed value enters the forms; its buttons leave them."""
    return [
        CallbackQueryHandler(ask_for_value, pattern=rf"^{P}:ask:{CODE}:{FIELD}$"),
        CallbackQueryHandler(clear_value, pattern=rf"^{P}:none:{CODE}:{FIELD}$"),
        CallbackQueryHandler(leave_prompt, pattern=rf"^{P}:leave:{CODE}$"),
    ]


def states() -> dict[object, list[BaseHandler]]:  # type: ignore[type-arg]
    message = filters.UpdateType.MESSAGE & ~filters.COMMAND  # an edited old message is no answer
    return {
        SETTING_INTAKE: [
            MessageHandler(message & filters.TEXT, save_typed_value),
            MessageHandler(message & ~filters.StatusUpdate.ALL, nudge_for_text),
        ]
    }


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [
        CommandHandler("intake", show_intakes),
        CallbackQueryHandler(show_intakes, pattern=rf"^{P}:list:({PAGE_NUMBER})$"),
        CallbackQueryHandler(show_intake, pattern=rf"^{P}:show:{CODE}$"),
        CallbackQueryHandler(set_state, pattern=rf"^{P}:state:{CODE}:{STATE}$"),
        CallbackQueryHandler(use_file_settings, pattern=rf"^{P}:file:{CODE}$"),
    ]
