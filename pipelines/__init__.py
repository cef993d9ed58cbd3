"""newscrawl's item pipelines. They only post-process items that spiders produced.

The crawl settings (newscrawl.crawl.settings) enable them in ITEM_PIPELINES, in the order
they are meant to run; docs/pipelines.md describes each one, its settings and its stats keys.
"""
