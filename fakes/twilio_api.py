"""A fake Twilio REST API on 127.0.0.1 for the real twilio SDK, and a webhook signing helper.

It runs in a thread with its own event loop, so async tests and synchronous end-to-end tests
(which start the product as a subprocess pointed at ``url``) can share it.
"""

from __future__ import annotations

import base64
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from aiohttp import web
from twilio.request_validator import RequestValidator

from channels.sms.segments import sms_segments
from fakes.server import ThreadedServer

API_VERSION = "2010-04-01"
MESSAGES_PATH = f"/{API_VERSION}/Accounts/{{account_sid}}/Messages.json"


def sign(url: str, params: Mapping[str, str], auth_token: str) -> str:
    """The X-Twilio-Signature Twilio would send for a form posted to ``url``."""
    return str(RequestValidator(auth_token).compute_signature(url, params))


def new_sid(prefix: str) -> str:
    """A Twilio-shaped id: two letters and 32 hex digits ("SM…", "MG…", "AC…")."""
    return prefix + secrets.token_hex(16)


@dataclass(frozen=True, slots=True)
class SentSms:
    """A message the fake API accepted."""

    sid: str
    account_sid: str
    to: str
    from_: str | None
    messaging_service_sid: str | None
    body: str
    status_callback: str | None
    media_urls: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Failure:
    status: int
    code: int
    message: str


def _error(status: int, code: int, message: str) -> web.Response:
    return web.json_response(
        {
            "code": code,
            "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        },
        status=status,
    )


class FakeTwilioApi(ThreadedServer):
    """Twilio's ``POST …/Messages.json`` on a free port, recording what it accepts."""

    name = "fake-twilio-api"

    def __init__(
        self, account_sid: str | None = None, auth_token: str | None = None, port: int = 0
    ) -> None:
        super().__init__(port)
        self.account_sid = account_sid or new_sid("AC")
        self.auth_token = auth_token or secrets.token_hex(16)
        self._lock = threading.Condition()
        self._sent: list[SentSms] = []
        self._failures: list[_Failure] = []
        self._attempts = 0

    # -- what tests look at and program --------------------------------------------------

    @property
    def url(self) -> str:
        """Base URL to give the SDK instead of https://api.twilio.com."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def sent(self) -> list[SentSms]:
        """The accepted messages so far, oldest first (a copy)."""
        with self._lock:
            return list(self._sent)

    @property
    def attempts(self) -> int:
        """How many authenticated create requests arrived, failed ones included."""
        with self._lock:
            return self._attempts

    def fail_next(self, status: int, code: int, message: str, times: int = 1) -> None:
        """Answer the next ``times`` create requests with this Twilio error."""
        with self._lock:
            self._failures.extend([_Failure(status, code, message)] * times)

    def wait_for_sent(self, count: int, timeout: float = 5.0) -> list[SentSms]:
        """Block until ``count`` messages were accepted; TimeoutError if they are not."""
        with self._lock:
            if not self._lock.wait_for(lambda: len(self._sent) >= count, timeout):
                raise TimeoutError(f"{len(self._sent)} of {count} messages sent")
            return list(self._sent)

    # -- lifecycle ------------------------------------------------------------------------

    def routes(self, app: web.Application) -> None:
        """Twilio's create-message endpoint."""
        app.router.add_post(MESSAGES_PATH, self._create_message)

    # -- the API ---------------------------------------------------------------------------

    def _authorised(self, request: web.Request) -> bool:
        scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
        try:
            credentials = base64.b64decode(encoded, validate=True).decode()
        except (ValueError, UnicodeDecodeError):
            return False
        expected = f"{self.account_sid}:{self.auth_token}"
        return scheme.lower() == "basic" and secrets.compare_digest(credentials, expected)

    async def _create_message(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return _error(401, 20003, "Authenticate")
        account_sid = request.match_info["account_sid"]
        if account_sid != self.account_sid:
            return _error(404, 20404, "The requested resource was not found")
        form = await request.post()
        fields = {key: str(value) for key, value in form.items()}
        with self._lock:
            self._attempts += 1
            failure = self._failures.pop(0) if self._failures else None
        if failure is not None:
            return _error(failure.status, failure.code, failure.message)
        if not fields.get("To"):
            return _error(400, 21604, "A 'To' phone number is required.")
        if not fields.get("From") and not fields.get("MessagingServiceSid"):
            return _error(400, 21603, "A 'From' phone number is required.")
        media = tuple(str(value) for value in form.getall("MediaUrl", []))
        if not fields.get("Body") and not media:
            return _error(400, 21602, "Message body is required.")
        message = SentSms(
            sid=new_sid("SM"),
            account_sid=account_sid,
            to=fields["To"],
            from_=fields.get("From"),
            messaging_service_sid=fields.get("MessagingServiceSid"),
            body=fields.get("Body", ""),
            status_callback=fields.get("StatusCallback"),
            media_urls=media,
        )
        with self._lock:
            self._sent.append(message)
            self._lock.notify_all()
        return web.json_response(_resource(message), status=201)


def _resource(message: SentSms) -> dict[str, Any]:
    now = format_datetime(datetime.now(UTC), usegmt=True)
    uri = f"/{API_VERSION}/Accounts/{message.account_sid}/Messages/{message.sid}"
    # Through a Messaging Service without a From, Twilio picks the sender later: "accepted".
    accepted = message.from_ is None
    return {
        "account_sid": message.account_sid,
        "api_version": API_VERSION,
        "body": message.body,
        "date_created": now,
        "date_sent": None,
        "date_updated": now,
        "direction": "outbound-api",
        "error_code": None,
        "error_message": None,
        "from": message.from_,
        "messaging_service_sid": message.messaging_service_sid,
        "num_media": str(len(message.media_urls)),
        "num_segments": str(sms_segments(message.body).segments),
        "price": None,
        "price_unit": "USD",
        "sid": message.sid,
        "status": "accepted" if accepted else "queued",
        "subresource_uris": {"media": f"{uri}/Media.json"},
        "to": message.to,
        "uri": f"{uri}.json",
    }
