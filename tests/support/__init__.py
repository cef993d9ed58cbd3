"""Helpers for the tests (hostile server, crawl runner, kill trials, probes, process reaper,
Redis launcher). They are not part of the installed package; run them by hand from the project
root, e.g. `python -m tests.support.hostile --port 8765`."""
