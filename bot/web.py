"""The HTTP app: health and readiness now; provider webhooks mount here as channels land."""

from __future__ import annotations

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

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
        return JSONResponse({"status": "ready", "database": app.engine.dialect.name})

    routes = [Route("/healthz", health), Route("/readyz", ready)]
    if app.settings.sms_problem is None:
        from bot.webhooks.twilio import twilio_routes

        routes += twilio_routes(app)
    return Starlette(routes=routes)
