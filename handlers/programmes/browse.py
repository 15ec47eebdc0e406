"""Browsing the programme catalogue: categories, a paged list, and a detail card."""

from html import escape

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.content.catalogue import rules_from_json
from bot.content.programme_links import programme_link, share_url
from bot.context import BotContext
from bot.i18n import N_, Translator
from bot.navigation import (
    CATEGORIES,
    PAGE_NUMBER,
    PROGRAMMES_PREFIX,
    eligibility_start_data,
    menu_button,
    programme_detail_data,
    programme_list_data,
    registration_start_data,
    registration_watch_data,
)
from bot.screens import Screen, show, show_screen
from db.funnel import record_funnel_step
from db.models import Programme
from db.programmes import get_category, get_programme, list_categories, list_programmes
from db.registrations import count_active_registrations

PAGE_SIZE = 6
INTAKE_LABELS = {
    "open": N_("🟢 Open for registration"),
    "closed": N_("🔴 Closed"),
    "planned": N_("🕒 Planned, not open yet"),
}
UNCONFIRMED_LABEL = N_("🟡 Open, not confirmed by the centre yet")
INTAKE_MARKS = {"open": "🟢", "closed": "🔴", "planned": "🕒"}
UNCONFIRMED_MARK = "🟡"


def unconfirmed(programme: Programme) -> bool:
    """Shown as open on the strength of the starter text only: the centre has not confirmed
    it (in the catalogue file or with /intake)."""
    return programme.intake == "open" and not programme.intake_confirmed


def intake_label(programme: Programme) -> str:
    """The intake state as the card and the staff console name it (an msgid)."""
    return UNCONFIRMED_LABEL if unconfirmed(programme) else INTAKE_LABELS[programme.intake]


def list_label(translator: Translator, programme: Programme) -> str:
    """A programme's button in the list: its intake mark and title, and "not confirmed" for an
    open intake the centre has not confirmed."""
    title = programme.texts["title"][translator.locale]
    if unconfirmed(programme):
        return f"{UNCONFIRMED_MARK} " + translator.gettext("{title} (not confirmed)").format(
            title=title
        )
    return f"{INTAKE_MARKS[programme.intake]} {title}"


def text_of(texts: dict[str, dict[str, str]], field: str, locale: str) -> str:
    """A catalogue text in the reader's language, escaped for HTML."""
    return escape(texts.get(field, {}).get(locale, ""))


async def show_categories(update: Update, context: BotContext) -> None:
    """List the programme categories as buttons."""
    locale = context.locale
    async with context.db_session() as session:
        categories = await list_categories(session)
    rows = [
        [
            InlineKeyboardButton(
                c.texts["title"][locale], callback_data=programme_list_data(c.code, 0)
            )
        ]
        for c in categories
    ]
    rows.append([menu_button(context.translator)])
    text = context.translator.gettext("📚 <b>Our programmes</b>\nChoose a category:")
    await show_screen(update, text, InlineKeyboardMarkup(rows))


