"""Scrapy settings for newscrawl. Every value here can be overridden the usual Scrapy ways
(`-s NAME=VALUE`, a spider's `custom_settings`, or `SCRAPY_SETTINGS_MODULE`)."""

from newscrawl import __version__

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# Identify the crawler honestly; set NEWSCRAWL_CONTACT (a URL or e-mail) once for your crawls.
NEWSCRAWL_CONTACT = "https://github.com/newscrawl/newscrawl"
USER_AGENT = f"newscrawl/{__version__} (+{NEWSCRAWL_CONTACT})"

# Polite by default.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

# Never connect to loopback, private, link-local or metadata addresses, whether a URL names
# them or a host name resolves to them, unless listed in NEWSCRAWL_ALLOWED_NETWORKS (CIDRs).
NEWSCRAWL_NETWORK_GUARD = True
NEWSCRAWL_ALLOWED_NETWORKS: list[str] = []
NEWSCRAWL_FORBIDDEN_NETWORKS: list[str] = []
DNS_RESOLVER = "newscrawl.netguard.GuardedResolver"
DOWNLOADER_MIDDLEWARES = {
    # Above RetryMiddleware (550): sees refusals first, so they are not retried.
    "newscrawl.netguard.NetworkGuardMiddleware": 560,
    # Fault accounting (newscrawl/faults.py): counted and logged in one line each, survived.
    # Closest to the download handler, so it sees every attempt before Redirect and Retry.
    "newscrawl.faults.FaultMiddleware": 650,
    # Scrapy's decompression (capped at DOWNLOAD_MAXSIZE inflated bytes) plus bomb counting.
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "newscrawl.faults.GuardedHttpCompressionMiddleware": 590,
    # Below RetryMiddleware: what survives the retries ends quietly, without a traceback.
    "newscrawl.faults.GiveUpMiddleware": 540,
}
EXTENSIONS = {"newscrawl.faults.FaultReport": 500}
# Nearest the spider: an exception a hostile page provokes in a callback is one counted line.
SPIDER_MIDDLEWARES = {"newscrawl.faults.SpiderFaultMiddleware": 950}

# Hostile servers: a 429's Retry-After is honoured up to this many seconds; 5xx responses
# are retried after NEWSCRAWL_BACKOFF_BASE × 2^attempt seconds, at most NEWSCRAWL_BACKOFF_MAX.
# Redirects to another site are refused unless NEWSCRAWL_OFFSITE_REDIRECTS (a spider's
# allowed_domains, when it has them, decide what "another site" means).
NEWSCRAWL_RETRY_AFTER_MAX = 60.0
NEWSCRAWL_BACKOFF_BASE = 1.0
NEWSCRAWL_BACKOFF_MAX = 30.0
NEWSCRAWL_OFFSITE_REDIRECTS = False
