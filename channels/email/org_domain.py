"""Organisational domains ("mail.shop.co.uk" -> "shop.co.uk"), for DMARC alignment."""

from __future__ import annotations

import functools
import importlib.resources

import authheaders
import authheaders.dmarc_lookup
from publicsuffix2 import PublicSuffixList


@functools.cache
def _suffixes() -> PublicSuffixList:
    ref = importlib.resources.files("authheaders") / "public_suffix_list.txt"
    with importlib.resources.as_file(ref) as location, open(location, encoding="utf-8") as lines:
        return PublicSuffixList(lines)


def get_org_domain(domain: str) -> str:
    """The organisational domain ("mail.shop.co.uk" -> "shop.co.uk"), for DMARC alignment."""
    domain = domain.strip(".").lower()
    found = _suffixes().get_public_suffix(domain, strict=True)
    if found is not None:
        return str(found)
    # A top-level domain newer than the bundled list: RFC 7489's default rule ("*") makes the
    # organisation one label under it. Without this every "*.web" domain would be one
    # organisation, and any of them could vouch for another's From.
    return ".".join(domain.split(".")[-2:])


def same_organisation(one: str, other: str) -> bool:
    """Relaxed alignment: both domains belong to one organisation."""
    return bool(one and other) and get_org_domain(one) == get_org_domain(other)


# authheaders reads its 200 KB public suffix list anew on every call (30 ms, several times per
# message): it gets the same list, read once.
authheaders.dmarc_lookup.get_org_domain = get_org_domain
authheaders.get_org_domain = get_org_domain
