"""Socket Mode for the fake Slack: ``apps.connections.open``, the websocket, envelopes and acks."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import uuid
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

from fakes.slack_shapes import (
    _DEBUG_INFO,
    SOCKET_TYPES,
)


class SocketModeFake:
    """The Socket Mode half of the fake (state set up by FakeSlackApi.__init__)."""

    # -- Socket Mode ----------------------------------------------------------------------

    @property
    def socket_connected(self) -> bool:
        """Whether a Socket Mode connection is open (and has been sent ``hello``)."""
        with self._lock:
            return bool(self._sockets)

    @property
    def socket_connections(self) -> int:
        """How many Socket Mode connections were opened so far (reconnections included)."""
        with self._lock:
            return self._socket_connections

    @property
    def socket_acks(self) -> list[dict[str, Any]]:
        """What the app sent back over Socket Mode (``{"envelope_id", "payload"?}``), in order."""
        with self._lock:
            return copy.deepcopy(self._acks)

    def socket_ack(self, envelope_id: str) -> dict[str, Any] | None:
        """The app's acknowledgement of one envelope, or None (not yet, or never)."""
        with self._lock:
            found = [ack for ack in self._acks if ack.get("envelope_id") == envelope_id]
            return copy.deepcopy(found[0]) if found else None

    def socket_send(
        self,
        type_: str,
        payload: dict[str, Any],
        *,
        accepts_response_payload: bool | None = None,
    ) -> str:
        """Push an envelope to the newest connection; returns its ``envelope_id``.

        ``type_`` is "events_api" (``payload`` is the ``event_callback`` JSON), "interactive"
        (the interaction payload) or "slash_commands" (the command's fields). As Slack does,
        ``accepts_response_payload`` is true for slash commands, view submissions and block
        suggestions unless given. Thread-safe; the send is scheduled, not awaited.
        """
        if type_ not in SOCKET_TYPES:
            raise ValueError(f"unknown Socket Mode envelope type {type_!r}")
        if accepts_response_payload is None:
            kind = payload.get("type")
            accepts_response_payload = type_ == "slash_commands" or (
                type_ == "interactive" and kind in ("view_submission", "block_suggestion")
            )
        envelope_id = str(uuid.uuid4())
        envelope: dict[str, Any] = {"envelope_id": envelope_id, "payload": copy.deepcopy(payload)}
        envelope |= {"type": type_, "accepts_response_payload": accepts_response_payload}
        if type_ == "events_api":
            envelope |= {"retry_attempt": 0, "retry_reason": ""}
        self._socket_push(envelope)
        return envelope_id

    def socket_disconnect(self, reason: str = "refresh_requested") -> None:
        """Send Slack's ``disconnect`` message: the client is expected to reconnect."""
        self._socket_push({"type": "disconnect", "reason": reason, "debug_info": _DEBUG_INFO})

    def _socket_push(self, message: dict[str, Any]) -> None:
        with self._lock:
            if not self._sockets or self._loop is None:
                raise RuntimeError("no Socket Mode connection is open")
            socket, loop = self._sockets[-1], self._loop
        future = asyncio.run_coroutine_threadsafe(socket.send_json(message), loop)
        future.add_done_callback(self._socket_sent)

    def _socket_sent(self, future: Any) -> None:
        error = None if future.cancelled() else future.exception()
        if future.cancelled() or error is not None:
            with self._lock:
                self._socket_errors.append(f"a Socket Mode send failed: {error!r}")
                self._lock.notify_all()

    async def closing(self) -> None:
        """Close Socket Mode connections with a clean close frame before the port goes."""
        with self._lock:
            sockets = list(self._sockets)
        for socket in sockets:  # a clean close frame, then the port goes
            with contextlib.suppress(Exception):
                await socket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopping")

    async def _socket(self, request: web.Request) -> web.StreamResponse:
        with self._lock:
            known = request.match_info["ticket"] in self._tickets
        if not known:
            return web.json_response({"ok": False, "error": "invalid_auth"}, status=401)
        socket = web.WebSocketResponse(timeout=2.0)  # autoping answers the client's pings
        await socket.prepare(request)
        with self._lock:
            count = len(self._sockets) + 1
        hello = {"type": "hello", "num_connections": count, "debug_info": _DEBUG_INFO}
        hello["connection_info"] = {"app_id": self.app_id}
        try:
            await socket.send_json(hello)
        except ConnectionError:
            return socket
        with self._lock:
            self._sockets.append(socket)
            self._socket_connections += 1
            self._lock.notify_all()
        try:
            async for message in socket:
                if message.type is not WSMsgType.TEXT:
                    continue
                try:
                    ack = json.loads(message.data)
                except ValueError:
                    ack = None
                with self._lock:
                    if isinstance(ack, dict):
                        self._acks.append(ack)
                    else:
                        self._socket_errors.append(f"not a JSON object: {message.data[:80]!r}")
                    self._lock.notify_all()
        finally:
            with self._lock:
                self._sockets.remove(socket)
                self._lock.notify_all()
        return socket

    def _connections_open(self, params: dict[str, Any]) -> dict[str, Any]:
        ticket = str(uuid.uuid4())
        self._tickets.add(ticket)
        return {"url": f"ws://127.0.0.1:{self.port}/socket/{ticket}"}
