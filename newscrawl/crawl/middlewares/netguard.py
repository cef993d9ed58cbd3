"""Keep the crawler from being turned against its own network.

A page, a redirect, a sitemap or a feed can point the crawler at any address. Requests to
loopback, private, link-local, cloud-metadata and other non-public addresses are refused
unless the user allowed those networks (`NEWSCRAWL_ALLOWED_NETWORKS`). The check runs twice:
in a downloader middleware for URLs that name an IP address, and in the DNS resolver for host
names, on the very address the connection will use (so a name that resolves to 10.0.0.1, or
changes its answer between two look-ups, is caught too).
"""

from __future__ import annotations

import ipaddress
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.resolver import CachingThreadedResolver
from twisted.internet.error import DNSLookupError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200"))
CARRIER_GRADE_NAT = ipaddress.ip_network("100.64.0.0/10")


class ForbiddenAddressError(IgnoreRequest):
    """A request would connect to an address the network policy forbids."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class ForbiddenResolution(DNSLookupError):
    """A host name resolved to a forbidden address. Twisted turns resolver errors into a plain
    "no results" DNS failure and logs every other error type as unhandled, hence a
    DNSLookupError, with the reason kept in `refused_hosts` for the middleware."""


class _RefusedHosts(OrderedDict):
    """Host names the resolver refused in this process, newest last, bounded."""

    limit = 10_000

    def remember(self, host: str, address: str, reason: str) -> None:
        self[host.lower()] = (address, reason)
        self.move_to_end(host.lower())
        while len(self) > self.limit:
            self.popitem(last=False)


refused_hosts = _RefusedHosts()


def _unmapped(address: IPAddress) -> IPAddress:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def address_kind(address: str | IPAddress) -> str | None:
    """The kind of non-public address this is, or None for a public (global) address."""
    ip = _unmapped(ipaddress.ip_address(address))
    checks = (
        ("metadata", ip in METADATA_ADDRESSES),
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("carrier-grade-nat", ip.version == 4 and ip in CARRIER_GRADE_NAT),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("non-global", not ip.is_global),
    )
    return next((kind for kind, matches in checks if matches), None)


def parse_networks(values: Iterable[str] | str | None) -> tuple[IPNetwork, ...]:
    if not values:
        return ()
    if isinstance(values, str):
        values = [v for v in values.replace(",", " ").split() if v]
    return tuple(ipaddress.ip_network(v.strip(), strict=False) for v in values)


@dataclass(frozen=True)
class NetworkPolicy:
    """Which addresses the crawler may connect to."""

    allowed: tuple[IPNetwork, ...] = ()
    forbidden: tuple[IPNetwork, ...] = field(default=())

    @classmethod
    def from_settings(cls, settings: Any) -> NetworkPolicy:
        return cls(parse_networks(settings.getlist("NEWSCRAWL_ALLOWED_NETWORKS")),
                   parse_networks(settings.getlist("NEWSCRAWL_FORBIDDEN_NETWORKS")))

    def refusal(self, address: str) -> str | None:
        """Why connecting to `address` is refused, or None when it is allowed."""
        ip = _unmapped(ipaddress.ip_address(address))
        if any(ip in network for network in self.forbidden):
            return "forbidden"
        if any(ip in network for network in self.allowed):
            return None
        return address_kind(ip)


def literal_address(url: str) -> str | None:
    """The IP address a URL names directly, if it names one."""
    host = urlsplit(url).hostname or ""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


class NetworkGuardMiddleware:
    """Refuse requests whose URL names a forbidden IP address (redirects included: they come
    back through the downloader middlewares as new requests)."""

    def __init__(self, policy: NetworkPolicy, stats: Any) -> None:
        self.policy = policy
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> NetworkGuardMiddleware:
        if not crawler.settings.getbool("NEWSCRAWL_NETWORK_GUARD", True):
            raise NotConfigured("NEWSCRAWL_NETWORK_GUARD is off")
        return cls(NetworkPolicy.from_settings(crawler.settings), crawler.stats)

    def process_request(self, request: Any, spider: Any = None) -> None:
        """Refuse IP-literal URLs here (they never reach the resolver), and hosts the resolver
        already refused (so retries and later links fail fast)."""
        host = (urlsplit(request.url).hostname or "").lower()
        address = literal_address(request.url)
        reason = self.policy.refusal(address) if address else None
        if reason is None and host in refused_hosts:
            address, reason = refused_hosts[host]
        if reason:  # counted in process_exception, which sees this error too
            raise ForbiddenAddressError(
                f"refused {request.url}: {host} is {address}, a {reason} address "
                "(allow it with NEWSCRAWL_ALLOWED_NETWORKS)", reason=reason)

    def process_exception(self, request: Any, exception: BaseException,
                          spider: Any = None) -> None:
        """Count each refusal once, and turn a refused resolution into an IgnoreRequest so it
        is neither retried nor logged as a download error (this middleware sits above
        RetryMiddleware, so it sees exceptions first)."""
        host = (urlsplit(request.url).hostname or "").lower()
        if isinstance(exception, ForbiddenAddressError):
            refusal = exception
        elif _is_dns_failure(exception) and host in refused_hosts:
            address, reason = refused_hosts[host]
            refusal = ForbiddenAddressError(
                f"refused {request.url}: {host} resolves to {address}, a {reason} address "
                "(allow it with NEWSCRAWL_ALLOWED_NETWORKS)", reason=reason)
        else:
            return
        self.stats.inc_value(f"newscrawl/refused/{refusal.reason}")
        logger = getattr(spider, "logger", None)
        if logger is not None:
            logger.warning(str(refusal))
        if refusal is not exception:
            raise refusal


def _is_dns_failure(error: BaseException | None) -> bool:
    """Whether a download error is a failed name look-up, however Scrapy wrapped it."""
    for _ in range(5):
        if error is None:
            return False
        if isinstance(error, DNSLookupError) or type(error).__name__ == "CannotResolveHostError":
            return True
        error = error.__cause__ or error.__context__
    return False


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver that refuses names resolving to forbidden addresses."""

    policy: NetworkPolicy = NetworkPolicy()

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> GuardedResolver:
        # One resolver serves the whole process; `crawler` may be a CrawlerProcess here.
        resolver = super().from_crawler(crawler, reactor)
        if crawler.settings.getbool("NEWSCRAWL_NETWORK_GUARD", True):
            resolver.policy = NetworkPolicy.from_settings(crawler.settings)
        else:
            resolver.policy = NetworkPolicy(allowed=parse_networks(["0.0.0.0/0", "::/0"]))
        return resolver

    def getHostByName(self, name: str, timeout: Any = ()) -> Any:  # noqa: N802 - Twisted API
        deferred = super().getHostByName(name, timeout)
        deferred.addCallback(self._check, name)
        return deferred

    def _check(self, address: str, name: str) -> str:
        reason = self.policy.refusal(address)
        if reason:
            refused_hosts.remember(name, address, reason)
            raise ForbiddenResolution(f"{name} resolves to {address}, a {reason} address")
        return address
