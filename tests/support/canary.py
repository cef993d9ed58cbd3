"""A local file that tells whether anything opened it: the target for external-entity tests.

The "file" is a named pipe. Opening a pipe for writing without blocking succeeds only while
some process holds it open for reading, so a watcher thread polling that way sees any reader
(an XML parser resolving `<!ENTITY x SYSTEM "file:///...">`), and by opening the write end it
also hands the reader an end-of-file at once, so the reader never hangs.
"""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path


class FileReadCanary:
    def __init__(self, path: Path, interval: float = 0.005) -> None:
        self.path = path
        self.interval = interval
        self.reads = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> FileReadCanary:
        os.mkfifo(self.path)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.path.unlink(missing_ok=True)

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                descriptor = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as error:
                if error.errno in (errno.ENXIO, errno.ENOENT):
                    continue  # nobody is reading
                raise
            self.reads += 1
            os.close(descriptor)
