"""Distributed crawling on a real Redis server: several `newscrawl crawl --redis` workers
share one queue, one seen-set and one crawl state (docs/distributed.md)."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.utils.request import request_from_dict

from newscrawl import dataset
from newscrawl.crawl.mirror import key_of, synthetic_sets
from tests._crawl import ARTICLES, ROOT, crawl_command, hits, mirror
from tests._redis import need_redis, redis_server

# Fixture-sized synthetic pages (about 90 KB: no padding) keep 2,000 pages within a minute
# or so on two cores.
PAGE_SIZE = (1000, 1000)
# What a worker's engine holds at once: CONCURRENT_REQUESTS (16) being downloaded, and the
# responses its scraper holds while their items go through the pipelines (Scrapy backs out
# at 5 MB of them, about 55 of these pages). 32 or so on an idle machine; a worker leasing
# many more is taking work the others could do.
MOST_HELD = 100


def story_paths(count: int) -> set[str]:
    [stories] = synthetic_sets(count, sites=["sputnik"])
    return {key_of(stories.url(i))[1] for i in range(count)}


def worker(base: str, redis_url: str, tmp_path: Path, name: str, *, lease: float = 10,
           ) -> subprocess.Popen:
    command = crawl_command(
        "sputnik", "--mirror-url", base, "--redis", redis_url, "--worker-id", name,
        "--data-dir", str(tmp_path / "data"), "--stats", str(tmp_path / f"stats-{name}.json"),
        "-s", "NEWSCRAWL_REDIS_IDLE_CLOSE=1", "-s", f"NEWSCRAWL_REDIS_LEASE={lease}",
        "-L", "INFO")
    log = open(tmp_path / f"{name}.log", "a")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


def finish(workers: list[subprocess.Popen], tmp_path: Path, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    for process in workers:
        try:
            process.wait(timeout=max(deadline - time.monotonic(), 1))
        except subprocess.TimeoutExpired:
            for other in workers:
                other.kill()
            raise
    logs = {path.name: path.read_text()[-3000:] for path in tmp_path.glob("*.log")}
    assert [p.returncode for p in workers] == [0] * len(workers), logs


def fetched_articles(tmp_path: Path, wanted: set[str]) -> Counter[str]:
    return Counter(h["path"] for h in hits(tmp_path) if h["path"] in wanted)


def check_dataset(tmp_path: Path, count: int) -> list[dict]:
    report = dataset.ReadReport()
    items = list(dataset.read(tmp_path / "data", report=report))
    urls = Counter(item["url"] for item in items)
    assert [url for url, n in urls.items() if n > 1] == []  # every article once...
    wanted = story_paths(count)
    assert {key_of(url)[1] for url in urls} >= wanted  # ...and none missing
    assert {f.url for f in ARTICLES} <= set(urls)
    assert report.torn_files == [] and report.bad_lines == 0
    return items


@contextmanager
def most_held(client) -> Iterator[dict[str, int]]:
    """The most requests each worker held leased at once, sampled while the block runs."""
    held: dict[str, int] = {}
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.05):
            for key in client.scan_iter(match="newscrawl:run:*:inflight:*"):
                name = key.decode().rsplit(":", 1)[1]
                held[name] = max(held.get(name, 0), client.hlen(key))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield held
    finally:
        stop.set()
        sampler.join()


@contextmanager
def three_workers(tmp_path: Path, count: int) -> Iterator[tuple[str, str, list]]:
    """A Redis server, a mirror of `count` synthetic stories, and workers w0, w1, w2 crawling
    it: yields (Redis URL, mirror URL, workers)."""
    need_redis()
    with redis_server(tmp_path / "redis") as redis_url, \
            mirror(tmp_path, synthetic=count, synthetic_size=PAGE_SIZE, processes=2) as base:
        yield redis_url, base, [worker(base, redis_url, tmp_path, f"w{i}") for i in range(3)]


def test_three_workers_share_one_crawl(tmp_path):
    count = 2000
    wanted = story_paths(count)
    with three_workers(tmp_path, count) as (redis_url, base, workers):
        import redis

        client = redis.Redis.from_url(redis_url)
        with most_held(client) as held:
            finish(workers, tmp_path)
        assert client.keys("newscrawl:run:*") == []  # the finished run cleaned up
        assert int(client.get("newscrawl:state:written")) == count + len(ARTICLES)
        # The next scheduled run, on any worker, skips every article the state has.
        later = worker(base, redis_url, tmp_path, "later")
        finish([later], tmp_path)
        stats = json.loads((tmp_path / "stats-later.json").read_text())
        assert stats["articles_written"] == 0 and stats["skipped_as_seen"] >= count

    fetched = fetched_articles(tmp_path, wanted)
    assert len(fetched) == count and set(fetched.values()) == {1}  # each fetched once
    # The start requests were read once per run, not once per worker.
    sitemaps = [h for h in hits(tmp_path) if "synthetic-sitemap" in h["path"]]
    assert len(sitemaps) == 2  # the run's, and the later run's
    items = check_dataset(tmp_path, count)
    assert len(items) == count + len(ARTICLES)
    # Every worker did part of the work, in its own files.
    files = sorted((tmp_path / "data").glob("*/*/*.jsonl"))
    assert {path.name.rsplit("-", 1)[1] for path in files} == {"w0.jsonl", "w1.jsonl",
                                                                "w2.jsonl"}
    # Each worker leases only what its engine works on (its concurrency, and the responses
    # its scraper holds), never a large share of the queue: how many requests each then
    # completes depends on how fast the machine runs it, which a loaded machine does not
    # keep even.
    assert set(held) == {"w0", "w1", "w2"} and max(held.values()) <= MOST_HELD, held


def test_killed_worker_restarts_and_nothing_is_lost(tmp_path):
    count = 1000
    wanted = story_paths(count)
    with three_workers(tmp_path, count) as (redis_url, base, workers):
        deadline = time.monotonic() + 120
        while sum(fetched_articles(tmp_path, wanted).values()) < count // 4:
            assert time.monotonic() < deadline, "the crawl did not get going"
            time.sleep(0.2)
        workers[1].send_signal(signal.SIGKILL)  # mid-run, with requests in flight
        workers[1].wait()
        in_flight_at_kill = sum(fetched_articles(tmp_path, wanted).values())
        restarted = worker(base, redis_url, tmp_path, "w1")
        finish([workers[0], workers[2], restarted], tmp_path)

    fetched = fetched_articles(tmp_path, wanted)
    assert set(fetched) == wanted  # none lost
    check_dataset(tmp_path, count)
    # Only the requests the killed process held, and that were handed back (by the restarted
    # worker, or by another after the lease), can have been fetched twice. The kill may land
    # while the worker holds nothing; then nothing may be fetched twice.
    logs = "".join(path.read_text() for path in tmp_path.glob("w*.log"))
    taken = [int(n) for n in re.findall(r"(?:took back|put) (\d+) requests", logs)]
    assert sum(fetched.values()) - count <= sum(taken), (taken, in_flight_at_kill)


# -- the parts, without crawling -------------------------------------------------------------
@pytest.fixture
def redis_url(tmp_path):
    need_redis()
    with redis_server(tmp_path / "redis") as url:
        yield url


def test_a_claim_lasts_only_as_long_as_the_process_that_made_it(redis_url):
    # A worker killed between claiming an article and queueing it (Scrapy takes a few of a
    # callback's requests ahead) must not keep the others from it until the claim lease ends.
    from scrapy.utils.test import get_crawler

    from newscrawl.crawl import distributed, state
    from newscrawl.crawl.distributed import DistributedRun
    from newscrawl.crawl.state.redis import RedisCrawlState

    def member(worker: str) -> tuple[DistributedRun, RedisCrawlState]:
        crawler = get_crawler(settings_dict={
            "REDIS_URL": redis_url, "NEWSCRAWL_WORKER_ID": worker, "NEWSCRAWL_REDIS_RUN": "claims",
            "EXTENSIONS": {distributed.EXTENSION: 0, state.EXTENSION: 0}})
        run = DistributedRun.of(crawler)
        run.beat()
        return run, state.crawl_state(crawler)

    (run_one, one), (run_two, two) = member("one"), member("two")
    url = "https://example.com/claimed"
    assert one.should_fetch(url)
    assert not two.should_fetch(url)  # its claimant is alive
    assert one.should_fetch(url)  # its own claim
    run_one.server.set(run_one.keys.alive("one"), "1")  # "one" restarted: another process
    assert two.should_fetch(url)
    assert not one.should_fetch(url)  # now two's, and two is alive
    run_two.server.delete(run_two.keys.alive("two"))  # two's process is gone
    assert one.should_fetch(url)


def test_redis_state_has_the_crawl_state_api(redis_url):
    from newscrawl.crawl.state.redis import RedisCrawlState

    one = RedisCrawlState(redis_url, worker="one")
    two = RedisCrawlState(redis_url, worker="two")
    url = "https://example.com/a"
    assert one.should_fetch(url)  # new: claimed by one
    assert one.should_fetch(url)  # one's own claim, renewed
    assert not two.should_fetch(url)  # claimed by another worker
    one.record_written(url, canonical_url="https://example.com/a", content_hash="h1",
                       output_file="site/day/run.jsonl")
    assert not two.should_fetch(url)  # written
    assert two.is_written(url) and two.written_count() == 1
    assert two.url_for_hash("h1") == url and two.url_for_canonical("https://example.com/a") == url
    assert not two.should_fetch("https://example.com/a")
    assert two.should_fetch(url, recrawl_after=timedelta(0))  # due again
    record = two.article(url)
    assert record is not None and record.output_file == "site/day/run.jsonl"
    one.record_written_many([("https://example.com/b", None, "h1", "x.jsonl")])
    assert two.url_for_hash("h1") == url  # the first one written keeps the hash
    two.mark_fetched("https://example.com/c")
    assert not one.should_fetch("https://example.com/c") and not one.is_written(
        "https://example.com/c")
    # The canonical URL of a written article is known too, tracking decorations or not.
    one.record_written("https://example.com/d?id=1", canonical_url="https://example.com/d",
                       content_hash=None, output_file="x.jsonl")
    assert not two.should_fetch("https://EXAMPLE.com/d?utm_source=rss#top")
    one.set_meta("k", "v")
    assert two.get_meta("k") == "v" and two.get_meta("nope") is None
    one.add_signatures([("u1", b"\x01\x02", None), ("u2", b"\x03", "u1")])
    assert list(two.signatures()) == [("u1", b"\x01\x02", None), ("u2", b"\x03", "u1")]
    assert two.signature_count() == 2
    two.clear_signatures()
    assert one.signature_count() == 0
    one.close()
    assert one.closed
    with pytest.raises(RuntimeError):
        one.is_written(url)
    two.close()


def test_claim_of_a_dead_worker_expires(redis_url):
    from newscrawl.crawl.state.redis import RedisCrawlState

    dead = RedisCrawlState(redis_url, worker="dead", claim_lease=0.2)
    alive = RedisCrawlState(redis_url, worker="alive")
    assert dead.should_fetch("https://example.com/x")
    assert not alive.should_fetch("https://example.com/x")
    time.sleep(0.3)
    assert alive.should_fetch("https://example.com/x")


def test_requests_of_a_dead_worker_go_back_to_the_queue(redis_url):
    import redis

    from newscrawl.crawl.distributed import DistributedRun, RunKeys

    server = redis.Redis.from_url(redis_url)
    keys = RunKeys("t", "run")
    dead = DistributedRun(server, keys, "dead", lease=0.3, idle_close=0)
    alive = DistributedRun(server, keys, "alive", lease=5, idle_close=0)
    dead.join()
    alive.join()
    server.zadd(keys.queue, {b"first": -10, b"second": 0})
    assert dead.pop(keys.queue)[0] == b"first"  # leased to dead, not queued any more
    assert server.zcard(keys.queue) == 1 and alive.pending_work() == 2
    assert not alive.may_close(now=0)  # work in flight somewhere: stay
    time.sleep(0.4)  # dead's heartbeat lease runs out
    assert alive.recover_dead() == 1
    assert server.zrange(keys.queue, 0, -1, withscores=True) == [(b"first", -10.0),
                                                                  (b"second", 0.0)]
    data, lease = alive.pop(keys.queue)
    alive.ack(lease)
    alive.pop(keys.queue)
    assert alive.pending_work() == 1 and alive.requeue_own() == 1  # a restart takes it back
    assert server.zcard(keys.queue) == 1


def test_requests_are_stored_as_json():
    from newscrawl.crawl import distributed

    request = Request("https://example.com/a?b=1", priority=10, dont_filter=True,
                      headers={"X-Test": "1"}, meta={"newscrawl_kind": "article", "n": [1]})
    encoded = distributed.dumps(request.to_dict())
    json.loads(encoded)  # plain JSON: nothing in Redis is executed on loading
    copy = request_from_dict(distributed.loads(encoded))
    assert (copy.url, copy.priority, copy.dont_filter, copy.meta) == (
        request.url, 10, True, request.meta)
    assert copy.headers.get("X-Test") == b"1"


def test_missing_extra_says_how_to_install(monkeypatch):
    import sys

    from newscrawl.crawl import redisbase

    monkeypatch.setitem(sys.modules, "scrapy_redis", None)
    with pytest.raises(redisbase.MissingRedis, match=r"newscrawl\[redis\]"):
        redisbase.require_redis()


def test_redis_url_switches_the_spider_to_the_shared_scheduler():
    pytest.importorskip("scrapy_redis")
    from scrapy.settings import Settings

    from newscrawl.crawl import distributed
    from newscrawl.spiders.news import NewsSpider

    embedded = Settings({"SCHEDULER": "scrapy.core.scheduler.Scheduler"})
    NewsSpider.update_settings(embedded)
    assert embedded["SCHEDULER"] == "scrapy.core.scheduler.Scheduler"
    shared = Settings({"REDIS_URL": "redis://127.0.0.1:1/0"})
    NewsSpider.update_settings(shared)
    assert shared["SCHEDULER"] == distributed.SCHEDULER
    assert shared["DUPEFILTER_CLASS"] == "scrapy_redis.dupefilter.RFPDupeFilter"
    assert shared.getbool("SCHEDULER_PERSIST")
    assert distributed.SPIDER_MIDDLEWARE in shared.getdict("SPIDER_MIDDLEWARES")


def test_distributed_workers_make_each_item_durable_before_its_ack_unless_told_otherwise():
    pytest.importorskip("scrapy_redis")
    from scrapy.settings import Settings

    from newscrawl.spiders.news import NewsSpider

    shared = Settings({"REDIS_URL": "redis://127.0.0.1:1/0"})
    NewsSpider.update_settings(shared)
    assert shared.getint("NEWSCRAWL_JSONL_FSYNC_BATCH") == 1
    chosen = Settings({"REDIS_URL": "redis://127.0.0.1:1/0"})
    chosen.set("NEWSCRAWL_JSONL_FSYNC_BATCH", 50, priority="cmdline")
    NewsSpider.update_settings(chosen)
    assert chosen.getint("NEWSCRAWL_JSONL_FSYNC_BATCH") == 50
