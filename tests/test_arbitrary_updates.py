"""Property-based: any sequence of updates of every kind (text, commands, forged callback data,
contacts, media, edits, blocking, groups, channels, being added to a group), from one person
and the groups around them, never raises in a handler and never makes the bot send something
Telegram would refuse (the stand-in checks every call against Telegram's limits and fails the
handler, which the `bot` fixture turns into a failed test)."""

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram.ext import ConversationHandler

from bot.forms.conversation import FORMS
from bot.offline.group_driver import GroupMember
from bot.offline.offline_bot import OfflineBot
from bot.persistence import SqlPersistence

user_ids = itertools.count(30_000)
group_ids = itertools.count(-1_009_000_000_000, -1)
text = st.text(min_size=1, max_size=4096) | st.sampled_from(
    ["<b>", "&", "3673015203040001", "+6281234567890", "Siti", "ya", "1", "🙏" * 50]
)
commands = st.sampled_from(
    [
        "/start",
        "/start p-welding",
        "/start sekolahrakyat",
        "/start " + "x" * 64,
        "/programmes",
        "/status",
        "/mydata",
        "/cancel",
        "/language",
        "/help",
        "/broadcast",
        "/stats",
        "/review",
        "/close",
        "/nosuchcommand",
    ]
)
callback_data = st.text(max_size=64).filter(lambda s: len(s.encode()) <= 64) | st.sampled_from(
    ["reg:agree:welding", "reg:edit:nik", "menu", "elig:welding", "p:welding", "x" * 64]
)
action = st.one_of(
    st.tuples(st.just("text"), text),
    st.tuples(st.just("command"), commands),
    st.tuples(st.just("tap"), st.none()),
    st.tuples(st.just("forged"), callback_data),
    st.tuples(st.just("own contact"), st.none()),
    st.tuples(st.just("stranger's contact"), st.none()),
    st.tuples(st.just("sticker"), st.none()),
    st.tuples(st.just("photo"), st.none() | text.map(lambda t: t[:1024])),
    st.tuples(st.just("voice"), st.none()),
    st.tuples(st.just("document"), st.sampled_from(["ktp.pdf", "virus.exe", "x" * 200])),
    st.tuples(st.just("edit"), text),
    st.tuples(st.just("block"), st.none()),
    st.tuples(st.just("unblock"), st.none()),
    st.tuples(st.just("group text"), text),
    st.tuples(st.just("added to a group"), st.none()),
    st.tuples(st.just("channel post"), text),
)


async def perform(  # noqa: C901, PLR0912
    bot: OfflineBot, people: dict[str, GroupMember], kind: str, value: object
) -> None:
    user, group, channel = people["user"], people["group"], people["channel"]
    if kind == "text":
        await user.send(value)
    elif kind == "command":
        await user.send(value)
    elif kind == "tap":
        if user.buttons:  # the first button of what the user sees now
            await user.tap(user.buttons[0])
    elif kind == "forged":
        if bot.standin.history(user.chat_id):
            await user.tap_data(value)
    elif kind == "own contact":
        await user.share_contact("+6281234567890")
    elif kind == "stranger's contact":
        await user.share_contact("+6289876543210", contact_user_id=999, first_name="Orang")
    elif kind == "sticker":
        await user.send_sticker()
    elif kind == "photo":
        await user.send_photo(caption=value)
    elif kind == "voice":
        await user.send_voice()
    elif kind == "document":
        await user.send_document(str(value), b"%PDF-1.4")
    elif kind == "edit":
        own = bot.standin.incoming_ids(user.chat_id)
        if own:
            await user.edit(own[-1], value)
    elif kind == "block":
        await user.block_bot()
    elif kind == "unblock":
        await user.unblock_bot()
    elif kind == "group text":
        await group.say(value)
    elif kind == "added to a group":
        await group.add_bot()
    elif kind == "channel post":
        await channel.post_in_channel(str(value))


def steps_in_memory(bot: OfflineBot) -> dict[tuple[int, ...], object]:
    """Where the forms conversation holds each chat in memory (PTB's own record)."""
    [forms] = [
        handler
        for group in bot.application.handlers.values()
        for handler in group
        if isinstance(handler, ConversationHandler) and handler.name == FORMS
    ]
    return dict(forms._conversations)  # noqa: SLF001


async def steps_on_disk(bot: OfflineBot) -> dict[tuple[int, ...], object]:
    """What a bot started after a SIGKILL now would load."""
    sessions = bot.application.bot_data["services"].session_factory
    return dict(await SqlPersistence(sessions).get_conversations(FORMS))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actions=st.lists(action, min_size=1, max_size=8), language=st.sampled_from(["id", "en"]))
async def test_any_updates_never_fail_a_handler_or_break_telegram_limits(
    bot: OfflineBot, actions: list[tuple[str, object]], language: str
) -> None:
    user = bot.user(next(user_ids), language_code=language)
    around = {
        kind: GroupMember(
            bot.application,
            bot.standin,
            chat_id=next(group_ids),
            user_id=user.user_id,
            first_name="Warga",
            forum=False,
            chat_type=kind,
            title=f"A {kind}",
        )
        for kind in ("supergroup", "channel")
    }
    people = {"user": user, "group": around["supergroup"], "channel": around["channel"]}
    for kind, value in actions:
        await perform(bot, people, kind, value)  # type: ignore[arg-type]
        # Each step is committed by its handler: a SIGKILL now would lose nobody's place.
        assert await steps_on_disk(bot) == steps_in_memory(bot), (kind, value)
