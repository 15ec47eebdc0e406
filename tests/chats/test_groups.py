"""The bot in groups: in a stranger's supergroup, an allowed group or the staff group it only
ever points to the private chat (the staff features aside, in the staff group); no menu, form,
answer or personal data reaches a group, and it leaves groups nobody allowed."""

import logging
import re
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.navigation import MY_DATA, REGISTRATION_PICK, STATUS
from bot.offline.group_driver import GroupMember
from bot.offline.offline_bot import OfflineBot, offline_bot
from bot.offline.standin import SentMessage
from db.models import AuditEntry, User
from tests.registration.test_registration import NIK_SITI, open_welding

STRANGERS = -1005550001
ALLOWED = -1005550002
CHANNEL = -1005550003
STAFF_CHAT = -1001234567890
ADMIN, STAFF = 9001, 9002
POINTER = (
    "👋 Saya asisten BBPVP Serang. Agar data pribadimu aman, saya hanya melayani lewat chat "
    "pribadi: ketuk tombol di bawah untuk bicara dengan saya."
)
POINTER_EN = (
    "👋 I am the assistant of BBPVP Serang. To keep your personal data safe, I only help in a "
    "private chat: tap the button below to talk to me."
)
LINK = "https://t.me/vokasi_test_bot?start=grp"
POINTER_MARKUP = {"inline_keyboard": [[{"text": "💬 Chat pribadi dengan saya", "url": LINK}]]}
# Anything that would be a form question or personal data, were it ever said in a group.
FORM_OR_DATA = re.compile(r"NIK|HP|nama lengkap|\d{6,}|SRG-\d{4}", re.IGNORECASE)


@pytest.fixture
def group_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"admin_ids": (ADMIN,), "allowed_group_ids": (ALLOWED,)})


@pytest.fixture
async def bot(group_settings: Settings) -> AsyncIterator[OfflineBot]:
    async with offline_bot(group_settings) as running:
        yield running


def member(bot: OfflineBot, chat_id: int = STRANGERS, user_id: int = 801, **kwargs) -> GroupMember:  # noqa: ANN003
    kwargs.setdefault("title", "Alumni SMKN 1 Serang")
    return GroupMember(
        bot.application, bot.standin, chat_id=chat_id, user_id=user_id, forum=False, **kwargs
    )


def said_in(bot: OfflineBot, chat_id: int) -> list[SentMessage]:
    return bot.standin.history(chat_id)


def assert_only_pointers(bot: OfflineBot, chat_id: int) -> None:
    """Every message the bot put in the group (edits included) is the pointer, with its one
    button to the private chat: no menu, no form question, no personal data."""
    for sent in said_in(bot, chat_id):
        assert sent.plain_text == POINTER, sent.plain_text
        assert sent.reply_markup == POINTER_MARKUP
        assert not FORM_OR_DATA.search(sent.plain_text)
    for call in bot.standin.calls:
        if str(call.params.get("chat_id")) == str(chat_id):
            assert call.method in ("sendMessage", "leaveChat", "getChat"), call.method


async def test_start_help_a_mention_and_a_reply_each_get_the_pointer_and_nothing_else(
    bot: OfflineBot,
) -> None:
    siti = member(bot)
    for text in (
        "/start",
        "/start@vokasi_test_bot",
        "/help",
        "@vokasi_test_bot daftar las gimana?",
    ):
        replies = await siti.say(text)
        assert [reply.plain_text for reply in replies] == [POINTER], text
        assert replies[0].raw["reply_to_message"]["message_id"] == siti.last_sent_id
    pointer = said_in(bot, STRANGERS)[-1]
    assert [
        r.plain_text for r in await siti.say("kapan dibuka?", reply_to=pointer.message_id)
    ] == [POINTER]
    assert len(said_in(bot, STRANGERS)) == 5
    assert_only_pointers(bot, STRANGERS)
    # Nobody talking in a group becomes a user: their name is not stored.
    async with bot.application.bot_data["services"].session_factory() as session:
        assert (await session.get(User, 801)) is None


