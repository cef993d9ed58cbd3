"""Reading and repairing JSON Lines files, plain or gzipped, that a crash may have cut short.

A file is a run of complete lines, each ending in "\\n", possibly followed by a torn tail (a
line cut by a kill, or a gzip member cut short). Readers skip the tail and say so; the
writer cuts it off before it appends.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from pathlib import Path

CHUNK = 1 << 16
GZIP_SUFFIX = ".gz"


def is_gzip(path: str | os.PathLike[str]) -> bool:
    return str(path).endswith(GZIP_SUFFIX)


class LineReader:
    """Iterates the complete lines (bytes, newline included) of one file.

    After iteration, `torn` holds the number of bytes (plain) or compressed bytes (gzip)
    of the incomplete tail that was skipped, 0 when the file ended cleanly.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.torn = 0

    def __iter__(self) -> Iterator[bytes]:
        chunks = self._gzip_chunks() if is_gzip(self.path) else self._plain_chunks()
        rest = b""
        for chunk in chunks:
            lines = (rest + chunk).split(b"\n")
            rest = lines.pop()
            for line in lines:
                yield line + b"\n"
        if rest:
            self.torn = self.torn or len(rest)

    def _plain_chunks(self) -> Iterator[bytes]:
        with open(self.path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk

    def _gzip_chunks(self) -> Iterator[bytes]:
        scan = GzipScan(self.path)
        yield from scan.chunks()
        self.torn = scan.size - scan.complete_end


class GzipScan:
    """Walks the gzip members of a file, noting where the last complete one ends.

    The writer appends one member per flushed batch, so a kill can only cut the last one.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = path.stat().st_size
        self.complete_end = 0

    def chunks(self) -> Iterator[bytes]:
        member = zlib.decompressobj(wbits=31)
        offset = 0  # compressed bytes consumed up to the start of `pending`
        pending: list[bytes] = []  # output of the current, not yet complete member
        with open(self.path, "rb") as handle:
            while raw := handle.read(CHUNK):
                while raw:
                    try:
                        out = member.decompress(raw)
                    except zlib.error:
                        return  # corrupt from here on: everything after is the torn tail
                    pending.append(out)
                    if not member.eof:
                        offset += len(raw)
                        break
                    rest = member.unused_data
                    offset += len(raw) - len(rest)
                    # Only a whole member counts: a cut one yields nothing.
                    yield from pending
                    pending = []
                    self.complete_end = offset
                    member = zlib.decompressobj(wbits=31)
                    raw = rest


def complete_length(path: str | os.PathLike[str]) -> int:
    """How many leading bytes of the file are complete lines (or complete gzip members)."""
    path = Path(path)
    if is_gzip(path):
        scan = GzipScan(path)
        for _ in scan.chunks():
            pass
        return scan.complete_end
    return _last_newline_end(path)


def _last_newline_end(path: Path) -> int:
    with open(path, "rb") as handle:
        end = handle.seek(0, os.SEEK_END)
        position = end
        while position > 0:
            step = min(CHUNK, position)
            position -= step
            handle.seek(position)
            block = handle.read(step)
            cut = block.rfind(b"\n")
            if cut >= 0:
                return position + cut + 1
    return 0


def repair(path: str | os.PathLike[str]) -> int:
    """Cut a torn tail off the file (durably); returns the number of bytes removed."""
    path = Path(path)
    keep = complete_length(path)
    removed = path.stat().st_size - keep
    if removed:
        with open(path, "r+b") as handle:
            handle.truncate(keep)
            handle.flush()
            os.fsync(handle.fileno())
    return removed
