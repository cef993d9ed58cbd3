from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture
def run_cli():
    """Run the `newscrawl` command in a child process, as a user would."""

    def run(*args: str, stdin: str | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "newscrawl", *args], input=stdin,
                              capture_output=True, text=True, cwd=cwd, timeout=120)

    return run
