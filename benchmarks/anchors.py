"""The yardsticks the SMS benchmark measures the product against, each a one-process server.

    .venv/bin/python -m benchmarks.anchors bare --port 8601
    .venv/bin/python -m benchmarks.anchors insert --port 8602 --database-url sqlite+aiosqlite:///x.db

``bare`` parses the same form the product's SMS webhook parses and answers the same empty TwiML:
the most a Python web server does on this machine. ``insert`` does that and also inserts each
request into a table with SQLAlchemy and commits, on an engine with the product's settings
(``bot.storage.database.create_engine``: WAL and synchronous=NORMAL on SQLite): the naive
endpoint a webhook's whole path is held to.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import AsyncIterator
from urllib.parse import parse_qsl

import uvicorn
from sqlalchemy import Column, Integer, MetaData, String, Table, Text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.storage.database import SQLITE_WRITE, create_engine

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'

_metadata = MetaData()
messages = Table(
    "anchor_messages",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("sid", String(64), nullable=False),
    Column("sender", String(32), nullable=False),
    Column("body", Text, nullable=False),
)


async def _form(request: Request) -> dict[str, str]:
    body = await request.body()
    return dict(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))


def bare_app() -> Starlette:
    """Parse the form, answer empty TwiML."""

    async def incoming(request: Request) -> Response:
        await _form(request)
        return Response(EMPTY_TWIML, media_type="text/xml")

    return Starlette(routes=[Route("/webhooks/twilio/sms", incoming, methods=["POST"])])


def insert_app(engine: AsyncEngine) -> Starlette:
    """Parse the form, insert it and commit, answer empty TwiML."""

    async def incoming(request: Request) -> Response:
        form = await _form(request)
        async with engine.connect() as connection:
            connection = await connection.execution_options(**{SQLITE_WRITE: True})
            async with connection.begin():
                await connection.execute(
                    messages.insert().values(
                        sid=form.get("MessageSid", ""),
                        sender=form.get("From", ""),
                        body=form.get("Body", ""),
                    )
                )
        return Response(EMPTY_TWIML, media_type="text/xml")

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        async with engine.begin() as connection:
            await connection.run_sync(_metadata.create_all)
        yield
        await engine.dispose()

    return Starlette(
        routes=[Route("/webhooks/twilio/sms", incoming, methods=["POST"])], lifespan=lifespan
    )


def main() -> None:
    """Serve one anchor until stopped."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("bare", "insert"))
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database-url", help="for insert: where to insert")
    args = parser.parse_args()
    if args.kind == "bare":
        app = bare_app()
    else:
        if not args.database_url:
            parser.error("insert needs --database-url")
        app = insert_app(create_engine(args.database_url))
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