async def show_programme_list(update: Update, context: BotContext) -> None:
    """One page of a category's programmes, with paging."""
    category_code, page = context.matches[0].group(1), int(context.matches[0].group(2))
    async with context.db_session() as session:
        category = await get_category(session, category_code)
        programmes, total = await list_programmes(
            session, category=category_code, offset=page * PAGE_SIZE, limit=PAGE_SIZE
        )
    if category is None or not programmes:
        await show_gone(update, context)
        return
    pages = -(-total // PAGE_SIZE)
    text = render_list_title(
        context.translator, text_of(category.texts, "title", context.locale), page, pages
    )
    await show_screen(update, text, list_keyboard(context, category_code, programmes, page, pages))


def render_list_title(translator: Translator, title: str, page: int, pages: int) -> str:
    text = f"📚 <b>{title}</b>\n" + translator.gettext("Tap a programme to read more.")
    if pages > 1:
        text += "\n" + translator.gettext("Page {page} of {pages}").format(
            page=translator.format_number(page + 1), pages=translator.format_number(pages)
        )
    return text


def list_keyboard(
    context: BotContext, category: str, programmes: list[Programme], page: int, pages: int
) -> InlineKeyboardMarkup:
    _ = context.translator.gettext
    rows = [
        [
            InlineKeyboardButton(
                list_label(context.translator, p),
                callback_data=programme_detail_data(p.code, page),
            )
        ]
        for p in programmes
    ]
    paging = []
    if page > 0:
        paging.append(
            InlineKeyboardButton(
                _("‹ Previous"), callback_data=programme_list_data(category, page - 1)
            )
        )
    if page + 1 < pages:
        paging.append(
            InlineKeyboardButton(
                _("Next ›"), callback_data=programme_list_data(category, page + 1)
            )
        )
    if paging:
        rows.append(paging)
    rows.append(
        [
            InlineKeyboardButton(_("« Categories"), callback_data=CATEGORIES),
            menu_button(context.translator),
        ]
    )
    return InlineKeyboardMarkup(rows)


async def show_programme(update: Update, context: BotContext) -> None:
    """The detail card of one programme, with a way back to the list it came from."""
    code, page = context.matches[0].group(1), int(context.matches[0].group(2))
    async with context.db_session() as session, session.begin():
        card = await programme_card(session, context, code, page)
    await show(update, card or gone_screen(context))


async def programme_card(
    session: AsyncSession, context: BotContext, code: str, page: int = 0
) -> Screen | None:
    """The card, counted as a look at the programme in the funnel; None if it is gone."""
    programme = await get_programme(session, code)
    if programme is None:
        return None
    await record_funnel_step(
        session, user_id=context.user_id, programme_code=code, stage="started"
    )
    taken = (
        await count_active_registrations(session, programme_code=code, batch=programme.batch)
        if programme.quota is not None
        else 0
    )
    share = share_url(
        programme_link(context.bot.username, code),
        "{title} – {summary}".format(
            title=programme.texts["title"][context.locale],
            summary=programme.texts.get("summary", {}).get(context.locale, ""),
        ),
    )
    return Screen(
        render_programme(context.translator, programme, taken=taken),
        programme_keyboard(context.translator, programme, page, share=share),
    )


def programme_keyboard(
    translator: Translator, programme: Programme, page: int, *, share: str
) -> InlineKeyboardMarkup:
    """What one can do from a card: check, register or ask to be told, share, then go back."""
    _ = translator.gettext
    rows = []
    if programme.audience == "trainee" and not rules_from_json(programme.rules).is_empty:
        rows.append(
            [
                InlineKeyboardButton(
                    _("✅ Check if I qualify"),
                    callback_data=eligibility_start_data(programme.code),
                )
            ]
        )
    if programme.audience == "trainee":
        if programme.intake == "open":
            label, data = _("📝 Register"), registration_start_data(programme.code)
        else:
            label, data = _("🔔 Tell me when it opens"), registration_watch_data(programme.code)
        rows.append([InlineKeyboardButton(label, callback_data=data)])
    rows.append([InlineKeyboardButton(_("📤 Share with a friend"), url=share)])
    back = programme_list_data(programme.category, page)
    rows.append(
        [
            InlineKeyboardButton(_("« Back to the list"), callback_data=back),
            menu_button(translator),
        ]
    )
    return InlineKeyboardMarkup(rows)


def render_programme(translator: Translator, programme: Programme, *, taken: int = 0) -> str:
    _ = translator.gettext
    locale = translator.locale
    field = lambda name: text_of(programme.texts, name, locale)  # noqa: E731
    text = f"<b>{field('title')}</b>\n"
    if unconfirmed(programme):
        text += (
            f"{UNCONFIRMED_MARK} "
            + _(
                "<b>Not confirmed:</b> this intake is listed as open, but the centre has not "
                "confirmed it yet. Check before you travel or give up anything for it."
            )
            + "\n"
        )
    text += _(
        "<i>{summary}</i>\n\n{description}\n\n"
        "⏱ <b>Duration:</b> {duration}\n"
        "💰 <b>Cost:</b> {cost}\n"
        "📍 <b>Where:</b> {location}\n"
        "📋 <b>Intake:</b> {intake}\n\n"
        "<b>Requirements</b>\n{requirements}"
    ).format(
        summary=field("summary"),
        description=field("description"),
        duration=field("duration"),
        cost=field("cost"),
        location=field("location"),
        intake=_(intake_label(programme)),
        requirements=field("requirements"),
    )
    if programme.intake == "open" and programme.closes_on is not None:
        text += "\n\n📅 " + _("Registration open until {date}").format(
            date=translator.format_date(programme.closes_on)
        )
    elif programme.intake == "planned" and programme.opens_on is not None:
        text += "\n\n📅 " + _("Registration opens on {date}").format(
            date=translator.format_date(programme.opens_on)
        )
    if programme.quota is not None and programme.intake == "open":
        left = max(programme.quota - taken, 0)
        text += "\n\n🎟 " + translator.ngettext(
            "{count} place left in this intake", "{count} places left in this intake", left
        ).format(count=translator.format_number(left))
    if programme.texts.get("confirm_note"):
        text += "\n\n⚠️ " + field("confirm_note")
    return text


async def show_gone(update: Update, context: BotContext) -> None:
    """A button for a programme or page that no longer exists."""
    await show(update, gone_screen(context))


def gone_screen(context: BotContext) -> Screen:
    text = context.translator.gettext(
        "That programme is no longer in our list. Please look at the current programmes."
    )
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    context.translator.gettext("📚 Programmes"), callback_data=CATEGORIES
                )
            ],
            [menu_button(context.translator)],
        ]
    )
    return Screen(text, keyboard)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [
        CommandHandler("programmes", show_categories),
        CallbackQueryHandler(show_categories, pattern=rf"^{CATEGORIES}$"),
        CallbackQueryHandler(
            show_programme_list,
            pattern=rf"^{PROGRAMMES_PREFIX}:list:([a-z0-9_]+):({PAGE_NUMBER})$",
        ),
        CallbackQueryHandler(
            show_programme, pattern=rf"^{PROGRAMMES_PREFIX}:detail:([a-z0-9_]+):({PAGE_NUMBER})$"
        ),
    ]
