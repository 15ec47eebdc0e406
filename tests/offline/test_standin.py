"""Tests for the Bot API stand-in and the chat driver, using a real PTB Application."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import (
    ChatMemberAdministrator,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputFile,
    InputMediaAudio,
    InputMediaDocument,
    InputMediaPhoto,
    InputMediaVideo,
    InputTextMessageContent,
    KeyboardButton,
    KeyboardButtonRequestChat,
    MessageEntity,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatJoinRequestHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.offline.chat_driver import ChatUser
from bot.offline.group_driver import GroupMember
from bot.offline.standin import TelegramStandIn

App = Application[Any, Any, Any, Any, Any, Any]
STAFF_GROUP_ID = -1001234567890


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.effective_user is not None
    payload = " ".join(context.args or []) or "-"
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Programmes", callback_data="prog:list")],
            [InlineKeyboardButton("Website", url="https://kemnaker.go.id")],
        ]
    )
    await update.message.reply_text(
        f"<b>Halo</b> {update.effective_user.first_name} &amp; welcome (payload: {payload})",
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard,
    )


async def on_callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer(f"Opening {query.data}")
    back = InlineKeyboardMarkup([[InlineKeyboardButton("Back", callback_data="home")]])
    await query.edit_message_text(f"You chose {query.data}", reply_markup=back)


async def ask_phone(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    keyboard = ReplyKeyboardMarkup(
        [[KeyboardButton("Share my number", request_contact=True)], ["Cancel"]],
        one_time_keyboard=True,
    )
    await update.message.reply_text("Please share your phone number", reply_markup=keyboard)


async def on_contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.message
    assert message is not None and message.contact is not None
    if message.contact.user_id != message.from_user.id:  # type: ignore[union-attr]
        await message.reply_text("Please share your own number.")
        return
    await message.reply_text(
        f"Thanks, {message.contact.phone_number} saved.", reply_markup=ReplyKeyboardRemove()
    )


async def on_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    await update.message.reply_text("Cancelled.", reply_markup=ReplyKeyboardRemove())


async def send_schedule(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    await update.message.reply_document(
        InputFile(b"%PDF-1.4 jadwal", filename="jadwal.pdf"), caption="Jadwal pelatihan"
    )


async def forward_to_staff(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.message
    assert message is not None
    await message.copy(STAFF_GROUP_ID)
    await message.reply_text("Your question was passed to our staff.")


@pytest.fixture
async def standin() -> TelegramStandIn:
    return TelegramStandIn()


@pytest.fixture
async def app(standin: TelegramStandIn) -> AsyncIterator[App]:
    application = (
        Application.builder()
        .token("123456:TEST")
        .request(standin)
        .get_updates_request(standin)
        .build()
    )
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("phone", ask_phone))
    application.add_handler(CommandHandler("jadwal", send_schedule))
    application.add_handler(CallbackQueryHandler(on_callback))
    application.add_handler(MessageHandler(filters.CONTACT, on_contact))
    application.add_handler(MessageHandler(filters.Text(["Cancel"]), on_cancel))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, forward_to_staff))
    await application.initialize()
    yield application
    await application.shutdown()


@pytest.fixture
def siti(app: App, standin: TelegramStandIn) -> ChatUser:
    return ChatUser(app, standin, user_id=1001, first_name="Siti", language_code="id")


async def test_initialize_uses_stand_in_as_bot_identity(
    app: App, standin: TelegramStandIn
) -> None:
    assert app.bot.username == "vokasi_test_bot"
    assert app.bot.id == 7000000001
    assert [call.method for call in standin.calls] == ["getMe"]


async def test_start_replies_with_formatted_text_and_keyboard(siti: ChatUser) -> None:
    replies = await siti.send("/start payload")

    assert len(replies) == 1
    reply = replies[0]
    assert reply.plain_text == "Halo Siti & welcome (payload: payload)"
    assert reply.entities == [{"type": "bold", "offset": 0, "length": 4}]
    assert reply.buttons == ["Programmes", "Website"]
    assert reply.button_rows == [["Programmes"], ["Website"]]
    assert reply.callback_data_for("Programmes") == "prog:list"
    assert reply.url_for("Website") == "https://kemnaker.go.id"
    assert siti.buttons == ["Programmes", "Website"]


async def test_tap_edits_message_and_last_reply_follows(siti: ChatUser) -> None:
    await siti.send("/start")
    original = siti.last_reply

    replies = await siti.tap("Programmes")

    assert replies == [original]
    assert siti.last_reply is original
    assert siti.last_reply.plain_text == "You chose prog:list"
    assert siti.last_reply.edit_count == 1
    assert siti.buttons == ["Back"]
    assert siti.answered_callbacks == ["Opening prog:list"]


async def test_callback_carries_current_message_for_shortcuts(
    siti: ChatUser, standin: TelegramStandIn
) -> None:
    await siti.send("/start")
    await siti.tap("Programmes")

    await siti.tap("Back")

    edit = standin.calls_to("editMessageText")[-1]
    assert edit.params["message_id"] == siti.last_reply.message_id
    assert edit.params["chat_id"] == 1001
    assert siti.last_reply.plain_text == "You chose home"
    assert siti.last_reply.edit_count == 2


async def test_editing_to_identical_content_is_not_modified(siti: ChatUser) -> None:
    await siti.send("/start")
    await siti.tap("Programmes")

    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await siti.tap_data("prog:list")

    assert siti.last_reply.edit_count == 1


async def test_tap_missing_label_lists_available_buttons(siti: ChatUser) -> None:
    await siti.send("/start")

    with pytest.raises(AssertionError, match="(?i)no button 'Programs'") as excinfo:
        await siti.tap("Programs")

    assert "['Programmes', 'Website']" in str(excinfo.value)


async def test_tap_url_button_is_refused(siti: ChatUser) -> None:
    await siti.send("/start")

    with pytest.raises(AssertionError, match="(?i)sends no callback"):
        await siti.tap("Website")


async def test_reply_keyboard_tap_sends_label_as_text(siti: ChatUser) -> None:
    await siti.send("/phone")
    assert siti.buttons == ["Share my number", "Cancel"]

    replies = await siti.tap("Cancel")

    assert [reply.plain_text for reply in replies] == ["Cancelled."]
    with pytest.raises(AssertionError, match="(?i)the chat shows no buttons"):
        await siti.tap("Cancel")


async def test_share_own_contact_is_accepted(siti: ChatUser) -> None:
    await siti.send("/phone")

    replies = await siti.share_contact(phone_number="+6281234567890")

    assert [reply.plain_text for reply in replies] == ["Thanks, +6281234567890 saved."]


async def test_share_strangers_contact_is_rejected(siti: ChatUser) -> None:
    await siti.send("/phone")

    replies = await siti.share_contact(phone_number="+6289999999999", contact_user_id=4242)

    assert [reply.plain_text for reply in replies] == ["Please share your own number."]


async def test_send_document_records_filename_and_bytes(siti: ChatUser) -> None:
    replies = await siti.send("/jadwal")

    assert len(replies) == 1
    assert replies[0].document == ("jadwal.pdf", b"%PDF-1.4 jadwal")
    assert replies[0].plain_text == "Jadwal pelatihan"
    assert replies[0].raw["document"]["file_name"] == "jadwal.pdf"


async def test_user_message_copied_to_staff_group(
    siti: ChatUser, standin: TelegramStandIn
) -> None:
    replies = await siti.send("Kapan pendaftaran dibuka?")

    assert [reply.plain_text for reply in replies] == ["Your question was passed to our staff."]
    [copied] = standin.history(STAFF_GROUP_ID)
    assert copied.plain_text == "Kapan pendaftaran dibuka?"
    assert copied.source is not None and copied.source[0] == 1001
    assert copied.raw["chat"]["type"] == "supergroup"


async def test_user_and_bot_message_ids_share_one_increasing_counter(
    siti: ChatUser, standin: TelegramStandIn
) -> None:
    await siti.send("/start")
    first_reply = siti.last_reply.message_id
    await siti.send("/phone")

    # The user's "/phone" took the id in between.
    assert siti.last_reply.message_id == first_reply + 2
    assert standin.next_message_id(1001) == first_reply + 3
    assert standin.next_message_id(2002) < first_reply


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<b>unclosed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>bold</i>", 'expected "</b>", found "</i>"'),
        ("line<br>break", 'Unsupported start tag "br" at byte offset 4'),
        ("2 < 3", 'Unsupported start tag "" at byte offset 2'),
        ("</b>", "Unexpected end tag at byte offset 0"),
        ("<span>secret</span>", 'Tag "span" must have class "tg-spoiler"'),
    ],
)
async def test_invalid_html_is_refused(app: App, html: str, error: str) -> None:
    with pytest.raises(BadRequest, match="(?i)can't parse entities") as excinfo:
        await app.bot.send_message(1001, html, parse_mode=ParseMode.HTML)
    # PTB strips "Bad Request: " and str.capitalize()s the rest, lower-casing the detail.
    assert error.lower() in str(excinfo.value).lower()


async def test_valid_html_is_unescaped_and_kept(app: App, standin: TelegramStandIn) -> None:
    message = await app.bot.send_message(
        1001,
        '<i>a</i> &lt;tag&gt; &amp; <a href="https://x.id">link</a> '
        "<tg-spoiler>s</tg-spoiler> &nbsp;",
        parse_mode=ParseMode.HTML,
    )

    assert message.text == "a <tag> & link s &nbsp;"
    assert message.text_html.startswith('<i>a</i> &lt;tag&gt; &amp; <a href="https://x.id">')
    assert standin.history(1001)[-1].plain_text == "a <tag> & link s &nbsp;"


async def test_text_length_is_counted_after_entity_parsing(app: App) -> None:
    exactly = await app.bot.send_message(1001, "<b>" + "é" * 4096 + "</b>", parse_mode="HTML")
    assert len(exactly.text) == 4096
    await app.bot.send_message(1001, "&amp;" * 4096, parse_mode="HTML")

    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await app.bot.send_message(1001, "&amp;" * 4097, parse_mode="HTML")
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await app.bot.send_message(1001, "x" * 4097)


async def test_empty_text_is_refused(app: App) -> None:
    with pytest.raises(BadRequest, match="(?i)message text is empty"):
        await app.bot.send_message(1001, " \n ")
    with pytest.raises(BadRequest, match="(?i)message text is empty"):
        await app.bot.send_message(1001, "<b></b>", parse_mode="HTML")


@pytest.mark.parametrize(
    ("data", "accepted"),
    [("x" * 64, True), ("x" * 65, False), ("é" * 32, True), ("é" * 33, False), ("", False)],
)
async def test_callback_data_limit_is_64_bytes(
    app: App, standin: TelegramStandIn, data: str, accepted: bool
) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data=data)]])
    if accepted:
        await app.bot.send_message(1001, "pick", reply_markup=markup)
        assert standin.history(1001)[-1].callback_data_for("Go") == data
    else:
        with pytest.raises(BadRequest, match="(?i)BUTTON_DATA_INVALID"):
            await app.bot.send_message(1001, "pick", reply_markup=markup)
        assert standin.history(1001) == []


async def test_inline_button_without_action_is_refused(app: App) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Nothing")]])
    with pytest.raises(BadRequest, match="(?i)Text buttons are unallowed"):
        await app.bot.send_message(1001, "pick", reply_markup=markup)


async def test_edit_and_delete_of_unknown_messages(app: App, standin: TelegramStandIn) -> None:
    with pytest.raises(BadRequest, match="(?i)message to edit not found"):
        await app.bot.edit_message_text("new", chat_id=1001, message_id=424242)
    with pytest.raises(BadRequest, match="(?i)message to delete not found"):
        await app.bot.delete_message(1001, 424242)

    sent = await app.bot.send_message(1001, "bye")
    assert await app.bot.delete_message(1001, sent.message_id) is True
    assert standin.history(1001)[-1].deleted
    with pytest.raises(BadRequest, match="(?i)message to delete not found"):
        await app.bot.delete_message(1001, sent.message_id)
    with pytest.raises(BadRequest, match="(?i)message to edit not found"):
        await app.bot.edit_message_text("again", chat_id=1001, message_id=sent.message_id)


async def test_edit_without_markup_drops_keyboard(app: App, standin: TelegramStandIn) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]])
    sent = await app.bot.send_message(1001, "pick", reply_markup=markup)

    await app.bot.edit_message_text("picked", chat_id=1001, message_id=sent.message_id)

    assert standin.message(1001, sent.message_id).buttons == []
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await app.bot.edit_message_reply_markup(1001, sent.message_id)


async def test_unsupported_method_is_visible(app: App) -> None:
    with pytest.raises(BadRequest, match="(?i)sendPoll is not supported by the stand-in"):
        await app.bot.send_poll(1001, "Q?", ["a", "b"])


@pytest.mark.parametrize(
    ("error", "exception", "message"),
    [
        # PTB words it "3 seconds", or "0:00:03" once PTB_TIMEDELTA is opted in to.
        ("retry_after", RetryAfter, "Retry in (3 seconds|0:00:03)"),
        ("blocked", Forbidden, "bot was blocked by the user"),
        ("bad_request", BadRequest, "Chat not found"),
        ("timeout", TimedOut, "Timed out"),
        ("server_error", NetworkError, "Internal Server Error"),
        ("connection_reset", NetworkError, "Connection reset by peer"),
    ],
)
async def test_injected_faults_raise_ptb_errors_once(
    app: App,
    standin: TelegramStandIn,
    error: str,
    exception: type[Exception],
    message: str,
) -> None:
    standin.inject("sendMessage", chat_id=2002, error=error, retry_after=3)

    await app.bot.send_message(2003, "other chat is unaffected")
    with pytest.raises(exception, match=message):
        await app.bot.send_message(2002, "broadcast")
    await app.bot.send_message(2002, "retry succeeds")

    assert [m.plain_text for m in standin.history(2002)] == ["retry succeeds"]
    assert standin.calls_to("sendMessage")[1].error is not None


async def test_injection_times_and_any_chat(app: App, standin: TelegramStandIn) -> None:
    standin.inject("sendMessage", error="blocked", times=2)

    for chat_id in (1, 2):
        with pytest.raises(Forbidden):
            await app.bot.send_message(chat_id, "hi")
    await app.bot.send_message(3, "hi")

    assert standin.history(3)[0].plain_text == "hi"


async def test_forum_topics(app: App, standin: TelegramStandIn) -> None:
    with pytest.raises(BadRequest, match="(?i)not a forum"):
        await app.bot.create_forum_topic(STAFF_GROUP_ID, "Siti")
    standin.register_chat(STAFF_GROUP_ID, type="supergroup", title="Staff", is_forum=True)

    topic = await app.bot.create_forum_topic(STAFF_GROUP_ID, "Siti (1001)")
    await app.bot.send_message(
        STAFF_GROUP_ID, "new lead", message_thread_id=topic.message_thread_id
    )
    await app.bot.close_forum_topic(STAFF_GROUP_ID, topic.message_thread_id)

    with pytest.raises(BadRequest, match="(?i)TOPIC_CLOSED"):
        await app.bot.send_message(
            STAFF_GROUP_ID, "late", message_thread_id=topic.message_thread_id
        )
    [sent] = standin.history(STAFF_GROUP_ID)
    assert sent.message_thread_id == topic.message_thread_id
    assert standin.forum_topics(STAFF_GROUP_ID)[0].closed


async def test_deleting_a_forum_topic_deletes_its_messages(
    app: App, standin: TelegramStandIn
) -> None:
    standin.register_chat(STAFF_GROUP_ID, type="supergroup", title="Staff", is_forum=True)
    kept = await app.bot.create_forum_topic(STAFF_GROUP_ID, "Budi (1002)")
    gone = await app.bot.create_forum_topic(STAFF_GROUP_ID, "Siti (1001)")
    await app.bot.send_message(
        STAFF_GROUP_ID, "Siti's KTP", message_thread_id=gone.message_thread_id
    )
    await app.bot.send_message(STAFF_GROUP_ID, "Budi", message_thread_id=kept.message_thread_id)

    await app.bot.delete_forum_topic(STAFF_GROUP_ID, gone.message_thread_id)

    live = [m.plain_text for m in standin.history(STAFF_GROUP_ID) if not m.deleted]
    assert live == ["Budi"]
    assert [t.name for t in standin.forum_topics(STAFF_GROUP_ID)] == ["Budi (1002)"]
    with pytest.raises(BadRequest, match="(?i)thread not found"):
        await app.bot.delete_forum_topic(STAFF_GROUP_ID, gone.message_thread_id)


async def test_commands_round_trip(app: App) -> None:
    await app.bot.set_my_commands([("start", "Mulai"), ("help", "Bantuan")], language_code="id")

    commands = await app.bot.get_my_commands(language_code="id")

    assert [(c.command, c.description) for c in commands] == [
        ("start", "Mulai"),
        ("help", "Bantuan"),
    ]
    assert await app.bot.get_my_commands() == ()


async def test_tap_reaches_older_inline_keyboard_under_reply_keyboard(siti: ChatUser) -> None:
    await siti.send("/start")
    await siti.send("/phone")
    assert siti.buttons == ["Share my number", "Cancel"]

    replies = await siti.tap("Programmes")

    assert [reply.plain_text for reply in replies] == ["You chose prog:list"]
    assert siti.answered_callbacks == ["Opening prog:list"]


async def test_copies_are_edited_as_telegram_edits_them(
    app: App, standin: TelegramStandIn, siti: ChatUser
) -> None:
    await siti.send_photo(caption="ijazah")
    photo = siti.last_sent_id
    assert photo is not None
    copied = await app.bot.copy_message(STAFF_GROUP_ID, 1001, photo)
    await app.bot.edit_message_caption(STAFF_GROUP_ID, copied.message_id, caption="ijazah SMK")
    copy = standin.message(STAFF_GROUP_ID, copied.message_id)
    assert copy.photo and copy.plain_text == "ijazah SMK" and copy.edit_count == 1
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await app.bot.edit_message_caption(STAFF_GROUP_ID, copied.message_id, caption="ijazah SMK")
    with pytest.raises(BadRequest, match="(?i)there is no text in the message to edit"):
        await app.bot.edit_message_text("x", chat_id=STAFF_GROUP_ID, message_id=copied.message_id)
    with pytest.raises(BadRequest, match="(?i)message can't be edited"):
        await app.bot.edit_message_caption(1001, photo, caption="not the bot's message")
    # The user's own edit reaches the bot as an edited message; a later copy shows it.
    await siti.edit(photo, "ijazah SMK 2024")
    again = await app.bot.copy_message(STAFF_GROUP_ID, 1001, photo)
    assert standin.message(STAFF_GROUP_ID, again.message_id).plain_text == "ijazah SMK 2024"


async def test_a_group_the_bot_left_refuses_its_messages(
    app: App, standin: TelegramStandIn
) -> None:
    await app.bot.send_message(-100777, "halo grup")
    assert await app.bot.leave_chat(-100777) is True
    assert -100777 in standin.left_chats
    with pytest.raises(Forbidden, match="not a member of the supergroup chat"):
        await app.bot.send_message(-100777, "masih di sini?")
    with pytest.raises(Forbidden):
        await app.bot.leave_chat(-100777)
    with pytest.raises(BadRequest, match="private chats"):
        await app.bot.leave_chat(1001)


async def test_a_user_who_blocked_the_bot_gets_nothing_until_they_unblock_it(
    app: App, standin: TelegramStandIn, siti: ChatUser
) -> None:
    await siti.send("pesan pertama")
    source = siti.last_sent_id
    assert source is not None
    await siti.block_bot()
    with pytest.raises(Forbidden, match="blocked by the user"):
        await app.bot.send_message(1001, "halo")
    with pytest.raises(Forbidden, match="blocked by the user"):
        await app.bot.copy_message(1001, 1001, source)
    await siti.unblock_bot()
    assert (await app.bot.send_message(1001, "halo lagi")).text == "halo lagi"


async def test_mentions_are_entities_as_telegram_finds_them(app: App, siti: ChatUser) -> None:
    seen: list[Update] = []

    async def keep(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.append(update)

    app.add_handler(MessageHandler(filters.Entity("mention"), keep), group=-1)
    await siti.send("tanya @vokasi_test_bot, bukan a@example.com")
    [update] = seen
    assert update.message is not None
    assert list(update.message.parse_entities(["mention"]).values()) == ["@vokasi_test_bot"]


async def test_profile_texts_round_trip_per_language_with_telegrams_limits(app: App) -> None:
    await app.bot.set_my_name("Asisten", language_code="")
    await app.bot.set_my_name("Assistant", language_code="en")
    assert (await app.bot.get_my_name(language_code="en")).name == "Assistant"
    # A language without its own name gets the one for everyone.
    assert (await app.bot.get_my_name(language_code="ms")).name == "Asisten"
    await app.bot.set_my_short_description("x" * 120)
    with pytest.raises(BadRequest, match="too long"):
        await app.bot.set_my_short_description("x" * 121)
    with pytest.raises(BadRequest, match="too long"):
        await app.bot.set_my_description("x" * 513)
    with pytest.raises(BadRequest, match="too long"):
        await app.bot.set_my_name("x" * 65)
    assert (await app.bot.get_my_description()).description == ""


def article(result_id: str, text: str = "Teknik Las") -> InlineQueryResultArticle:
    return InlineQueryResultArticle(
        result_id, title="Teknik Las", input_message_content=InputTextMessageContent(text)
    )


@pytest.mark.parametrize(
    ("results", "error"),
    [
        ([article("a"), article("a")], "RESULT_ID_DUPLICATE"),
        ([article(str(n)) for n in range(51)], "RESULTS_TOO_MUCH"),
        ([article("x" * 65)], "RESULT_ID_INVALID"),
        ([article("a", "x" * 4097)], "message is too long"),
    ],
)
async def test_inline_answers_are_checked_as_telegram_checks_them(
    app: App, standin: TelegramStandIn, results: list[InlineQueryResultArticle], error: str
) -> None:
    standin.register_inline_query("q1", 1001)
    with pytest.raises(BadRequest, match=f"(?i){error}"):
        await app.bot.answer_inline_query("q1", results)


async def test_an_inline_query_is_answered_once(
    app: App, standin: TelegramStandIn, siti: ChatUser
) -> None:
    async def offer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.inline_query is not None
        await update.inline_query.answer([article(update.inline_query.query)], cache_time=5)
        with pytest.raises(BadRequest, match="(?i)query is too old"):
            await update.inline_query.answer([])

    app.add_handler(InlineQueryHandler(offer))
    answer = await siti.ask_inline("las")
    assert answer.titles == ["Teknik Las"] and answer.results[0]["id"] == "las"
    assert (answer.user_id, answer.cache_time, answer.is_personal) == (1001, 5, False)
    with pytest.raises(AssertionError, match="did not answer the inline query"):
        app.remove_handler(app.handlers[0][-1])
        await siti.ask_inline("las")


async def test_a_users_photo_has_sizes_and_can_be_sent_again_by_file_id(
    app: App, standin: TelegramStandIn, siti: ChatUser
) -> None:
    await siti.send_photo(size=1_500_000)
    sizes = standin.incoming(1001, siti.last_sent_id or 0)["photo"]
    assert [size["file_size"] for size in sizes][-1] == 1_500_000
    assert sizes[0]["file_size"] < sizes[-1]["file_size"]
    sent = await app.bot.send_photo(STAFF_GROUP_ID, sizes[-1]["file_id"], caption="KTP")
    assert sent.photo[-1].file_id == sizes[-1]["file_id"] and sent.caption == "KTP"
    with pytest.raises(BadRequest, match="(?i)type of file mismatch"):
        await app.bot.send_document(STAFF_GROUP_ID, sizes[-1]["file_id"])


async def test_a_users_document_carries_its_type_and_size_and_is_sent_again(
    app: App, standin: TelegramStandIn, siti: ChatUser
) -> None:
    await siti.send_document("ktp.png", b"\x89PNG-scan", mime_type="image/png")
    document = standin.incoming(1001, siti.last_sent_id or 0)["document"]
    assert (document["mime_type"], document["file_size"]) == ("image/png", 9)
    sent = await app.bot.send_document(STAFF_GROUP_ID, document["file_id"])
    assert sent.document is not None and sent.document.file_id == document["file_id"]
    with pytest.raises(BadRequest, match="(?i)type of file mismatch"):
        await app.bot.send_photo(STAFF_GROUP_ID, document["file_id"])
    with pytest.raises(BadRequest, match="(?i)wrong file identifier/HTTP URL specified"):
        await app.bot.send_document(STAFF_GROUP_ID, "no-such-file-id")


COHORT_GROUP = -1005570001


async def test_invite_links_need_an_admin_with_invite_rights_and_valid_params(
    app: App, standin: TelegramStandIn
) -> None:
    standin.register_chat(COHORT_GROUP, type="supergroup", title="Las 1")
    with pytest.raises(Forbidden, match="bot is not a member of the supergroup chat"):
        await app.bot.create_chat_invite_link(COHORT_GROUP, creates_join_request=True)
    standin.set_bot_status(COHORT_GROUP, "member")
    with pytest.raises(BadRequest, match="(?i)not enough rights to manage chat invite links"):
        await app.bot.create_chat_invite_link(COHORT_GROUP)
    standin.set_bot_status(COHORT_GROUP, "administrator", can_invite_users=False)
    with pytest.raises(BadRequest, match="(?i)not enough rights"):
        await app.bot.create_chat_invite_link(COHORT_GROUP)
    standin.set_bot_status(COHORT_GROUP, "administrator")
    with pytest.raises(BadRequest, match="(?i)invite link name is too long"):
        await app.bot.create_chat_invite_link(COHORT_GROUP, name="x" * 33)
    with pytest.raises(BadRequest, match="(?i)member_limit can.t be specified"):
        await app.bot.create_chat_invite_link(
            COHORT_GROUP, member_limit=1, creates_join_request=True
        )
    first = await app.bot.create_chat_invite_link(
        COHORT_GROUP, name="x" * 32, creates_join_request=True
    )
    second = await app.bot.create_chat_invite_link(COHORT_GROUP, member_limit=5)
    assert first.invite_link.startswith("https://t.me/+")
    assert first.invite_link != second.invite_link
    assert (first.name, first.creates_join_request, first.is_revoked) == ("x" * 32, True, False)
    assert first.creator.id == app.bot.id and second.member_limit == 5
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await app.bot.create_chat_invite_link(1001)

    revoked = await app.bot.revoke_chat_invite_link(COHORT_GROUP, first.invite_link)
    assert revoked.is_revoked and revoked.invite_link == first.invite_link
    with pytest.raises(BadRequest, match="(?i)INVITE_HASH_INVALID"):
        await app.bot.revoke_chat_invite_link(COHORT_GROUP, "https://t.me/+nothing")


def join_requests_seen_by(app: App) -> list[Update]:
    """The join requests the bot's application receives from now on."""
    seen: list[Update] = []

    async def remember(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.append(update)

    app.add_handler(ChatJoinRequestHandler(remember), group=1)
    return seen


async def test_join_requests_carry_their_link_and_are_decided_once(
    app: App, standin: TelegramStandIn
) -> None:
    seen = join_requests_seen_by(app)
    asking = GroupMember(app, standin, chat_id=COHORT_GROUP, user_id=2001, forum=False)
    asking.make_bot_admin_quietly()
    link = await app.bot.create_chat_invite_link(COHORT_GROUP, creates_join_request=True)
    plain = await app.bot.create_chat_invite_link(COHORT_GROUP)

    with pytest.raises(AssertionError, match="cannot create a join request"):
        await asking.ask_to_join(plain.invite_link)
    await asking.ask_to_join(link.invite_link)
    [update] = seen
    request = update.chat_join_request
    assert request is not None and request.invite_link is not None
    assert request.invite_link.invite_link == link.invite_link
    assert (request.from_user.id, request.user_chat_id) == (2001, 2001)
    assert not asking.is_member
    assert (await app.bot.get_chat_member(COHORT_GROUP, 2001)).status == "left"

    assert await request.approve() is True
    assert asking.is_member
    assert (await app.bot.get_chat_member(COHORT_GROUP, 2001)).status == "member"
    for decide in (request.approve, request.decline):
        with pytest.raises(BadRequest, match="(?i)HIDE_REQUESTER_MISSING"):
            await decide()
    with pytest.raises(BadRequest, match="(?i)HIDE_REQUESTER_MISSING"):
        await app.bot.decline_chat_join_request(COHORT_GROUP, 2002)

    other = GroupMember(app, standin, chat_id=COHORT_GROUP, user_id=2003, forum=False)
    await other.ask_to_join()
    assert seen[-1].chat_join_request.invite_link is None  # type: ignore[union-attr]
    assert await app.bot.decline_chat_join_request(COHORT_GROUP, 2003) is True
    assert not other.is_member
    assert standin.decided_requests == [
        (COHORT_GROUP, 2001, "approved"),
        (COHORT_GROUP, 2003, "declined"),
    ]
    await app.bot.revoke_chat_invite_link(COHORT_GROUP, link.invite_link)
    with pytest.raises(AssertionError, match="cannot create a join request"):
        await other.ask_to_join(link.invite_link)


async def test_the_bots_own_membership_follows_adds_promotions_and_leaving(
    app: App, standin: TelegramStandIn
) -> None:
    staff = GroupMember(app, standin, chat_id=COHORT_GROUP, user_id=2001, forum=False)
    assert (await app.bot.get_chat_member(COHORT_GROUP, app.bot.id)).status == "left"
    await staff.add_bot()
    assert (await app.bot.get_chat_member(COHORT_GROUP, app.bot.id)).status == "member"
    await staff.promote_bot()
    admin = await app.bot.get_chat_member(COHORT_GROUP, app.bot.id)
    assert isinstance(admin, ChatMemberAdministrator) and admin.can_invite_users
    await app.bot.leave_chat(COHORT_GROUP)
    assert (await app.bot.get_chat_member(COHORT_GROUP, app.bot.id)).status == "left"


async def test_a_chat_is_shared_only_through_a_request_chat_button_that_allows_it(
    app: App, standin: TelegramStandIn, siti: ChatUser
) -> None:
    shared: list[Update] = []

    async def remember(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        shared.append(update)

    app.add_handler(MessageHandler(filters.StatusUpdate.CHAT_SHARED, remember), group=1)
    standin.register_chat(COHORT_GROUP, type="supergroup", title="Las 1")
    standin.register_chat(-1005570002, type="channel", title="Berita")
    with pytest.raises(AssertionError, match="no request_chat button"):
        await siti.share_chat(7, COHORT_GROUP)
    button = KeyboardButton(
        "Choose",
        request_chat=KeyboardButtonRequestChat(
            request_id=7, chat_is_channel=False, bot_is_member=True, request_title=True
        ),
    )
    await app.bot.send_message(1001, "Pick a group", reply_markup=ReplyKeyboardMarkup([[button]]))
    with pytest.raises(AssertionError, match="the bot is not a member"):
        await siti.share_chat(7, COHORT_GROUP)
    standin.set_bot_status(COHORT_GROUP, "member")
    with pytest.raises(AssertionError, match="not a chat this button asks for"):
        await siti.share_chat(7, -1005570002)
    await siti.share_chat(7, COHORT_GROUP)
    [update] = shared
    chat_shared = update.message.chat_shared  # type: ignore[union-attr]
    assert (chat_shared.request_id, chat_shared.chat_id, chat_shared.title) == (
        7,
        COHORT_GROUP,
        "Las 1",
    )


async def test_an_album_arrives_as_updates_sharing_a_media_group(
    app: App, standin: TelegramStandIn, siti: ChatUser
) -> None:
    seen: list[Update] = []

    async def remember(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.append(update)

    app.add_handler(MessageHandler(filters.PHOTO | filters.Document.ALL, remember), group=1)
    await siti.send_album(["photo", "photo", "photo"], caption="bukti")
    messages = [update.message for update in seen]
    assert all(message is not None for message in messages)
    assert [m.message_id for m in messages] == standin.incoming_ids(1001)[-3:]  # type: ignore[union-attr]
    assert len({m.media_group_id for m in messages}) == 1  # type: ignore[union-attr]
    assert messages[0].media_group_id is not None  # type: ignore[union-attr]
    assert [m.caption for m in messages] == ["bukti", None, None]  # type: ignore[union-attr]
    await siti.send_album(["a.pdf", "b.pdf"])
    assert seen[-1].message.document.file_name == "b.pdf"  # type: ignore[union-attr]
    assert seen[-1].message.media_group_id != messages[0].media_group_id  # type: ignore[union-attr]


async def test_an_album_has_two_to_ten_parts_and_keeps_documents_apart(siti: ChatUser) -> None:
    with pytest.raises(ValueError, match="2-10 parts"):
        await siti.send_album(["photo"])
    with pytest.raises(ValueError, match="2-10 parts"):
        await siti.send_album(["photo"] * 11)
    with pytest.raises(ValueError, match="documents only with documents"):
        await siti.send_album(["photo", "ijazah.pdf"])


async def test_copy_messages_keeps_an_album_together(
    app: App, standin: TelegramStandIn, siti: ChatUser
) -> None:
    await siti.send_album(["photo", "photo", "photo"], caption="bukti")
    *_, first, second, third = standin.incoming_ids(1001)
    source_group = standin.incoming(1001, first)["media_group_id"]
    copied = await app.bot.copy_messages(STAFF_GROUP_ID, 1001, [first, second, third])
    copies = [standin.message(STAFF_GROUP_ID, c.message_id) for c in copied]
    assert [c.source for c in copies] == [(1001, first), (1001, second), (1001, third)]
    groups = {c.raw.get("media_group_id") for c in copies}
    assert len(groups) == 1 and None not in groups and source_group not in groups
    assert [c.plain_text for c in copies] == ["bukti", "", ""] and all(c.photo for c in copies)
    # One part alone is a plain photo; a single copyMessage never carries the album along.
    [lone] = await app.bot.copy_messages(STAFF_GROUP_ID, 1001, [second])
    assert "media_group_id" not in standin.message(STAFF_GROUP_ID, lone.message_id).raw
    single = await app.bot.copy_message(STAFF_GROUP_ID, 1001, third)
    assert "media_group_id" not in standin.message(STAFF_GROUP_ID, single.message_id).raw


async def test_copy_messages_validates_its_ids_like_telegram(
    app: App, standin: TelegramStandIn, siti: ChatUser
) -> None:
    await siti.send_album(["photo", "photo"])
    *_, first, second = standin.incoming_ids(1001)
    with pytest.raises(BadRequest, match="strictly increasing"):
        await app.bot.copy_messages(STAFF_GROUP_ID, 1001, [second, first])
    with pytest.raises(BadRequest, match="strictly increasing"):
        await app.bot.copy_messages(STAFF_GROUP_ID, 1001, [first, first])
    with pytest.raises(BadRequest, match="1-100"):
        await app.bot.copy_messages(STAFF_GROUP_ID, 1001, [])
    with pytest.raises(BadRequest, match="1-100"):
        await app.bot.copy_messages(STAFF_GROUP_ID, 1001, list(range(1, 102)))
    # Ids of another chat are not found there: skipped, and with none left, refused.
    with pytest.raises(BadRequest, match="no messages to copy"):
        await app.bot.copy_messages(STAFF_GROUP_ID, 1002, [first, second])
    standin.user_deletes(1001, first)
    [kept] = await app.bot.copy_messages(STAFF_GROUP_ID, 1001, [first, second])
    assert standin.message(STAFF_GROUP_ID, kept.message_id).source == (1001, second)
    assert standin.calls_to("copyMessages")[-1].error is None


async def test_send_media_group_sends_an_album_of_files_as_telegram_does(
    app: App, standin: TelegramStandIn, siti: ChatUser
) -> None:
    await siti.send_album(["photo", "photo"])
    *_, first, second = standin.incoming_ids(1001)
    photos = [standin.incoming(1001, m)["photo"][-1]["file_id"] for m in (first, second)]
    standin.register_chat(STAFF_GROUP_ID, type="supergroup")
    header = await app.bot.send_message(STAFF_GROUP_ID, "👤 Siti")
    bold = MessageEntity(MessageEntity.BOLD, 0, 6)
    sent = await app.bot.send_media_group(
        STAFF_GROUP_ID,
        [
            InputMediaPhoto(photos[0], caption="ijazah 2024", caption_entities=[bold]),
            InputMediaPhoto(photos[1]),
        ],
        reply_parameters=ReplyParameters(header.message_id),
    )
    copies = [standin.message(STAFF_GROUP_ID, m.message_id) for m in sent]
    assert all(c.photo for c in copies)
    assert [c.plain_text for c in copies] == ["ijazah 2024", ""]
    assert copies[0].entities == [{"type": "bold", "offset": 0, "length": 6}]
    assert all(c.raw["reply_to_message"]["message_id"] == header.message_id for c in copies)
    groups = {c.raw.get("media_group_id") for c in copies}
    assert len(groups) == 1 and None not in groups
    assert sent[0].caption_entities == (bold,) and sent[1].media_group_id == sent[0].media_group_id


async def test_send_media_group_refuses_what_telegram_refuses(
    app: App, standin: TelegramStandIn
) -> None:
    pdf = standin.store_file("ijazah.pdf", b"%PDF-1.4", "application/pdf").file_id
    song = standin.store_file("lagu.mp3", b"ID3", "audio/mpeg").file_id
    clip = standin.store_file("clip.mp4", b"mp4", "video/mp4").file_id
    photo = standin.store_photo([(90, 67), (800, 600)], 50_000)[-1]["file_id"]
    with pytest.raises(BadRequest, match="2-10 items"):
        await app.bot.send_media_group(1001, [InputMediaPhoto(photo)])
    with pytest.raises(BadRequest, match="(?i)too many messages"):
        await app.bot.send_media_group(1001, [InputMediaPhoto(photo)] * 11)
    with pytest.raises(BadRequest, match="(?i)document can.t be mixed"):
        await app.bot.send_media_group(1001, [InputMediaPhoto(photo), InputMediaDocument(pdf)])
    with pytest.raises(BadRequest, match="(?i)audio can.t be mixed"):
        await app.bot.send_media_group(1001, [InputMediaAudio(song), InputMediaVideo(clip)])
    with pytest.raises(BadRequest, match="(?i)type of file mismatch"):
        await app.bot.send_media_group(1001, [InputMediaDocument(photo), InputMediaDocument(pdf)])
    # Photos and videos mix; documents go with documents, audios with audios.
    mixed = await app.bot.send_media_group(1001, [InputMediaPhoto(photo), InputMediaVideo(clip)])
    assert mixed[0].photo and mixed[1].video is not None
    files = await app.bot.send_media_group(1001, [InputMediaDocument(pdf)] * 2)
    assert [m.document.file_name for m in files] == ["ijazah.pdf"] * 2  # type: ignore[union-attr]
    songs = await app.bot.send_media_group(1001, [InputMediaAudio(song)] * 2)
    assert all(m.audio is not None for m in songs)


async def test_join_requests_reach_only_an_admin_allowed_to_invite_and_not_basic_groups(
    app: App, standin: TelegramStandIn
) -> None:
    seen = join_requests_seen_by(app)
    asking = GroupMember(app, standin, chat_id=COHORT_GROUP, user_id=2001, forum=False)
    standin.set_bot_status(COHORT_GROUP, "member")
    await asking.ask_to_join()
    asking.make_bot_admin_quietly(can_invite_users=False)
    await GroupMember(app, standin, chat_id=COHORT_GROUP, user_id=2002, forum=False).ask_to_join()
    assert seen == []
    # Pending all the same, for the group's human admins to decide.
    assert {(COHORT_GROUP, 2001), (COHORT_GROUP, 2002)} <= set(standin.join_requests)
    with pytest.raises(BadRequest, match="(?i)not enough rights"):
        await app.bot.approve_chat_join_request(COHORT_GROUP, 2001)

    basic = GroupMember(
        app, standin, chat_id=-4005570002, user_id=2003, forum=False, chat_type="group"
    )
    basic.make_bot_admin_quietly()
    await basic.ask_to_join()
    assert seen == [] and (-4005570002, 2003) not in standin.join_requests

    asking.make_bot_admin_quietly()
    await GroupMember(app, standin, chat_id=COHORT_GROUP, user_id=2004, forum=False).ask_to_join()
    assert [u.chat_join_request.from_user.id for u in seen] == [2004]  # type: ignore[union-attr]


async def test_a_member_is_banned_and_unbanned_with_the_right_to_ban(
    app: App, standin: TelegramStandIn
) -> None:
    member = GroupMember(app, standin, chat_id=COHORT_GROUP, user_id=2001, forum=False)
    member.make_bot_admin_quietly(can_restrict_members=False)
    await member.ask_to_join()
    await app.bot.approve_chat_join_request(COHORT_GROUP, 2001)
    with pytest.raises(BadRequest, match="(?i)not enough rights to restrict"):
        await app.bot.ban_chat_member(COHORT_GROUP, 2001)
    assert member.is_member

    member.make_bot_admin_quietly()
    assert await app.bot.ban_chat_member(COHORT_GROUP, 2001) is True
    assert not member.is_member
    assert (await app.bot.get_chat_member(COHORT_GROUP, 2001)).status == "kicked"
    with pytest.raises(AssertionError, match="banned"):
        await member.ask_to_join()
    assert await app.bot.unban_chat_member(COHORT_GROUP, 2001, only_if_banned=True) is True
    assert (await app.bot.get_chat_member(COHORT_GROUP, 2001)).status == "left"
    await member.ask_to_join()
    await app.bot.approve_chat_join_request(COHORT_GROUP, 2001)
    # only_if_banned leaves a member alone; without it, as in Telegram, they are removed.
    await app.bot.unban_chat_member(COHORT_GROUP, 2001, only_if_banned=True)
    assert member.is_member
    await app.bot.unban_chat_member(COHORT_GROUP, 2001)
    assert not member.is_member


async def test_held_calls_wait_until_released(app: App, standin: TelegramStandIn) -> None:
    standin.register_chat(COHORT_GROUP, type="supergroup", title="Las 1")
    standin.set_bot_status(COHORT_GROUP, "administrator")
    held = standin.hold("createChatInviteLink")
    making = asyncio.ensure_future(app.bot.create_chat_invite_link(COHORT_GROUP))
    await held.wait_for(1)
    assert not making.done() and standin.invite_links == {}
    held.release()
    link = await making
    assert link.invite_link in standin.invite_links
    await app.bot.create_chat_invite_link(COHORT_GROUP)
    assert held.arrived == 2
