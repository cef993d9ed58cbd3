"""The crawl: Scrapy settings and the components they enable, and what the spiders share.

    settings.py     the Scrapy settings module (scrapy.cfg, Scrapyd's entry point)
    middlewares/    network guard, fault accounting, retries with backoff, mirror routing
    extensions/     run summary and progress, collector tuning, the contact add-on
    state/          the crawl state across runs (SQLite, or Redis for a distributed crawl)
    discovery.py    sitemaps, feeds and robots.txt read for article links
    horizon.py      the date horizon (--since) and recrawl durations
    backlog.py      article URLs waiting for room in the scheduler
    extractor.py    extraction in worker processes, for the spider
    distributed.py  the shared Redis scheduler of a distributed crawl
    mirror.py       the offline mirror of the fixture pages (the main job crawls it)

Nothing here extracts article fields (that is `newscrawl.extraction`, reached through
`newscrawl.api`) or post-processes items (that is `newscrawl.pipelines`).
"""
