"""Scrapy settings for newscrawl. Every value here can be overridden the usual Scrapy ways
(`-s NAME=VALUE`, a spider's `custom_settings`, or `SCRAPY_SETTINGS_MODULE`)."""

from scrapy.settings import default_settings as _scrapy_defaults

from newscrawl.version import __version__

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"

# Identify the crawler honestly; set NEWSCRAWL_CONTACT (a URL or e-mail) once for your crawls:
# the first add-on makes USER_AGENT from it, wherever it is set (-s, Scrapyd, this file). The
# second leaves out the default components that their setting keeps off (remote control,
# telnet console, cookies), so they are not even imported.
NEWSCRAWL_CONTACT = "https://github.com/newscrawl/newscrawl"
USER_AGENT = f"newscrawl/{__version__} (+{NEWSCRAWL_CONTACT})"
ADDONS = {"newscrawl.crawl.extensions.identity.ContactAddon": 0,
          "newscrawl.crawl.extensions.switched_off.SwitchedOffComponents": 0}

# Polite by default.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# Scrapy starts this many asyncio tasks for every response's callback output (default 100).
# A page yields one item and the pipelines are synchronous, so 100 tasks per page only cost
# reactor time; a few still let an asynchronous pipeline overlap a listing's items.
CONCURRENT_ITEMS = 4
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
# Scrapy's remote-control server runs Python sent to it over HTTP: off unless asked for.
REMOTE_CONTROL_ENABLED = False

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

# Never connect to loopback, private, link-local or metadata addresses, whether a URL names
# them or a host name resolves to them, unless listed in NEWSCRAWL_ALLOWED_NETWORKS (CIDRs).
NEWSCRAWL_NETWORK_GUARD = True
NEWSCRAWL_ALLOWED_NETWORKS: list[str] = []
NEWSCRAWL_FORBIDDEN_NETWORKS: list[str] = []
# Scrapy 2.19 renamed DNS_RESOLVER to TWISTED_DNS_RESOLVER (and warns about the old name);
# older versions know only the old one.
if hasattr(_scrapy_defaults, "TWISTED_DNS_RESOLVER"):
    TWISTED_DNS_RESOLVER = "newscrawl.crawl.middlewares.netguard.GuardedResolver"
else:
    DNS_RESOLVER = "newscrawl.crawl.middlewares.netguard.GuardedResolver"
DOWNLOADER_MIDDLEWARES = {
    # Above RetryMiddleware (550): sees refusals first, so they are not retried.
    "newscrawl.crawl.middlewares.netguard.NetworkGuardMiddleware": 560,
    # Fault accounting (crawl/middlewares/faults.py): counted and logged in one line each.
    # Closest to the download handler, so it sees every attempt before Redirect and Retry.
    "newscrawl.crawl.middlewares.faults.FaultMiddleware": 650,
    # Scrapy's decompression (capped at DOWNLOAD_MAXSIZE inflated bytes) plus bomb counting.
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "newscrawl.crawl.middlewares.faults.GuardedHttpCompressionMiddleware": 590,
    # Below RetryMiddleware: what survives the retries ends quietly, without a traceback.
    "newscrawl.crawl.middlewares.faults.GiveUpMiddleware": 540,
    # Retries that wait (Retry-After, else exponential backoff), in RetryMiddleware's place.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newscrawl.crawl.middlewares.retry.BackoffRetryMiddleware": 550,
    # Raw capture to WARC (docs/archives.md), off unless NEWSCRAWL_WARC_DIR is set. Below
    # HttpCompression (590), retries (550) and redirects: final, decoded responses.
    "newscrawl.archives.capture.WarcCaptureMiddleware": 540,
    # Above HttpCompression (590): notes the Content-Encoding it deletes after decoding.
    "newscrawl.archives.capture.ContentEncodingNoteMiddleware": 595,
}
# Retries wait before trying again: Retry-After when the server sends one, else
# RETRY_BACKOFF_BASE * 2**(n-1) seconds, at most RETRY_BACKOFF_MAX.
RETRY_BACKOFF_BASE = 2.0
RETRY_BACKOFF_MAX = 120.0
# The HTTP handler that can route a crawl to the offline mirror (NEWSCRAWL_MIRROR); without
# a mirror it is Scrapy's own HTTP/1.1 handler. With `scrapy crawl` or Scrapyd, allow the
# mirror's address too: -s NEWSCRAWL_ALLOWED_NETWORKS=127.0.0.1/32 (`newscrawl crawl` does).
DOWNLOAD_HANDLERS = {
    "http": "newscrawl.crawl.middlewares.routing.MirrorDownloadHandler",
    "https": "newscrawl.crawl.middlewares.routing.MirrorDownloadHandler",
}
NEWSCRAWL_MIRROR = ""
NEWSCRAWL_MIRROR_HELD_ONLY = True  # follow only links to pages the mirror holds

