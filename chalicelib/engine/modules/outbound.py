"""Outbound HTTP for handler modules (WebHook, Federation): checked destinations, urllib3.

Before a request leaves, its host is resolved and every address checked:
- link-local and cloud metadata endpoints are always refused (169.254.0.0/16, fe80::/10,
  fd00:ec2::254, 100.100.100.200, metadata.google.internal, ...);
- private, loopback and other internal addresses are refused unless
  ``webhook_allow_private`` is set or the allow-list names the destination;
- with a non-empty ``webhook_allowlist`` only listed destinations are reachable (entries:
  ``host.example.com``, ``*.example.com``, an IP address or a CIDR).
The connection then goes to the checked address (no second lookup that DNS rebinding could
answer differently), with the original host name for ``Host`` and TLS verification.
Redirects are not followed: a redirect could point anywhere.

Each request has a total deadline (connect + send + answer + body): the smaller of its
``timeout`` option, ``outbound_deadline_seconds`` and what the executor has left
(``deadline_within``). Every socket wait is set to what remains of it, and the body is read in
chunks against the clock, so a slow or trickling server cannot stretch an attempt.
"""

from __future__ import annotations

import base64
import contextlib
import ipaddress
import socket
import time
from collections import OrderedDict
from collections.abc import Container, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from chalicelib.engine.modules.base import ActionFailed
from chalicelib.settings import Settings, get_settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALWAYS_REFUSED_NETWORKS = tuple(
    ipaddress.ip_network(cidr)
    for cidr in (
        "169.254.0.0/16",  # IPv4 link-local, AWS/GCP/Azure metadata 169.254.169.254
        "fe80::/10",  # IPv6 link-local
        "fd00:ec2::254/128",  # AWS metadata over IPv6
        "100.100.100.200/32",  # Alibaba Cloud metadata
        "0.0.0.0/8",
        "::/128",
        "224.0.0.0/4",
        "ff00::/8",
        "255.255.255.255/32",
    )
)
ALWAYS_REFUSED_NAMES = frozenset(
    {
        "metadata.google.internal",
        "metadata.goog",
        "metadata",
        "instance-data",
        "instance-data.ec2.internal",
        "metadata.azure.internal",
        "metadata.tencentyun.com",
    }
)
INTERNAL_NETWORKS = (ipaddress.ip_network("100.64.0.0/10"),)  # carrier-grade NAT
MAX_RESPONSE_BYTES = 65_536
READ_CHUNK_BYTES = 8_192
# The time the running attempt has left (seconds), set by the executor; None: no limit.
_attempt_seconds: ContextVar[float | None] = ContextVar("outbound_attempt_seconds", default=None)


@contextlib.contextmanager
def deadline_within(seconds: float | None) -> Iterator[None]:
    """Within the block, every outbound request ends within ``seconds`` in total."""
    token = _attempt_seconds.set(seconds)
    try:
        yield
    finally:
        _attempt_seconds.reset(token)


def total_deadline(timeout: float, settings: Settings | None = None) -> float:
    """The total seconds one request may take: option, setting and the attempt's time left."""
    bound = min(float(timeout), (settings or get_settings()).outbound_deadline_seconds)
    left = _attempt_seconds.get()
    return max(0.001, bound if left is None else min(bound, left))


_POOLS: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_MAX_POOLS = 32


class DestinationRefused(ActionFailed):
    """The URL points somewhere event-service may not send to."""

    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=False)


