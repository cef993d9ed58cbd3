"""Check the import contracts of pyproject.toml ([tool.importlinter]) with import-linter.

import-linter reads a package from its folder, but spiders/ and pipelines/ install inside the
package (newscrawl.spiders, newscrawl.pipelines: see setup.py). So the check runs on a copy
laid out as installed, where an import of newscrawl.pipelines from newscrawl.crawl is an
arrow like any other.

    python -m tests.support.layering      # exit status 0 when every contract is kept
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
# Folder in the project -> where it installs, relative to the copy's root.
INSTALLED_AS = {"newscrawl": "newscrawl", "spiders": "newscrawl/spiders",
                "pipelines": "newscrawl/pipelines"}


def installed_layout(target: Path, root: Path = ROOT) -> Path:
    """Copy the package's Python files into `target` as they install; returns `target`."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder, installed in INSTALLED_AS.items():
        shutil.copytree(root / folder, target / installed, ignore=ignore, dirs_exist_ok=True)
    return target


def lint(layout: Path, config: Path = ROOT / "pyproject.toml") -> subprocess.CompletedProcess:
    """Run lint-imports on a copy made by installed_layout (its own folder first on the path)."""
    command = [str(Path(sys.executable).with_name("lint-imports")), str(config), "--no-cache"]
    return subprocess.run(command, cwd=layout, capture_output=True, text=True, timeout=300)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="newscrawl-layering-") as folder:
        result = lint(installed_layout(Path(folder)))
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
