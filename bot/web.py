"""The HTTP app: health, readiness (with each live channel's own check) and the webhooks of
every live channel, as the channel registry lists them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from bot.registry import live_channels
from bot.services.app import App


def create_web_app(app: App) -> Starlette:
    """Build the Starlette application for ``serve``."""

    async def health(_: Request) -> JSONResponse:
        # Liveness: the process answers. Readiness (below) checks what it depends on.
        return JSONResponse({"status": "ok"})

    async def ready(_: Request) -> JSONResponse:
        try:
            async with app.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as error:
            return JSONResponse(
                {"status": "unavailable", "database": type(error).__name__}, status_code=503
            )
        answer: dict[str, Any] = {"status": "ready", "database": app.engine.dialect.name}
        healthy = True
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
