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
from typing import BinaryIO, NamedTuple

CHUNK = 1 << 16
READ_SIZE = 256 * 1024
GZIP_SUFFIX = ".gz"
GZIP_MAGIC = b"\x1f\x8b\x08"


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
        end = 0
        with open(self.path, "rb") as handle:
            for member in _whole_members(handle):
                end = member.offset + (member.length or 0)
                yield member.data or b""
        self.torn = self.path.stat().st_size - end


class Member(NamedTuple):
    """One gzip member of a file, or a damaged stretch: `problem` is then "truncated" (the
    file ends inside it), "broken-gzip" (not gzip, or does not inflate) or "too-large"."""

    offset: int
    length: int | None
    data: bytes | None = None
    problem: str | None = None
    detail: str = ""


class GzipMembers:
    """Inflates a multi-member gzip file one member at a time, resynchronising after damage.

    The JSON Lines writer appends one member per flushed batch and a WARC holds one per
    record, so a member is the unit that a crash cuts short or a disk error damages.
    """

    def __init__(self, handle: BinaryIO, max_bytes: int | None = None) -> None:
        self.handle = handle
        self.max_bytes = max_bytes  # inflated size of one member we are willing to hold
        self.pending = b""  # bytes read past the previous member's end
        self.offset = 0  # file offset of the first pending byte

    def __iter__(self) -> Iterator[Member]:
        while True:
            head = self._peek(len(GZIP_MAGIC))
            if not head:
                return
            if head != GZIP_MAGIC:
                chunk, found = self._skip_to_next_member(self.offset, "not a gzip member")
                yield chunk
                if not found:
                    return
                continue
            start = self.offset
            chunk = self._inflate_member()
            if chunk.problem == "broken-gzip":
                # Resume at the next gzip header: the damage costs this member only.
                damaged, found = self._skip_to_next_member(start + 1, chunk.detail)
                yield Member(start, (damaged.length or 0) + 1, problem=chunk.problem,
                             detail=chunk.detail)
                if not found:
                    return
                continue
            yield chunk
            if chunk.problem == "truncated":
                return

    def _peek(self, size: int) -> bytes:
        while len(self.pending) < size:
            more = self.handle.read(READ_SIZE)
            if not more:
                break
            self.pending += more
        return self.pending[:size]

    def _take(self) -> bytes:
        data = self.pending or self.handle.read(READ_SIZE)
        self.pending = b""
        return data

    def _inflate_member(self) -> Member:
        start, inflater = self.offset, zlib.decompressobj(wbits=31)
        parts: list[bytes] | None = []
        fed = size = 0
        while not inflater.eof:
            data = inflater.unconsumed_tail
            if not data:
                data = self._take()
                fed += len(data)
            try:
                # At the end of the file, flush: zlib may still hold output of a complete
                # member that max_length held back.
                out = inflater.decompress(data, READ_SIZE) if data else inflater.flush()
                if not data and not inflater.eof:
                    return Member(start, fed, problem="truncated",
                                  detail="the file ends inside this gzip member")
            except zlib.error as error:
                return Member(start, None, problem="broken-gzip",
                              detail=f"broken gzip member ({error})")
            size += len(out)
            if parts is not None and (self.max_bytes is None or size <= self.max_bytes):
                parts.append(out)
            else:
                parts = None  # too large to hold: inflate on to find the member's end
        self.pending = inflater.unused_data
        length = fed - len(self.pending)
        self.offset = start + length
        if parts is None:
            return Member(start, length, problem="too-large",
                          detail=f"record larger than {self.max_bytes} bytes")
        return Member(start, length, b"".join(parts))

    def _skip_to_next_member(self, origin: int, detail: str) -> tuple[Member, bool]:
        """Find the next gzip header after `origin`; the bytes before it are one damaged chunk."""
        self.handle.seek(origin)
        position, carry = origin, b""
        while True:
            block = self.handle.read(READ_SIZE)
            if not block:
                self.pending, self.offset = b"", position + len(carry)
                return Member(origin, position + len(carry) - origin, problem="broken-gzip",
                              detail=detail), False
            window = carry + block
            found = window.find(GZIP_MAGIC)
            if found >= 0:
                start = position + found
                self.pending, self.offset = window[found:], start
                return Member(origin, start - origin, problem="broken-gzip",
                              detail=detail), True
            keep = len(GZIP_MAGIC) - 1
            position += len(window) - keep
            carry = window[-keep:]


def complete_length(path: str | os.PathLike[str]) -> int:
    """How many leading bytes of the file are complete lines (or complete gzip members)."""
    path = Path(path)
    if is_gzip(path):
        with open(path, "rb") as handle:
            return max((m.offset + (m.length or 0) for m in _whole_members(handle)), default=0)
    return _last_newline_end(path)


def _whole_members(handle: BinaryIO) -> Iterator[Member]:
    """The leading complete members: a kill can only cut the last one, so whatever follows
    the first damage is the torn tail."""
    for member in GzipMembers(handle):
        if member.problem:
            return
        yield member


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
