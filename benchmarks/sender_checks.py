"""Benchmark: what checking an email's sender costs, and what the shared corpus carries.

    .venv/bin/python -m benchmarks.sender_checks [--messages 200]

1. The cost per message of the MX checks (SPF, DKIM, DMARC) on DKIM-signed mail, with DNS
   answered from memory (so the figure is our CPU, not the network: a real lookup adds its
   round trip, once per domain while the cache holds it), and of reading the operator's
   Authentication-Results in forwarding mode.
2. The shared corpus (../shared/corpus/email): how many messages carry a DKIM signature or an
   Authentication-Results header, and what the MX checks make of each with DNS unavailable
   (every lookup times out): no message may come out verified.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from channels.email.authentication import from_authentication_results, verify_as_mx
from fakes.mail_auth import FakeDns, email, publish_domain, signed
from workflows.sender_trust import SenderAuthentication

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "email"


def _timed(runs: int, check: object) -> list[float]:
    assert callable(check)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        check()
        times.append((time.perf_counter() - start) * 1000)
    return times


def cost(messages: int) -> None:
    """Milliseconds per message for each way of checking."""
    dns = FakeDns()
    publish_domain(dns, "customer.example")
    mails = [
        signed(email(body=f"Complaint number {n}: my order arrived broken."), "customer.example")
        for n in range(messages)
    ]
    turn = iter(range(10**9))

    def mx() -> None:
        raw = mails[next(turn) % messages]
        verify_as_mx(
            raw,
            ip="192.0.2.10",
            helo="mail.customer.example",
            mail_from="bea@customer.example",
            resolver=dns,
            recipients=("complaints@shop.example",),
        )

    header = (
        "Authentication-Results: mx.shop.example; spf=pass smtp.mailfrom=bea@customer.example;"
        " dkim=pass header.d=customer.example; dmarc=pass header.from=customer.example\r\n"
    )
    # The operator's verdict on top of the signed message it checked.
    forwarded_mail = header.encode() + mails[0]

    def forwarded() -> None:
        from_authentication_results(forwarded_mail, "mx.shop.example", ("complaints@shop.example",))

    for name, check in (("mx (SPF+DKIM+DMARC, DNS from memory)", mx), ("forwarded", forwarded)):
        _timed(5, check)  # warm up
        times = _timed(messages, check)
        print(
            f"{name}: median {statistics.median(times):.2f} ms, "
            f"p95 {sorted(times)[int(len(times) * 0.95) - 1]:.2f} ms per message "
            f"({messages} messages)"
        )


def corpus() -> None:
    """Signatures in the shared corpus, and the verdicts with DNS unavailable."""
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file())
    down = FakeDns(down={"*"})
    signed_count = headers = verified = 0
    verdicts: Counter[str] = Counter()
    for path in files:
        raw = path.read_bytes()
        head = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0].lower()
        signed_count += b"\ndkim-signature:" in b"\n" + head
        headers += b"\nauthentication-results:" in b"\n" + head
        result = verify_as_mx(
            raw, ip="198.51.100.7", helo="mail.example", mail_from="", resolver=down
        )
        verified += SenderAuthentication.from_dict(asdict(result)).authenticated
        verdicts[f"spf={result.spf} dkim={result.dkim} dmarc={result.dmarc}"] += 1
    print(
        f"corpus: {len(files)} messages, {signed_count} with a DKIM signature, {headers} with "
        f"an Authentication-Results header; verified with DNS unavailable: {verified}"
    )
    for verdict, count in verdicts.most_common():
        print(f"  {count:4d}  {verdict}")


def main() -> None:
    """Print both."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200)
    args = parser.parse_args()
    cost(args.messages)
    corpus()


if __name__ == "__main__":
    main()
