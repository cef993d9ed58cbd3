"""Crawling helpers: what the spiders, the mirror and `newscrawl crawl` share.

Nothing here extracts article fields (that is `newscrawl.extraction`) or post-processes items
(that is `pipelines`): these modules navigate, route, pace and account for a crawl.
"""
