"""/campaigns: staff name a campaign, get its t.me link and a QR code to print, and see who
came through it. Every step re-checks the staff role; creating one is audited."""

from html import escape

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.content.programme_links import programme_link
from bot.context import BotContext
from bot.forms.conversation import ended, enter_form, reply
from bot.navigation import PAGE_NUMBER
from bot.screens import show
from bot.staff.roles import staff_only
from bot.stats.campaigns import (
    campaign_link,
    code_stem,
    free_code,
    is_usable,
    slug_of,
    split_name_and_code,
)
from bot.stats.funnel import funnel_steps
from db.audit import record_action
from db.campaigns import create_campaign, get_campaign, list_campaign_page, list_taken_codes
from db.programmes import get_programme, list_trainee_programmes
from db.stats import count_campaign_results, count_funnel
from handlers.stats import campaign_screens as screens
from handlers.stats import screens as stats_screens

P = screens.P
CAMPAIGN_CODE = "[a-z0-9_-]{1,32}"
PROGRAMME_CODE = "[a-z][a-z0-9_]{0,23}"
NAMING_CAMPAIGN = "naming_campaign"


@staff_only
async def show_campaigns(update: Update, context: BotContext) -> None:
    """/campaigns: every campaign with its sign-ups and submissions, a page at a time."""
    wanted = int(context.matches[0].group(1)) if context.matches else 0
    async with context.db_session() as session:
        campaigns, total, page = await list_campaign_page(
            session, page=wanted, page_size=screens.PAGE_SIZE
        )
        results = await count_campaign_results(session, [c.code for c in campaigns])
    screen = screens.list_screen(context.translator, campaigns, results, page, total)
    await stats_screens.send_answer(update, screen)


@staff_only
async def ask_for_name(update: Update, context: BotContext) -> object:
    """➕ New campaign: ask for its name (and, if they like, its code)."""
    async with context.db_session() as session, session.begin():
        state = await enter_form(session, update, NAMING_CAMPAIGN)
    await stats_screens.send_answer(update, screens.name_prompt_screen(context.translator))
    return state


@staff_only
async def save_campaign(update: Update, context: BotContext) -> object:
    """The typed name becomes a campaign with a free code; then its link and QR code."""
    typed = (update.effective_message.text or "") if update.effective_message else ""
    name, wanted = split_name_and_code(typed)
    translator = context.translator
    campaign, link = None, ""
    async with context.db_session() as session, session.begin():
        if not 1 <= len(name) <= screens.NAME_LENGTH:
            outcome = (NAMING_CAMPAIGN, screens.name_prompt_screen(translator, "name"))
        else:
            slug = wanted or slug_of(name)
            taken = await list_taken_codes(session, starting_with=code_stem(slug))
            if wanted and not is_usable(wanted, taken):
                outcome = (
                    NAMING_CAMPAIGN,
                    screens.name_prompt_screen(translator, "taken", wanted),
                )
            else:
                campaign = await create_campaign(
                    session,
                    code=free_code(slug, taken),
                    name=name,
                    created_by=context.user_id or 0,
                )
                await record_action(
                    session,
                    actor_id=context.user_id,
                    action="campaign.create",
                    subject=campaign.code,
                    details={"name": name},
                )
                link = campaign_link(context.bot.username, campaign.code)
                screen = screens.created_screen(translator, campaign, link)
                outcome = await ended(session, update, screen)
    state = await reply(update, outcome)
    if campaign is not None:
        await screens.send_qr_code(update, campaign.code, link, escape(campaign.name))
    return state


@staff_only
async def nudge_for_text(update: Update, context: BotContext) -> object:
    """A photo or sticker where the name was expected: ask again."""
    await show(update, screens.name_prompt_screen(context.translator))
    return NAMING_CAMPAIGN


