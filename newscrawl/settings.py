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

# Raw capture of article responses to WARC files (docs/archives.md). Off unless
# NEWSCRAWL_WARC_DIR names a directory: the middleware then raises NotConfigured no more.
NEWSCRAWL_WARC_DIR = None
NEWSCRAWL_WARC_MAX_SIZE = 1024 ** 3  # bytes per file before the next one is started
NEWSCRAWL_WARC_PREFIX = "newscrawl"
DOWNLOADER_MIDDLEWARES = {
    # Below HttpCompression (590), Retry (550) and the redirects: final, decoded responses.
    "newscrawl.archives.capture.WarcCaptureMiddleware": 540,
    # Above HttpCompression (590): notes the Content-Encoding it deletes after decoding.
    "newscrawl.archives.capture.ContentEncodingNoteMiddleware": 595,
}
