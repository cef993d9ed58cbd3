"""Fault accounting: every way a server or a page can fail us is counted, logged in one line
and survived.

Stats: `newscrawl/faults/<kind>` for each occurrence (a page that times out three times counts
three timeouts), `newscrawl/faults/total`, and `newscrawl/gave_up` for requests that never
succeeded. Log lines start with `fault <kind>:` so they can be grepped. Where Scrapy's stats
already count a fault (429 and 5xx responses: `downloader/response_status_count/<status>`;
offsite links; links past DEPTH_LIMIT), its count is folded in at the end instead of being
counted twice. Download errors are classified here, by their whole chain of causes, which
Scrapy's per-type counts (`downloader/exception_type_count/...`) cannot tell apart.

Three downloader middlewares, a spider middleware and an extension:

- `FaultMiddleware` (650, between the download handler and Redirect/Retry): classifies download
  errors, logs 429 and 5xx responses (BackoffRetryMiddleware, at 550, waits before retrying
  them: Retry-After, else exponential backoff), and refuses redirect loops and offsite
  redirects.
- `GuardedHttpCompressionMiddleware` (590, replaces Scrapy's): Scrapy's decompression, which
  already stops at DOWNLOAD_MAXSIZE *decompressed* bytes, plus counting bombs; and refusing
  binary bodies that claim to be HTML before a parser sees them.
- `GiveUpMiddleware` (540, below RetryMiddleware): once retries are exhausted, turns a download
  error into an IgnoreRequest so Scrapy does not log a traceback for an expected failure
  (requests with an errback keep the original error: the spider handles them).
- `SpiderFaultMiddleware` (spider middleware): a callback that raises costs one page and one
  log line (`spider_error`), not a traceback.
- `FaultReport` (extension): folds the spider's own counters (extraction errors, offsite
  links) into the fault stats and logs a one-line summary at the end.
"""

from __future__ import annotations

import logging
from typing import Any, Self
from urllib.parse import urljoin, urlsplit

from scrapy import signals
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.url import url_is_from_any_domain
from twisted.internet import error as tx_error
from w3lib.url import safe_url_string

# The waiting (Retry-After on 429/503, else exponential backoff, capped by RETRY_BACKOFF_MAX)
# is newscrawl.crawl.middlewares.retry.BackoffRetryMiddleware's; this module only counts.
from newscrawl.crawl.middlewares.netguard import (
    ForbiddenAddressError,
    NetworkPolicy,
    literal_address,
)
from newscrawl.crawl.middlewares.netguard import refused_hosts as _refused_hosts
from newscrawl.crawl.middlewares.retry import retry_after_seconds
from newscrawl.extraction.decode import looks_binary
from newscrawl.model.urls import url_host

logger = logging.getLogger(__name__)

