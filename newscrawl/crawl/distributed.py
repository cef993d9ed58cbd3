"""Distributed crawling on Redis: scrapy-redis's scheduler and dupefilter, shared by workers.

With the setting `REDIS_URL` (`newscrawl crawl --redis URL`), `NewsSpider.update_settings`
switches the crawl to `SharedScheduler`, a scrapy-redis `Scheduler` whose persistent
priority queue and request dupefilter live in Redis, so any number of worker processes, on
any number of machines, share one request queue and one seen-set. What newscrawl adds on top:

- **One run, seeded once.** Workers of a run share its keys
  (`<prefix>:run:<run>:*`). The first worker to set `seeded` (SET NX) puts the start
  requests into the queue; the others only take work from it. The seed time names every
  worker's output files (`run-<seed time>-<worker>`), so a restarted worker continues its
  own files.
- **No request lost to a killed worker.** Popping a request moves it, atomically (Lua), into
  the worker's `inflight` hash; it leaves that hash (the "ack") only when the request is
  fully handled: its callback's output consumed and its items through the pipelines, or a
  final download error, or a redirect or retry that replaced it in the queue. Workers renew
  an `alive` key (a lease); when one stops renewing (SIGKILL, a lost machine), another
  worker puts its in-flight requests back into the queue. A worker restarted with the same
  `NEWSCRAWL_WORKER_ID` takes its own back at once.
- **Workers close together.** A worker whose own engine is idle stays open while the queue
  holds requests or any worker has requests in flight (they may still produce work), and
  closes once that has been so for `NEWSCRAWL_REDIS_IDLE_CLOSE` seconds. The last one to
  close clears the run's queue, dupefilter and seed mark, so the next scheduled run seeds
  afresh; the crawl state (`newscrawl.crawl.state.redis`) stays.

Requests are stored as JSON, not pickle (scrapy-redis's default): whoever can write to a
shared Redis must not be able to run code in every worker.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.http import Request, Response

from newscrawl.crawl.redisbase import (
    DEFAULT_PREFIX,
    MissingRedis,
    require_redis,
    safe_name,
    worker_id,
)

logger = logging.getLogger(__name__)

LEASE = "newscrawl_lease"  # request meta: the request's key in its worker's in-flight hash

# Scrapy components of the distributed mode (NewsSpider.update_settings installs them).
SCHEDULER = "newscrawl.crawl.distributed.SharedScheduler"
QUEUE = "newscrawl.crawl.distributed.LeasedQueue"
SERIALIZER = "newscrawl.crawl.distributed"
DUPEFILTER = "scrapy_redis.dupefilter.RFPDupeFilter"
SPIDER_MIDDLEWARE = "newscrawl.crawl.distributed.AckSpiderMiddleware"
DOWNLOADER_MIDDLEWARE = "newscrawl.crawl.distributed.AckDownloaderMiddleware"
EXTENSION = "newscrawl.crawl.distributed.DistributedRun"


def enabled(settings: Any) -> bool:
    return bool(settings.get("REDIS_URL"))


def apply_settings(settings: Any) -> None:
    """Switch a crawl's settings to the shared Redis scheduler (called when REDIS_URL is set).

    At the settings' highest priority so far: `-s` can still choose the idle time, the
    worker id and so on, but nobody can half-switch the scheduler.
    """
    require_redis()

    def put(name: str, value: Any) -> None:
        settings.set(name, value, priority=max(settings.getpriority(name) or 0, 40))

    put("SCHEDULER", SCHEDULER)
    put("SCHEDULER_QUEUE_CLASS", QUEUE)
    put("SCHEDULER_SERIALIZER", SERIALIZER)
    put("SCHEDULER_PERSIST", True)  # a worker that closes leaves the shared queue alone
    put("DUPEFILTER_CLASS", DUPEFILTER)
    for name, path in (("SPIDER_MIDDLEWARES", SPIDER_MIDDLEWARE),
                       ("DOWNLOADER_MIDDLEWARES", DOWNLOADER_MIDDLEWARE)):
        # Closest to the engine: sees every callback's final output, and download errors
        # only once retries gave up.
        put(name, {**settings.getdict(name), path: 5})
    put("EXTENSIONS", {**settings.getdict("EXTENSIONS"), EXTENSION: 0})
    # A request is acked once its items went through the pipelines; only if each item is
    # durable by then does a worker that dies for good lose nothing of the run. So, unless
    # chosen otherwise, the writer fsyncs every item here (its default batches 100).
    if settings.getpriority("NEWSCRAWL_JSONL_FSYNC_BATCH") is None:
        settings.set("NEWSCRAWL_JSONL_FSYNC_BATCH", 1, priority="project")


# -- JSON serializer for queued requests (SCHEDULER_SERIALIZER names this module) ------------
def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"__b": base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict):
        if all(isinstance(key, str) and not key.startswith("__") for key in value):
            return {key: _encode(item) for key, item in value.items()}
        return {"__d": [[_encode(key), _encode(item)] for key, item in value.items()]}
    if isinstance(value, list | tuple):
        return [_encode(item) for item in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if isinstance(value, dict):
        if "__b" in value:
            return base64.b64decode(value["__b"])
        if "__d" in value:
            return {_decode(key): _decode(item) for key, item in value["__d"]}
        return {key: _decode(item) for key, item in value.items()}
    return value


def dumps(obj: Any) -> bytes:
    return json.dumps(_encode(obj), separators=(",", ":"), sort_keys=True).encode("utf-8")


def loads(data: bytes | str) -> Any:
    return _decode(json.loads(data))


# -- Redis scripts -----------------------------------------------------------------------------
# Pop the best request and, in the same step, lease it to this worker: a kill between the
# two can never lose it. The in-flight value keeps its score for putting it back.
_POP = """
local found = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #found == 0 then return false end
redis.call('ZREM', KEYS[1], found[1])
local lease = redis.sha1hex(found[1])
redis.call('HSET', KEYS[2], lease, found[2] .. '\\n' .. found[1])
return {found[1], lease}
"""

_REQUEUE_FN = """
local function requeue(inflight, queue)
  local entries = redis.call('HVALS', inflight)
  for _, entry in ipairs(entries) do
    local cut = string.find(entry, '\\n', 1, true)
    redis.call('ZADD', queue, string.sub(entry, 1, cut - 1), string.sub(entry, cut + 1))
  end
  redis.call('DEL', inflight)
  return #entries
