"""The cohort group: staff name an intake's Telegram group from /intake; an applicant moved to
«Accepted» gets a personal link; the bot lets in only the accepted applicants of that intake
and declines everyone else, each decision in /audit."""

import json

from sqlalchemy import update

from bot.config import Settings
from bot.offline.group_driver import GroupMember
from bot.offline.offline_bot import OfflineBot
from db.models import AuditEntry, CohortGroup, CohortInvite, Registration
from handlers.intake.cohort_group_screens import CHOOSE_GROUP_REQUEST
from handlers.reminders import purge_expired_data
from tests.cohort import (
    ADMIN,
    COHORT,
    JOIN_BUTTON,
    OTHER_COHORT,
    STAFF,
    STRANGER,
    accept,
    choose_group,
    console,
    group_member,
    rows,
    with_group,
)
from tests.factories import add_applicant

__all__ = ["console"]


async def test_staff_name_the_group_in_telegrams_chooser_and_it_is_audited(
    console: OfflineBot,
) -> None:
    group_member(console, STAFF).make_bot_admin_quietly()
    staff = console.user(STAFF, language_code="en")
    await staff.send("/intake")
    await staff.tap("🟢 Welding")
    await staff.tap("👥 Cohort group")
    screen, chooser = staff.replies[-2:]
    assert "None yet." in screen.plain_text
    [button] = chooser.button_objects
    assert button["request_chat"] == {
        "request_id": CHOOSE_GROUP_REQUEST,
        "chat_is_channel": False,
        "bot_is_member": True,
        "bot_administrator_rights": button["request_chat"]["bot_administrator_rights"],
        "request_title": True,
    }
    assert button["request_chat"]["bot_administrator_rights"]["can_invite_users"] is True

    await staff.share_chat(CHOOSE_GROUP_REQUEST, COHORT)
    answer, intake = staff.replies
    assert answer.plain_text.startswith(
        "✅ Las Angkatan 1 is now the cohort group of Welding, intake 1."
    )
    assert answer.reply_markup == {"remove_keyboard": True}
    assert "👥 Cohort group: Las Angkatan 1" in intake.plain_text
    [group] = await rows(console, CohortGroup)
    assert (group.programme_code, group.batch, group.chat_id) == ("welding", "1", COHORT)
    [entry] = [e for e in await rows(console, AuditEntry) if e.action == "cohort.set"]
    assert (entry.actor_id, entry.subject) == (STAFF, str(COHORT))

    await staff.tap("👥 Cohort group")
    assert "Now: Las Angkatan 1" in staff.replies[-2].plain_text
    await staff.tap("🗑 Remove the cohort group")
    removed, intake = staff.replies
    assert removed.plain_text.startswith("🗑 The cohort group is removed")
    assert removed.reply_markup == {"remove_keyboard": True}
    assert "👥 Cohort group:" not in intake.plain_text
    assert await rows(console, CohortGroup) == []
    assert [e.action for e in await rows(console, AuditEntry)][-1] == "cohort.remove"


async def test_a_group_where_the_bot_may_not_invite_gets_a_clear_answer(
    console: OfflineBot,
) -> None:
    group_member(console, STAFF).make_bot_admin_quietly(can_invite_users=False)
    staff = console.user(STAFF, language_code="id")
    await staff.send("/intake")
    await staff.tap("🟢 Teknik Las")
    await staff.tap("👥 Grup angkatan")
    await staff.share_chat(CHOOSE_GROUP_REQUEST, COHORT)
    answer = staff.replies[0].plain_text
    assert answer.startswith("⚠️ Saya bukan admin Las Angkatan 1 yang boleh mengundang")
    assert await rows(console, CohortGroup) == []


