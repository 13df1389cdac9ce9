"""Benchmark: how long parsing takes for hostile email (thousands of parts, huge lines).

    .venv/bin/python -m benchmarks.hostile_mail [--repeat 3]

Each case is parsed ``--repeat`` times and the median wall time is printed; the SMTP server
parses off the event loop, but a slow parse still holds a worker thread. Numbers are for
this machine only.
"""

from __future__ import annotations

import argparse
import statistics
import time

from channels.email.parse import parse_email

HEADERS = (
    "From: Alice Example <alice@example.com>\r\n"
    "To: complaints@shop.example\r\n"
    "Subject: Broken kettle\r\n"
    "Message-ID: <m1@example.com>\r\n"
)


def _mail(extra: str, body: str) -> bytes:
    return (HEADERS + extra + "\r\n" + body).encode()


def cases() -> dict[str, bytes]:
    """The hostile messages, by name."""
    parts = "".join("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n" for _ in range(6000))
    return {
        "6,000 MIME parts": _mail(
            "Content-Type: multipart/mixed; boundary=b\r\n", parts + "--b--\r\n"
        ),
        "a 120,000-character reply header line": _mail(
            "", "On " + "a b " * 30000 + "\r\n" + "\r\n" * 50000
        ),
        "6,000 lines of dashes": _mail("", "--\r\n" * 6000 + "The end.\r\n"),
        "a 20 MB plain body": _mail("", ("My kettle broke. " * 60 + "\r\n") * 20000),
    }


def main() -> int:
    """Parse each case, print the median time."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for name, raw in cases().items():
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            parse_email(raw)
            times.append(time.perf_counter() - started)
        print(f"{name}: {statistics.median(times) * 1000:.0f} ms ({len(raw) / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
