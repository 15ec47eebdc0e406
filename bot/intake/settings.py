"""Intake settings in the database: the catalogue file, then what staff set from the bot, then
the registration dates. Each function works in the caller's transaction."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.catalogue import Catalogue
from bot.intake.dates import (
    SETTABLE,
    centre_today,
    dated_intake,
    decode_values,
    encode_value,
)
from db.audit import record_action
from db.models import Programme
from db.programmes import (
    delete_override,
    get_override,
    list_batches,
    list_dated_programmes,
    list_overrides,
    save_override,
    sync_catalogue,
    update_intake_if,
)


def file_values(catalogue: Catalogue, code: str) -> dict[str, Any] | None:
    """The intake settings the catalogue file gives a programme (None: not in the file)."""
    for row in catalogue.programme_rows():
        if row["code"] == code:
            return {field: row[field] for field in (*SETTABLE, "intake_confirmed")}
    return None


def set_fields(values: dict[str, Any]) -> tuple[str, ...]:
    """The fields an override sets, in the order staff see them."""
    return tuple(field for field in SETTABLE if field in values)


@dataclass(frozen=True)
class IntakeSync:
    """What syncing the catalogue did: the intakes just opened, the programmes whose staff
    settings still win over the file (with those fields), and those whose settings were
    dropped because the file starts a new batch."""

    opened: list[str]
    kept: dict[str, tuple[str, ...]]
    dropped: dict[str, tuple[str, ...]]


async def sync_intakes(
    session: AsyncSession, catalogue: Catalogue, *, now: datetime, actor_id: int | None = None
) -> IntakeSync:
    """Write the catalogue to the database with staff settings on top and the dates applied.
    A staff setting belongs to one batch: when the file names a new batch for a programme,
    its setting is dropped (audited), so a quota or state never carries to the next intake."""
    rows = catalogue.programme_rows()
    file_batches = {row["code"]: row["batch"] for row in rows}
    synced_batches = await list_batches(session)
    overrides: dict[str, dict[str, Any]] = {}
    kept: dict[str, tuple[str, ...]] = {}
    dropped: dict[str, tuple[str, ...]] = {}
    for override in await list_overrides(session):
        code = override.programme_code
        before, after = synced_batches.get(code), file_batches.get(code)
        if after is None:
            continue
        if before is not None and before != after:
            dropped[code] = set_fields(override.values)
            await record_action(
                session,
                actor_id=actor_id,
                action="intake.new_batch",
                subject=code,
                details={"batch": {"before": before, "after": after}, "dropped": override.values},
            )
            await delete_override(session, code)
            continue
        overrides[code] = override.values
        if set_fields(override.values):
            kept[code] = set_fields(override.values)
    today = centre_today(now)
    synced = []
    for row in rows:
        staff_values = overrides.get(row["code"], {})
        values = {**row, **decode_values(staff_values)}
        values["intake_confirmed"] = row["intake_confirmed"] or bool(set_fields(staff_values))
        values["intake"] = dated_intake(
            values["intake"], values["opens_on"], values["closes_on"], today
        )
        synced.append(values)
    opened = await sync_catalogue(session, categories=catalogue.category_rows(), programmes=synced)
    return IntakeSync(opened, kept, dropped)


async def apply_dates(session: AsyncSession, *, now: datetime) -> list[str]:
    """Open planned intakes whose opening day has come and close those whose closing day is
    over; only what this run actually changed is audited and returned (as opened)."""
    today, opened = centre_today(now), []
    for programme in await list_dated_programmes(session):
        before = programme.intake
        due = dated_intake(before, programme.opens_on, programme.closes_on, today)
        if due == before or not await update_intake_if(
            session, programme.code, before=before, after=due
        ):
            continue
        await record_action(
            session,
            actor_id=None,
            action="intake.dates",
            subject=programme.code,
            details={"intake": {"before": before, "after": due}},
        )
        if due == "open":
            opened.append(programme.code)
    return opened


async def change_intake(
    session: AsyncSession, programme: Programme, *, changes: dict[str, Any], actor_id: int
) -> None:
    """Staff settings: kept over the catalogue file, in force at once, and audited."""
    override = await get_override(session, programme.code)
    values = {
        **(override.values if override else {}),
        **{field: encode_value(value) for field, value in changes.items()},
    }
    await save_override(session, programme.code, values=values, set_by=actor_id)
    await record_action(
        session,
        actor_id=actor_id,
        action="intake.set",
        subject=programme.code,
        details={
            field: {
                "before": encode_value(getattr(programme, field)),
                "after": encode_value(value),
            }
            for field, value in changes.items()
        },
    )
    for field, value in changes.items():
        setattr(programme, field, value)
    programme.intake_confirmed = True  # staff have looked at this intake and set it


async def restore_file_settings(
    session: AsyncSession,
    programme: Programme,
    *,
    catalogue: Catalogue,
    actor_id: int,
    now: datetime,
) -> bool:
    """Forget the staff settings and use the catalogue file's (dates applied); audited.
    False when the programme is no longer in the file."""
    values = file_values(catalogue, programme.code)
    if values is None:
        return False
    values["intake"] = dated_intake(
        values["intake"], values["opens_on"], values["closes_on"], centre_today(now)
    )
    await delete_override(session, programme.code)
    changes = {
        field: {"before": encode_value(getattr(programme, field)), "after": encode_value(value)}
        for field, value in values.items()
        if getattr(programme, field) != value
    }
    await record_action(
        session,
        actor_id=actor_id,
        action="intake.use_file",
        subject=programme.code,
        details=changes,
    )
    for field, value in values.items():
        setattr(programme, field, value)
    return True