@staff_only
async def open_campaign(update: Update, context: BotContext) -> None:
    """One campaign: its link and QR code again, then its funnel."""
    translator = context.translator
    async with context.db_session() as session:
        campaign = await get_campaign(session, context.matches[0].group(1))
        if campaign is not None:
            results = (await count_campaign_results(session, [campaign.code]))[campaign.code]
            counts = await count_funnel(session, campaign_source=campaign.code)
    if campaign is None:
        await stats_screens.send_answer(update, screens.gone_screen(translator))
        return
    if update.callback_query is not None:
        await update.callback_query.answer()
    link = campaign_link(context.bot.username, campaign.code)
    caption = screens.card_caption(translator, campaign, link, results)
    await screens.send_qr_code(update, campaign.code, link, caption)
    keyboard = screens.card_keyboard(translator, campaign)
    title = translator.gettext("Funnel: campaign «{name}»").format(name=campaign.name)
    answer = stats_screens.funnel_answer(translator, title, funnel_steps(counts), keyboard)
    await stats_screens.send_answer(update, answer, below=True)


@staff_only
async def choose_programme_to_link(update: Update, context: BotContext) -> None:
    """🔗 Link to one programme: the trainee programmes, a page at a time."""
    code, wanted = context.matches[0].group(1), int(context.matches[0].group(2))
    async with context.db_session() as session:
        campaign = await get_campaign(session, code)
        programmes = list(await list_trainee_programmes(session))
    if campaign is None:
        await stats_screens.send_answer(update, screens.gone_screen(context.translator))
        return
    # A forged page beyond the end shows the last one.
    page = min(wanted, max(0, -(-len(programmes) // screens.PAGE_SIZE) - 1))
    shown = programmes[page * screens.PAGE_SIZE : (page + 1) * screens.PAGE_SIZE]
    screen = screens.programme_chooser(context.translator, campaign, shown, page, len(programmes))
    await stats_screens.send_answer(update, screen)


@staff_only
async def send_programme_link(update: Update, context: BotContext) -> None:
    """A programme chosen: the link that opens its card and credits the campaign, with its
    QR code to print."""
    campaign_code, programme_code = context.matches[0].groups()
    async with context.db_session() as session:
        campaign = await get_campaign(session, campaign_code)
        programme = await get_programme(session, programme_code)
    if campaign is None or programme is None or not programme.active:
        await stats_screens.send_answer(update, screens.gone_screen(context.translator))
        return
    if update.callback_query is not None:
        await update.callback_query.answer()
    link = programme_link(context.bot.username, programme.code, campaign.code)
    caption = screens.programme_link_caption(context.translator, campaign, programme, link)
    await screens.send_qr_code(update, f"{campaign.code}-{programme.code}", link, caption)


def entry_points() -> list[BaseHandler]:  # type: ignore[type-arg]
    """➕ New campaign enters the naming step, so it belongs to the forms conversation."""
    return [CallbackQueryHandler(ask_for_name, pattern=rf"^{screens.NEW}$")]


def states() -> dict[object, list[BaseHandler]]:  # type: ignore[type-arg]
    message = filters.UpdateType.MESSAGE & ~filters.COMMAND
    return {
        NAMING_CAMPAIGN: [
            MessageHandler(message & filters.TEXT, save_campaign),
            MessageHandler(message & ~filters.StatusUpdate.ALL, nudge_for_text),
        ]
    }


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [
        CommandHandler("campaigns", show_campaigns),
        CallbackQueryHandler(show_campaigns, pattern=rf"^{P}:l:({PAGE_NUMBER})$"),
        CallbackQueryHandler(open_campaign, pattern=rf"^{P}:o:({CAMPAIGN_CODE})$"),
        CallbackQueryHandler(
            choose_programme_to_link, pattern=rf"^{P}:pl:({CAMPAIGN_CODE}):({PAGE_NUMBER})$"
        ),
        CallbackQueryHandler(
            send_programme_link, pattern=rf"^{P}:pq:({CAMPAIGN_CODE}):({PROGRAMME_CODE})$"
        ),
    ]
