"""Conversation-style driver feeding real Updates to a PTB Application backed by the stand-in."""

from __future__ import annotations

import asyncio
import copy
import itertools
import logging
import mimetypes
import re
import time
from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.offline.standin import (
    InlineAnswer,
    JSONDict,
    SentMessage,
    TelegramStandIn,
    utf16_length,
)

_update_ids = itertools.count(1)
# "Sends a group of photos, videos, documents or audios as an album": 2-10 of them.
MIN_ALBUM_PARTS, MAX_ALBUM_PARTS = 2, 10
_callback_query_ids = itertools.count(1)
_inline_query_ids = itertools.count(1)
# PTB reports handler exceptions it could not route to an error handler on this logger.
_PTB_APPLICATION_LOGGER = "telegram.ext.Application"


class _UnhandledErrors(logging.Handler):
    """Collects exceptions PTB logs when no error handler dealt with them."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.errors: list[BaseException] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the exception attached to an error record."""
        if record.exc_info and record.exc_info[1] is not None:
            self.errors.append(record.exc_info[1])


class ChatUser:
    """A Telegram user chatting privately with the bot, driven step by step from a test."""

    def __init__(
        self,
        app: Application[Any, Any, Any, Any, Any, Any],
        standin: TelegramStandIn,
        *,
        user_id: int,
        first_name: str = "Test",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "id",
        raise_handler_errors: bool = True,
    ):
        if app.bot.request is not standin:
            raise ValueError("the application must be built with .request(standin)")
        self.app = app
        self.standin = standin
        self.user_id = user_id
        self.chat_id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.language_code = language_code
        self.raise_handler_errors = raise_handler_errors
        self._replies: list[SentMessage] = []
        self.last_sent_id: int | None = None
        standin.register_chat(
            user_id, type="private", first_name=first_name, last_name=last_name, username=username
        )

    # --- what the user sees ------------------------------------------------------------------

    @property
    def replies(self) -> list[SentMessage]:
        """Bot messages sent or edited in this chat in response to the latest action."""
        return list(self._replies)

    @property
    def last_reply(self) -> SentMessage:
        """The newest message from the bot that is still in the chat, with edits applied."""
        for sent in reversed(self.standin.history(self.chat_id)):
            if not sent.deleted:
                return sent
        raise AssertionError(f"the bot has sent nothing (left) in chat {self.chat_id}")

    @property
    def buttons(self) -> list[str]:
        """Labels of the newest bot message that carries a keyboard."""
        for sent in reversed(self.standin.history(self.chat_id)):
            if not sent.deleted and (sent.has_inline_keyboard or sent.has_reply_keyboard):
                return sent.buttons
        return []

    @property
    def answered_callbacks(self) -> list[str]:
        """Toast/alert texts the bot answered this user's button taps with ('' for silent)."""
        return [
            answer.text or ""
            for answer in self.standin.callback_answers
            if answer.user_id == self.user_id
        ]

    # --- actions -----------------------------------------------------------------------------

    async def send(self, text: str, *, reply_to: int | None = None) -> list[SentMessage]:
        """Send a text message; a leading /command gets a bot_command entity."""
        content = _text_content(text)
        if reply_to is not None:
            content["reply_to_message"] = self._bot_message(reply_to).raw
        return await self._send_message(content, f"sending {text!r}")

    def message_update(self, text: str) -> JSONDict:
        """A text message from this user as the JSON of a Bot API Update, as Telegram would
        post it to a webhook."""
        return {"update_id": next(_update_ids), "message": self._incoming(_text_content(text))}

    async def send_through_queue(self, text: str) -> None:
        """Send a text message as polling or a webhook hands it over: onto the update queue,
        where the update processor schedules it. Returns at once; wait for the reply with
        the stand-in's wait_until."""
        await self.put_on_queue(self.message_update(text))

    async def tap_through_queue(self, label: str, message_id: int) -> None:
        """Press a button of a given message as polling or a webhook hands the tap over: onto
        the update queue. Returns at once, so two calls are two quick taps; wait for the
        answers with the stand-in's wait_until."""
        await self.put_on_queue(self.callback_update(label, message_id))

    def callback_update(self, label: str, message_id: int | None = None) -> JSONDict:
        """A tap on the button with this label (of a given message, else the newest bot
        message showing it) as the JSON of a Bot API Update."""
        if message_id is None:
            found = next(
                (
                    sent
                    for sent in reversed(self.standin.history(self.chat_id))
                    if not sent.deleted and sent.has_inline_keyboard and label in sent.buttons
                ),
                None,
            )
            if found is None:
                raise AssertionError(f"no button {label!r} to tap; {self._describe_buttons()}")
            message_id = found.message_id
        sent = self._bot_message(message_id)
        query = self._callback_query(sent, str(sent.button(label)["callback_data"]))
        return {"update_id": next(_update_ids), "callback_query": query}

    async def put_on_queue(self, update: JSONDict) -> None:
        """An update's JSON onto the application's update queue, as polling puts it there."""
        await self.app.update_queue.put(Update.de_json(update, self.app.bot))

    async def edit(self, message_id: int, text: str) -> list[SentMessage]:
        """Edit one of this user's messages: its text, or the caption of a photo or file."""
        message = self.standin.incoming(self.chat_id, message_id)
        key = "text" if "text" in message else "caption"
        message.pop("entities" if key == "text" else "caption_entities", None)
        message.update({key: text, "edit_date": int(time.time())})
        self.standin.record_incoming(message)
        return await self._dispatch({"edited_message": message}, f"editing message {message_id}")

    async def tap(self, label: str) -> list[SentMessage]:
        """Press the button with exactly this label, as the user would see it now."""
        history = self.standin.history(self.chat_id)
        reply_index, reply_keyboard = self._active_reply_keyboard()
        inline_index, inline_message = next(
            (
                (index, sent)
                for index, sent in reversed(list(enumerate(history)))
                if not sent.deleted and sent.has_inline_keyboard and label in sent.buttons
            ),
            (-1, None),
        )
        if reply_keyboard is not None and label in reply_keyboard.buttons:
            if inline_message is None or reply_index > inline_index:
                return await self.send(label)
        if inline_message is None:
            raise AssertionError(f"no button {label!r} to tap; {self._describe_buttons()}")
        button = inline_message.button(label)
        if "callback_data" not in button:
            raise AssertionError(
                f"button {label!r} on message {inline_message.message_id} sends no callback: "
                f"{button}"
            )
        return await self._callback(inline_message, str(button["callback_data"]))

    async def tap_data(self, data: str, message_id: int | None = None) -> list[SentMessage]:
        """Send a callback with arbitrary data from a given or the newest bot message."""
        if message_id is not None:
            return await self._callback(self._bot_message(message_id), data)
        return await self._callback(self.last_reply, data)

    async def ask_inline(self, query: str, *, chat_type: str = "private") -> InlineAnswer:
        """Type "@<bot> <query>" in a chat's message field: the results the bot offers."""
        query_id = f"inline-{next(_inline_query_ids)}"
        self.standin.register_inline_query(query_id, self.user_id)
        inline_query = {
            "id": query_id,
            "from": self.user_json,
            "query": query,
            "offset": "",
            "chat_type": chat_type,
        }
        await self._dispatch(
            {"inline_query": inline_query},
            f"typing @{self.standin.bot_username} {query!r}",
        )
        for answer in self.standin.inline_answers:
            if answer.query_id == query_id:
                return answer
        raise AssertionError(f"the bot did not answer the inline query {query!r}")

    async def share_contact(
        self,
        phone_number: str = "+6281234567890",
        contact_user_id: int | None = None,
        *,
        first_name: str | None = None,
    ) -> list[SentMessage]:
        """Share a contact: the user's own by default, or a stranger's with contact_user_id."""
        contact = {
            "phone_number": phone_number,
            "first_name": first_name or self.first_name,
            "user_id": self.user_id if contact_user_id is None else contact_user_id,
        }
        return await self._send_message({"contact": contact}, f"sharing contact {phone_number}")

    async def share_chat(self, request_id: int, chat_id: int) -> list[SentMessage]:
        """Choose a chat with a reply keyboard's request_chat button, as Telegram's chooser
        does: only a chat the button's criteria allow (channel or not, the bot a member)
        can be picked, and the bot gets the chat_shared message with its title. The bot's
        admin rights are left to the bot to check: they can change after the choice."""
        _, keyboard = self._active_reply_keyboard()
        wanted = next(
            (
                button["request_chat"]
                for button in (keyboard.button_objects if keyboard else [])
                if isinstance(button, dict)
                and button.get("request_chat", {}).get("request_id") == request_id
            ),
            None,
        )
        if wanted is None:
            raise AssertionError(f"no request_chat button with request_id {request_id} shown")
        chat = self.standin.chat_json(chat_id)
        if chat["type"] == "private" or (chat["type"] == "channel") != wanted["chat_is_channel"]:
            raise AssertionError(f"chat {chat_id} is not a chat this button asks for")
        if wanted.get("bot_is_member") and self.standin.bot_status.get(chat_id) not in (
            "member",
            "administrator",
        ):
            raise AssertionError(f"the bot is not a member of chat {chat_id}: not offered")
        shared: JSONDict = {"request_id": request_id, "chat_id": chat_id}
        if wanted.get("request_title") and chat.get("title"):
            shared["title"] = chat["title"]
        return await self._send_message({"chat_shared": shared}, f"sharing chat {chat_id}")

    async def send_sticker(self, emoji: str = "👍") -> list[SentMessage]:
        """Send a regular sticker."""
        stored = self.standin.store_file("sticker.webp", b"RIFF-sticker", "image/webp")
        sticker = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return await self._send_message({"sticker": sticker}, "sending a sticker")

    async def send_photo(
        self, caption: str | None = None, *, size: int = 85_000
    ) -> list[SentMessage]:
        """Send a photo, optionally captioned; its largest PhotoSize is `size` bytes."""
        return await self._send_message(self._photo_content(caption, size), "sending a photo")

    async def send_album(
        self,
        parts: Sequence[str],
        *,
        caption: str | None = None,
        caption_entities: list[JSONDict] | None = None,
        media_group_id: str | None = None,
    ) -> list[SentMessage]:
        """Send an album as Telegram delivers one: each part ("photo", or a document's file
        name) its own update, in order, sharing a media_group_id; the caption on the first.
        With media_group_id, the parts are the late rest of an album already begun.
        Returns what the bot put in this chat meanwhile."""
        least = 1 if media_group_id is not None else MIN_ALBUM_PARTS
        if not least <= len(parts) <= MAX_ALBUM_PARTS:
            raise ValueError(f"an album has {MIN_ALBUM_PARTS}-{MAX_ALBUM_PARTS} parts")
        if len({part == "photo" for part in parts}) > 1:
            raise ValueError("Telegram groups documents only with documents")
        media_group_id = media_group_id or self.standin.new_media_group_id()
        replies: list[SentMessage] = []
        for index, part in enumerate(parts):
            text = caption if index == 0 else None
            content = (
                self._photo_content(text)
                if part == "photo"
                else self._document_content(part, b"%PDF-1.4 " + part.encode(), text)
            )
            if index == 0 and caption_entities:
                content["caption_entities"] = caption_entities
            content["media_group_id"] = media_group_id
            replies += await self._send_message(content, f"sending album part {index + 1}")
        self._replies = replies
        return replies

    def _photo_content(self, caption: str | None, size: int = 85_000) -> JSONDict:
        content: JSONDict = {"photo": self.standin.store_photo([(90, 67), (1280, 960)], size)}
        if caption is not None:
            content["caption"] = caption
        return content

    async def send_voice(self, duration: int = 3) -> list[SentMessage]:
        """Send a voice note."""
        stored = self.standin.store_file("voice.ogg", b"OggS-voice", "audio/ogg")
        voice = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "duration": duration,
            "mime_type": "audio/ogg",
        }
        return await self._send_message({"voice": voice}, "sending a voice note")

    async def send_document(
        self,
        filename: str,
        content: bytes,
        *,
        caption: str | None = None,
        mime_type: str | None = None,
    ) -> list[SentMessage]:
        """Upload a document with the given name and bytes (its MIME type guessed from the
        name, as Telegram apps do, unless given)."""
        message = self._document_content(filename, content, caption, mime_type)
        return await self._send_message(message, f"sending document {filename!r}")

    def _document_content(
        self, filename: str, content: bytes, caption: str | None, mime_type: str | None = None
    ) -> JSONDict:
        mime_type = mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        stored = self.standin.store_file(filename, content, mime_type)
        message: JSONDict = {"document": stored.document_json()}
        if caption is not None:
            message["caption"] = caption
        return message

    async def block_bot(self) -> list[SentMessage]:
        """Block the bot, as Telegram's "Stop and block bot" does: sends to this chat fail."""
        self.standin.blocked_by.add(self.chat_id)
        return await self._bot_membership("member", "kicked", "blocking the bot")

    async def unblock_bot(self) -> list[SentMessage]:
        """Unblock the bot (Restart): sends to this chat work again."""
        self.standin.blocked_by.discard(self.chat_id)
        return await self._bot_membership("kicked", "member", "unblocking the bot")

    # --- plumbing ----------------------------------------------------------------------------

    async def _bot_membership(self, old: str, new: str, action: str) -> list[SentMessage]:
        """A my_chat_member update: the bot's status in this chat changed, by this user."""
        self.standin.set_bot_status(self.chat_id, new)
        change = {
            "chat": self.standin.chat_json(self.chat_id),
            "from": self.user_json,
            "date": int(time.time()),
            "old_chat_member": bot_member_json(self.standin, old),
            "new_chat_member": bot_member_json(self.standin, new),
        }
        return await self._dispatch({"my_chat_member": change}, action)

    @property
    def user_json(self) -> JSONDict:
        """This user as a Bot API User object."""
        user: JSONDict = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        optional = {
            "last_name": self.last_name,
            "username": self.username,
            "language_code": self.language_code,
        }
        user.update({key: value for key, value in optional.items() if value is not None})
        return user

    async def _send_message(self, content: JSONDict, action: str) -> list[SentMessage]:
        return await self._dispatch({"message": self._incoming(content)}, action)

    def _incoming(self, content: JSONDict) -> JSONDict:
        message: JSONDict = {
            "message_id": self.standin.next_message_id(self.chat_id),
            "date": int(time.time()),
            "chat": self.standin.chat_json(self.chat_id),
            "from": self.user_json,
            **content,
        }
        self.standin.record_incoming(message)
        self.last_sent_id = message["message_id"]
        return message

    def _callback_query(self, sent: SentMessage, data: str) -> JSONDict:
        query_id = str(next(_callback_query_ids))
        self.standin.register_callback_query(query_id, self.user_id)
        return {
            "id": query_id,
            "from": self.user_json,
            "chat_instance": f"standin-{self.chat_id}",
            "data": data,
            "message": copy.deepcopy(sent.raw),
        }

    async def _callback(self, sent: SentMessage, data: str) -> list[SentMessage]:
        return await self._dispatch(
            {"callback_query": self._callback_query(sent, data)},
            f"tapping {data!r} on message {sent.message_id}",
        )

    async def _dispatch(self, payload: JSONDict, action: str) -> list[SentMessage]:
        update = Update.de_json({"update_id": next(_update_ids), **payload}, self.app.bot)
        mark = self.standin.activity_mark()
        capture = _UnhandledErrors()
        logger = logging.getLogger(_PTB_APPLICATION_LOGGER)
        logger.addHandler(capture)
        try:
            tasks_before = asyncio.all_tasks()
            await self.app.process_update(update)
            await _wait_for_application_tasks(tasks_before)
        finally:
            logger.removeHandler(capture)
        self._replies = self.standin.touched_since(mark, chat_id=self.chat_id)
        if capture.errors and self.raise_handler_errors:
            error = capture.errors[0]
            error.add_note(f"(unhandled in a bot handler while user {self.user_id} was {action})")
            raise error
        return list(self._replies)

    def _bot_message(self, message_id: int) -> SentMessage:
        try:
            sent = self.standin.message(self.chat_id, message_id)
        except KeyError as exc:
            raise AssertionError(str(exc)) from None
        if sent.deleted:
            raise AssertionError(f"message {message_id} in chat {self.chat_id} was deleted")
        return sent

    def _active_reply_keyboard(self) -> tuple[int, SentMessage | None]:
        # A reply keyboard stays up until a later message replaces or removes it, even if the
        # message that brought it is deleted.
        for index, sent in reversed(list(enumerate(self.standin.history(self.chat_id)))):
            markup = sent.reply_markup or {}
            if "keyboard" in markup:
                return index, sent
            if "remove_keyboard" in markup:
                return index, None
        return -1, None

    def _describe_buttons(self) -> str:
        lines = []
        for sent in reversed(self.standin.history(self.chat_id)):
            if not sent.deleted and sent.has_inline_keyboard:
                lines.append(f"message {sent.message_id}: {sent.buttons}")
        _, reply_keyboard = self._active_reply_keyboard()
        if reply_keyboard is not None:
            lines.append(f"reply keyboard: {reply_keyboard.buttons}")
        if not lines:
            return "the chat shows no buttons"
        return "available buttons (newest first): " + "; ".join(lines)


