"""The HTTP app: health, readiness (with each live channel's own check) and the webhooks of
every live channel, as the channel registry lists them."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from bot.registry import live_channels
from bot.services.app import App
from bot.storage.database import write_problem


def create_web_app(app: App) -> Starlette:
    """Build the Starlette application for ``serve``."""

    async def health(_: Request) -> JSONResponse:
        # Liveness: the process answers. Readiness (below) checks what it depends on.
        return JSONResponse({"status": "ok"})

    async def ready(_: Request) -> JSONResponse:
        # Ready means a message would be written now, not that the database answers a read:
        # SQLite locked by another process still answers SELECT 1.
        problem = await write_problem(app.engine)
        if problem is not None:
            return JSONResponse({"status": "unavailable", "database": problem}, status_code=503)
        answer: dict[str, Any] = {"status": "ready", "database": app.engine.dialect.name}
        # Messages waiting on disk for the database mean writes have been failing.
        waiting = await asyncio.to_thread(app.journal.waiting)
        answer["journal"] = waiting
        healthy = waiting == 0
        for name, check in checks.items():
            ok, details = await check()
            answer[name] = details
            healthy = healthy and ok
        if not healthy:
            answer["status"] = "unavailable"
        return JSONResponse(answer, status_code=200 if healthy else 503)

    channels = live_channels(app.settings)
    checks = {channel.name: channel.ready(app) for channel in channels if channel.ready}
    routes: list[BaseRoute] = [Route("/healthz", health), Route("/readyz", ready)]
    for channel in channels:
        if channel.routes is not None:
            routes += channel.routes(app)
    return Starlette(routes=routes)
