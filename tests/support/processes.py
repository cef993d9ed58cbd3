"""Watching child processes from /proc (Linux): peak memory, waiting with a deadline, and the
process table."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


def peak_rss_kb(pid: int | str = "self") -> int:
    """The peak resident memory of a process's current program (VmHWM), in kB.

    Not getrusage's ru_maxrss: on Linux that survives exec(), so a child spawned by a big
    test process would report the parent's size as its own."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def reap(process: subprocess.Popen, deadline: float, peak_kb: int = 0, *,
         group: bool = False) -> tuple[int, float]:
    """Wait for the child, sampling its peak memory; SIGKILL it (its whole process group with
    `group`) at the `time.monotonic()` deadline. Returns (exit status, peak RSS in MB as last
    seen, `peak_kb` included)."""
    while True:
        if process.returncode is not None:  # already reaped by poll()
            return process.returncode, peak_kb / 1024
        peak_kb = max(peak_kb, peak_rss_kb(process.pid))
        pid, status, _ = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return process.returncode, peak_kb / 1024
        if time.monotonic() > deadline:
            if group:
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.send_signal(signal.SIGKILL)
            deadline = float("inf")
        time.sleep(0.02)


@dataclass(frozen=True)
class ProcessEntry:
    pid: int
    state: str  # "R", "S", ... "Z" for a zombie, "X" for dead
    parent: int
    group: int

    @property
    def alive(self) -> bool:
        """Not a zombie waiting for its reaper (nor dead)."""
        return self.state not in ("Z", "X")


def processes() -> Iterator[ProcessEntry]:
    """Every process in /proc now (those that end while being read are left out)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # The command name, in parentheses, may hold spaces: the fields follow its ")".
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            yield ProcessEntry(int(entry.name), fields[0], int(fields[1]), int(fields[2]))
        except (OSError, IndexError, ValueError):
            continue


def cmdline(pid: int) -> bytes:
    """A process's command line, arguments separated by NULs (b"" once it is gone)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""
