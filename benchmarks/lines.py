"""Production lines of two revisions, per room, read from git (no checkout needed).

Production code is every ``.py`` file under ``newscrawl/``, ``spiders/`` and ``pipelines/``
except the site profiles (``newscrawl/sites/``) and the test helpers once kept in the package
(``newscrawl/testing/``). Two counts per file:

* raw: every line of the file;
* code: lines that carry code, i.e. not blank, not only a comment, and not part of a docstring
  (module, class or function docstrings, found with ``ast``).

A room is ``newscrawl/<package>`` for the package's sub-packages, ``newscrawl/*.py`` for its
top-level modules, and ``spiders``/``pipelines`` as a whole.

Run by hand: ``python benchmarks/lines.py [BEFORE] [AFTER] [--files]`` (default e1227ac HEAD).
"""

from __future__ import annotations

import argparse
import ast
import io
import subprocess
import tokenize
from collections import defaultdict

ROOTS = ("newscrawl", "spiders", "pipelines")
EXCLUDED = ("newscrawl/sites/", "newscrawl/testing/")


def production_files(revision: str) -> list[str]:
    listing = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", revision, *ROOTS],
        check=True, capture_output=True, text=True,
    ).stdout.split()
    return [p for p in listing if p.endswith(".py") and not p.startswith(EXCLUDED)]


def file_text(revision: str, path: str) -> str:
    return subprocess.run(
        ["git", "show", f"{revision}:{path}"], check=True, capture_output=True, text=True
    ).stdout


def docstring_lines(source: str) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                lines.update(range(body[0].lineno, body[0].end_lineno + 1))
    return lines


def code_lines(source: str) -> int:
    """Lines holding at least one token that is not a comment, outside docstrings."""
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
            tokenize.ENDMARKER}
    docs = docstring_lines(source)
    lines: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in skip:
            continue
        lines.update(n for n in range(token.start[0], token.end[0] + 1) if n not in docs)
    return len(lines)


def room_of(path: str) -> str:
    parts = path.split("/")
    if parts[0] != "newscrawl":
        return parts[0]
    return "newscrawl/*.py" if len(parts) == 2 else f"newscrawl/{parts[1]}"


def count(revision: str) -> dict[str, tuple[int, int]]:
    counts = {}
    for path in production_files(revision):
        source = file_text(revision, path)
        counts[path] = (len(source.splitlines()), code_lines(source))
    return counts


def by_room(counts: dict[str, tuple[int, int]]) -> dict[str, list[int]]:
    rooms: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for path, (raw, code) in counts.items():
        rooms[room_of(path)][0] += raw
        rooms[room_of(path)][1] += code
    return rooms


def table(rows: dict[str, tuple[list[int], list[int]]], label: str) -> None:
    print(f"{label:<44} {'raw before':>10} {'raw after':>10} {'diff':>7} "
          f"{'code before':>11} {'code after':>10} {'diff':>7}")
    totals = [0, 0, 0, 0]
    for name in sorted(rows):
        (rb, cb), (ra, ca) = rows[name]
        totals = [totals[0] + rb, totals[1] + ra, totals[2] + cb, totals[3] + ca]
        print(f"{name:<44} {rb:>10} {ra:>10} {ra - rb:>+7} {cb:>11} {ca:>10} {ca - cb:>+7}")
    print(f"{'total':<44} {totals[0]:>10} {totals[1]:>10} {totals[1] - totals[0]:>+7} "
          f"{totals[2]:>11} {totals[3]:>10} {totals[3] - totals[2]:>+7}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", nargs="?", default="e1227ac")
    parser.add_argument("after", nargs="?", default="HEAD")
    parser.add_argument("--files", action="store_true", help="also list every file")
    args = parser.parse_args()
    before, after = count(args.before), count(args.after)
    rooms_before, rooms_after = by_room(before), by_room(after)
    rooms = {name: (rooms_before.get(name, [0, 0]), rooms_after.get(name, [0, 0]))
             for name in {*rooms_before, *rooms_after}}
    print(f"production lines, {args.before} -> {args.after}\n")
    table(rooms, "room")
    if args.files:
        print()
        files = {path: (list(before.get(path, (0, 0))), list(after.get(path, (0, 0))))
                 for path in {*before, *after}}
        table(files, "file")


if __name__ == "__main__":
    main()
