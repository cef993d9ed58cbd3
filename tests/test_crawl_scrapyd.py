"""Scheduling on Scrapyd: deploy the project as an egg, schedule a crawl of the mirror."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests._crawl import ARTICLES, ROOT, mirror, read_jsonl
from tests.support.servers import free_port

pytest.importorskip("scrapyd", reason="scrapyd is not installed: pip install '.[scrapyd]'")
pytest.importorskip("scrapyd_client",
                    reason="scrapyd-client is not installed: pip install '.[scrapyd]'")

PROJECT_FILES = ("newscrawl", "spiders", "pipelines", "scrapy.cfg", "setup.py", "pyproject.toml",
                 "README.md")


def api(base: str, endpoint: str, data: list[tuple[str, str]] | None = None) -> dict:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(f"{base}/{endpoint}", data=body, timeout=10) as response:
        return json.load(response)


def copy_project(target: Path, scrapyd_url: str) -> None:
    """A copy of the project to build the egg in: the build must not touch the worktree."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)
    config = (target / "scrapy.cfg").read_text().replace("http://127.0.0.1:6800/", scrapyd_url)
    (target / "scrapy.cfg").write_text(config)


def start_scrapyd(home: Path, port: int) -> subprocess.Popen:
    for folder in ("eggs", "logs", "items", "dbs"):
        (home / folder).mkdir(parents=True)
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\nbind_address = 127.0.0.1\n"
        f"http_port = {port}\neggs_dir = {home / 'eggs'}\nlogs_dir = {home / 'logs'}\n"
        f"items_dir = {home / 'items'}\ndbs_dir = {home / 'dbs'}\n"
        "max_proc = 1\npoll_interval = 0.2\n")
    scrapyd = shutil.which("scrapyd", path=str(Path(sys.executable).parent)) or "scrapyd"
    return subprocess.Popen([scrapyd, "--pidfile="], cwd=home, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def wait_until(check, timeout: float, what: str) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = check()
        except OSError:
            result = None
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_deploy_and_schedule_a_crawl_of_the_mirror(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    scrapyd = start_scrapyd(tmp_path / "scrapyd", port)
    try:
        wait_until(lambda: api(base, "daemonstatus.json")["status"] == "ok", 20, "scrapyd")
        project = tmp_path / "project"
        copy_project(project, base + "/")
        deploy = subprocess.run(
            [str(Path(sys.executable).parent / "scrapyd-deploy"), "-p", "newscrawl"],
            cwd=project, capture_output=True, text=True, timeout=120)
        assert deploy.returncode == 0, deploy.stderr[-3000:]
        listed = api(base, "listspiders.json?project=newscrawl")
        assert "news" in listed.get("spiders", []), listed
        with mirror(tmp_path) as mirror_url:
            job = api(base, "schedule.json", [
                ("project", "newscrawl"), ("spider", "news"), ("site", "sputnik"),
                ("setting", f"NEWSCRAWL_MIRROR={mirror_url}"),
                ("setting", "NEWSCRAWL_ALLOWED_NETWORKS=127.0.0.1/32"),
                ("setting", f"NEWSCRAWL_DATA_DIR={tmp_path / 'data'}"),
                ("setting", f"NEWSCRAWL_STATE_PATH={tmp_path / 'state.sqlite'}"),
                ("setting", f"NEWSCRAWL_STATS_FILE={tmp_path / 'stats.json'}"),
                ("setting", "DOWNLOAD_DELAY=0"), ("setting", "AUTOTHROTTLE_ENABLED=False")])
            assert job["status"] == "ok", job
            wait_until(lambda: any(j["id"] == job["jobid"] for j in
                                   api(base, "listjobs.json?project=newscrawl")["finished"]),
                       60, "the scheduled crawl")
        items_file = tmp_path / "scrapyd" / "items" / "newscrawl" / "news" / f"{job['jobid']}.jl"
        items = read_jsonl(items_file)
        assert sorted(i["url"] for i in items) == sorted(f.url for f in ARTICLES)
        summary = json.loads((tmp_path / "stats.json").read_text())
        assert summary["finish_reason"] == "finished" and summary["broken"] == []
    finally:
        scrapyd.terminate()
        scrapyd.wait(timeout=10)