@dataclass(frozen=True)
class Destination:
    scheme: str
    host: str  # as written in the URL (lower case)
    port: int
    target: str  # path and query
    address: str  # the checked address the connection goes to
    authorization: str | None = None  # from user:password@ in the URL

    @property
    def safe_url(self) -> str:
        """The URL without credentials or query, for logs and recorded errors."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}{self.target.split('?', 1)[0]}"


def _unmapped(address: IPAddress) -> IPAddress:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _allowlisted(host: str, address: IPAddress, allowlist: tuple[str, ...]) -> bool:
    for entry in allowlist:
        entry = entry.strip().lower()
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
            continue
        except ValueError:
            pass
        if entry.startswith("*."):
            if host.endswith(entry[1:]):
                return True
        elif entry.startswith("."):
            if host.endswith(entry):
                return True
        elif host == entry:
            return True
    return False


def check_address(host: str, address: IPAddress, settings: Settings) -> None:
    """Refuse ``address`` (resolved from ``host``) when it is not a permitted destination."""
    plain = _unmapped(address)
    if any(
        plain in network for network in ALWAYS_REFUSED_NETWORKS if network.version == plain.version
    ):
        raise DestinationRefused(f"destination {host} ({plain}) is link-local or cloud metadata")
    listed = _allowlisted(host, plain, settings.webhook_allowlist)
    if settings.webhook_allowlist and not listed:
        raise DestinationRefused(f"destination {host} is not in the webhook allow-list")
    internal = (
        plain.is_private
        or plain.is_loopback
        or plain.is_reserved
        or any(
            plain in network for network in INTERNAL_NETWORKS if network.version == plain.version
        )
    )
    if internal and not (settings.webhook_allow_private or listed):
        raise DestinationRefused(f"destination {host} ({plain}) is a private address")


def destination_key(url: str) -> str | None:
    """``host:port`` of ``url`` without resolving it (dispatch's per-destination limit), or
    None for a URL that is not http(s) with a host (its request is refused anyway)."""
    try:
        parts = urlsplit(str(url).strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    return f"{host}:{port or (443 if parts.scheme == 'https' else 80)}"


def resolve(url: str, settings: Settings | None = None) -> Destination:
    """Parse, resolve and check ``url``; ``DestinationRefused`` when it may not be used."""
    settings = settings or get_settings()
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise DestinationRefused(f"malformed URL: {exc}") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DestinationRefused("the URL must be http:// or https:// with a host")
    host = parts.hostname.lower().rstrip(".")
    if host in ALWAYS_REFUSED_NAMES:
        raise DestinationRefused(f"destination {host} is a cloud metadata endpoint")
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise ActionFailed(f"cannot resolve {host}: {exc}") from exc
    addresses: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise ActionFailed(f"{host} has no address")
    for address in addresses:  # every address: a name must not mix public and internal ones
        check_address(host, address, settings)
    authorization = None
    if parts.username is not None:
        credentials = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        authorization = "Basic " + base64.b64encode(credentials.encode()).decode()
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Destination(
        parts.scheme, host, port, target, str(_unmapped(addresses[0])), authorization
    )


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    headers: dict[str, str]


def _pool(destination: Destination, timeout: float):
    import urllib3

    key = (destination.scheme, destination.address, destination.port, destination.host)
    pool = _POOLS.get(key)
    if pool is None:
        common: dict[str, Any] = {
            "maxsize": 4,
            "retries": False,
            "timeout": urllib3.Timeout(timeout),
        }
        if destination.scheme == "https":
            try:
                import certifi

                ca_certs = certifi.where()
            except ImportError:  # pragma: no cover - botocore ships certifi
                ca_certs = None
            pool = urllib3.HTTPSConnectionPool(
                destination.address,
                destination.port,
                server_hostname=destination.host,
                assert_hostname=destination.host,
                cert_reqs="CERT_REQUIRED",
                ca_certs=ca_certs,
                **common,
            )
        else:
            pool = urllib3.HTTPConnectionPool(destination.address, destination.port, **common)
        _POOLS[key] = pool
        while len(_POOLS) > _MAX_POOLS:
            _POOLS.popitem(last=False)[1].close()
    else:
        _POOLS.move_to_end(key)
    return pool


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout: float,
    settings: Settings | None = None,
    success: Container[int] = range(200, 300),
) -> Reply:
    """POST ``body`` to ``url`` after checking it; ``ActionFailed`` unless ``success`` has
    the answer's status (2xx by default; redirects are never followed).

    Connection errors, timeouts, 5xx, 408 and 429 are worth a retry; other answers are not.
    """
    import urllib3

    budget = total_deadline(timeout, settings)
    deadline = time.monotonic() + budget
    destination = resolve(url, settings)
    default_port = 443 if destination.scheme == "https" else 80
    host_header = destination.host if ":" not in destination.host else f"[{destination.host}]"
    if destination.port != default_port:
        host_header = f"{host_header}:{destination.port}"
    sent = {"Host": host_header, "User-Agent": "event-service", **headers}
    if destination.authorization and "Authorization" not in sent:
        sent["Authorization"] = destination.authorization
    left = _time_left(deadline, destination)
    try:
        response = _pool(destination, budget).urlopen(
            "POST",
            destination.target,
            body=body,
            headers=sent,
            redirect=False,
            retries=False,
            timeout=urllib3.Timeout(total=left, connect=left, read=left),
            preload_content=False,
            assert_same_host=False,
        )
        try:
            content = _read_body(response, deadline, destination)
        finally:
            response.release_conn()
    except urllib3.exceptions.HTTPError as exc:
        raise ActionFailed(f"{type(exc).__name__} posting to {destination.safe_url}") from exc
    reply = Reply(response.status, content, {k.lower(): v for k, v in response.headers.items()})
    if reply.status not in success:
        snippet = reply.body[:200].decode("utf-8", "replace").strip()
        retryable = reply.status >= 500 or reply.status in (408, 429)
        message = f"HTTP {reply.status} from {destination.safe_url}"
        raise ActionFailed(f"{message}: {snippet}" if snippet else message, retryable=retryable)
    return reply


def _time_left(deadline: float, destination: Destination) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise ActionFailed(f"deadline exceeded posting to {destination.safe_url}")
    return left


def _read_body(response: Any, deadline: float, destination: Destination) -> bytes:
    """Up to ``MAX_RESPONSE_BYTES`` of the answer, read before ``deadline``."""
    chunks: list[bytes] = []
    size = 0
    while size < MAX_RESPONSE_BYTES:
        left = _time_left(deadline, destination)
        sock = getattr(getattr(response, "connection", None), "sock", None)
        if sock is not None:
            sock.settimeout(left)  # the next wait ends at the deadline, not a read timeout later
        chunk = response.read(min(READ_CHUNK_BYTES, MAX_RESPONSE_BYTES - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    _time_left(deadline, destination)
    return b"".join(chunks)


def forget_pools() -> None:
    """Close every cached connection pool (tests, and after settings change)."""
    while _POOLS:
        _POOLS.popitem()[1].close()
