"""The crawl state in Redis, shared by the workers of a distributed crawl.

`RedisCrawlState` is a `StateStore` (newscrawl.crawl.state.base) like the SQLite `CrawlState`
(`newscrawl.crawl.state.state_class` picks it when REDIS_URL is set), with the same
meaning, but every worker uses it at once, so there is no lock. Instead, `should_fetch` is an atomic
claim: a Lua script checks "already written (and not due for a recrawl)?" and, if not, sets
a claim key with SET NX and a lease (NEWSCRAWL_REDIS_CLAIM_LEASE seconds). A second worker
asking for the same URL meanwhile gets False. In a distributed run a claim belongs to the
claiming process and is void once that process's heartbeat key is gone or names another
process; outside one, a claim whose worker died simply expires.
Writing or marking the article fetched releases the claim.

Keys (prefix NEWSCRAWL_REDIS_PREFIX, default "newscrawl"):

    <p>:state:articles    hash url -> JSON record (times as epoch seconds)
    <p>:state:canonical   hash canonical URL -> first URL written with it
    <p>:state:hashes      hash content hash -> first URL written with it
    <p>:state:written     counter of written articles
    <p>:state:signatures  list of JSON [url, base64 signature, first copy, added at], oldest first
    <p>:state:meta        hash
    <p>:claim:<url>       the claim of a worker on an article (expires)
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from newscrawl.crawl.distributed import DistributedRun
from newscrawl.crawl.redisbase import DEFAULT_PREFIX, require_redis, safe_name, worker_id
from newscrawl.crawl.state.base import ArticleRecord, to_text, utc
from newscrawl.model.urls import canonicalize_url

DEFAULT_CLAIM_LEASE = 600.0
_PAGE = 1000

# KEYS: articles, canonical, claim; ARGV: url, now, recrawl seconds (-1: never), lease ms,
# claimant (the worker, or its process: see `claimant`), the url cleaned (newscrawl.model.urls).
# 1 = fetch it (claimed by this worker), 0 = skip it.
_CLAIM = """
local function last_of(url)
  local raw = redis.call('HGET', KEYS[1], url)
  if not raw then return nil end
  local record = cjson.decode(raw)
  return record.last_fetched or record.written_at or record.first_seen
end
local last = last_of(ARGV[1])
if not last then
  local first = redis.call('HGET', KEYS[2], ARGV[6])
  if first then last = last_of(first) end
end
if last then
  local recrawl = tonumber(ARGV[3])
  if recrawl < 0 or tonumber(ARGV[2]) - last < recrawl then return 0 end
end
if redis.call('SET', KEYS[3], ARGV[5], 'NX', 'PX', ARGV[4]) then return 1 end
local owner = redis.call('GET', KEYS[3])
if owner == ARGV[5] then
  redis.call('PEXPIRE', KEYS[3], ARGV[4])
  return 1
end
-- A claim made by a process of a distributed run (its alive key, a newline, its pid) lasts
-- only as long as that process: once the alive key is gone or names another, it is void.
local cut = owner and string.find(owner, '\\n', 1, true)
if cut and redis.call('GET', string.sub(owner, 1, cut - 1)) ~= string.sub(owner, cut + 1) then
  redis.call('SET', KEYS[3], ARGV[5], 'PX', ARGV[4])
  return 1
end
return 0
"""

# Merge fields into an article's record. KEYS: articles, canonical, hashes, written counter,
# then one claim key per row; ARGV: time, then per row: url, canonical, hash, output file
# ("" for none). An empty output file means "fetched", else "written".
_RECORD = """
local now = tonumber(ARGV[1])
local row = 0
for i = 2, #ARGV, 4 do
  row = row + 1
  local url, canonical, digest, output = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local raw = redis.call('HGET', KEYS[1], url)
  local record = raw and cjson.decode(raw) or {first_seen = now}
  if output == '' then
    record.last_fetched = now
  else
    if not record.written_at then redis.call('INCR', KEYS[4]) end
    record.written_at = now
    record.output_file = output
    record.canonical_url = canonical ~= '' and canonical or nil
    record.content_hash = digest ~= '' and digest or nil
    if canonical ~= '' then redis.call('HSETNX', KEYS[2], canonical, url) end
    if digest ~= '' then redis.call('HSETNX', KEYS[3], digest, url) end
  end
  redis.call('HSET', KEYS[1], url, cjson.encode(record))
  redis.call('DEL', KEYS[4 + row])
