"""The deployment guide's systemd units, run as systemd would run them: in a copy of the install
folder with `.env` made from `.env.example`, with the unit's umask, its ExecStart word for word
(only the install folder moved), a fake Bot API on 127.0.0.1 instead of Telegram, and the
backup unit's ExecStart while the bot answers. No network is used."""

from __future__ import annotations

import configparser
import os
import re
import shlex
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bot.config import Settings
from tests.fake_bot_api import FakeBotApi, command_update

ROOT = Path(__file__).resolve().parents[2]
INSTALL = "/opt/vokasi-bot"
TOKEN = "123456:TEST-fake-token-abcdefghijklmnopqrstuvwxyz"
USER_ID = 4343
WAIT_SECONDS = 60.0
SERVING = re.compile(r"Serving /healthz and /metrics on http://127\.0\.0\.1:(\d+)")


def unit(name: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(ROOT / "deploy" / name, encoding="utf-8")
    return parser["Service"]


def command_line(service: configparser.SectionProxy, key: str, install: Path) -> list[str]:
    """The unit's command with the install folder moved; `%%` is systemd's escaped `%`."""
    line = service[key].replace(INSTALL, str(install)).replace("%%", "%")
    return shlex.split(line)


@pytest.fixture
def install(tmp_path: Path) -> Path:
    """The install folder as the guide leaves it: .env from .env.example, the folders the unit
    may write, and .venv/bin/python (here: this interpreter, with the checkout on the path)."""
    folder = tmp_path / "vokasi-bot"
    python = folder / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    python.chmod(0o755)
    for name in ("data", "secrets", "backups"):  # install -d -m 0700: the unit needs them
        (folder / name).mkdir(mode=0o700)
    return folder


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    updates = [command_update(1, user_id=USER_ID, text="/start", language_code="id")]
    with FakeBotApi(TOKEN, updates) as server:
        yield server


def write_env(install: Path, api: FakeBotApi) -> None:
    """`cp .env.example .env`, then the lines the guide says to fill in."""
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    filled = {
        "BOT_TOKEN": TOKEN,
        "BOT_API_BASE_URL": api.base_url,
        "BOT_API_BASE_FILE_URL": api.base_file_url,
        "METRICS_PORT": "0",  # any free port: the log says which
    }
    lines = [
        line for line in example.splitlines() if line.split("=", 1)[0].lstrip("# ") not in filled
    ]
    lines += [f"{key}={value}" for key, value in filled.items()]
    (install / ".env").write_text("\n".join(lines) + "\n", encoding="utf-8")


def unit_environment() -> dict[str, str]:
    """What systemd gives the service: no bot settings from outside `.env`, no proxies."""
    settings_keys = {name.upper() for name in Settings.model_fields}
    environment = {
        key: value
        for key, value in os.environ.items()
        if key.upper() not in settings_keys and not key.lower().endswith("_proxy")
    }
    environment.update(PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    return environment


class Journal:
    """The unit's output as journald would keep it, read line by line as it comes, so a test
    waits for a line rather than for time."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self._lines: list[str] = []
        self._ended = False
        self._changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            with self._changed:
                self._lines.append(raw.decode("utf-8", errors="replace"))
                self._changed.notify_all()
        with self._changed:
            self._ended = True
            self._changed.notify_all()

    def text(self) -> str:
        with self._changed:
            return "".join(self._lines)

    def wait_for(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        """The first match in the output, once it is written; None if the bot ends first."""

        def found() -> bool:
            return self._ended or pattern.search("".join(self._lines)) is not None

        with self._changed:
            self._changed.wait_for(found, timeout=WAIT_SECONDS)
            return pattern.search("".join(self._lines))

    def wait_for_exit(self) -> int:
        with self._changed:
            self._changed.wait_for(lambda: self._ended, timeout=WAIT_SECONDS)
        return self.process.wait(timeout=WAIT_SECONDS)


def start_unit(service: configparser.SectionProxy, install: Path) -> Journal:
    umask = int(service["UMask"], 8)
    process = subprocess.Popen(
        command_line(service, "ExecStart", install),
        cwd=str(service["WorkingDirectory"]).replace(INSTALL, str(install)),
        env=unit_environment(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        preexec_fn=lambda: os.umask(umask),
        start_new_session=True,
    )
    return Journal(process)


def wait_for_port(journal: Journal) -> int:
    """The metrics port the bot announces once it serves."""
    match = journal.wait_for(SERVING)
    if match is None:
        pytest.fail(f"the bot never served /healthz:\n{journal.text()}")
    return int(match.group(1))


def get(port: int, path: str) -> tuple[int, str]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return response.status, response.read().decode("utf-8")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_units_run_the_bot_serve_health_and_back_up_while_it_answers(
    install: Path, api: FakeBotApi
) -> None:
    write_env(install, api)
    service, backup = unit("vokasi-bot.service"), unit("vokasi-bot-backup.service")
    journal = start_unit(service, install)
    process = journal.process
    try:
        port = wait_for_port(journal)
        reply = api.wait_for(
            lambda r: r.method == "sendMessage" and r.params.get("chat_id") == str(USER_ID),
            timeout=WAIT_SECONDS,
        )
        assert reply is not None, journal.text()
        assert str(reply.params["text"]).startswith("Halo!")

        assert get(port, "/healthz")[0] == 200
        status, metrics = get(port, "/metrics")
        assert status == 200
        assert re.search(r'^vokasi_updates_total\{type="message"\} 1\.0$', metrics, re.M)

        # The nightly backup, while the bot runs: the unit's ExecStart in its folder.
        result = subprocess.run(
            command_line(backup, "ExecStart", install),
            cwd=str(backup["WorkingDirectory"]).replace(INSTALL, str(install)),
            env=unit_environment(),
            capture_output=True,
            text=True,
            timeout=WAIT_SECONDS,
            preexec_fn=lambda: os.umask(int(backup["UMask"], 8)),
        )
        assert result.returncode == 0, result.stderr
        [copy] = (install / "backups").glob("vokasi-*.db")
        assert mode(copy) == 0o600
        with sqlite3.connect(copy) as database:
            users = database.execute("SELECT id FROM users").fetchall()
        assert users == [(USER_ID,)]

        process.send_signal(signal.SIGTERM)  # KillSignal=SIGTERM
        assert process.wait(timeout=int(service["TimeoutStopSec"])) == 0, journal.text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    assert mode(install / "data" / "vokasi.db") == 0o600
    assert mode(install / "secrets" / "data.key") == 0o600
    assert "Traceback" not in journal.text()


def test_a_configuration_error_exits_with_the_status_the_unit_does_not_restart(
    install: Path,
) -> None:
    service = unit("vokasi-bot.service")
    (install / ".env").write_text("# BOT_TOKEN not filled in yet\n", encoding="utf-8")
    journal = start_unit(service, install)
    exit_status = journal.wait_for_exit()
    assert str(exit_status) in service["RestartPreventExitStatus"].split()
    assert "@BotFather" in journal.text()
    assert service["Restart"] == "on-failure"


def test_the_container_files_name_only_real_settings() -> None:
    """compose.yaml and the Dockerfile set settings by name; a renamed one would be ignored."""
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text(encoding="utf-8"))
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    env_lines = [line.split()[1:] for line in dockerfile.splitlines() if line.startswith("ENV ")]
    named = set(compose["services"]["bot"]["environment"])
    named |= {word.split("=")[0] for words in env_lines for word in words}
    named -= {"PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "PIP_NO_CACHE_DIR"}
    settings = {name.upper() for name in Settings.model_fields}
    assert named and named <= settings, named - settings
