"""A provider's fake HTTP API on 127.0.0.1, served by aiohttp in a thread of its own.

Async tests and end-to-end tests (the product started as a subprocess) share such a fake:
it has its own event loop, so a test's loop and the product's never wait on each other.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from types import TracebackType
from typing import Self

from aiohttp import web


class ThreadedServer:
    """Start, stop and the port; a subclass adds its routes (and may close things on stop)."""

    name = "fake"

    def __init__(self, port: int = 0) -> None:
        # 0: any free port (tests); a fixed one for a pretend client the product expects.
        self._wanted_port = port
        self._port: int | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None

    def routes(self, app: web.Application) -> None:
        """Add the fake's routes."""
        raise NotImplementedError

    async def closing(self) -> None:
        """Called on the server's loop just before the port closes (close websockets...)."""

    @property
    def port(self) -> int:
        """The port it listens on."""
        if self._port is None:
            raise RuntimeError(f"{type(self).__name__} is not running")
        return self._port

    def start(self) -> Self:
        """Serve in a background thread; returns once the port is listening."""
        if self._thread is not None:
            raise RuntimeError(f"{type(self).__name__} already started")
        self._ready.clear()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()
        self._ready.wait(timeout=10)
        if self._startup_error is not None or self._port is None:
            self._thread.join(timeout=10)
            self._thread = None
            raise RuntimeError(f"{type(self).__name__} did not start") from self._startup_error
        return self

    def stop(self) -> None:
        """Close every connection and the port, and end the thread (idempotent)."""
        thread, loop, stopping = self._thread, self._loop, self._stopping
        if thread is None:
            return
        if loop is not None and stopping is not None:
            with contextlib.suppress(RuntimeError):  # the loop closed if the thread ended early
                loop.call_soon_threadsafe(stopping.set)
        thread.join(timeout=10)
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as error:  # reported to start(), not lost in the thread
            self._startup_error = error
            self._ready.set()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        app = web.Application()
        self.routes(app)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        try:
            site = web.TCPSite(runner, "127.0.0.1", self._wanted_port)
            await site.start()
            self._port = int(runner.addresses[0][1])
            self._ready.set()
            await self._stopping.wait()
        finally:
            await self.closing()
            await runner.cleanup()
