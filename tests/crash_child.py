"""A crawl-like writer process for the kill test: feeds articles through the full chain.

    python -m tests.crash_child DIR RUN COUNT [--stall-at N] [--batch N]

With --stall-at N, write call N stops half-way (a slow disk, simulated): the child
creates DIR/stalled and sleeps, so the parent can kill it with a torn line on disk.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import newscrawl.pipelines.jsonl as jsonl
from tests.pipeline_support import article, chain


def stall_writes_at(target: int, marker: Path) -> None:
    real_write_all = jsonl.write_all
    calls = {"n": 0}

    def write_all(fd: int, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] != target:
            real_write_all(fd, data)
            return
        real_write_all(fd, data[: len(data) // 2])
        marker.write_text("stalled")
        time.sleep(60)
        real_write_all(fd, data[len(data) // 2:])

    jsonl.write_all = write_all


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dir", type=Path)
    parser.add_argument("run")
    parser.add_argument("count", type=int)
    parser.add_argument("--stall-at", type=int)
    parser.add_argument("--batch", type=int,
                        help="NEWSCRAWL_JSONL_FSYNC_BATCH (default: the writer's own)")
    args = parser.parse_args()
    if args.stall_at:
        stall_writes_at(args.stall_at, args.dir / "stalled")
    batch = {} if args.batch is None else {"NEWSCRAWL_JSONL_FSYNC_BATCH": args.batch}
    with chain(args.dir, NEWSCRAWL_RUN_ID=args.run, **batch) as pipes:
        for n in range(args.count):
            # Large bodies make each write take a while, so kills land inside writes too.
            pipes.process(article(n, seeds=[n * 100 + i for i in range(25)],
                                  site=f"site{n % 3}"))
    print("done", flush=True)


if __name__ == "__main__":
    main()
