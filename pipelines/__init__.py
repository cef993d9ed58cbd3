"""newscrawl's item pipelines. They only post-process items that spiders produced."""