PREFIX = "newscrawl/faults/"
STATUS_PREFIX = "downloader/response_status_count/"  # Scrapy's DownloaderStats
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Binary formats that are never HTML, whatever the Content-Type says.
class Fault(IgnoreRequest):
    """A request abandoned because of a counted fault (never retried, never a traceback)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"fault {kind}: {message}")
        self.kind = kind


def count_fault(stats: Any, kind: str, url: str, detail: str, *,
                level: int = logging.WARNING) -> None:
    """Count one fault and log one line about it."""
    stats.inc_value(f"{PREFIX}{kind}")
    stats.inc_value(f"{PREFIX}total")
    logger.log(level, "fault %s: %s: %s", kind, url, detail)


def status_fault(status: int) -> str | None:
    """The fault kind of an HTTP status, if it is one (Scrapy's stats count them)."""
    return "http_429" if status == 429 else "http_5xx" if 500 <= status < 600 else None


# -- classifying download errors -------------------------------------------------------------
def _chain(error: BaseException | None) -> list[BaseException]:
    """The error and what caused it (Scrapy wraps Twisted errors in its own)."""
    seen: list[BaseException] = []
    while error is not None and len(seen) < 8 and error not in seen:
        seen.append(error)
        reasons = getattr(error, "reasons", None)  # twisted ResponseFailed: a list of Failures
        if reasons:
            seen.extend(r.value for r in reasons if getattr(r, "value", None) is not None)
        error = error.__cause__ or error.__context__
    return seen


def _named(errors: list[BaseException], *names: str) -> bool:
    return any(type(e).__name__ in names for e in errors)


def classify(error: BaseException, url: str = "") -> str:
    """The fault kind of a download error."""
    errors = _chain(error)
    if any(isinstance(e, ForbiddenAddressError) for e in errors):
        return "refused_address"
    if _named(errors, "DownloadTimeoutError", "TimeoutError", "TCPTimedOutError"):
        return "timeout"
    if _named(errors, "CannotResolveHostError", "DNSLookupError"):
        return "refused_address" if url_host(url) in _refused_hosts else "dns"
    if any(isinstance(e, tx_error.ConnectionLost) for e in errors) or _named(
            errors, "ConnectionResetError"):
        return "connection_lost"  # a reset, mid-headers or mid-body
    if _named(errors, "ResponseDataLossError", "_DataLoss"):
        return "data_loss"  # the body ended cleanly but short of its Content-Length
    if _named(errors, "DownloadCancelledError", "CancelledError") and (
            any("max size" in str(e) for e in errors) or not str(error)):
        # Scrapy cancels a download itself only at DOWNLOAD_MAXSIZE: with the expected size
        # in the message, or silently while streaming a body without a Content-Length.
        return "too_large"
    if _named(errors, "DownloadConnectionRefusedError", "ConnectionRefusedError"):
        return "connection_refused"
    if any(isinstance(e, tx_error.ConnectionDone) for e in errors):
        return "connection_lost"
    return "download_error"


# -- redirects -------------------------------------------------------------------------------
def _bare_host(url: str) -> str:
    return url_host(url).removeprefix("www.")


def same_site(origin: str, target: str) -> bool:
    """Whether a redirect stays on the site: the same host give or take `www.`, or one a
    subdomain of the other (example.com → news.example.com). IP addresses must match."""
    a, b = _bare_host(origin), _bare_host(target)
    if not a or not b:
        return False
    if a == b:
        return True
    if literal_address(origin) or literal_address(target):
        return False
    return a.endswith("." + b) or b.endswith("." + a)


def redirect_target(request: Request, response: Response) -> str | None:
    location = response.headers.get("Location")
    if response.status not in REDIRECT_STATUSES or not location:
        return None
    text = safe_url_string(location)
    if location.startswith(b"//"):
        text = f"{urlsplit(request.url).scheme}:{text}"
    return urljoin(request.url, text)


def _strip_fragment(url: str) -> str:
    return url.split("#", 1)[0]


class _Counting:
    """A component whose only dependency is the crawl's stats."""

    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> Self:
        return cls(crawler.stats)


class FaultMiddleware:
    """Counts download faults and 429/5xx responses, and refuses redirect loops and offsite
    redirects before RedirectMiddleware follows them."""

    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.retry_enabled = settings.getbool("RETRY_ENABLED")
        self.retry_times = settings.getint("RETRY_TIMES")
        self.retry_codes = {int(c) for c in settings.getlist("RETRY_HTTP_CODES")}
        self.max_redirects = settings.getint("REDIRECT_MAX_TIMES", 20)
        self.offsite_redirects = settings.getbool("NEWSCRAWL_OFFSITE_REDIRECTS", False)
        self.policy = NetworkPolicy.from_settings(settings)

    @classmethod
    def from_crawler(cls, crawler: Any) -> FaultMiddleware:
        return cls(crawler)

    def _will_retry(self, request: Request, status: int) -> bool:
        if not self.retry_enabled or request.meta.get("dont_retry"):
            return False
        limit = request.meta.get("max_retry_times", self.retry_times)
        return status in self.retry_codes and request.meta.get("retry_times", 0) < limit

    def process_response(self, request: Request, response: Response,
                         spider: Any = None) -> Response:
        status = response.status
        if status_fault(status):
            self._log_status(request, response)
        elif status in REDIRECT_STATUSES:
            self._check_redirect(request, response)
        return response

    def _log_status(self, request: Request, response: Response) -> None:
        """One line per 429 or 5xx response; Scrapy's DownloaderStats counts them."""
        attempt = request.meta.get("retry_times", 0) + 1
        retrying = "retried" if self._will_retry(request, response.status) else "not retried"
        asked = retry_after_seconds(response.headers.get("Retry-After"))
        after = f", Retry-After {asked:g} s" if asked is not None else ""
        logger.warning("fault %s: %s: HTTP %d%s (attempt %d, %s)",
                       status_fault(response.status), request.url, response.status, after,
                       attempt, retrying)

    def _check_redirect(self, request: Request, response: Response) -> None:
        if request.meta.get("dont_redirect"):
            return
        target = redirect_target(request, response)
        if target is None:
            return
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if _strip_fragment(target) in {_strip_fragment(u) for u in chain}:
            self._refuse(request, "redirect_loop", f"redirects back to {target} "
                         f"after {len(chain) - 1} redirect(s)")
        if len(chain) > self.max_redirects:
            self._refuse(request, "redirect_loop", f"more than {self.max_redirects} redirects")
        address = literal_address(target)
        if address and self.policy.refusal(address):
            return  # NetworkGuardMiddleware refuses (and counts) the redirected request
        if not self.offsite_redirects and not self._onsite(chain[0], target):
            self._refuse(request, "offsite_redirect", f"redirects to {target}, another site")

    def _onsite(self, origin: str, target: str) -> bool:
        spider = self.crawler.spider
        allowed = [d for d in getattr(spider, "allowed_domains", None) or [] if d]
        if allowed:
            host = urlsplit(target).hostname or ""
            return url_is_from_any_domain(target, allowed) or host in allowed
        return same_site(origin, target)

    def _refuse(self, request: Request, kind: str, detail: str) -> None:
        count_fault(self.stats, kind, request.url, detail)
        raise Fault(kind, f"{request.url}: {detail}")

    def process_exception(self, request: Request, exception: BaseException,
                          spider: Any = None) -> None:
        if isinstance(exception, IgnoreRequest) and not isinstance(
                exception, ForbiddenAddressError):
            return  # deliberate filtering (offsite, robots.txt, our own refusals): not a fault
        kind = classify(exception, request.url)
        attempt = request.meta.get("retry_times", 0) + 1
        count_fault(self.stats, kind, request.url,
                    f"{type(exception).__name__}: {_short(exception)} (attempt {attempt})")


EXPLANATIONS = {
    "ResponseDataLossError": "the body ended before its Content-Length",
    "DownloadCancelledError": "cancelled at DOWNLOAD_MAXSIZE",
}


def _short(error: BaseException, limit: int = 200) -> str:
    text = " ".join(str(error).split()) or EXPLANATIONS.get(type(error).__name__, "no message")
    for link in _chain(error):
        reasons = getattr(link, "reasons", None)  # Twisted's list of Failures reads badly
        if reasons:
            text = "; ".join(f"{type(r.value).__name__}: {r.value}" for r in reasons)
            break
    return text if len(text) <= limit else text[:limit] + "…"


class GiveUpMiddleware(_Counting):
    """Below RetryMiddleware: a download error that survived the retries is expected, not a
    bug, so it ends as an IgnoreRequest (one log line from Retry's "Gave up retrying", no
    traceback) unless the request has an errback that wants the original error."""

    def process_exception(self, request: Request, exception: BaseException,
                          spider: Any = None) -> None:
        if isinstance(exception, IgnoreRequest):
            return
        self.stats.inc_value("newscrawl/gave_up")
        if request.errback is not None:
            return
        kind = classify(exception, request.url)
        logger.warning("gave up on %s: %s (%s)", request.url, kind, _short(exception))
        raise Fault(kind, f"gave up on {request.url}") from exception


# -- decompression bombs and binary bodies ---------------------------------------------------
def _is_decompression_limit(error: BaseException) -> bool:
    return any(type(e).__name__ == "_DecompressionMaxSizeExceeded" for e in _chain(error))


class GuardedHttpCompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's HttpCompressionMiddleware (which stops inflating at DOWNLOAD_MAXSIZE, so a bomb
    costs at most that much memory), counting bombs, and refusing binary "HTML"."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> GuardedHttpCompressionMiddleware:
        middleware = super().from_crawler(crawler)
        middleware._newscrawl_stats = crawler.stats
        return middleware

    def process_response(self, request: Request, response: Response,
                         spider: Any = None) -> Request | Response:
        try:
            response = super().process_response(request, response)
        except IgnoreRequest as error:
            if _is_decompression_limit(error):
                count_fault(self._newscrawl_stats, "bomb", request.url,
                            f"{len(response.body)} compressed bytes inflate past "
                            f"DOWNLOAD_MAXSIZE ({self._max_size} B); refused")
                raise Fault("bomb", request.url) from error
            raise
        if isinstance(response, Response) and self._claims_html(response) and \
                looks_binary(response.body):
            count_fault(self._newscrawl_stats, "binary_content", request.url,
                        "the body is binary, not the HTML its Content-Type claims")
            raise Fault("binary_content", request.url)
        return response

    @staticmethod
    def _claims_html(response: Response) -> bool:
        # HTML only: a gzipped sitemap served as application/xml is a common server mistake
        # that the sitemap readers handle, so XML is left alone.
        content_type = (response.headers.get("Content-Type") or b"").lower()
        return b"html" in content_type


