"""Web archives: raw captures in WARC files, re-extraction from them, and extraction from
Common Crawl's CC-NEWS WARC files (docs/archives.md)."""
