"""/stats: the funnel for everyone, per programme and per campaign, submissions by regency, and
the last days, each as a chart with its numbers. Staff only, checked on every button."""

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.config import CENTRE_TIMEZONE
from bot.context import BotContext
from bot.navigation import PAGE_NUMBER
from bot.screens import Screen
from bot.staff.roles import staff_only
from bot.stats.funnel import daily_counts, funnel_steps, regency_rows, window_start
from db.campaigns import get_campaign, list_campaign_page
from db.models import utc_now
from db.programmes import get_programme, list_trainee_programmes
from db.stats import (
    count_funnel,
    count_submitted_by_regency,
    list_new_user_moments,
    list_submission_moments,
)
from db.users import count_blocked_bot
from handlers.stats import screens

P = screens.P


@staff_only
async def show_menu(update: Update, context: BotContext) -> None:
    """/stats or ◀️: what there is to see."""
    async with context.db_session() as session:
        blocked = await count_blocked_bot(session)
    await screens.send_answer(update, screens.menu_screen(context.translator, blocked))


@staff_only
async def show_overall_funnel(update: Update, context: BotContext) -> None:
    """Everyone's way through the bot, from the first /start to acceptance."""
    translator = context.translator
    async with context.db_session() as session:
        steps = funnel_steps(await count_funnel(session))
    keyboard = InlineKeyboardMarkup([screens.back_row(translator)])
    title = translator.gettext("Funnel: everyone")
    await screens.send_answer(update, screens.funnel_answer(translator, title, steps, keyboard))


@staff_only
async def choose_programme(update: Update, context: BotContext) -> None:
    """The programmes, a page at a time."""
    async with context.db_session() as session:
        programmes = list(await list_trainee_programmes(session))
    # A forged page beyond the end shows the last one.
    last = max(0, -(-len(programmes) // screens.PAGE_SIZE) - 1)
    page = min(int(context.matches[0].group(1)), last)
    start = page * screens.PAGE_SIZE
    shown = programmes[start : start + screens.PAGE_SIZE]
    screen = screens.programme_chooser(context.translator, shown, page, len(programmes))
    await screens.send_answer(update, screen)


@staff_only
async def show_programme_funnel(update: Update, context: BotContext) -> None:
    """One programme: opened its card, checked, eligible... accepted."""
    translator = context.translator
    async with context.db_session() as session:
        programme = await get_programme(session, context.matches[0].group(1))
        steps = (
            funnel_steps(await count_funnel(session, programme_code=programme.code))
            if programme is not None
            else []
        )
    back = screens.button(translator.gettext("◀️ Programmes"), screens.programmes_data(0))
    keyboard = InlineKeyboardMarkup([screens.back_row(translator, back)])
    if programme is None:
        text = translator.gettext("That programme is no longer in the list.")
        await screens.send_answer(update, Screen(text, keyboard))
        return
    title = translator.gettext("Funnel: {programme}").format(
        programme=programme.texts["title"][translator.locale]
    )
    await screens.send_answer(update, screens.funnel_answer(translator, title, steps, keyboard))


@staff_only
async def choose_campaign(update: Update, context: BotContext) -> None:
    """The campaigns by name, newest first, a page at a time."""
    async with context.db_session() as session:
        campaigns, total, page = await list_campaign_page(
            session, page=int(context.matches[0].group(1)), page_size=screens.PAGE_SIZE
        )
    screen = screens.campaign_chooser(context.translator, campaigns, page, total)
    await screens.send_answer(update, screen)


@staff_only
async def show_campaign_funnel(update: Update, context: BotContext) -> None:
    """The people who came through one campaign's link, step by step."""
    translator = context.translator
    async with context.db_session() as session:
        campaign = await get_campaign(session, context.matches[0].group(1))
        counts = await count_funnel(session, campaign_source=campaign.code) if campaign else {}
    back = screens.button(translator.gettext("◀️ Campaigns"), screens.campaigns_data(0))
    keyboard = InlineKeyboardMarkup([screens.back_row(translator, back)])
    if campaign is None:
        text = translator.gettext("That campaign does not exist.")
        await screens.send_answer(update, Screen(text, keyboard))
        return
    title = translator.gettext("Funnel: campaign «{name}»").format(name=campaign.name)
    answer = screens.funnel_answer(translator, title, funnel_steps(counts), keyboard)
    await screens.send_answer(update, answer)


@staff_only
async def show_regencies(update: Update, context: BotContext) -> None:
    """Submitted registrations per Banten regency or city, and from outside Banten."""
    async with context.db_session() as session:
        rows = regency_rows(await count_submitted_by_regency(session))
    await screens.send_answer(update, screens.regency_answer(context.translator, rows))


@staff_only
async def show_days(update: Update, context: BotContext) -> None:
    """New users and submissions per day (WIB) over the last 14 or 30 days."""
    days = int(context.matches[0].group(1))
    now = utc_now()
    since = window_start(now, days, CENTRE_TIMEZONE)
    async with context.db_session() as session:
        starts = await list_new_user_moments(session, since=since)
        submissions = await list_submission_moments(session, since=since)
    answer = screens.daily_answer(
        context.translator,
        days,
        daily_counts(starts, now=now, days=days, zone=CENTRE_TIMEZONE),
        daily_counts(submissions, now=now, days=days, zone=CENTRE_TIMEZONE),
    )
    await screens.send_answer(update, answer)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    windows = "|".join(str(days) for days in screens.DAY_WINDOWS)
    return [
        CommandHandler("stats", show_menu),
        CallbackQueryHandler(show_menu, pattern=rf"^{screens.MENU}$"),
        CallbackQueryHandler(show_overall_funnel, pattern=rf"^{screens.OVERALL}$"),
        CallbackQueryHandler(choose_programme, pattern=rf"^{P}:ps:({PAGE_NUMBER})$"),
        CallbackQueryHandler(show_programme_funnel, pattern=rf"^{P}:p:([a-z0-9_]{{1,24}})$"),
        CallbackQueryHandler(choose_campaign, pattern=rf"^{P}:cs:({PAGE_NUMBER})$"),
        CallbackQueryHandler(show_campaign_funnel, pattern=rf"^{P}:c:([a-z0-9_-]{{1,32}})$"),
        CallbackQueryHandler(show_regencies, pattern=rf"^{screens.REGENCIES}$"),
        CallbackQueryHandler(show_days, pattern=rf"^{P}:days:({windows})$"),
    ]
