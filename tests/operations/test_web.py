"""The webhook, /healthz and /metrics over real HTTP on loopback, with the real Application.

The bot runs as `python -m bot run` runs it (bot.operations.web.serve) against the in-process
Telegram stand-in; requests go through uvicorn on 127.0.0.1 like Telegram's or a monitor's.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from telegram import Update

from bot.application import VokasiApplication, build_application
from bot.config import Settings
from bot.offline.chat_driver import ChatUser
from bot.offline.standin import TelegramStandIn
from bot.operations.web import SECRET_HEADER, serve

WEBHOOK_URL = "https://bot.bbpvp-serang.example/telegram"
SECRET = "s3cret-token_for-tests"


@dataclass
class WebBot:
    application: VokasiApplication
    standin: TelegramStandIn
    client: httpx.AsyncClient
    settings: Settings
    running: asyncio.Task[None]

    def user(self, user_id: int) -> ChatUser:
        return ChatUser(
            self.application, self.standin, user_id=user_id, first_name="Siti", language_code="id"
        )

    async def metrics(self) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
        response = await self.client.get("/metrics")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain")
        return {
            (sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.text)
            for sample in family.samples
        }

    async def wait_until(self, condition: Callable[[], bool]) -> None:
        """The stand-in's wait_until, given up (with the cause) if the bot stops meanwhile."""
        waiting = asyncio.create_task(self.standin.wait_until(condition))
        await asyncio.wait((waiting, self.running), return_when=asyncio.FIRST_COMPLETED)
        if not waiting.done():
            waiting.cancel()
            self.running.result()  # raises what stopped the bot
            pytest.fail("the bot stopped before the awaited call came")

    async def replies_to(self, user_id: int, count: int) -> list[str | None]:
        await self.wait_until(lambda: len(self.standin.history(user_id)) >= count)
        return [sent.text for sent in self.standin.history(user_id)]


@asynccontextmanager
async def web_bot(settings: Settings, **changes: object) -> AsyncIterator[WebBot]:
    settings = Settings(_env_file=None, **{**settings.model_dump(), **changes})  # type: ignore[call-arg]
    standin = TelegramStandIn()
    application = build_application(settings, request=standin)
    listener = socket.create_server(("127.0.0.1", 0))
    host, port = listener.getsockname()[:2]
    stopping = asyncio.Event()
    running = asyncio.create_task(serve(application, settings, stopping, listener))
    # The socket listens already: a request made now waits in its backlog until uvicorn runs.
    client = httpx.AsyncClient(base_url=f"http://{host}:{port}", trust_env=False, timeout=60)
    try:
        yield WebBot(application, standin, client, settings, running)
    finally:
        await client.aclose()
        stopping.set()
        await running


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def test_the_webhook_is_registered_with_its_secret_and_every_update_type(
    settings: Settings,
) -> None:
    async with web_bot(settings, webhook_url=WEBHOOK_URL, webhook_secret=SECRET) as web:
        await web.wait_until(lambda: bool(web.standin.calls_to("setWebhook")))
        (registered,) = web.standin.calls_to("setWebhook")

    assert registered.params["url"] == WEBHOOK_URL
    assert registered.params["secret_token"] == SECRET
    allowed = registered.params["allowed_updates"]
    allowed = allowed if isinstance(allowed, list) else json.loads(allowed)
    assert set(allowed) == set(Update.ALL_TYPES)


async def test_only_updates_with_the_right_secret_are_handled(settings: Settings) -> None:
    async with web_bot(settings, webhook_url=WEBHOOK_URL, webhook_secret=SECRET) as web:
        forger, siti = web.user(7001), web.user(7002)

        missing = await web.client.post("/telegram", json=forger.message_update("/start"))
        wrong = await web.client.post(
            "/telegram",
            json=forger.message_update("/start"),
            headers={SECRET_HEADER: SECRET + "x"},
        )
        right = await web.client.post(
            "/telegram", json=siti.message_update("/start"), headers={SECRET_HEADER: SECRET}
        )
        replies = await web.replies_to(siti.chat_id, 1)
        samples = await web.metrics()

    assert (missing.status_code, wrong.status_code, right.status_code) == (403, 403, 200)
    assert replies[0] is not None and replies[0].startswith("Halo")
    # The forged updates were never processed: no reply, no user row, one update counted.
    assert web.standin.history(forger.chat_id) == []
    assert value(samples, "vokasi_webhook_refused_total", reason="missing_secret") == 1
    assert value(samples, "vokasi_webhook_refused_total", reason="wrong_secret") == 1
    assert value(samples, "vokasi_updates_total", type="message") == 1


