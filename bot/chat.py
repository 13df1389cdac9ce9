"""`complaintbot chat`: a customer conversation in the terminal, through the real workflow."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable

from bot.outbox import Dispatcher
from bot.services.app import App
from bot.services.intake import handle_inbound
from bot.storage.migrate import ensure_schema
from channels import console


async def run_chat(app: App, name: str, write: Callable[[str], None]) -> None:
    """Read lines from stdin until end of input; print replies and staff updates as they come."""
    await ensure_schema(app.engine)
    dispatcher = Dispatcher(
        app, {console.CHANNEL: console.ConsoleAdapter(write)}, {console.CHANNEL: name}
    )
    render = app.renderer.render
    write(render("cli/chat_banner", {"name": name}, "cli").text)
    prompt = render("cli/chat_prompt", {"name": name}, "cli").text + " "
    # Anything staff sent while this customer was away is waiting in the outbox.
    await dispatcher.run_once()
    reader = await _stdin_reader()
    stop = asyncio.Event()
    updates = asyncio.create_task(dispatcher.run_forever(stop))
    try:
        while True:
            _prompt(prompt)
            try:
                line = await reader.readline()
            except ValueError:
                # Longer than the reader's limit: the buffer is dropped, say so and go on.
                write(render("cli/chat_line_too_long", {}, "cli").text)
                continue
            if not line:
                break
            await handle_inbound(app, console.inbound(name, line.rstrip(b"\r\n"), app.clock()))
            await dispatcher.run_once()
    finally:
        stop.set()
        await updates
    write(render("cli/chat_goodbye", {"name": name}, "cli").text)


def _prompt(prompt: str) -> None:
    sys.stdout.write(prompt)
    sys.stdout.flush()


async def _stdin_reader() -> asyncio.StreamReader:
    # A StreamReader on stdin, so waiting for input never blocks the loop (and Ctrl-C or end
    # of input ends the chat at once, with no reader thread left behind).
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=1 << 20)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    return reader