async def test_ordinary_chatter_and_other_bots_commands_get_no_answer(bot: OfflineBot) -> None:
    siti = member(bot)
    for text in (
        "halo semua, ada yang tahu jadwal pelatihan las?",
        "NIK saya 3673015203040001",
        "/start@another_bot",
        "/ban",
        "email me at vokasi_test_bot@example.com",
    ):
        assert await siti.say(text) == [], text
    await siti.send_photo(caption="brosur")
    await siti.send_sticker()
    assert said_in(bot, STRANGERS) == []


async def test_an_old_menus_buttons_open_the_private_chat_and_never_a_screen(
    bot: OfflineBot,
) -> None:
    siti = member(bot, language_code="en")
    await siti.say("/start")
    pointer = said_in(bot, STRANGERS)[-1]
    for data in (REGISTRATION_PICK, STATUS, MY_DATA, "reg:prog:las", "rv:l:0:0"):
        assert await siti.tap_data(data, message_id=pointer.message_id) == [], data
        answer = bot.standin.callback_answers[-1]
        # The toast is the tapping person's, in their language; the link opens the bot.
        assert (answer.text, answer.url) == (POINTER_EN, LINK), data
    assert len(said_in(bot, STRANGERS)) == 1
    assert_only_pointers(bot, STRANGERS)


async def test_a_staff_member_in_a_strangers_group_sees_no_registrations(bot: OfflineBot) -> None:
    admin = bot.user(ADMIN, language_code="en")
    await admin.send(f"/addstaff {STAFF}")
    await bot.user(801).send("/start")
    await open_welding(bot.user(801))
    staff = member(bot, user_id=STAFF, language_code="en")
    for text in ("/registrations", "/stats", "/audit", "/broadcast", "/mydata@vokasi_test_bot"):
        assert [reply.plain_text for reply in await staff.say(text)] == [POINTER], text
    assert_only_pointers(bot, STRANGERS)


async def test_added_to_a_strangers_group_it_says_what_it_is_leaves_and_tells_the_audit(
    bot: OfflineBot,
) -> None:
    adder = member(bot, user_id=802, first_name="Budi")
    await adder.add_bot()
    assert [sent.plain_text for sent in said_in(bot, STRANGERS)] == [POINTER]
    assert [call.method for call in bot.standin.calls_to("leaveChat")] == ["leaveChat"]
    assert STRANGERS in bot.standin.left_chats
    assert_only_pointers(bot, STRANGERS)

    # Added again, straight away as an admin: the same, once more.
    await adder.add_bot(as_admin=True)
    assert len(said_in(bot, STRANGERS)) == 2 and len(bot.standin.calls_to("leaveChat")) == 2

    admin = bot.user(ADMIN, language_code="en")
    await admin.send("/audit")
    text = admin.last_reply.plain_text
    assert text.count("added the bot to a group nobody allowed") == 2
    assert f"{STRANGERS} · Alumni SMKN 1 Serang" in text
    assert "the bot left; to let it stay, add the id to ALLOWED_GROUP_IDS" in text
    await admin.tap("👪 Groups")
    assert "Audit log · 👪 Groups: 2 entries" in admin.last_reply.plain_text


async def test_with_leaving_off_it_stays_and_being_made_admin_is_audited_without_a_word(
    group_settings: Settings,
) -> None:
    staying = group_settings.model_copy(update={"leave_unknown_groups": False})
    async with offline_bot(staying) as bot:
        adder = member(bot, user_id=802, first_name="Budi")
        await adder.add_bot()
        await adder.promote_bot()
        assert [sent.plain_text for sent in said_in(bot, STRANGERS)] == [POINTER]
        assert bot.standin.calls_to("leaveChat") == []
        # Staying changes nothing about what it says there.
        assert [r.plain_text for r in await adder.say("/start")] == [POINTER]
        assert_only_pointers(bot, STRANGERS)
        async with bot.application.bot_data["services"].session_factory() as session:
            entries = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()
        added, promoted = [entry for entry in entries if entry.action.startswith("group.")]
        assert (added.action, added.actor_id, added.subject) == (
            "group.added",
            802,
            str(STRANGERS),
        )
        assert promoted.action == "group.promoted" and promoted.details["left"] is False


