"""`newscrawl fixtures check|add|update`: saved pages with expected items."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newscrawl import fixtures as store


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("fixtures", help="check, add and update extractor fixtures")
    parser.add_argument("--root", type=Path, default=None,
                        help="fixtures folder (default: ./fixtures, else the project's)")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    check = actions.add_parser("check", help="extract every fixture, diff with its expected item")
    check.add_argument("sites", nargs="*", metavar="SITE")
    check.add_argument("--quiet", "-q", action="store_true", help="print failures only")
    check.add_argument("--truth", action="store_true",
                       help="also compare each extraction with the fixture's truth record, "
                            "leaving out the fields its truth_differences document")
    check.set_defaults(handler=run_check)

    add = actions.add_parser("add", help="import a saved page as a new fixture, for review")
    add.add_argument("path", type=Path, metavar="PATH")
    add.add_argument("--url", required=True)
    add.add_argument("--site", help="profile name (default: the profile serving the URL)")
    add.add_argument("--name", help="fixture name (default: from the URL)")
    add.add_argument("--fetched-at", help="when the page was saved, ISO 8601 (default: now)")
    add.add_argument("--listing", action="store_true", help="a section or home page")
    add.add_argument("--reconstructed", action="store_true",
                     help="the page was written, not captured")
    add.add_argument("--source", help="where the page comes from")
    add.add_argument("--licence", help="the licence the page is used under")
    add.add_argument("--notes", help="what is known and assumed about the page (provenance)")
    add.add_argument("--truth", type=Path, metavar="FILE",
                     help="a JSON reference record for the page (corpus truth.json keys); it is "
                          "stored in the fixture and the extraction is compared with it")
    add.set_defaults(handler=run_add)

    update = actions.add_parser("update", help="rewrite expected items after a reviewed change")
    update.add_argument("sites", nargs="*", metavar="SITE")
    update.set_defaults(handler=run_update)


def _root(args: argparse.Namespace) -> Path:
    if args.root:
        return args.root
    local = Path.cwd() / "fixtures"
    return local if local.is_dir() else store.FIXTURES_DIR


def run_check(args: argparse.Namespace) -> int:
    results = [store.check_fixture(f) for f in store.iter_fixtures(args.sites, _root(args))]
    for result in results:
        if not (args.quiet and result.ok):
            print(result.render())
    failed = sum(not r.ok for r in results)
    print(f"{len(results) - failed} passed, {failed} failed")
    disagreeing = _report_truth(results) if getattr(args, "truth", False) else 0
    return 1 if failed or disagreeing or not results else 0


def _report_truth(results: list[store.CheckResult]) -> int:
    """Print each fixture whose extraction departs from its truth in an undocumented field."""
    disagreeing = compared = 0
    for result in results:
        if result.error or not result.fixture.meta.get("truth"):
            continue
        compared += 1
        diffs = store.check_against_truth(result.fixture)
        if diffs:
            disagreeing += 1
            print(f"TRUTH {result.fixture.label}: undocumented differences from the truth "
                  "(fix the extractor, or add a truth_differences entry with the reason)")
            for diff in diffs:
                print("  " + diff.render().replace("\n", "\n  "))
    print(f"truth: {compared - disagreeing} agree, {disagreeing} disagree")
    return disagreeing


def run_add(args: argparse.Namespace) -> int:
    site = args.site or _site_for(args.url)
    provenance = {"status": "reconstructed" if args.reconstructed else "captured",
                  "source": args.source or str(args.path), "licence": args.licence}
    if args.notes:
        provenance["notes"] = args.notes
    try:
        truth = _read_truth(args.truth) if args.truth else None
        fixture = store.add_fixture(args.path, args.url, site=site, name=args.name,
                                    fetched_at=args.fetched_at, provenance=provenance,
                                    root=_root(args), kind="listing" if args.listing else "article")
    except (OSError, ValueError) as error:
        print(f"newscrawl fixtures add: {error}", file=sys.stderr)
        return 1
    print(f"added {fixture.label}: review {fixture.meta_path} before committing it")
    if truth is not None:
        store.attach_truth(fixture, truth)
        diffs = store.check_against_truth(fixture, fixture.expected)
        for diff in diffs:
            print("  " + diff.render().replace("\n", "\n  "))
        print(f"truth: {len(diffs)} field(s) differ" + (
            "; fix the extractor, or document each in truth_differences" if diffs else ""))
    return 0


def _read_truth(path: Path) -> dict:
    import json

    try:
        truth = json.loads(path.read_text("utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: not JSON ({error})") from error
    if not isinstance(truth, dict):
        raise ValueError(f"{path}: a truth record is a JSON object")
    return truth


def _site_for(url: str) -> str:
    from urllib.parse import urlsplit

    from newscrawl.sites import profile_for_url

    profile = profile_for_url(url)
    return profile.name if profile else (urlsplit(url).hostname or "unknown").removeprefix("www.")


def run_update(args: argparse.Namespace) -> int:
    changed = 0
    for fixture in store.iter_fixtures(args.sites, _root(args)):
        try:
            changes = store.update_fixture(fixture)
        except Exception as error:  # report and go on with the other fixtures
            print(f"FAIL  {fixture.label}: {type(error).__name__}: {error}")
            continue
        if changes:
            changed += 1
            print(f"updated {fixture.label}")
            for change in changes:
                print("  " + change.render().replace("\n", "\n  "))
    print(f"{changed} fixture(s) updated")
    return 0