end
"""

# KEYS: inflight hash, queue.
_REQUEUE = _REQUEUE_FN + "return requeue(KEYS[1], KEYS[2])"

# Put back the in-flight requests of every registered worker whose lease ran out.
# KEYS: workers set, queue; ARGV: run key base, this worker.
_RECOVER = _REQUEUE_FN + """
local moved = 0
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if worker ~= ARGV[2] and redis.call('EXISTS', ARGV[1] .. ':alive:' .. worker) == 0 then
    moved = moved + requeue(ARGV[1] .. ':inflight:' .. worker, KEYS[2])
    redis.call('SREM', KEYS[1], worker)
  end
end
return moved
"""

# Requests queued plus requests in flight anywhere. KEYS: workers set, queue; ARGV: base.
_WORK = """
local work = redis.call('ZCARD', KEYS[2])
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  work = work + redis.call('HLEN', ARGV[1] .. ':inflight:' .. worker)
end
return work
"""

# The run is over: drop its queue, dupefilter and seed mark, unless work appeared meanwhile.
# KEYS: workers set, queue, dupefilter, seeded; ARGV: base.
_FINISH = _WORK.replace("return work", """
if work > 0 then return 0 end
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
return 1
""")


@dataclass(frozen=True)
class RunKeys:
    prefix: str
    run: str

    @property
    def base(self) -> str:
        return f"{self.prefix}:run:{self.run}"

    @property
    def queue(self) -> str:
        return f"{self.base}:requests"

    @property
    def dupefilter(self) -> str:
        return f"{self.base}:dupefilter"

    @property
    def seeded(self) -> str:
        return f"{self.base}:seeded"

    @property
    def workers(self) -> str:
        return f"{self.base}:workers"

    def inflight(self, worker: str) -> str:
        return f"{self.base}:inflight:{worker}"

    def alive(self, worker: str) -> str:
        return f"{self.base}:alive:{worker}"


def run_name(settings: Any, label: str) -> str:
    return safe_name(settings.get("NEWSCRAWL_REDIS_RUN") or f"news-{label}")


class DistributedRun:
    """This worker's membership in a run: seeding, leases, heartbeat, idle and finish."""

    def __init__(self, server: Any, keys: RunKeys, worker: str, *, lease: float,
                 idle_close: float) -> None:
        self.server = server
        self.keys = keys
        self.worker = worker
        self.lease = lease
        self.idle_close = idle_close
        self.seeder: bool | None = None
        self.started = ""
        self.finished = False
        self._idle_since: float | None = None
        self._heartbeat: Any = None
        self._pop = server.register_script(_POP)
        self._requeue = server.register_script(_REQUEUE)
        self._recover = server.register_script(_RECOVER)
        self._work = server.register_script(_WORK)
        self._finish = server.register_script(_FINISH)

    @classmethod
    def from_crawler(cls, crawler: Any) -> DistributedRun:
        """The crawler's run, an extension (apply_settings enables it) that the spider, the
        scheduler, the middlewares and the writer reach with `DistributedRun.of(crawler)`.

        Named by NEWSCRAWL_REDIS_RUN, else by the spider's `run_label` (its sites)."""
        settings = crawler.settings
        if not settings.get("REDIS_URL"):
            raise NotConfigured("REDIS_URL is not set: the crawl is not distributed")
        require_redis()
        from scrapy_redis.connection import get_redis_from_settings

        label = getattr(crawler.spider, "run_label", None) or "crawl"
        keys = RunKeys(safe_name(settings.get("NEWSCRAWL_REDIS_PREFIX") or DEFAULT_PREFIX),
                       run_name(settings, label))
        return cls(get_redis_from_settings(settings), keys, worker_id(settings),
                   lease=settings.getfloat("NEWSCRAWL_REDIS_LEASE", 30.0),
                   idle_close=settings.getfloat("NEWSCRAWL_REDIS_IDLE_CLOSE", 30.0))

    @classmethod
    def of(cls, crawler: Any) -> DistributedRun:
        run = crawler.get_extension(cls)
        if run is None:
            raise NotConfigured(f"REDIS_URL is set, but {EXTENSION} is not in EXTENSIONS "
                                "(distributed.apply_settings enables it)")
        return run

    # -- joining ---------------------------------------------------------------------------
    def join(self) -> bool:
        """Register this worker; True when it is the one to seed the run (once per run)."""
        if self.seeder is None:
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
            self.seeder = bool(self.server.set(self.keys.seeded, f"{stamp} {self.worker}",
                                               nx=True))
            value = self.server.get(self.keys.seeded) or stamp.encode()
            self.started = value.decode().split()[0]
            self.beat()
            logger.info("worker %s joined run %s (started %s)%s", self.worker, self.keys.run,
                        self.started, "; seeding it" if self.seeder else "")
        return self.seeder

    @property
    def file_run_id(self) -> str:
        """The JSON Lines writer's run id: one set of files per worker and run."""
        self.join()
        return f"run-{self.started}-{self.worker}"

    def beat(self) -> None:
        with self.server.pipeline() as pipe:
            pipe.sadd(self.keys.workers, self.worker)
            pipe.set(self.keys.alive(self.worker), str(os.getpid()),
                     px=int(self.lease * 1000))
            pipe.execute()

    def start_heartbeat(self) -> None:
        # A thread, not a reactor timer: a worker busy parsing a huge sitemap for seconds is
        # alive, and must not lose its requests to the others; only a dead process stops it.
        self._stop = threading.Event()
        self._heartbeat = threading.Thread(target=self._beat_until_stopped,
                                           name="newscrawl-heartbeat", daemon=True)
        self._heartbeat.start()

    def _beat_until_stopped(self) -> None:
        while not self._stop.wait(max(self.lease / 3, 0.2)):
            self.tick()

    def stop_heartbeat(self) -> None:
        if self._heartbeat is not None:
            self._stop.set()
            self._heartbeat.join()
            self._heartbeat = None

    def tick(self) -> None:
        try:
            self.beat()
            moved = self.recover_dead()
        except Exception:  # a Redis hiccup must not stop the heartbeat for good
            logger.exception("heartbeat to Redis failed")
            return
        if moved:
            logger.warning("put %d requests of dead workers back into the queue", moved)

    # -- leases ----------------------------------------------------------------------------
    def pop(self, queue: str) -> tuple[bytes, str] | None:
        found = self._pop(keys=[queue, self.keys.inflight(self.worker)])
        if not found:
            return None
        data, lease = found
        return data, lease.decode() if isinstance(lease, bytes) else str(lease)

    def ack(self, lease: str) -> None:
        self.server.hdel(self.keys.inflight(self.worker), lease)

    def requeue_own(self) -> int:
        """Requests this worker id leased before (an earlier, killed process) go back."""
        return int(self._requeue(keys=[self.keys.inflight(self.worker), self.keys.queue]))

    def recover_dead(self) -> int:
        return int(self._recover(keys=[self.keys.workers, self.keys.queue],
                                 args=[self.keys.base, self.worker]))

    def pending_work(self) -> int:
        return int(self._work(keys=[self.keys.workers, self.keys.queue],
                              args=[self.keys.base]))

    # -- idle and closing ------------------------------------------------------------------
    def may_close(self, now: float | None = None) -> bool:
        """Called while this worker's engine is idle: has the whole run been idle long enough?"""
        now = time.monotonic() if now is None else now
        self.recover_dead()
        # This worker's engine is idle, so nothing it leased is being worked on: a lease still
        # held is an orphan (a request some component replaced without its meta), and would
        # keep the whole run open forever. Give it back to be done again.
        orphans = self.requeue_own()
        if orphans:
            logger.warning("gave back %d leased requests nothing was working on", orphans)
        if self.pending_work():
            self._idle_since = None
            return False
        if self._idle_since is None:
            self._idle_since = now
        self.finished = now - self._idle_since >= self.idle_close
        return self.finished

    def leave(self) -> None:
        """Give back what this worker still holds; clear the run if it is over."""
        self.stop_heartbeat()
        moved = self.requeue_own()
        if moved:
            logger.info("gave %d unfinished requests back to the shared queue", moved)
        with self.server.pipeline() as pipe:
            pipe.srem(self.keys.workers, self.worker)
            pipe.delete(self.keys.alive(self.worker))
            pipe.execute()
        if self.finished and self._finish(
                keys=[self.keys.workers, self.keys.queue, self.keys.dupefilter,
                      self.keys.seeded], args=[self.keys.base]):
            logger.info("run %s is complete; cleared its queue and dupefilter", self.keys.run)


