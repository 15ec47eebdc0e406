"""Registrations as a spreadsheet (XLSX or CSV), one row each, for the district office."""

import csv
import io
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from bot.config import CENTRE_TIMEZONE
from bot.forms.profile_labels import answer_label, regency_label
from bot.i18n import N_, Translator
from bot.review.review_filter import FIELDS, PERIOD_LABELS
from db.models import Registration

COLUMNS = (
    N_("Code"),
    N_("Programme"),
    N_("Intake"),
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
    # The codes of the documents received (e.g. "ktp, ijazah"); the files stay in Telegram.
    N_("Documents"),
)
STAGE_LABELS = {
    "submitted": N_("Submitted"),
    "verified": N_("Verified"),
    "test_scheduled": N_("Test scheduled"),
    "accepted": N_("Accepted"),
    "rejected": N_("Rejected"),
    "withdrawn": N_("Withdrawn"),
}
# The review filter's fields as an export or the audit log names them.
FILTER_FIELD_LABELS = {
    "programme": N_("Programme"),
    "intake": N_("Intake"),
    "stage": N_("Stage"),
    "regency": N_("Home"),
    "period": N_("Period"),
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


def filter_fields(
    translator: Translator, raw: Mapping[str, Any], titles: Mapping[str, str]
) -> list[tuple[str, str]]:
    """A saved review filter's chosen fields in words: [("Programme", "Welding"), ...]; a field
    left at "any" (and the period "all time") is not listed."""
    fields = []
    for field in FIELDS:
        value = raw.get(field)
        if not value or value == "all":
            continue
        value = str(value)
        if field == "programme":
            words = titles.get(value, value)
        elif field == "stage":
            words = stage_label(translator, value)
        elif field == "regency":
            words = regency_label(translator, value)
        elif field == "period":
            label = PERIOD_LABELS.get(value)
            words = translator.gettext(label) if label else value
        else:
            words = value
        fields.append((translator.gettext(FILTER_FIELD_LABELS[field]), words))
    return fields


def export_filename(raw: Mapping[str, Any], stamp: str, extension: str, suffix: str = "") -> str:
    """registrations_welding_2026-1_30d_20261129-0105.csv: the filter's codes in the name, as a
    CSV has no room for it inside (a comment line would break importers)."""
    codes = [str(raw[f]) for f in FIELDS if raw.get(f) and raw.get(f) != "all"]
    words = [re.sub(r"[^A-Za-z0-9-]+", "-", code).strip("-") for code in codes]
    return "_".join(["registrations", *(w for w in words if w), stamp]) + f"{suffix}.{extension}"


def export_table(
    registrations: Sequence[Registration],
    *,
    translator: Translator,
    titles: Mapping[str, str],
    nik_of: Callable[[Registration], str],
    phone_of: Callable[[Registration], str | None],
    documents: Mapping[int, Sequence[str]] | None = None,
) -> list[list[str]]:
    """The header and one row per registration; `nik_of` decides masked or full, `phone_of`
    decrypts the phone; `documents`, the codes received by registration id."""

    def label(question: str, value: object) -> str:
        return answer_label(translator, question, value) if value is not None else ""

    rows = [[translator.gettext(column) for column in COLUMNS]]
    for item in registrations:
        rows.append(
            [
                item.code or "",
                titles.get(item.programme_code, item.programme_code),
                item.batch or "",
                stage_label(translator, item.status),
                item.full_name or "",
                nik_of(item),
                item.birth_date.isoformat() if item.birth_date else "",
                label("sex", item.sex),
                phone_of(item) or "",
                label("education", item.education),
                label("activity", item.activity),
                label("regency", item.regency),
                item.email or "",
                local_time(item.submitted_at),
                local_time(item.status_changed_at),
                ", ".join((documents or {}).get(item.id, ())),
            ]
        )
    return [[_safe(cell) for cell in row] for row in rows]


def _safe(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def to_xlsx(
    rows: list[list[str]],
    *,
    title: str,
    about: Sequence[tuple[str, str]] = (),
    about_title: str = "",
) -> bytes:
    """The table on the first sheet (what importers read); `about` (the filter that made it,
    when it was made) on a small second sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]  # Excel's limit for a sheet name
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    if about:
        notes = workbook.create_sheet(about_title[:31])
        for label, value in about:
            notes.append([_safe(label), _safe(value)])
        for cell in notes["A"]:
            cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(rows: list[list[str]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows names with accents correctly."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")