async def test_an_accepted_applicant_gets_a_link_and_is_let_in_and_audited(
    console: OfflineBot,
) -> None:
    staff = await with_group(console)
    await add_applicant(console, number=1)
    await accept(staff, "SRG-2026-000001")
    link_message = console.standin.history(50_001)[-1]
    assert link_message.plain_text.startswith(
        "👥 Grup angkatanmu untuk Teknik Las ada di Telegram."
    )
    link = link_message.url_for(JOIN_BUTTON)
    assert link and link.startswith("https://t.me/+")
    [created] = console.standin.calls_to("createChatInviteLink")
    assert created.params["name"] == "SRG-2026-000001"
    assert created.params["creates_join_request"] is True

    applicant = group_member(console, 50_001)
    await applicant.ask_to_join(link)
    assert applicant.is_member
    assert console.standin.history(50_001)[-1].plain_text == (
        "✅ Kamu sudah masuk: selamat datang di Las Angkatan 1, grup angkatanmu."
    )
    [entry] = [e for e in await rows(console, AuditEntry) if e.action == "cohort.approve"]
    assert entry.subject == str(COHORT)
    assert entry.details == {
        "user": 50_001,
        "code": "SRG-2026-000001",
        "intake": "welding 1",
        "own_link": True,
    }
    # Used, the link is revoked: nobody else can ask with it.
    assert console.standin.invite_links[link]["is_revoked"] is True
    [invite] = await rows(console, CohortInvite)
    assert invite.joined_at is not None

    admin = console.user(ADMIN, language_code="en")
    await admin.send("/audit")
    text = admin.last_reply.plain_text
    assert "let an accepted applicant into a cohort group" in text
    assert "user 50001 · accepted applicant SRG-2026-000001" in text
    assert "Applicant 1" not in text


async def test_a_stranger_with_a_forwarded_link_and_others_are_declined(
    console: OfflineBot,
) -> None:
    staff = await with_group(console)
    await add_applicant(console, number=1)
    await add_applicant(console, number=2, status="rejected")
    await add_applicant(console, number=3, programme="electrical", status="accepted")
    await accept(staff, "SRG-2026-000001")
    link = console.standin.history(50_001)[-1].url_for(JOIN_BUTTON)

    for user_id in (STRANGER, 50_002, 50_003):
        requester = group_member(console, user_id)
        await requester.ask_to_join(link)
        assert not requester.is_member, user_id
    decisions = [(c, u, d) for c, u, d in console.standin.decided_requests]
    assert decisions == [
        (COHORT, STRANGER, "declined"),
        (COHORT, 50_002, "declined"),
        (COHORT, 50_003, "declined"),
    ]
    declined = [e for e in await rows(console, AuditEntry) if e.action == "cohort.decline"]
    assert [e.details["user"] for e in declined] == [STRANGER, 50_002, 50_003]
    assert all(e.details["code"] is None and e.details["own_link"] is False for e in declined)
    # The applicant's own link still works for them.
    applicant = group_member(console, 50_001)
    await applicant.ask_to_join(link)
    assert applicant.is_member

    admin = console.user(ADMIN, language_code="en")
    await admin.send("/audit")
    assert "not an accepted applicant of this intake" in admin.last_reply.plain_text


async def test_a_request_to_another_group_is_left_alone(console: OfflineBot) -> None:
    await with_group(console)
    asking = group_member(console, STRANGER, OTHER_COHORT)
    await asking.ask_to_join()
    assert console.standin.decided_requests == []
    assert (OTHER_COHORT, STRANGER) in console.standin.join_requests


async def test_moving_away_from_accepted_revokes_the_unused_link(console: OfflineBot) -> None:
    staff = await with_group(console)
    await add_applicant(console, number=1)
    await accept(staff, "SRG-2026-000001")
    link = console.standin.history(50_001)[-1].url_for(JOIN_BUTTON)
    await staff.tap("📄 Open SRG-2026-000001")
    await staff.tap("→ Rejected")
    await staff.tap("Move without a note")
    assert console.standin.invite_links[link]["is_revoked"] is True
    assert await rows(console, CohortInvite) == []


