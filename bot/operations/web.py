"""Running the bot: polling or Telegram's webhook, and /healthz and /metrics on one uvicorn
server.

`serve` runs the Application the way PTB's `run_polling` would (initialise, start, stop, shut
down, persistence flushed on the way out) until `stopping` is set, which `python -m bot run`
does on SIGINT or SIGTERM. Start-up errors (a rejected token, an unreachable Bot API) come out
as they are, without PTB's retry loop logging a traceback first.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import uvicorn
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

from bot.config import Settings
from bot.context import SERVICES, Services
from db.broadcasts import count_outbox_pending
from db.migrate import schema_revision

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# /healthz answers within this, so a hung database reads as down, not as a hung probe.
HEALTH_TIMEOUT_SECONDS = 5.0
# Telegram's own default; a small server gains nothing from more parallel webhook posts.
WEBHOOK_MAX_CONNECTIONS = 40


class ServingError(Exception):
    """The server cannot start (the port is taken, say); the message is one line."""


def web_app(application: Application, settings: Settings) -> Starlette:  # type: ignore[type-arg]
    """The routes: /healthz and /metrics always, the webhook's path when one is set."""
    services: Services = application.bot_data[SERVICES]

    async def healthz(_request: Request) -> Response:
        try:
            async with (
                asyncio.timeout(HEALTH_TIMEOUT_SECONDS),
                services.session_factory() as session,
            ):
                revision = await schema_revision(session)
        except Exception as error:  # noqa: BLE001 - any failure means "not healthy"
            logger.warning("Health check: the database does not answer (%s)", type(error).__name__)
            return JSONResponse({"status": "unavailable", "database": "unreachable"}, 503)
        return JSONResponse({"status": "ok", "database": "ok", "schema": revision})

    async def metrics(_request: Request) -> Response:
        try:
            async with (
                asyncio.timeout(HEALTH_TIMEOUT_SECONDS),
                services.session_factory() as session,
            ):
                services.metrics.outbox_pending.set(await count_outbox_pending(session))
        except Exception as error:  # noqa: BLE001 - the other figures are still worth having
            logger.warning("Metrics: the outbox could not be counted (%s)", type(error).__name__)
        return Response(generate_latest(services.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    async def telegram_update(request: Request) -> Response:
        secret = settings.webhook_secret.get_secret_value()  # type: ignore[union-attr]
        given = request.headers.get(SECRET_HEADER)
        if given is None or not hmac.compare_digest(given.encode(), secret.encode()):
            reason = "missing_secret" if given is None else "wrong_secret"
            services.metrics.webhook_refused.labels(reason).inc()
            logger.warning("Webhook call refused: %s, from %s", reason, client_of(request))
            return Response(status_code=403)
        try:
            update = Update.de_json(await request.json(), application.bot)
        except Exception:  # noqa: BLE001 - whatever it was, it was not an update
            services.metrics.webhook_refused.labels("not_an_update").inc()
            return Response(status_code=400)
        await application.update_queue.put(update)
        return Response(status_code=200)

    routes = [Route("/healthz", healthz), Route("/metrics", metrics)]
    if settings.webhook_url is not None:
        path = urlsplit(settings.webhook_url).path or "/"
        routes.append(Route(path, telegram_update, methods=["POST"]))
    return Starlette(routes=routes)


def client_of(request: Request) -> str:
    return request.client.host if request.client else "?"


class EmbeddedServer(uvicorn.Server):
    """uvicorn inside the bot's own lifecycle: the bot, not uvicorn, handles the signals."""

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def wants_web_server(settings: Settings) -> bool:
    return settings.webhook_url is not None or settings.metrics_port is not None


def listen(settings: Settings) -> socket.socket:
    """The bound, listening socket: port 0 picks a free one (tests)."""
    port = settings.webhook_port if settings.webhook_url is not None else settings.metrics_port
    try:
        listener = socket.create_server((settings.webhook_listen, port or 0))
    except OSError as error:
        raise ServingError(
            f"Cannot listen on {settings.webhook_listen}:{port} ({error.strerror or error}): "
            "is another program using the port? Change WEBHOOK_PORT or METRICS_PORT."
        ) from error
    return listener


async def serve(
    application: Application,  # type: ignore[type-arg]
    settings: Settings,
    stopping: asyncio.Event,
    listener: socket.socket | None = None,
) -> None:
    """Run the bot until `stopping` is set: polling or the webhook, and the web server when
    the settings ask for one (`listener`, else a socket bound as they say)."""
    webhook = settings.webhook_url is not None
    if listener is None and wants_web_server(settings):
        listener = listen(settings)
    async with application:
        if webhook:
            await application.bot.set_webhook(
                url=settings.webhook_url,  # type: ignore[arg-type]
                secret_token=settings.webhook_secret.get_secret_value(),  # type: ignore[union-attr]
                allowed_updates=Update.ALL_TYPES,
                max_connections=WEBHOOK_MAX_CONNECTIONS,
            )
        else:
            # Drops a webhook set earlier, as Telegram answers getUpdates only without one.
            await application.updater.start_polling(  # type: ignore[union-attr]
                allowed_updates=Update.ALL_TYPES, error_callback=log_polling_error
            )
        await application.start()
        try:
            if listener is None:
                await stopping.wait()
            else:
                await serve_web(application, settings, stopping, listener)
        finally:
            if not webhook:
                await application.updater.stop()  # type: ignore[union-attr]
            await application.stop()


async def serve_web(
    application: Application,  # type: ignore[type-arg]
    settings: Settings,
    stopping: asyncio.Event,
    listener: socket.socket,
) -> None:
    config = uvicorn.Config(
        web_app(application, settings),
        lifespan="off",
        # The bot's logging stays as configured: uvicorn's own set-up would replace it.
        log_config=None,
        log_level="warning",
        access_log=False,
    )
    server = EmbeddedServer(config)
    host, port = listener.getsockname()[:2]
    logger.info(
        "Serving %s/healthz and /metrics on http://%s:%s",
        "the webhook, " if settings.webhook_url else "",
        host,
        port,
    )
    server_task = asyncio.create_task(server.serve(sockets=[listener]))
    stop_task = asyncio.create_task(stopping.wait())
    try:
        # A server that fails on its own ends the run too, rather than leave a deaf bot.
        await asyncio.wait((server_task, stop_task), return_when=asyncio.FIRST_COMPLETED)
    finally:
        stop_task.cancel()
        server.should_exit = True
        await server_task


def log_polling_error(error: Any) -> None:
    logger.warning("Polling: %s (retrying)", error)
