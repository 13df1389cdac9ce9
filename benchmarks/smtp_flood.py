"""Benchmark: a flood of SMTP clients each holding megabytes mid-DATA; memory of `serve`.

    .venv/bin/python -m benchmarks.smtp_flood [--clients 200] [--mib 5] [--rounds 3]

Starts `complaintbot serve` on a fresh data folder, then, each round, opens ``--clients``
connections (from 127.0.0.1, 127.0.0.2, … so each is another client address), sends
``--mib`` MiB of DATA on each without ending it, closes them all and waits. Prints the
server's resident memory (VmRSS) before, at the peak of each round and after it, how many
connections were refused with 421, and how long an HTTP health check took at the peak.
Numbers are for this machine only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

MIB = 1024 * 1024


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rss_mib(pid: int) -> float:
    """The process's resident memory in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def _client(port: int, source: str, size: int, hold: asyncio.Event) -> bool:
    """One client: greeting, envelope, ``size`` bytes of DATA, then wait; False if refused."""
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
    except OSError:
        return False
    try:
        greeting = await reader.readline()
        if not greeting.startswith(b"220"):
            return False
        for command in (b"EHLO flood\r\n", b"MAIL FROM:<a@example.com>\r\n"):
            writer.write(command)
            await writer.drain()
            while (line := await reader.readline())[3:4] != b" ":
                if not line:
                    return False
        writer.write(b"RCPT TO:<complaints@localhost>\r\nDATA\r\n")
        await writer.drain()
        await reader.readline()
        await reader.readline()
        line = b"x" * 76 + b"\r\n"
        chunk = line * (MIB // len(line))
        for _ in range(size // len(chunk)):
            writer.write(chunk)
            await writer.drain()
        await hold.wait()
        return True
    except (OSError, asyncio.IncompleteReadError):
        return False
    finally:
        writer.close()


async def _round(
    port: int, http: int, clients: int, size: int, pid: int
) -> tuple[float, int, float]:
    hold = asyncio.Event()
    tasks = [
        asyncio.create_task(_client(port, f"127.0.{1 + n // 250}.{1 + n % 250}", size, hold))
        for n in range(clients)
    ]
    await asyncio.sleep(2)
    while True:  # until every accepted client has sent its bytes
        before = rss_mib(pid)
        await asyncio.sleep(1)
        if rss_mib(pid) - before < 1:
            break
    peak = rss_mib(pid)
    started = time.perf_counter()
    async with httpx.AsyncClient() as client:
        await client.get(f"http://127.0.0.1:{http}/healthz", timeout=30)
    health = time.perf_counter() - started
    hold.set()
    accepted = sum(await asyncio.gather(*tasks))
    return peak, clients - accepted, health


async def flood(port: int, http: int, pid: int, clients: int, size: int, rounds: int) -> None:
    """Flood the server ``rounds`` times, printing its memory."""
    start = rss_mib(pid)
    print(f"start: {start:.0f} MiB")
    for number in range(1, rounds + 1):
        peak, refused, health = await _round(port, http, clients, size, pid)
        await asyncio.sleep(5)
        after = rss_mib(pid)
        print(
            f"round {number}: peak {peak:.0f} MiB, after {after:.0f} MiB, "
            f"{refused} of {clients} refused (421), /healthz at the peak {health:.2f} s"
        )


def run(clients: int, size: int, rounds: int) -> None:
    """Start serve on a fresh data folder, flood it, stop it."""
    with tempfile.TemporaryDirectory() as folder:
        port, http = _free_port(), _free_port()
        env = {
            **os.environ,
            "COMPLAINTBOT_DATA_DIR": str(Path(folder) / "data"),
            "COMPLAINTBOT_SMTP_PORT": str(port),
            "COMPLAINTBOT_HTTP_PORT": str(http),
            "COMPLAINTBOT_PRETEND_CHANNELS": "false",
            "PYTHONUNBUFFERED": "1",
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert server.stdout is not None
            while "running" not in (line := server.stdout.readline()):
                if not line and server.poll() is not None:
                    raise SystemExit("serve did not start")
            time.sleep(1)
            asyncio.run(flood(port, http, server.pid, clients, size, rounds))
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> int:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--mib", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    run(args.clients, args.mib * MIB, args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