def bot_member_json(standin: TelegramStandIn, status: str) -> JSONDict:
    """The bot as a ChatMember with this status, with the fields Telegram sends for it."""
    member: JSONDict = {"status": status, "user": standin.bot_user}
    if status == "kicked":
        member["until_date"] = 0
    if status == "administrator":
        rights = (
            "can_manage_chat can_delete_messages can_manage_video_chats can_restrict_members "
            "can_change_info can_invite_users can_post_stories can_edit_stories "
            "can_delete_stories"
        ).split()
        member.update(dict.fromkeys(rights, True))
        member.update(can_be_edited=False, is_anonymous=False, can_promote_members=False)
    return member


def _text_content(text: str) -> JSONDict:
    """A text message with the entities Telegram would find: a leading /command, @mentions."""
    content: JSONDict = {"text": text}
    entities: list[JSONDict] = []
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]
        entities.append({"type": "bot_command", "offset": 0, "length": utf16_length(command)})
    for mention in re.finditer(r"(?<![\w/])@[A-Za-z0-9_]{5,32}", text):
        offset = utf16_length(text[: mention.start()])
        entities.append({"type": "mention", "offset": offset, "length": len(mention.group())})
    if entities:
        content["entities"] = entities
    return content


async def _wait_for_application_tasks(tasks_before: set[asyncio.Task[Any]]) -> None:
    """Await handler tasks PTB spawned for block=False handlers, including ones they spawn."""
    while True:
        pending = [
            task
            for task in asyncio.all_tasks() - tasks_before
            if not task.done() and task.get_name().startswith("Application:")
        ]
        if not pending:
            return
        await asyncio.gather(*pending, return_exceptions=True)