# The crawl itself (see docs/crawling.md).
NEWSCRAWL_MAX_PAGES_DEPTH = 3  # section pages deep (1 = the section page only)
NEWSCRAWL_SINCE = ""  # e.g. "2d" or "2024-05-01": older entries are not followed
NEWSCRAWL_UNTIL = ""  # e.g. "2024-05-08": entries from then on are not followed (exclusive)
NEWSCRAWL_RECRAWL_AFTER = ""  # e.g. "7d": fetch again articles fetched longer ago
NEWSCRAWL_STATE_ENABLED = True
NEWSCRAWL_STATE_PATH = ".newscrawl/state.sqlite"
NEWSCRAWL_MAX_QUEUED = 1000  # article requests in the scheduler; more wait in a compact backlog
NEWSCRAWL_EXTRACT_WORKERS = None  # worker processes for extraction; None = cores - 1 (max 4)
NEWSCRAWL_EXTRACT_TIMEOUT = 60  # seconds a worker may spend on one page; 0 = no limit
NEWSCRAWL_GC_TUNING = True  # newscrawl/crawl/extensions/collector.py
NEWSCRAWL_GC_THRESHOLD = 10000  # young objects between two collections (Python's: 700)
NEWSCRAWL_STATS_FILE = ""  # the end-of-run summary as JSON
NEWSCRAWL_PROGRESS_INTERVAL = None  # seconds; None = 10 on a terminal, else 60
LOGSTATS_INTERVAL = 0  # replaced by the progress line, which also counts errors
# Validation, normalisation, duplicates, then crash-safe JSON Lines under NEWSCRAWL_DATA_DIR
# (docs/pipelines.md); feeds (-o FILE) may be added on top.
ITEM_PIPELINES = {
    # Clean spelling first, so the rules and the duplicate keys see the final text.
    "newscrawl.pipelines.normalize.NormalizationPipeline": 100,
    # Before any pipeline records the item: an article in another language was never kept.
    "newscrawl.pipelines.language.LanguageFilterPipeline": 150,
    "newscrawl.pipelines.validate.ValidationPipeline": 200,
    "newscrawl.pipelines.dedupe.ExactDuplicatePipeline": 300,
    "newscrawl.pipelines.neardup.NearDuplicatePipeline": 400,
    # Last: only items that passed everything are written and recorded in the state.
    "newscrawl.pipelines.jsonl.JsonLinesWriterPipeline": 900,
}
# The terminal (newscrawl/crawl/progress.py): auto, live, plain or off. Off here, where the
# log is the output (scrapy crawl, Scrapyd); `newscrawl crawl` sets auto.
NEWSCRAWL_TERMINAL = "off"
# Run-over-run alarms (docs/operations.md): each run's record goes to the history folder
# (default <NEWSCRAWL_DATA_DIR>/runs); a site below NEWSCRAWL_ALARM_SHARE of its median new
# articles over the last NEWSCRAWL_ALARM_RUNS runs, or a field's share down by more than
# NEWSCRAWL_ALARM_COVERAGE_DROP from its median, raises an alarm (exit status 3).
NEWSCRAWL_ALARMS = True
NEWSCRAWL_HISTORY_DIR = ""
NEWSCRAWL_ALARM_RUNS = 7
NEWSCRAWL_ALARM_MIN_RUNS = 2
NEWSCRAWL_ALARM_SHARE = 0.5
NEWSCRAWL_ALARM_MIN_MEDIAN = 2  # fewer new articles than this per run: too few to judge
NEWSCRAWL_ALARM_COVERAGE_DROP = 0.2
NEWSCRAWL_NOTIFY_URL = ""  # POST alarms there as JSON
NEWSCRAWL_NOTIFY_COMMAND = ""  # run this with the alarm JSON on its standard input
NEWSCRAWL_NOTIFY_TIMEOUT = 10.0  # seconds
EXTENSIONS = {
    # The crawl state the spider and the pipelines share (NEWSCRAWL_STATE_ENABLED).
    "newscrawl.crawl.state.CrawlStateExtension": 0,
    "newscrawl.crawl.extensions.report.RunSummary": 500,
    "newscrawl.crawl.extensions.report.Progress": 500,
    # Run-over-run alarms and notifications (newscrawl/crawl/alarms.py).
    "newscrawl.crawl.alarms.RunAlarms": 550,
    # After RunSummary: renders its summary when the spider closes.
    "newscrawl.crawl.progress.TerminalReport": 600,
    # Folds other counters into newscrawl/faults/* and logs "faults survived: ..." at the end.
    "newscrawl.crawl.middlewares.faults.FaultReport": 500,
    # Freezes the start-up heap for the garbage collector while the spider runs.
    "newscrawl.crawl.extensions.collector.CollectorTuning": 500,
}
# Nearest the spider: an exception a hostile page provokes in a callback is one counted line.
SPIDER_MIDDLEWARES = {
    "newscrawl.crawl.middlewares.faults.SpiderFaultMiddleware": 950,
    # In mirror mode, links to pages the mirror does not hold are not followed (counted).
    "newscrawl.crawl.mirrorscope.MirrorHoldingsMiddleware": 900,
}
# Redirects to another site are refused unless NEWSCRAWL_OFFSITE_REDIRECTS (a spider's
# allowed_domains, when it has them, decide what "another site" means).
NEWSCRAWL_OFFSITE_REDIRECTS = False

