"""TelegramStandIn: PTB's request backend answering Bot API calls in-process."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.offline.standin.errors import ApiError, bad_request
from bot.offline.standin.faults import FaultPlan
from bot.offline.standin.holds import HeldCalls
from bot.offline.standin.methods_bot import BotMethods
from bot.offline.standin.methods_files import FileMethods
from bot.offline.standin.methods_forum import ForumMethods
from bot.offline.standin.methods_members import MemberMethods
from bot.offline.standin.methods_messages import MessageMethods
from bot.offline.standin.records import JSONDict, RecordedCall, UploadedFiles

ApiHandler = Callable[[JSONDict, UploadedFiles], Any]


class TelegramStandIn(
    MessageMethods, FileMethods, BotMethods, ForumMethods, MemberMethods, BaseRequest
):
    """A BaseRequest that answers Bot API calls in-process, recording calls and chat history."""

    def __init__(self, *, bot_id: int = 7000000001, bot_username: str = "vokasi_test_bot"):
        super().__init__(bot_id=bot_id, bot_username=bot_username)
        self.calls: list[RecordedCall] = []
        self._faults = FaultPlan()
        # A network's round trip, per method (lowercase): waited before acting on the call.
        self._latency: dict[str, float] = {}
        # Calls kept waiting until the test releases them, per method (lowercase).
        self._holds: dict[str, HeldCalls] = {}
        self._answering: dict[str, int] = {}
        # The most calls of each method (lowercase) being answered at once.
        self.most_at_once: dict[str, int] = {}
        # Woken whenever a call has arrived or been answered (see wait_until).
        self._watchers: list[asyncio.Event] = []
        self._handlers: dict[str, ApiHandler] = {
            name.lower(): handler
            for name, handler in {
                "getMe": self._get_me,
                "getUpdates": lambda params, files: [],
                "deleteWebhook": self._delete_webhook,
                "setWebhook": self._set_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "logOut": lambda params, files: True,
                "close": lambda params, files: True,
                "sendMessage": self._send_message,
                "editMessageText": self._edit_message_text,
                "editMessageReplyMarkup": self._edit_message_reply_markup,
                "editMessageCaption": self._edit_message_caption,
                "deleteMessage": self._delete_message,
                "deleteMessages": self._delete_messages,
                "answerCallbackQuery": self._answer_callback_query,
                "answerInlineQuery": self._answer_inline_query,
                **{
                    f"{verb}My{name}": accessor(field)
                    for name, field in (
                        ("Name", "name"),
                        ("Description", "description"),
                        ("ShortDescription", "short_description"),
                    )
                    for verb, accessor in (
                        ("set", self._profile_setter),
                        ("get", self._profile_getter),
                    )
                },
                "setMyCommands": self._set_my_commands,
                "getMyCommands": self._get_my_commands,
                "deleteMyCommands": self._delete_my_commands,
                "setChatMenuButton": self._set_chat_menu_button,
                "sendChatAction": self._send_chat_action,
                "sendDocument": self._send_document,
                "sendPhoto": self._send_photo,
                "sendMediaGroup": self._send_media_group,
                "copyMessage": self._copy_message,
                "copyMessages": self._copy_messages,
                "forwardMessage": self._forward_message,
                "getChat": self._get_chat,
                "leaveChat": self._leave_chat,
                "approveChatJoinRequest": self._approve_chat_join_request,
                "declineChatJoinRequest": self._decline_chat_join_request,
                "createChatInviteLink": self._create_chat_invite_link,
                "revokeChatInviteLink": self._revoke_chat_invite_link,
                "getChatMember": self._get_chat_member,
                "banChatMember": self._ban_chat_member,
                "unbanChatMember": self._unban_chat_member,
                "createForumTopic": self._create_forum_topic,
                "closeForumTopic": self._close_forum_topic,
                "reopenForumTopic": self._reopen_forum_topic,
                "deleteForumTopic": self._delete_forum_topic,
                "editForumTopic": self._edit_forum_topic,
            }.items()
        }

    @property
    def read_timeout(self) -> float | None:
        """Default read timeout; PTB adds it to long-polling timeouts."""
        return 5.0

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Answer one Bot API call with (HTTP status, JSON body) like Telegram would."""
        # Yield like real I/O would, so concurrent senders interleave realistically.
        await asyncio.sleep(0)
        api_method = url.rstrip("/").rsplit("/", 1)[-1]
        params: JSONDict = dict(request_data.parameters) if request_data else {}
        files = _read_files(request_data)
        call = RecordedCall(
            api_method,
            params,
            {name: (fname, data) for name, (fname, data, _) in files.items()},
            received_at=time.monotonic(),
        )
        self.calls.append(call)
        self._wake_watchers()
        key = api_method.lower()
        self._answering[key] = self._answering.get(key, 0) + 1
        self.most_at_once[key] = max(self.most_at_once.get(key, 0), self._answering[key])
        try:
            return await self._answer(call, files)
        finally:
            self._answering[key] -= 1
            call.answered_at = time.monotonic()
            self._wake_watchers()

    def _wake_watchers(self) -> None:
        for watcher in self._watchers:
            watcher.set()

    async def _answer(self, call: RecordedCall, files: UploadedFiles) -> tuple[int, bytes]:
        api_method, params = call.method, call.params
        if (held := self._holds.get(api_method.lower())) is not None:
            await held.arrive()
        if latency := self._latency.get(api_method.lower()):
            await asyncio.sleep(latency)
        try:
            times_out_after = self._faults.fire(api_method, params)
            if api_method.lower() == "getupdates":
                # Hold the long poll like Telegram does, so a polling Updater doesn't spin.
                await asyncio.sleep(float(params.get("timeout") or 0))
            handler = self._handlers.get(api_method.lower())
            if handler is None:
                raise bad_request(f"method {api_method} is not supported by the stand-in")
            result = handler(params, files)
            if times_out_after:
                raise TimedOut("delivered, but the answer timed out")
        except ApiError as exc:
            call.error = exc.description
            return exc.status, exc.payload()
        except TimedOut as exc:
            call.error = f"timed out: {exc}"
            raise
        except NetworkError as exc:
            call.error = f"network: {exc}"
            raise
        return 200, json.dumps({"ok": True, "result": result}).encode()

    async def wait_until(self, condition: Callable[[], bool]) -> None:
        """Wait until the bot's calls make `condition` true (a message recorded, say): checked
        after every call received or answered, with no clock involved."""
        while not condition():
            watcher = asyncio.Event()
            self._watchers.append(watcher)
            try:
                await watcher.wait()
            finally:
                self._watchers.remove(watcher)

    async def wait_until_checked(self, check: Callable[[], Awaitable[bool]]) -> None:
        """As wait_until, for a condition that must be awaited (a database read, say): checked
        now and again after every call answered since the last check began, so a change
        followed by a call (the worker's report, say) is never missed."""
        while True:
            watcher = asyncio.Event()
            self._watchers.append(watcher)
            try:
                if await check():
                    return
                await watcher.wait()
            finally:
                self._watchers.remove(watcher)

    def calls_to(self, method: str) -> list[RecordedCall]:
        """Recorded calls of one Bot API method (case-insensitive)."""
        return [call for call in self.calls if call.method.lower() == method.lower()]

    def add_latency(self, method: str, seconds: float) -> None:
        """Answer every call of method this much later, as a network's round trip would."""
        self._latency[method.lower()] = seconds

    def hold(self, method: str) -> HeldCalls:
        """Keep every call of method waiting until the returned HeldCalls is released."""
        held = HeldCalls(method)
        self._holds[method.lower()] = held
        return held

    def inject(
        self,
        method: str,
        *,
        chat_id: int | None = None,
        error: str,
        retry_after: int = 1,
        times: int = 1,
    ) -> None:
        """Make the next `times` matching calls fail with the given error."""
        self._faults.add(method, chat_id, error, retry_after, times)


def _read_files(request_data: RequestData | None) -> UploadedFiles:
    if request_data is None or not request_data.contains_files:
        return {}
    files: UploadedFiles = {}
    for name, (filename, content, mime_type) in request_data.multipart_data.items():
        data = content if isinstance(content, bytes) else content.read()
        files[name] = (filename, data, mime_type)
    return files
