"""Intake settings in the database: the catalogue file, then what staff set from the bot, then
the registration dates. Each function works in the caller's transaction."""

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalogue import Catalogue
from bot.intake_dates import (
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
    list_dated_programmes,
    list_overrides,
    save_override,
    sync_catalogue,
)


def file_values(catalogue: Catalogue, code: str) -> dict[str, Any] | None:
    """The intake settings the catalogue file gives a programme (None: not in the file)."""
    for row in catalogue.programme_rows():
        if row["code"] == code:
            return {field: row[field] for field in SETTABLE}
    return None


async def sync_intakes(session: AsyncSession, catalogue: Catalogue, *, now: datetime) -> list[str]:
    """Write the catalogue to the database with staff settings on top and the dates applied;
    returns the programmes whose intake has just opened."""
    overrides = {o.programme_code: o.values for o in await list_overrides(session)}
    today = centre_today(now)
    rows = []
    for row in catalogue.programme_rows():
        values = {**row, **decode_values(overrides.get(row["code"], {}))}
        values["intake"] = dated_intake(
            values["intake"], values["opens_on"], values["closes_on"], today
        )
        rows.append(values)
    return await sync_catalogue(session, categories=catalogue.category_rows(), programmes=rows)


async def apply_dates(session: AsyncSession, *, now: datetime) -> list[str]:
    """Open planned intakes whose opening day has come and close open ones whose closing day
    is over; audited, and returns the programmes just opened."""
    today, opened = centre_today(now), []
    for programme in await list_dated_programmes(session):
        due = dated_intake(programme.intake, programme.opens_on, programme.closes_on, today)
        if due == programme.intake:
            continue
        await record_action(
            session,
            actor_id=None,
            action="intake.dates",
            subject=programme.code,
            details={"intake": {"before": programme.intake, "after": due}},
        )
        programme.intake = due
        if due == "open":
            opened.append(programme.code)
    return opened


async def change_intake(
    session: AsyncSession, programme: Programme, *, field: str, value: Any, actor_id: int
) -> None:
    """A staff setting: kept over the catalogue file, in force at once, and audited."""
    override = await get_override(session, programme.code)
    values = {**(override.values if override else {}), field: encode_value(value)}
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
        },
    )
    setattr(programme, field, value)


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
