"""A fake Telegram Bot API HTTP server on 127.0.0.1, for running the real bot without network.

It answers `POST /bot<token>/<method>` the way Telegram does (`{"ok": true, "result": ...}`),
serves queued updates to `getUpdates` until the bot confirms them with `offset`, and records
every request so tests can wait for, and inspect, what the bot sent.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from typing import Any
from urllib.parse import parse_qsl

JsonObject = dict[str, Any]

# The longest a getUpdates call waits for updates, whatever `timeout` the bot asks for.
MAX_POLL_SECONDS = 1.0
BOT_USER: JsonObject = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Vokasi Test Bot",
    "username": "vokasi_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it; form values stay strings, as PTB sent them."""

    http_method: str
    path: str
    method: str | None  # the Bot API method, or None if the path was not /bot<token>/<method>
    params: JsonObject

    def json_param(self, name: str) -> Any:
        """A parameter PTB JSON-encodes in form bodies (e.g. reply_markup), decoded."""
        value = self.params.get(name)
        return json.loads(value) if isinstance(value, str) else value


def command_update(
    update_id: int, *, user_id: int, text: str, language_code: str = "en"
) -> JsonObject:
    """A private message holding one bot command, e.g. "/start", as Telegram delivers it."""
    person = {
        "id": user_id,
        "is_bot": False,
        "first_name": "Siti",
        "language_code": language_code,
    }
    command_length = len(text.split(maxsplit=1)[0])
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Siti"},
            "from": person,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": command_length}],
        },
    }


def parse_body(content_type: str, body: bytes) -> JsonObject:
    """Parameters of a JSON or form-encoded body; multipart uploads are not decoded."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if not body:
        return {}
    if media_type == "application/json":
        parsed = json.loads(body)
        return parsed if isinstance(parsed, dict) else {}
    if media_type == "application/x-www-form-urlencoded":
        return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    return {}


class FakeBotApi:
    """The server; use as a context manager, then point the bot at `base_url`."""

    def __init__(self, token: str, updates: Iterable[JsonObject] = ()) -> None:
        self.token = token
        self._updates = list(updates)
        self._requests: list[RecordedRequest] = []
        self._changed = threading.Condition()
        self._message_ids = count(1000)
        self._server = _Server(("127.0.0.1", 0), _Handler, self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # so that stopping the server is quick
            name="fake-bot-api",
            daemon=True,
        )

    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def base_url(self) -> str:
        return f"{self.origin}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.origin}/file/bot"

    def __enter__(self) -> FakeBotApi:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._changed:
            return list(self._requests)

    def calls(self, method: str) -> list[RecordedRequest]:
        return [request for request in self.requests if request.method == method]

    def wait_for(
        self, predicate: Callable[[RecordedRequest], bool], timeout: float
    ) -> RecordedRequest | None:
        """The first recorded request matching `predicate`, waiting up to `timeout` seconds."""

        def first_match() -> RecordedRequest | None:
            return next((r for r in self._requests if predicate(r)), None)

        with self._changed:
            return self._changed.wait_for(first_match, timeout=timeout)

    def record(self, request: RecordedRequest) -> None:
        with self._changed:
            self._requests.append(request)
            self._changed.notify_all()

    def answer(self, method: str, params: JsonObject) -> Any:
        """The `result` Telegram would give for this method."""
        if method == "getMe":
            return BOT_USER
        if method == "getUpdates":
            return self._poll(params)
        if method == "sendMessage":
            chat_id = int(params["chat_id"])
            return {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                "from": BOT_USER,
                "text": str(params.get("text", "")),
            }
        # The bot's profile texts, as a bot that never set them has them.
        profile = {"getMyName": "name", "getMyDescription": "description"}
        profile["getMyShortDescription"] = "short_description"
        if method in profile:
            return {profile[method]: ""}
        # deleteWebhook, setMyCommands, answerCallbackQuery and the rest.
        return True

    def _poll(self, params: JsonObject) -> list[JsonObject]:
        offset = int(params.get("offset") or 0)
        pending = [update for update in self._updates if update["update_id"] >= offset]
        if not pending:
            # Long polling: nothing new, so hold the call a little, as Telegram does.
            time.sleep(min(float(params.get("timeout") or 0), MAX_POLL_SECONDS))
        return pending


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], api: FakeBotApi
    ) -> None:
        super().__init__(address, handler)
        self.api = api


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        params = parse_body(self.headers.get("Content-Type", ""), body)
        self._answer(params)

    def do_GET(self) -> None:
        self._answer({})

    def _answer(self, params: JsonObject) -> None:
        api = self.server.api
        prefix = f"/bot{api.token}/"
        path = self.path.split("?", 1)[0]
        method = path[len(prefix) :] if path.startswith(prefix) else None
        api.record(RecordedRequest(self.command, self.path, method, params))
        if not method:
            not_found = {"ok": False, "error_code": 404, "description": "Not Found"}
            self._send(HTTPStatus.NOT_FOUND, not_found)
            return
        self._send(HTTPStatus.OK, {"ok": True, "result": api.answer(method, params)})

    def _send(self, status: HTTPStatus, payload: JsonObject) -> None:
        data = json.dumps(payload).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the bot gave up on a long poll while shutting down

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""
