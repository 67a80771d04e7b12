"""Is `site.url` an address the world can reach, or a stand-in that must not be published?

A site made by `cvgen new` has no `site.url` until its owner has an address
(`cvgen infra deploy` fills in the CloudFront one). Until then, and while it holds a
documentation or local address, canonical links, the sitemap and `cvgen smoke` would point
somewhere that is not the owner's site: the commands warn, naming the setting.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

# Reserved for documentation and testing (RFC 2606, RFC 6761): never anyone's real site.
_EXAMPLE_DOMAINS = ("example.com", "example.net", "example.org")
_RESERVED_TLDS = ("example", "test", "invalid", "localhost")


def placeholder_reason(url: str | None) -> str | None:
    """Why `url` is not a real public address (None when it looks like one)."""
    if url is None:
        return "is not set"
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if not host:
        return "has no host name"
    if any(host == d or host.endswith("." + d) for d in _EXAMPLE_DOMAINS):
        return f"is an example address ({host} is reserved for documentation)"
    if host.rsplit(".", 1)[-1] in _RESERVED_TLDS:
        return f"is not a public address (.{host.rsplit('.', 1)[-1]} is a reserved name)"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if address.is_loopback or address.is_private or address.is_link_local:
        return f"is a local address ({host})"
    return None


def publish_warning(url: str | None) -> str | None:
    """What `cvgen build` / `cvgen publish` say when `site.url` holds a stand-in address.

    An unset site.url is no mistake (a new site; the pages then name no address at all).
    """
    reason = placeholder_reason(url)
    if url is None or reason is None:
        return None
    return (
        f"site.url {url} {reason}: canonical links, the sitemap and `cvgen smoke` would point"
        " there. Set site.url in cvgen.yaml to your site's address, or remove it until you have"
        " one (`cvgen infra deploy` fills it in)"
    )
