"""The broadcast segments built from the programme catalogue: people interested in a
programme, and a programme's registrations at one stage. The catalogue is long, so the
programmes come a page at a time."""

from telegram import InlineKeyboardButton, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.broadcast.audience import PROGRAMME, STAGE, STAGE_SEPARATOR
from bot.broadcast.progress import BROADCAST_PREFIX
from bot.context import BotContext
from bot.i18n import Translator
from bot.navigation import ID, PAGE_NUMBER
from bot.review.exports import stage_label
from bot.review.review_filter import STAGES
from bot.screens import Screen, show
from bot.staff.roles import staff_only
from db.broadcast_audience import list_programme_titles
from handlers.broadcast.form import leaves_form
from handlers.broadcast.screens import segment_screen

P = BROADCAST_PREFIX
PAGE, STAGE_PROGRAMME = "pg", "stp"
PAGE_SIZE = 8
CATALOGUE_KINDS = f"({PROGRAMME}|{STAGE})"


def programme_page(
    translator: Translator,
    broadcast_id: int,
    kind: str,
    programmes: list[tuple[str, str]],
    page: int,
) -> Screen:
    """One page of programmes; for a stage segment, a programme then asks for the stage."""
    _ = translator.gettext
    pages = max(1, -(-len(programmes) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = programmes[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    if kind == PROGRAMME:
        options = [(title, code) for code, title in shown]
        rows: list[list[InlineKeyboardButton]] = []
    else:
        options = []
        rows = [
            [
                InlineKeyboardButton(
                    title, callback_data=f"{P}:{STAGE_PROGRAMME}:{broadcast_id}:{code}"
                )
            ]
            for code, title in shown
        ]
    moves = []
    if page > 0:
        moves.append(
            InlineKeyboardButton(
                _("⬅️ Previous"), callback_data=f"{P}:{PAGE}:{broadcast_id}:{kind}:{page - 1}"
            )
        )
    if page + 1 < pages:
        moves.append(
            InlineKeyboardButton(
                _("Next ➡️"), callback_data=f"{P}:{PAGE}:{broadcast_id}:{kind}:{page + 1}"
            )
        )
    if moves:
        rows.append(moves)
    screen = segment_screen(translator, broadcast_id, kind, options, rows)
    if not programmes:
        return screen
    heading = (
        _("Which programme? Everyone who registered, watches its intake or checked it.")
        if kind == PROGRAMME
        else _("Registrations for which programme?")
    )
    return Screen(
        heading + " " + _("(page {page} of {pages})").format(page=page + 1, pages=pages),
        screen.keyboard,
    )


@staff_only
@leaves_form
async def show_programmes(update: Update, context: BotContext) -> None:
    """📚 By programme / 📋 By registration stage: the programmes, a page at a time."""
    groups = context.matches[0].groups()
    broadcast_id, kind = int(groups[0]), groups[1]
    page = int(groups[2]) if len(groups) > 2 and groups[2] else 0
    async with context.db_session() as session:
        programmes = await list_programme_titles(session, context.locale)
    await show(update, programme_page(context.translator, broadcast_id, kind, programmes, page))


@staff_only
@leaves_form
async def show_stages(update: Update, context: BotContext) -> None:
    """A programme chosen for a stage segment: its registration stages."""
    broadcast_id, code = int(context.matches[0].group(1)), context.matches[0].group(2)
    translator = context.translator
    options = [
        (stage_label(translator, stage), f"{code}{STAGE_SEPARATOR}{stage}") for stage in STAGES
    ]
    back = [
        InlineKeyboardButton(
            translator.gettext("◀️ Other programme"),
            callback_data=f"{P}:seg:{broadcast_id}:{STAGE}",
        )
    ]
    screen = segment_screen(translator, broadcast_id, STAGE, options, [back])
    await show(update, Screen(translator.gettext("Which stage?"), screen.keyboard))


def entry_points() -> list[BaseHandler]:  # type: ignore[type-arg]
    """Choosing an audience leaves any typed step, so these belong to the forms conversation
    (through handlers/broadcast/compose.py)."""
    return [
        CallbackQueryHandler(show_programmes, pattern=rf"^{P}:seg:({ID}):{CATALOGUE_KINDS}()$"),
        CallbackQueryHandler(
            show_programmes, pattern=rf"^{P}:{PAGE}:({ID}):{CATALOGUE_KINDS}:({PAGE_NUMBER})$"
        ),
        CallbackQueryHandler(show_stages, pattern=rf"^{P}:{STAGE_PROGRAMME}:({ID}):(\w+)$"),
    ]
