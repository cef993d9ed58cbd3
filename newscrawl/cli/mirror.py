"""`newscrawl mirror`: serve the fixture pages as websites on 127.0.0.1 (offline crawling)."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
import time
from pathlib import Path

from newscrawl.crawl import mirror


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "mirror", help="serve the fixture pages as websites on 127.0.0.1",
        description="Serve every fixture page at its real path, with synthesised section "
                    "pages, news sitemaps, RSS feeds and robots.txt, at "
                    "http://127.0.0.1:PORT/<host>/<path>. Crawl it with "
                    "`newscrawl crawl SITE --mirror-url http://127.0.0.1:PORT`.")
    parser.add_argument("--port", type=int, default=8800, help="0 picks a free port")
    parser.add_argument("--fixtures", type=Path, default=None, metavar="DIR",
                        help="fixtures folder (default: the project's)")
    parser.add_argument("--site", action="append", default=[], metavar="SITE",
                        help="serve only this site (repeatable)")
    parser.add_argument("--hit-log", type=Path, default=None, metavar="FILE",
                        help="append every request as a JSON line")
    parser.add_argument("--synthetic", type=int, default=0, metavar="N",
                        help="also serve N synthetic stories per site (made from an article "
                             "fixture, listed in a sitemap; for benchmarks and long tests)")
    parser.add_argument("--synthetic-size", type=_size, default=None, metavar="MIN:MAX",
                        help="sizes of the synthetic stories in bytes (default 100000:300000; "
                             "a story is never smaller than its fixture page)")
    parser.add_argument("--processes", type=int, default=1, metavar="N",
                        help="serve from N processes sharing the port (for benchmarks)")
    parser.add_argument("--parent-pid", type=int, default=None, metavar="PID",
                        help="stop when this process (the crawl that started the mirror) is gone")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    resolver = mirror.fixture_resolver(args.fixtures or mirror.FIXTURES_DIR, args.site,
                                       args.synthetic, args.synthetic_size)
    server = mirror.MirrorServer(resolver, args.port, args.hit_log)
    # SIGTERM ends the mirror like Ctrl-C does: the parent crawl stops it this way.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    helpers = [_fork_server(server) for _ in range(max(args.processes, 1) - 1)]
    if args.parent_pid:
        _stop_with_parent(server, args.parent_pid)
    print(f"mirror: {server.url}", flush=True)
    if not args.parent_pid:  # a person started it; a crawl that did needs no hint
        print(f"pages are at {server.url}/<host>/<path>; Ctrl-C stops",
              file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        for pid in helpers:
            _stop(pid)
        server.server_close()
    return 0


def _stop_with_parent(server: mirror.MirrorServer, parent: int) -> None:
    """The mirror runs in a session of its own (Ctrl-C on the crawl must not stop it early),
    so a crawl killed with SIGKILL cannot take it along: it watches its parent instead."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        server.shutdown()

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _size(text: str) -> tuple[int, int]:
    low, _, high = text.partition(":")
    try:
        sizes = int(low), int(high or low)
    except ValueError:
        raise argparse.ArgumentTypeError(f"want MIN:MAX bytes, got {text!r}") from None
    if not 0 <= sizes[0] <= sizes[1]:
        raise argparse.ArgumentTypeError(f"want 0 <= MIN <= MAX, got {text!r}")
    return sizes


def _fork_server(server: mirror.MirrorServer) -> int:
    """A helper process accepting on the same listening socket (one GIL each)."""
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        try:
            server.serve_forever()
        finally:
            os._exit(0)
    return pid


def _stop(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)
