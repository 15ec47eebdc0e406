"""What /campaigns shows: the list with sign-ups, the naming prompt, and a campaign's card."""

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from html import escape

from telegram import InlineKeyboardMarkup, Update

from bot.config import CENTRE_TIMEZONE
from bot.i18n import N_, Translator
from bot.navigation import button
from bot.screens import Screen
from bot.stats.campaigns import qr_png
from db.models import Campaign, Programme
from handlers.stats.screens import chooser_screen

P = "cmp"
NEW = f"{P}:new"
PAGE_SIZE = 8
NAME_LENGTH = 100
# Why a typed name or code was refused, as the staff member reads it.
PROBLEMS = {
    "name": N_("The name must be 1 to {length} characters. Please type it again."),
    "taken": N_("The code «{code}» is already used or reserved. Please choose another one."),
}


def list_data(page: int) -> str:
    return f"{P}:l:{page}"


def open_data(code: str) -> str:
    return f"{P}:o:{code}"


def programmes_data(campaign: str, page: int) -> str:
    return f"{P}:pl:{campaign}:{page}"


def programme_link_data(campaign: str, programme: str) -> str:
    # At most 7 + 32 + 1 + 24 = 64 bytes, Telegram's limit for callback data.
    return f"{P}:pq:{campaign}:{programme}"


def results_line(translator: Translator, results: Mapping[str, int]) -> str:
    return translator.gettext("Sign-ups: <b>{started}</b> · submitted: <b>{submitted}</b>").format(
        started=translator.format_number(results.get("started", 0)),
        submitted=translator.format_number(results.get("submitted", 0)),
    )


def list_screen(
    translator: Translator,
    campaigns: Sequence[Campaign],
    results: Mapping[str, Mapping[str, int]],
    page: int,
    total: int,
) -> Screen:
    """Each campaign with who came through its link and who went on to submit."""
    _ = translator.gettext
    rows = [[button(f"📣 {c.name}", open_data(c.code))] for c in campaigns]
    pages = -(-total // PAGE_SIZE)
    paging = []
    if page > 0:
        paging.append(button(_("‹ Previous"), list_data(page - 1)))
    if page + 1 < pages:
        paging.append(button(_("Next ›"), list_data(page + 1)))
    if paging:
        rows.append(paging)
    rows.append([button(_("➕ New campaign"), NEW)])
    if total == 0:
        text = _(
            "📣 <b>Campaigns</b>\nNo campaigns yet. A campaign is a link with a QR code to print "
            "for a school visit or a poster; the people who start the bot through it are counted."
        )
        return Screen(text, InlineKeyboardMarkup(rows))
    entries = [
        f"<b>{escape(c.name)}</b> ({c.code})\n{results_line(translator, results.get(c.code, {}))}"
        for c in campaigns
    ]
    text = _("📣 <b>Campaigns</b>") + "\n\n" + "\n\n".join(entries)
    if pages > 1:
        text += "\n\n" + _("Page {page} of {pages}").format(page=page + 1, pages=pages)
    return Screen(text, InlineKeyboardMarkup(rows))


def name_prompt_screen(
    translator: Translator, problem: str | None = None, code: str = ""
) -> Screen:
    _ = translator.gettext
    text = _(
        "📣 Type the campaign's name, for example «Kunjungan SMKN 1 Serang 12 Des». "
        "I will make the link's code from it.\n"
        "To choose the code yourself, add it after a | sign: «Poster Pasar Rau | poster-rau».\n"
        "/cancel to stop."
    )
    if problem is not None:
        hint = _(PROBLEMS[problem]).format(length=NAME_LENGTH, code=escape(code))
        text = f"⚠️ {hint}\n\n{text}"
    return Screen(text, edit=False)


def created_screen(translator: Translator, campaign: Campaign, link: str) -> Screen:
    _ = translator.gettext
    text = _(
        "✅ Campaign created: <b>{name}</b>\nCode: <code>{code}</code>\nLink: {link}\n\n"
        "Print the QR code below. Everyone who starts the bot through it is counted in "
        "/stats and /campaigns."
    ).format(name=escape(campaign.name), code=campaign.code, link=link)
    keyboard = InlineKeyboardMarkup(
        [
            [button(_("📊 Open the campaign"), open_data(campaign.code))],
            [button(_("◀️ Campaigns"), list_data(0))],
        ]
    )
    return Screen(text, keyboard, edit=False)


def card_caption(
    translator: Translator, campaign: Campaign, link: str, results: Mapping[str, int]
) -> str:
    return translator.gettext("📣 <b>{name}</b>\nLink: {link}\nCreated: {date}\n{results}").format(
        name=escape(campaign.name),
        link=link,
        date=translator.format_date(local_date(campaign.created_at)),
        results=results_line(translator, results),
    )


def local_date(moment: datetime) -> date:
    """The day in Serang (SQLite gives back naive datetimes; the bot stores UTC)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(CENTRE_TIMEZONE).date()


def card_keyboard(translator: Translator, campaign: Campaign) -> InlineKeyboardMarkup:
    _ = translator.gettext
    return InlineKeyboardMarkup(
        [
            [button(_("🔗 Link to one programme"), programmes_data(campaign.code, 0))],
            [button(_("◀️ Campaigns"), list_data(0))],
        ]
    )


def programme_chooser(
    translator: Translator,
    campaign: Campaign,
    programmes: Sequence[Programme],
    page: int,
    total: int,
) -> Screen:
    """Which programme's card the campaign's link should open."""
    options = [
        (p.texts["title"][translator.locale], programme_link_data(campaign.code, p.code))
        for p in programmes
    ]
    text = translator.gettext(
        "🔗 Campaign «{name}»: which programme should its link open? The link opens that "
        "programme's card and still counts for the campaign."
    ).format(name=escape(campaign.name))
    back = button(translator.gettext("◀️ Back to the campaign"), open_data(campaign.code))
    pages = -(-total // PAGE_SIZE)
    return chooser_screen(
        translator,
        text,
        options,
        page,
        pages,
        lambda wanted: programmes_data(campaign.code, wanted),
        back,
    )


def programme_link_caption(
    translator: Translator, campaign: Campaign, programme: Programme, link: str
) -> str:
    return translator.gettext(
        "🔗 <b>{programme}</b> · campaign «{name}»\nLink: {link}\n"
        "It opens the programme's card; people who start the bot through it are counted "
        "for the campaign."
    ).format(
        programme=escape(programme.texts["title"][translator.locale]),
        name=escape(campaign.name),
        link=link,
    )


def gone_screen(translator: Translator) -> Screen:
    keyboard = InlineKeyboardMarkup([[button(translator.gettext("◀️ Campaigns"), list_data(0))]])
    return Screen(translator.gettext("That campaign does not exist."), keyboard)


async def send_qr_code(update: Update, name: str, link: str, caption: str) -> None:
    """The QR code as a PNG document named qr-<name>.png: a photo would be recompressed,
    blurring the print."""
    if update.effective_chat is None:
        return
    await update.effective_chat.send_document(
        qr_png(link),
        filename=f"qr-{name}.png",
        caption=caption,
        parse_mode="HTML",
    )
