"""End to end: `python -m bot run` polls a fake Bot API server, answers /start, stops cleanly.

The bot runs as a real subprocess, with PTB's own HTTP client, AIORateLimiter and signal
handling, against `tests.fake_bot_api` on 127.0.0.1: no network is used.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.config import Settings
from tests.fake_bot_api import FakeBotApi, RecordedRequest, command_update

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:TEST-fake-token-abcdefghijklmnopqrstuvwxyz"
TOKEN_SECRET = TOKEN.split(":", 1)[1]
USER_ID = 4242
REPLY_TIMEOUT = 30.0
EXIT_TIMEOUT = 30.0
# PTB 22.8 logs this at INFO as the last step of Application.stop().
STOP_COMPLETE = "Application.stop() complete"
PROXY_VARIABLES = {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}


@dataclass(frozen=True)
class BotProcess:
    process: subprocess.Popen[bytes]
    stdout_path: Path
    stderr_path: Path

    def stdout(self) -> str:
        return self.stdout_path.read_text(encoding="utf-8", errors="replace")

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def stop(self, signal_number: signal.Signals) -> int:
        """Send the signal and wait for the exit code."""
        self.process.send_signal(signal_number)
        try:
            return self.process.wait(timeout=EXIT_TIMEOUT)
        except subprocess.TimeoutExpired:
            pytest.fail(
                f"the bot still runs {EXIT_TIMEOUT:.0f} s after {signal_number.name}:\n"
                f"{self.stderr()[-4000:]}"
            )


def bot_environment(api: FakeBotApi, tmp_path: Path, log_level: str) -> dict[str, str]:
    """The parent's environment without bot settings or proxies, plus the test's settings."""
    settings_keys = {name.lower() for name in Settings.model_fields}
    environment = {
        key: value
        for key, value in os.environ.items()
        if key.lower() not in settings_keys | PROXY_VARIABLES
    }
    environment.update(
        BOT_TOKEN=TOKEN,
        BOT_API_BASE_URL=api.base_url,
        BOT_API_BASE_FILE_URL=api.base_file_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'vokasi.db'}",
        LOG_LEVEL=log_level,
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
    )
    return environment


@contextmanager
def running_bot(api: FakeBotApi, tmp_path: Path, log_level: str = "INFO") -> Iterator[BotProcess]:
    """`python -m bot run` in `tmp_path` (so no `.env` is read); killed on the way out."""
    stdout_path, stderr_path = tmp_path / "stdout.log", tmp_path / "stderr.log"
    # Files rather than pipes: a full pipe would block a chatty DEBUG bot.
    with stdout_path.open("wb") as stdout, stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=tmp_path,
            env=bot_environment(api, tmp_path, log_level),
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,
        )
    try:
        yield BotProcess(process, stdout_path, stderr_path)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    updates = [command_update(1, user_id=USER_ID, text="/start", language_code="en")]
    with FakeBotApi(TOKEN, updates) as server:
        yield server


def is_start_reply(request: RecordedRequest) -> bool:
    return request.method == "sendMessage" and str(request.params.get("chat_id")) == str(USER_ID)


def wait_for_start_reply(api: FakeBotApi, bot: BotProcess) -> RecordedRequest:
    """The bot's answer to the polled /start; fails early if the bot dies first."""
    deadline = time.monotonic() + REPLY_TIMEOUT
    while time.monotonic() < deadline:
        reply = api.wait_for(is_start_reply, timeout=0.25)
        if reply is not None:
            return reply
        if bot.process.poll() is not None:
            pytest.fail(
                f"the bot exited with {bot.process.returncode} before replying:\n"
                f"{bot.stderr()[-4000:]}"
            )
    pytest.fail(
        f"no reply to /start within {REPLY_TIMEOUT:.0f} s; requests: "
        f"{[r.method for r in api.requests]}\n{bot.stderr()[-4000:]}"
    )


def test_answers_a_polled_start_in_the_users_language(api: FakeBotApi, tmp_path: Path) -> None:
    with running_bot(api, tmp_path) as bot:
        reply = wait_for_start_reply(api, bot)
        stderr = bot.stderr()

    # A handler error would answer with the apology instead, and log the traceback.
    assert str(reply.params["text"]).startswith("Hello!"), stderr[-4000:]
    assert reply.params.get("parse_mode") == "HTML"
    keyboard = reply.json_param("reply_markup")["inline_keyboard"]
    buttons = [button for row in keyboard for button in row]
    assert buttons and all(button.get("callback_data") for button in buttons)

    # Everything went to the configured base URL, with the token: the fake saw the whole run.
    assert all(r.path.startswith(f"/bot{TOKEN}/") for r in api.requests)
    methods = {r.method for r in api.requests}
    assert {"getMe", "deleteWebhook", "getUpdates", "setMyCommands"} <= methods
    command_languages = {r.params.get("language_code") for r in api.calls("setMyCommands")}
    assert {"id", "en"} <= command_languages


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
def test_a_stop_signal_shuts_down_cleanly(
    api: FakeBotApi, tmp_path: Path, stop_signal: signal.Signals
) -> None:
    with running_bot(api, tmp_path) as bot:
        wait_for_start_reply(api, bot)
        exit_code = bot.stop(stop_signal)
        stderr = bot.stderr()

    assert exit_code == 0, stderr[-4000:]
    assert STOP_COMPLETE in stderr
    assert "Traceback" not in stderr, stderr[-4000:]
    # The update was confirmed to the server (offset), so /start was answered exactly once.
    assert len([r for r in api.requests if is_start_reply(r)]) == 1
    assert any(int(r.params.get("offset") or 0) == 2 for r in api.calls("getUpdates"))


def test_the_token_is_never_printed_even_at_debug(api: FakeBotApi, tmp_path: Path) -> None:
    with running_bot(api, tmp_path, log_level="DEBUG") as bot:
        wait_for_start_reply(api, bot)
        exit_code = bot.stop(signal.SIGTERM)
        output = bot.stdout() + bot.stderr()

    assert exit_code == 0, output[-4000:]
    assert " DEBUG " in output  # the strict case really ran: PTB and httpcore were chatty
    assert TOKEN_SECRET not in output
    assert TOKEN not in output
    # ... while the token did reach the server, in every request path.
    assert api.requests and all(TOKEN in r.path for r in api.requests)