async def test_without_invite_rights_the_move_stands_and_staff_are_told(
    console: OfflineBot,
) -> None:
    staff = await with_group(console)
    group_member(console, STAFF).make_bot_admin_quietly(can_invite_users=False)
    await add_applicant(console, number=1)
    await accept(staff, "SRG-2026-000001")
    [registration] = await rows(console, Registration)
    assert registration.status == "accepted"
    text = staff.last_reply.plain_text
    assert text.startswith("⚠️ 1 accepted applicant got no link to the cohort group:")
    assert "SRG-2026-000001: Las Angkatan 1, I am no longer allowed to invite users there" in text
    assert JOIN_BUTTON not in console.standin.history(50_001)[-1].buttons

    # Rights given back, choosing the group again sends the links that are missing.
    group_member(console, STAFF).make_bot_admin_quietly()
    await choose_group(console, staff)
    assert "The 1 applicant accepted already gets theirs now." in staff.replies[0].plain_text
    assert console.standin.history(50_001)[-1].url_for(JOIN_BUTTON)


async def test_a_bulk_move_to_accepted_sends_each_their_own_link(console: OfflineBot) -> None:
    staff = await with_group(console)
    for number in (1, 2):
        await add_applicant(console, number=number)
    await staff.send("/registrations")
    await staff.tap("🔀 Move all 2 to another stage")
    await staff.tap("Accepted")
    await staff.tap("✅ Yes, move them")
    links = {console.standin.history(u)[-1].url_for(JOIN_BUTTON) for u in (50_001, 50_002)}
    assert len(links) == 2 and None not in links


async def test_staff_adding_the_bot_to_a_group_keeps_it_there(console: OfflineBot) -> None:
    await group_member(console, STAFF).add_bot(as_admin=True)
    assert COHORT not in console.standin.left_chats
    [entry] = [e for e in await rows(console, AuditEntry) if e.action == "group.added"]
    assert entry.details["left"] is False and entry.details["kept"] == "staff"


async def test_the_link_is_in_mydata_and_goes_with_the_users_data(console: OfflineBot) -> None:
    staff = await with_group(console)
    await add_applicant(console, number=1)
    await accept(staff, "SRG-2026-000001")
    link = console.standin.history(50_001)[-1].url_for(JOIN_BUTTON)
    applicant = console.user(50_001)
    await applicant.send("/mydata")
    await applicant.tap("📄 Kirim sebagai file")
    _, content = applicant.last_reply.document
    [exported] = json.loads(content)["cohort_group_links"]
    assert exported["registration"] == "SRG-2026-000001" and exported["invite_link"] == link
    assert exported["group_chat_id"] == COHORT and exported["joined_at"] is None

    await applicant.send("/mydata")
    await applicant.tap("🗑 Hapus semuanya")
    await applicant.tap("🗑 Ya, hapus semuanya")
    assert await rows(console, CohortInvite) == []
    assert console.standin.invite_links[link]["is_revoked"] is True


async def test_a_cohort_group_the_bot_is_added_to_again_is_not_left(console: OfflineBot) -> None:
    await with_group(console)
    await group_member(console, STRANGER).add_bot(as_admin=True)
    assert COHORT not in console.standin.left_chats
    [entry] = [e for e in await rows(console, AuditEntry) if e.action == "group.added"]
    assert entry.details["kept"] == "cohort"


async def test_in_the_staff_group_staff_are_sent_to_a_private_chat_to_choose(
    console: OfflineBot, settings: Settings
) -> None:
    staff = GroupMember(
        console.application,
        console.standin,
        chat_id=settings.staff_chat_id,
        user_id=STAFF,
        forum=False,
        language_code="en",
    )
    await staff.say("/intake")
    await staff.tap("🟢 Welding")
    await staff.tap("👥 Cohort group")
    [screen] = staff.replies
    assert "Telegram's group chooser works only there." in screen.plain_text
    assert not any(call.error for call in console.standin.calls)


async def test_the_retention_clean_up_drops_links_of_anonymised_registrations(
    console: OfflineBot,
) -> None:
    staff = await with_group(console)
    for number in (1, 2):
        await add_applicant(console, number=number)
        await accept(staff, f"SRG-2026-{number:06d}")
    async with console.application.bot_data["services"].session_factory() as session:
        async with session.begin():
            await session.execute(
                update(Registration)
                .where(Registration.code == "SRG-2026-000001")
                .values(user_id=None)
            )
    await purge_expired_data(console.application)
    [kept] = await rows(console, CohortInvite)
    [registration] = [r for r in await rows(console, Registration) if r.id == kept.registration_id]
    assert registration.code == "SRG-2026-000002"