end
return row
"""


def _seconds(when: datetime | None) -> float:
    return utc(when).timestamp()


def _time(value: Any) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(float(value), UTC)


class RedisCrawlState:
    """CrawlState's API on Redis; see the module doc."""

    def __init__(self, url: str, *, prefix: str = DEFAULT_PREFIX, worker: str = "worker",
                 claim_lease: float = DEFAULT_CLAIM_LEASE, wait: float = 0.0,
                 params: dict[str, Any] | None = None) -> None:
        require_redis()
        import redis

        self.path = url  # what a CrawlState's users print
        self.prefix = f"{safe_name(prefix)}:state"
        self.claim_prefix = f"{safe_name(prefix)}:claim:"
        self.worker = worker
        self.claim_lease = claim_lease
        self._server: Any = redis.Redis.from_url(url, **(params or {}))
        self._server.ping()  # fail now, with Redis's message, not on the first article
        self._claim = self._server.register_script(_CLAIM)
        self._record = self._server.register_script(_RECORD)
        self.crawler: Any = None  # set by from_crawler: a distributed run's claims are its own

    # -- construction -----------------------------------------------------------------
    @classmethod
    def from_settings(cls, settings: Any) -> RedisCrawlState:
        return cls(settings.get("REDIS_URL"),
                   prefix=settings.get("NEWSCRAWL_REDIS_PREFIX") or DEFAULT_PREFIX,
                   worker=worker_id(settings),
                   claim_lease=settings.getfloat("NEWSCRAWL_REDIS_CLAIM_LEASE",
                                                 DEFAULT_CLAIM_LEASE),
                   params={"socket_timeout": 30, "socket_connect_timeout": 30,
                           "retry_on_timeout": True})

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedisCrawlState:
        state = cls.from_settings(crawler.settings)
        state.crawler = crawler
        return state

    @property
    def claimant(self) -> str:
        """Who claims: in a distributed run, this process, named by the run's alive key of
        this worker and the pid it holds (a claim dies with its process: a worker killed
        between claiming an article and queueing it must not keep others from it until the
        claim lease runs out); otherwise the worker id."""
        run = self.crawler.get_extension(DistributedRun) if self.crawler is not None else None
        if run is None:
            return self.worker
        return f"{run.keys.alive(run.worker)}\n{os.getpid()}"

    @property
    def closed(self) -> bool:
        return self._server is None

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None

    def __enter__(self) -> RedisCrawlState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _redis(self) -> Any:
        if self._server is None:
            raise RuntimeError(f"crawl state {self.path} is closed")
        return self._server

    def _key(self, name: str) -> str:
        return f"{self.prefix}:{name}"

    # -- articles ---------------------------------------------------------------------
    def article(self, url: str) -> ArticleRecord | None:
        raw = self._redis().hget(self._key("articles"), url)
        if raw is None:
            return None
        record = json.loads(raw)
        return ArticleRecord(url, record.get("canonical_url"), record.get("content_hash"),
                             _time(record["first_seen"]), _time(record.get("last_fetched")),
                             _time(record.get("written_at")), record.get("output_file"))

    def should_fetch(self, url: str, *, recrawl_after: timedelta | None = None,
                     now: datetime | None = None) -> bool:
        """True when `url` is new (or due again) and this worker now holds its claim."""
        recrawl = -1 if recrawl_after is None else recrawl_after.total_seconds()
        keys = [self._key("articles"), self._key("canonical"), self.claim_prefix + url]
        # Canonical URLs are stored cleaned, so a link that differs only by tracking
        # parameters or a fragment is known too (as in CrawlState).
        args = [url, _seconds(now), recrawl, int(self.claim_lease * 1000), self.claimant,
                canonicalize_url(url)]
        return bool(self._claim(keys=keys, args=args, client=self._redis()))

    def mark_fetched(self, url: str, *, when: datetime | None = None) -> None:
        self._apply([(url, "", "", "")], when)

    def url_for_hash(self, content_hash: str) -> str | None:
        return self._text(self._redis().hget(self._key("hashes"), content_hash))

    def url_for_canonical(self, canonical_url: str) -> str | None:
        return self._text(self._redis().hget(self._key("canonical"), canonical_url))

    @staticmethod
    def _text(value: bytes | None) -> str | None:
        return None if value is None else value.decode("utf-8")

    def record_written(self, url: str, *, canonical_url: str | None, content_hash: str | None,
                       output_file: str, when: datetime | None = None) -> None:
        """Remember that `url` is in `output_file`. Call only once the line is durable."""
        self.record_written_many([(url, canonical_url, content_hash, output_file)], when=when)

    def record_written_many(self, rows: Iterable[tuple[str, str | None, str | None, str]], *,
                            when: datetime | None = None) -> None:
        """`record_written` for a batch (url, canonical_url, content_hash, output_file)."""
        self._apply([(url, canonical or "", digest or "", output or "-")
                     for url, canonical, digest, output in rows], when)

    def _apply(self, rows: list[tuple[str, str, str, str]], when: datetime | None) -> None:
        # One script call per batch: all rows or none, and no worker sees half a record.
        for start in range(0, len(rows), _PAGE):
            chunk = rows[start:start + _PAGE]
            keys = [self._key(name) for name in ("articles", "canonical", "hashes", "written")]
            keys += [self.claim_prefix + url for url, *_ in chunk]
            args: list[Any] = [_seconds(when)]
            for row in chunk:
                args.extend(row)
            self._record(keys=keys, args=args, client=self._redis())

    def written_count(self) -> int:
        return int(self._redis().get(self._key("written")) or 0)

    def is_written(self, url: str) -> bool:
        record = self.article(url)
        return record is not None and record.written_at is not None

    # -- small settings that must survive runs ---------------------------------------
    def get_meta(self, key: str) -> str | None:
        return self._text(self._redis().hget(self._key("meta"), key))

    def set_meta(self, key: str, value: str) -> None:
        self._redis().hset(self._key("meta"), key, value)

    # -- near-duplicate signatures ----------------------------------------------------
    def add_signatures(self, items: Iterable[tuple[str, bytes, str | None]], *,
                       when: datetime | None = None) -> None:
        stamp = to_text(when)
        entries = [json.dumps([url, base64.b64encode(sig).decode("ascii"), first, stamp])
                   for url, sig, first in items]
        if entries:
            self._redis().rpush(self._key("signatures"), *entries)

    def signatures(self, *, since: datetime | None = None
                   ) -> Iterator[tuple[str, bytes, str | None]]:
        """Stored (url, signature, duplicate_of), oldest first; only those added since
        `since` when given (as CrawlState.signatures)."""
        key, start = self._key("signatures"), 0
        floor = to_text(since) if since is not None else ""
        while True:
            page = self._redis().lrange(key, start, start + _PAGE - 1)
            for raw in page:
                url, sig, first, *added = json.loads(raw)
                if not added or added[0] >= floor:
                    yield url, base64.b64decode(sig), first
            if len(page) < _PAGE:
                return
            start += _PAGE

    def clear_signatures(self) -> None:
        self._redis().delete(self._key("signatures"))

    def signature_count(self) -> int:
        return int(self._redis().llen(self._key("signatures")))