# -- scrapy-redis components -------------------------------------------------------------------
try:
    require_redis()
    from scrapy_redis.queue import PriorityQueue as _PriorityQueue
    from scrapy_redis.scheduler import Scheduler as _Scheduler
except MissingRedis:  # only the distributed mode needs them; it raises with the hint
    _Scheduler = _PriorityQueue = object  # type: ignore[assignment, misc]


class LeasedQueue(_PriorityQueue):  # type: ignore[misc, valid-type]
    """scrapy-redis's priority queue, whose pop leases the request to this worker."""

    def __init__(self, server: Any, spider: Any, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        self.run = DistributedRun.of(spider.crawler)

    def push(self, request: Request) -> None:
        # A redirect or retry replaces its request: queue the new one, then release the old.
        lease = request.meta.pop(LEASE, None)
        super().push(request)
        if lease:
            self.run.ack(lease)

    def pop(self, timeout: int = 0) -> Request | None:
        found = self.run.pop(self.key)
        if found is None:
            return None
        data, lease = found
        request = self._decode_request(data)
        request.meta[LEASE] = lease
        return request


class SharedScheduler(_Scheduler):  # type: ignore[misc, valid-type]
    """scrapy-redis's Scheduler with the run's keys, leases, heartbeat and idle rule."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> SharedScheduler:
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        crawler.signals.connect(scheduler.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        return scheduler

    def open(self, spider: Any) -> None:
        from scrapy_redis.dupefilter import RFPDupeFilter

        self.run = DistributedRun.of(self.crawler)
        self.run.join()
        self.queue_key = self.run.keys.queue
        self.df = RFPDupeFilter(self.server, key=self.run.keys.dupefilter,
                                debug=self.crawler.settings.getbool("DUPEFILTER_DEBUG"))
        super().open(spider)
        self.run.start_heartbeat()

    def spider_opened(self, spider: Any) -> None:
        # After the pipelines opened: the writer has reconciled what a killed process with
        # this worker id wrote, so those requests, put back now, are dropped as duplicates.
        moved = self.run.requeue_own()
        if moved:
            logger.warning("took back %d requests a previous process of worker %s held",
                           moved, self.run.worker)
            if self.stats:
                self.stats.inc_value("newscrawl/distributed/requeued_own", moved)

    def spider_idle(self, spider: Any) -> None:
        if not self.run.may_close():
            raise DontCloseSpider

    def close(self, reason: str) -> None:
        self.run.leave()
        super().close(reason)


class AckSpiderMiddleware:
    """Acks a request once its callback's output is consumed and its items are through the
    pipelines (item_scraped, item_dropped or item_error), whichever comes last."""

    def __init__(self, crawler: Any) -> None:
        self.run = DistributedRun.of(crawler)
        self.items: dict[str, int] = {}  # lease -> items still in the pipelines
        self.done: set[str] = set()  # leases whose callback output is consumed
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(self.item_finished, signal=signal)

    @classmethod
    def from_crawler(cls, crawler: Any) -> AckSpiderMiddleware:
        return cls(crawler)

    def process_spider_output(self, response: Response, result: Any, spider: Any = None) -> Any:
        lease = response.meta.get(LEASE)
        try:
            for output in result:
                self._count(lease, output)
                yield output
        finally:
            self._output_done(lease)

    async def process_spider_output_async(self, response: Response, result: Any,
                                          spider: Any = None) -> Any:
        lease = response.meta.get(LEASE)
        try:
            async for output in result:
                self._count(lease, output)
                yield output
        finally:
            self._output_done(lease)

    def _count(self, lease: str | None, output: Any) -> None:
        if lease and not isinstance(output, Request):
            self.items[lease] = self.items.get(lease, 0) + 1

    def _output_done(self, lease: str | None) -> None:
        if lease:
            self.done.add(lease)
            self._maybe_ack(lease)

    def item_finished(self, item: Any = None, response: Response | None = None,
                      **kwargs: Any) -> None:
        lease = response.meta.get(LEASE) if response is not None else None
        if lease and lease in self.items:
            self.items[lease] -= 1
            self._maybe_ack(lease)

    def _maybe_ack(self, lease: str) -> None:
        if lease in self.done and self.items.get(lease, 0) <= 0:
            self.done.discard(lease)
            self.items.pop(lease, None)
            self.run.ack(lease)


class AckDownloaderMiddleware:
    """Acks a request whose download failed for good (retries exhausted, robots.txt, ...):
    its errback runs next and yields nothing to wait for."""

    def __init__(self, crawler: Any) -> None:
        self.run = DistributedRun.of(crawler)

    @classmethod
    def from_crawler(cls, crawler: Any) -> AckDownloaderMiddleware:
        return cls(crawler)

    def process_exception(self, request: Request, exception: BaseException,
                          spider: Any = None) -> None:
        lease = request.meta.get(LEASE)
        if lease:
            self.run.ack(lease)
