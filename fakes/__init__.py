"""Fakes shared by every test and benchmark: a clock, randomness, channel adapters, providers."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from channels.base import DeliveryError, DeliveryResult, OutboundMessage

START = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


@dataclass
class FakeClock:
    """A clock that moves only when told to."""

    now: datetime = START

    def __call__(self) -> datetime:
        """The current fake time."""
        return self.now

    def advance(self, **delta: float) -> datetime:
        """Move time forward by ``timedelta(**delta)``."""
        self.now += timedelta(**delta)
        return self.now


class SeededRandom:
    """Deterministic randomness for reference numbers."""

    def __init__(self, seed: int = 1) -> None:
        self._random = random.Random(seed)

    def randbelow(self, n: int, /) -> int:
        """A seeded random integer in [0, n)."""
        return self._random.randrange(n)


@dataclass
class RecordingAdapter:
    """A channel adapter that keeps what it was asked to send."""

    name: str = "console"
    sent: list[OutboundMessage] = field(default_factory=list)
    delay: float = 0.0

    async def send(self, message: OutboundMessage) -> DeliveryResult:
        """Keep the message (after the configured delay)."""
        if self.delay:
            await asyncio.sleep(self.delay)
        self.sent.append(message)
        return DeliveryResult(provider_id=f"{self.name}-{message.outbox_id}")


@dataclass
class FailingAdapter:
    """Fails the first ``failures`` sends (transient unless ``permanent``), then succeeds."""

    name: str = "console"
    failures: int = 1_000_000
    permanent: bool = False
    crash: bool = False
    attempts: int = 0
    sent: list[OutboundMessage] = field(default_factory=list)

    async def send(self, message: OutboundMessage) -> DeliveryResult:
        """Fail as configured, then keep the message."""
        self.attempts += 1
        if self.attempts <= self.failures:
            if self.crash:
                raise ConnectionResetError("provider hung up")
            raise DeliveryError("provider said no", permanent=self.permanent)
        self.sent.append(message)
        return DeliveryResult(provider_id=f"ok-{message.outbox_id}")
