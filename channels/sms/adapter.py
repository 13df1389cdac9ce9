"""Sends SMS through Twilio's Messages API with the real twilio SDK, on its aiohttp client."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from twilio.base.exceptions import TwilioRestException, TwilioServiceException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

from channels.base import DeliveryError, DeliveryResult, OutboundMessage, numbered_choices
from channels.sms.segments import gsm_safe

CHANNEL = "sms"
_DEFAULT_TIMEOUT = 30.0


def _basic_auth(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode("ascii")


def _is_twilio_host(host: str | None) -> bool:
    return host is not None and (host == "twilio.com" or host.endswith(".twilio.com"))


class _HttpClient(AsyncTwilioHttpClient):  # type: ignore[misc]  # the SDK ships no type hints
    """The SDK's aiohttp client with a request timeout and, for tests, another API host."""

    def __init__(self, base_url: str | None, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self._base = urlsplit(base_url) if base_url else None

    async def request(
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 (the SDK's signature)
        allow_redirects: bool = False,
    ) -> Any:
        """Send one API request; the SDK builds it, only host and timeout are adjusted."""
        parts = urlsplit(url)
        # Any *.twilio.com host: TWILIO_EDGE / TWILIO_REGION in the environment change it.
        if self._base is not None and _is_twilio_host(parts.hostname):
            base_path = self._base.path.rstrip("/")
            url = urlunsplit(
                (self._base.scheme, self._base.netloc, base_path + parts.path, parts.query, "")
            )
        if auth is not None:
            # The SDK would wrap the credentials in aiohttp.BasicAuth, deprecated since aiohttp
            # 3.14 (a DeprecationWarning on every send); the SDK's request log skips this header.
            headers = {**(headers or {}), "Authorization": _basic_auth(*auth)}
        return await super().request(
            method,
            url,
            params=params,
            data=data,
            headers=headers,
            auth=None,
            # The SDK's async client drops its own timeout and would wait forever.
            timeout=timeout if timeout is not None else self.timeout,
            allow_redirects=allow_redirects,
        )


def _transient(status: int) -> bool:
    # 401/403/404 are our configuration (a wrong token or account), not the message: retried
    # with backoff, so fixing the setting lets the queue drain instead of failing it all.
    return status in {401, 403, 404, 408, 429} or status >= 500


class TwilioSmsAdapter:
    """Sends outbound messages as SMS from a Twilio number or a Messaging Service."""

    name = CHANNEL

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        *,
        from_number: str | None = None,
        messaging_service_sid: str | None = None,
        status_callback: str | None = None,
        api_base_url: str | None = None,
        timeout: float = _DEFAULT_TIMEOUT,
    ) -> None:
        # An empty value counts as not given: unset variables in a .env often arrive as "".
        if bool(from_number) == bool(messaging_service_sid):
            raise ValueError("give exactly one of from_number and messaging_service_sid")
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self._account_sid = account_sid
        self._auth_token = auth_token
        self._sender = (
            {"from_": from_number}
            if from_number
            else {"messaging_service_sid": str(messaging_service_sid)}
        )
        self._status_callback = status_callback
        self._api_base_url = api_base_url
        self._timeout = timeout
        self._http: _HttpClient | None = None
        self._client: Any = None

    def __repr__(self) -> str:
        return f"TwilioSmsAdapter(account_sid={self._account_sid!r}, {self._sender!r})"

    def _twilio(self) -> Any:
        # Built on first use: the SDK's client opens an aiohttp session in its constructor,
        # and that needs the running event loop the session will be used on.
        if self._client is None:
            self._http = _HttpClient(self._api_base_url, self._timeout)
            self._client = Client(self._account_sid, self._auth_token, http_client=self._http)
        return self._client

    async def send(self, message: OutboundMessage) -> DeliveryResult:
        """Send the text and its choices as a numbered list; raise DeliveryError on failure."""
        fields = {
            "to": message.address,
            "body": gsm_safe("\n".join([message.text, *numbered_choices(message)])),
            **self._sender,
        }
        if self._status_callback:
            fields["status_callback"] = self._status_callback
        try:
            created = await self._twilio().messages.create_async(**fields)
        except (TwilioRestException, TwilioServiceException) as error:
            raise _delivery_error(error) from error
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            reason = f"cannot reach Twilio: {type(error).__name__}: {error}"
            raise DeliveryError(reason, permanent=False) from error
        return DeliveryResult(provider_id=created.sid, reports_follow=True)

    async def close(self) -> None:
        """Release the HTTP session; a later send opens a new one."""
        http, self._http, self._client = self._http, None, None
        if http is not None:
            await http.close()


def _delivery_error(error: TwilioRestException | TwilioServiceException) -> DeliveryError:
    status = int(error.status)
    # Not str(error): the SDK colours that with terminal escapes when stderr is a terminal.
    text = error.msg if isinstance(error, TwilioRestException) else error.detail or error.title
    reason = f"Twilio error {error.code} (HTTP {status}): {text}"
    return DeliveryError(reason, permanent=not _transient(status))
