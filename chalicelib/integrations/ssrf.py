"""Where a webhook may go: HTTPS to a public address that is not the portal (SSRF guard).

Checked when an administrator registers an endpoint, and again at every delivery: a name that
resolved to a public address yesterday may resolve to the cloud's metadata service today (DNS
rebinding). The delivery then connects to the address checked here, never resolving again.

Refused: any scheme but ``https``; a URL with user information; the portal's own host; link-local
and cloud metadata addresses (169.254.0.0/16, fe80::/10, ``fd00:ec2::254``); loopback, private,
shared (100.64.0.0/10), multicast, reserved and unspecified ranges; a name that resolves to any
of these. On the local stack only (``SSP_WEBHOOK_ALLOW_LOCAL=true``) ``http`` to ``localhost``,
``127.0.0.1`` or ``::1`` is allowed, so the sample registry can receive; metadata addresses stay
refused there too.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import NamedTuple
from urllib.parse import SplitResult, urlsplit

from chalicelib import config

LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
METADATA = (ipaddress.ip_network("169.254.0.0/16"), ipaddress.ip_network("fe80::/10"), ipaddress.ip_network("fd00:ec2::254/128"))
MAX_URL = 2000


class Refused(ValueError):
    """The URL may not receive webhooks; ``code`` says why (shown to the administrator)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class Target(NamedTuple):
    """Where one delivery connects: the checked address, and the name TLS verifies."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


def local_allowed() -> bool:
    return config.get_bool("SSP_WEBHOOK_ALLOW_LOCAL")


def check_url(url: str) -> SplitResult:
    """The URL's parts if its form may receive webhooks (no DNS yet), else ``Refused``."""
    if len(url) > MAX_URL or any(ch.isspace() or ord(ch) < 0x20 for ch in url):
        raise Refused("bad_url")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise Refused("bad_url") from None
    host = (parts.hostname or "").lower()
    if not host:
        raise Refused("bad_url")
    if parts.username is not None or parts.password is not None:
        raise Refused("credentials_in_url")
    if parts.fragment:
        raise Refused("bad_url")
    local = local_allowed() and host in LOCAL_NAMES
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise Refused("https_required")
    if _is_portal(host, port or (443 if parts.scheme == "https" else 80), local):
        raise Refused("portal_itself")
    return parts


def resolve(url: str) -> Target:
    """Check the URL, resolve its host and check every address it resolves to."""
    parts = check_url(url)
    host = (parts.hostname or "").lower()
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise Refused("unknown_host") from None
    addresses = sorted({str(info[4][0]) for info in infos})
    if not addresses:
        raise Refused("unknown_host")
    local = local_allowed() and host in LOCAL_NAMES
    for address in addresses:
        check_address(address, local=local)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, host, port, path, addresses[0])


def check_address(address: str, *, local: bool = False) -> None:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip in network for network in METADATA):
        raise Refused("link_local_address")
    if ip.is_loopback and local:
        return
    if ip.is_loopback or ip.is_private or ip.is_multicast or ip.is_reserved or ip.is_unspecified or not ip.is_global:
        raise Refused("private_address")


def _is_portal(host: str, port: int, local: bool) -> bool:
    """The portal's own origin: on the local stack its exact host and port (the sample registry
    shares loopback with it); elsewhere its host on any port, and any name under it."""
    portal = urlsplit(config.get("SSP_PUBLIC_URL"))
    portal_host = (portal.hostname or "").lower()
    if not portal_host:
        return False
    if local:
        portal_port = portal.port or (443 if portal.scheme == "https" else 80)
        same_host = host == portal_host or (host in LOCAL_NAMES and portal_host in LOCAL_NAMES)
        return same_host and port == portal_port
    return host == portal_host or host.endswith("." + portal_host)