async def test_a_body_that_is_not_an_update_is_refused_and_counted(settings: Settings) -> None:
    async with web_bot(settings, webhook_url=WEBHOOK_URL, webhook_secret=SECRET) as web:
        response = await web.client.post(
            "/telegram", content=b"<html>hello</html>", headers={SECRET_HEADER: SECRET}
        )
        samples = await web.metrics()

    assert response.status_code == 400
    assert value(samples, "vokasi_webhook_refused_total", reason="not_an_update") == 1
    assert value(samples, "vokasi_updates_total", type="message") == 0


async def test_metrics_move_with_real_updates(settings: Settings) -> None:
    async with web_bot(settings, webhook_url=WEBHOOK_URL, webhook_secret=SECRET) as web:
        before = await web.metrics()
        siti = web.user(7003)
        for text in ("/start", "kapan pendaftaran las dibuka?", "jual pulsa murah meriah"):
            await web.client.post(
                "/telegram", json=siti.message_update(text), headers={SECRET_HEADER: SECRET}
            )
        await web.replies_to(siti.chat_id, 3)
        after = await web.metrics()

    assert value(after, "vokasi_updates_total", type="message") == 3
    assert (
        value(after, "vokasi_update_seconds_count") - value(before, "vokasi_update_seconds_count")
        == 3
    )
    assert value(after, "vokasi_faq_questions_total", outcome="unanswered") == 1
    asked = sum(
        value(after, "vokasi_faq_questions_total", outcome=outcome)
        for outcome in ("answered", "suggested")
    )
    assert asked == 1
    sent = value(after, "vokasi_bot_api_calls_total", method="sendMessage")
    assert sent - value(before, "vokasi_bot_api_calls_total", method="sendMessage") == 3
    assert value(after, "vokasi_update_errors_total") == 0
    assert value(after, "vokasi_broadcast_outbox_pending") == 0


async def test_health_is_ok_with_the_database_up(settings: Settings) -> None:
    async with web_bot(settings, metrics_port=0) as web:
        response = await web.client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["schema"]


@pytest.mark.sqlite_only
async def test_health_says_unavailable_while_the_database_is_gone(settings: Settings) -> None:
    database = Path(settings.database_url.split("///", 1)[1])
    async with web_bot(settings, metrics_port=0) as web:
        assert (await web.client.get("/healthz")).status_code == 200
        # The disk holding the database goes away: open connections closed, the file gone.
        await web.application.engine.dispose()
        moved = database.with_name("elsewhere.db")
        shutil.move(database, moved)
        database.mkdir()
        down = await web.client.get("/healthz")
        database.rmdir()
        shutil.move(moved, database)
        back = await web.client.get("/healthz")

    assert down.status_code == 503
    assert down.json() == {"status": "unavailable", "database": "unreachable"}
    assert back.status_code == 200


async def test_without_a_webhook_there_is_no_webhook_route(settings: Settings) -> None:
    async with web_bot(settings, metrics_port=0) as web:
        response = await web.client.post("/telegram", json={"update_id": 1})

    assert response.status_code in (404, 405)


def test_the_webhook_is_refused_without_a_secret() -> None:
    with pytest.raises(ValueError, match="WEBHOOK_SECRET is needed"):
        Settings(_env_file=None, webhook_url=WEBHOOK_URL)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="letter, a digit"):
        Settings(_env_file=None, webhook_url=WEBHOOK_URL, webhook_secret="no spaces")  # type: ignore[call-arg]
    assert os.environ.get("WEBHOOK_URL") is None
