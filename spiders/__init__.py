"""newscrawl's spiders. They only navigate; extraction lives in `newscrawl.extraction`."""
