"""Registrations as a spreadsheet (XLSX or CSV), one row each, for the district office."""

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime

from openpyxl import Workbook
from openpyxl.styles import Font

from bot.i18n import N_, Translator
from bot.profile_labels import answer_label
from bot.review_filter import CENTRE_TIMEZONE
from db.models import Registration

COLUMNS = (
    N_("Code"),
    N_("Programme"),
    N_("Stage"),
    N_("Name"),
    N_("NIK"),
    N_("Date of birth"),
    N_("Sex"),
    N_("Phone"),
    N_("Last school"),
    N_("Activity"),
    N_("Home"),
    N_("E-mail"),
    N_("Submitted"),
    N_("Last change"),
)
STAGE_LABELS = {
    "submitted": N_("Submitted"),
    "verified": N_("Verified"),
    "test_scheduled": N_("Test scheduled"),
    "accepted": N_("Accepted"),
    "rejected": N_("Rejected"),
    "withdrawn": N_("Withdrawn"),
}
# A spreadsheet reads a cell starting with these as a formula.
FORMULA_STARTS = ("=", "@")


def stage_label(translator: Translator, status: str) -> str:
    return translator.gettext(STAGE_LABELS[status]) if status in STAGE_LABELS else status


def local_time(value: datetime | None) -> str:
    """The centre's local time; SQLite gives back naive datetimes, which are UTC."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(CENTRE_TIMEZONE).strftime("%Y-%m-%d %H:%M")


def export_table(
    registrations: Sequence[Registration],
    *,
    translator: Translator,
    titles: Mapping[str, str],
    nik_of: Callable[[Registration], str],
) -> list[list[str]]:
    """The header and one row per registration; `nik_of` decides masked or full."""

    def label(question: str, value: object) -> str:
        return answer_label(translator, question, value) if value is not None else ""

    rows = [[translator.gettext(column) for column in COLUMNS]]
    for item in registrations:
        rows.append(
            [
                item.code or "",
                titles.get(item.programme_code, item.programme_code),
                stage_label(translator, item.status),
                item.full_name or "",
                nik_of(item),
                item.birth_date.isoformat() if item.birth_date else "",
                label("sex", item.sex),
                item.phone or "",
                label("education", item.education),
                label("activity", item.activity),
                label("regency", item.regency),
                item.email or "",
                local_time(item.submitted_at),
                local_time(item.status_changed_at),
            ]
        )
    return [[_safe(cell) for cell in row] for row in rows]


def _safe(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def to_xlsx(rows: list[list[str]], *, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]  # Excel's limit for a sheet name
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(rows: list[list[str]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows names with accents correctly."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")