# -- bugs met by hostile pages ----------------------------------------------------------------
class SpiderFaultMiddleware(_Counting):
    """A callback that raises on a hostile page (an extractor bug such as a RecursionError on
    absurdly nested JSON-LD) costs that page, not the crawl's log: one line naming the error
    and where it was raised, counted as `spider_error`, instead of a traceback."""

    def process_spider_exception(self, response: Response, exception: BaseException,
                                 spider: Any = None) -> list[Any] | None:
        from scrapy.exceptions import CloseSpider

        if isinstance(exception, IgnoreRequest | CloseSpider):
            return None  # Scrapy's own control flow (HttpError, CloseSpider): not ours
        count_fault(self.stats, "spider_error", response.url,
                    f"{type(exception).__name__}: {_short(exception)} at {_origin(exception)}",
                    level=logging.ERROR)
        return []


def _origin(error: BaseException) -> str:
    """file:line of the innermost frame in this project (else the innermost frame)."""
    frames = []
    traceback = error.__traceback__
    while traceback is not None:
        frames.append(traceback.tb_frame.f_code.co_filename + f":{traceback.tb_lineno}")
        traceback = traceback.tb_next
    ours = [f for f in frames if "/newscrawl/" in f or "/spiders/" in f or "/pipelines/" in f]
    return (ours or frames or ["?"])[-1]