async def test_join_requests_are_left_alone_and_logged(
    bot: OfflineBot, caplog: pytest.LogCaptureFixture
) -> None:
    asking = member(bot, user_id=803)
    # Telegram sends join requests only to an admin allowed to invite users.
    asking.make_bot_admin_quietly()
    with caplog.at_level(logging.INFO, logger="handlers.chats.groups"):
        assert await asking.ask_to_join() == []
    assert bot.standin.calls_to("approveChatJoinRequest") == []
    assert bot.standin.calls_to("declineChatJoinRequest") == []
    assert f"Join request to chat {STRANGERS} left alone" in caplog.text
    assert said_in(bot, STRANGERS) == []


async def test_channel_posts_are_ignored_and_a_channel_is_left_without_a_post(
    bot: OfflineBot,
) -> None:
    owner = member(bot, chat_id=CHANNEL, user_id=804, chat_type="channel", title="Info Loker")
    assert await owner.post_in_channel("/start daftar di sini @vokasi_test_bot") == []
    await owner.add_bot(as_admin=True)
    assert said_in(bot, CHANNEL) == []
    assert CHANNEL in bot.standin.left_chats


async def test_in_an_allowed_group_the_pointer_only_and_the_bot_stays(bot: OfflineBot) -> None:
    cohort = member(bot, chat_id=ALLOWED, title="Angkatan Las 2026")
    await cohort.add_bot()
    assert said_in(bot, ALLOWED) == [] and bot.standin.calls_to("leaveChat") == []
    for text in ("/start", "@vokasi_test_bot jadwal besok?"):
        assert [r.plain_text for r in await cohort.say(text)] == [POINTER]
    assert await cohort.say("besok kumpul jam 7 ya") == []
    pointer = said_in(bot, ALLOWED)[-1]
    assert await cohort.tap_data(STATUS, message_id=pointer.message_id) == []
    assert bot.standin.callback_answers[-1].url == LINK
    assert_only_pointers(bot, ALLOWED)


async def test_in_the_staff_group_staff_features_work_and_the_rest_points_away(
    bot: OfflineBot,
) -> None:
    await bot.user(ADMIN, language_code="en").send(f"/addstaff {STAFF}")
    desk = member(bot, chat_id=STAFF_CHAT, user_id=STAFF, title="Staff", language_code="en")
    stats = await desk.say("/stats")
    assert stats[-1].plain_text.startswith("📊 Statistics")
    await desk.tap("📊 Funnel: everyone")
    assert "Funnel: everyone" in desk.last_reply.plain_text
    for text in ("/start", "/status", "/mydata"):
        assert [r.plain_text for r in await desk.say(text)] == [POINTER], text
    pointer = next(sent for sent in said_in(bot, STAFF_CHAT) if sent.plain_text == POINTER)
    assert await desk.tap_data(REGISTRATION_PICK, message_id=pointer.message_id) == []
    assert bot.standin.callback_answers[-1].url == LINK
    asked = [sent.plain_text for sent in said_in(bot, STAFF_CHAT)]
    assert not any("NIK" in text or "Siapa nama" in text for text in asked)


async def test_a_form_left_open_privately_is_untouched_by_the_group_and_goes_on(
    bot: OfflineBot,
) -> None:
    siti = bot.user(801)
    await open_welding(siti)
    await siti.tap("✅ Saya setuju")
    await siti.send("Siti Aminah")
    assert "Berapa NIK-mu?" in siti.last_reply.plain_text
    in_group = member(bot, user_id=801)
    assert [r.plain_text for r in await in_group.say(f"/start {NIK_SITI}")] == [POINTER]
    assert await in_group.say(NIK_SITI) == []
    assert_only_pointers(bot, STRANGERS)
    await siti.send(NIK_SITI)
    assert "Dari NIK 3673********0001 saya baca" in siti.last_reply.plain_text


async def test_someone_who_follows_the_pointer_is_counted_as_coming_from_a_group(
    bot: OfflineBot,
) -> None:
    [pointer] = await member(bot).say("/start")
    link = pointer.url_for("💬 Chat pribadi dengan saya")
    assert link is not None
    payload = link.partition("?start=")[2]
    assert payload == "grp"
    await bot.user(801).send(f"/start {payload}")
    async with bot.application.bot_data["services"].session_factory() as session:
        user = await session.get(User, 801)
    assert user is not None and user.campaign_source == "grp"
