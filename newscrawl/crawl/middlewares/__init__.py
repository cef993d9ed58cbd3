"""Downloader middlewares and the download handler the crawl settings enable."""