# -- the end-of-crawl report -----------------------------------------------------------------
# Counters kept elsewhere (Scrapy's, the spiders'), folded into the fault stats.
MIRRORED_STATS = {
    "newscrawl/extraction_error": "extraction_error",  # the pages spider
    "newscrawl/errors/extraction": "extraction_error",  # the news spider
    "newscrawl/errors/not_a_sitemap": "bad_xml",
    "newscrawl/errors/not_a_feed": "bad_xml",
    "newscrawl/errors/sitemap_nesting": "sitemap_depth",
    "offsite/filtered": "offsite_link",  # links to other hosts, dropped by OffsiteMiddleware
    "depth/request_ignored_count": "depth_limit",  # links past DEPTH_LIMIT (endless calendars)
}


class FaultReport(_Counting):
    """Folds other counters into `newscrawl/faults/*` and logs a summary when the spider
    closes."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> Self:
        report = super().from_crawler(crawler)
        crawler.signals.connect(report.spider_closed, signal=signals.spider_closed)
        return report

    def spider_closed(self, spider: Any, reason: str) -> None:
        for source, kind in MIRRORED_STATS.items():
            value = self.stats.get_value(source, 0)
            if value:
                self.stats.inc_value(f"{PREFIX}{kind}", value)
        for key, value in list(self.stats.get_stats().items()):
            kind = key.startswith(STATUS_PREFIX) and status_fault(int(key[len(STATUS_PREFIX):]))
            if kind:
                self.stats.inc_value(f"{PREFIX}{kind}", value)
        kinds = {key.removeprefix(PREFIX): value
                 for key, value in self.stats.get_stats().items()
                 if key.startswith(PREFIX) and key != f"{PREFIX}total"}
        total = sum(kinds.values())
        self.stats.set_value(f"{PREFIX}total", total)
        details = ", ".join(f"{k}={v}" for k, v in sorted(kinds.items())) or "none"
        logger.info("faults survived: %d (%s); requests given up: %d", total, details,
                    self.stats.get_value("newscrawl/gave_up", 0))