# Backfill from the Wayback Machine (`newscrawl backfill`, spiders/wayback.py).
NEWSCRAWL_WAYBACK_CDX = "https://web.archive.org/cdx/search/cdx"
NEWSCRAWL_WAYBACK_REPLAY = "https://web.archive.org/web/"
NEWSCRAWL_WAYBACK_PAGE_SIZE = 1000  # captures per CDX answer (then its resume key)
NEWSCRAWL_WAYBACK_DELAY = 1.0  # seconds between two requests to the archive

# Raw capture of article responses to WARC files (docs/archives.md). Off unless
# NEWSCRAWL_WARC_DIR names a directory (the two middlewares above raise NotConfigured).
NEWSCRAWL_WARC_DIR = None
NEWSCRAWL_WARC_MAX_SIZE = 1024 ** 3  # bytes per file before the next one is started
NEWSCRAWL_WARC_PREFIX = "newscrawl"

# Distributed crawling (docs/distributed.md): with REDIS_URL set, workers share scrapy-redis's
# request queue and dupefilter and a crawl state in Redis; without it all stays in SQLite.
REDIS_URL = ""
NEWSCRAWL_REDIS_PREFIX = "newscrawl"  # namespace of every key newscrawl keeps in Redis
NEWSCRAWL_REDIS_RUN = ""  # the run the workers share; default news-<sites>
NEWSCRAWL_WORKER_ID = ""  # unique per worker; default <host>-<pid>; reuse it on restart
NEWSCRAWL_REDIS_IDLE_CLOSE = 30  # seconds of an empty queue, nothing in flight, before exiting
NEWSCRAWL_REDIS_LEASE = 30  # seconds without a heartbeat before a worker counts as dead
NEWSCRAWL_REDIS_CLAIM_LEASE = 600  # seconds a worker's claim on an article lasts at most
