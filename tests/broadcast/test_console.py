"""/broadcasts, and the refusal of every new broadcast command and button to non-staff."""

from datetime import timedelta

from sqlalchemy import select

from bot.offline.offline_bot import OfflineBot
from db.models import (
    Broadcast,
    utc_now,
)
from tests.broadcast import test_broadcasts
from tests.broadcast.test_broadcasts import (
    OUTSIDER,
    REFUSAL,
    SCHEDULED_NOTE,
    compose_and_preview,
    send_to_everyone,
    session_factory,
    the_broadcast,
    typed,
)

# The staff console of the sending tests: an admin, a staff member, fast test pacing.
staff_settings = test_broadcasts.staff_settings
console = test_broadcasts.console


# --- /broadcasts ----------------------------------------------------------------------------


async def test_recent_broadcasts_open_their_reports(console: OfflineBot) -> None:
    done = await send_to_everyone(console, range(100, 103))
    staff = await compose_and_preview(console, ["👥 Everyone"])
    await staff.tap("🕒 Schedule")
    await staff.tap("⌨️ Type a date and time")
    await staff.send(typed(timedelta(days=1)))
    scheduled = await the_broadcast(console)
    [listing] = await staff.send("/broadcasts")
    assert f"#{scheduled.id} 🕒 scheduled for" in listing.plain_text
    assert (
        f"#{done.id} ✅ finished" in listing.plain_text
        and "5 sent, 0 failed" in listing.plain_text
    )
    [report] = await staff.tap(f"#{done.id}")
    assert "finished: 5 sent" in report.plain_text
    assert "🗑 Delete from every chat" in report.buttons
    await staff.tap("◀️ All broadcasts")
    [upcoming] = await staff.tap(f"#{scheduled.id}")
    assert SCHEDULED_NOTE in upcoming.plain_text
    await staff.tap("✖️ Cancel the scheduled broadcast")
    assert (await the_broadcast(console)).status == "cancelled"
    menus = console.standin.calls_to("setMyCommands")
    assert any("broadcasts" in str(call.params.get("commands")) for call in menus)


# --- refusals -------------------------------------------------------------------------------


async def test_outsiders_are_refused_broadcasts_and_every_new_button(console: OfflineBot) -> None:
    done = await send_to_everyone(console, range(100, 103))
    staff = await compose_and_preview(console, ["👥 Everyone"])
    draft = await the_broadcast(console)
    calls_before = len(console.standin.calls)
    outsider = console.user(OUTSIDER, language_code="en")
    assert [r.plain_text for r in await outsider.send("/broadcasts")] == [REFUSAL]
    forged = [
        f"bc:en:{draft.id}",
        f"bc:seg:{draft.id}:prog",
        f"bc:seg:{draft.id}:stg",
        f"bc:pg:{draft.id}:prog:1",
        f"bc:stp:{draft.id}:welding",
        f"bc:aud:{draft.id}:grp:trainee",
        f"bc:aud:{draft.id}:prog:welding",
        f"bc:aud:{draft.id}:stg:welding.submitted",
        f"bc:aud:{draft.id}:act:90",
        f"bc:when:{draft.id}:1",
        f"bc:at:{draft.id}:1:{int(utc_now().timestamp()) + 7200}",
        f"bc:type:{draft.id}:1",
        f"bc:unsch:{draft.id}",
        f"bc:del:{done.id}",
        f"bc:delgo:{done.id}",
        "bc:list",
        f"bc:show:{done.id}",
    ]
    for data in forged:
        assert await outsider.tap_data(data) == [], data
        assert outsider.answered_callbacks[-1] == REFUSAL, data
    # The outsider's next message is no time or English version for anyone's broadcast.
    await outsider.send("1/12 08:00")
    assert (await the_broadcast(console)).status == "draft"
    async with session_factory(console)() as session:
        broadcasts = (await session.scalars(select(Broadcast).order_by(Broadcast.id))).all()
    assert [(b.status, b.deletion, b.english_message_id) for b in broadcasts] == [
        ("done", None, None),
        ("draft", None, None),
    ]
    sent_since = console.standin.calls[calls_before:]
    assert not [c for c in sent_since if c.method in ("copyMessage", "deleteMessage")]
    assert staff.last_reply.plain_text.startswith("☝️ This is the preview.")
