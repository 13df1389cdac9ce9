"""DNS for checking senders: timeouts, a small cache, and failures that say "temporary".

The checks (SPF, DKIM, DMARC) run in a worker thread, never on the event loop; a lookup that
times out raises ``DnsTemporaryError`` so the result is a temperror, never a pass.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Protocol

import dns.exception
import dns.resolver


class DnsTemporaryError(dns.exception.DNSException):
    """A lookup that timed out or found no working server: try again later."""

    def __init__(self, detail: str) -> None:
        # A DNSException, so the DKIM and DMARC libraries report it as a temperror.
        super().__init__(detail)  # type: ignore[no-untyped-call]


class Resolver(Protocol):
    """Answers DNS questions as text: A/AAAA addresses, "preference host" for MX, TXT joined."""

    def lookup(self, name: str, qtype: str) -> list[str]:
        """The records of ``qtype`` at ``name``; [] when there are none."""
        ...


class CachingResolver:
    """The system's DNS servers through dnspython, with a timeout and a bounded TTL cache."""

    def __init__(self, timeout: float = 3.0, size: int = 2048, longest_ttl: int = 3600) -> None:
        self._resolver = dns.resolver.Resolver()
        self._timeout = timeout
        self._size = size
        self._longest_ttl = longest_ttl
        self._cache: OrderedDict[tuple[str, str], tuple[float, list[str]]] = OrderedDict()
        self._lock = threading.Lock()

    def lookup(self, name: str, qtype: str) -> list[str]:
        """The records, from the cache while their TTL lasts."""
        key = (name.rstrip(".").lower(), qtype.upper())
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None and cached[0] > now:
                self._cache.move_to_end(key)
                return cached[1]
        records, ttl = self._ask(*key)
        with self._lock:
            self._cache[key] = (now + min(ttl, self._longest_ttl), records)
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return records

    def _ask(self, name: str, qtype: str) -> tuple[list[str], int]:
        try:
            answer = self._resolver.resolve(name, qtype, lifetime=self._timeout)
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return [], 300  # a missing record is remembered briefly too
        except dns.exception.DNSException as error:
            raise DnsTemporaryError(f"{qtype} {name}: {type(error).__name__}") from error
        ttl = answer.rrset.ttl if answer.rrset is not None else 300
        return [_as_text(rdata, qtype) for rdata in answer], ttl


def _as_text(rdata: object, qtype: str) -> str:
    if qtype == "TXT":
        return b"".join(getattr(rdata, "strings", ())).decode("utf-8", "replace")
    if qtype == "MX":
        return f"{getattr(rdata, 'preference', 0)} {getattr(rdata, 'exchange', '')}".rstrip(".")
    if qtype in ("A", "AAAA"):
        return str(getattr(rdata, "address", ""))
    return str(rdata).rstrip(".")
