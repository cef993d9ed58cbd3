"""Run-over-run alarms: a site that went quiet is named, notified and sets the exit status."""

from __future__ import annotations

import json
import shlex
import shutil
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newscrawl.cli.crawl import EXIT_ALARM
from newscrawl.crawl.alarms import find_alarms, notify, read_history
from tests._crawl import ARTICLES, ROOT, newscrawl
from tests._http import running

FAST = ("-s", "NEWSCRAWL_EXTRACT_WORKERS=0")


class Webhook(ThreadingHTTPServer):
    """A webhook on 127.0.0.1 that keeps what was POSTed to it."""

    def __init__(self) -> None:
        self.received: list[dict] = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(handler) -> None:  # noqa: N802, N805
                length = int(handler.headers["Content-Length"])
                self.received.append({"type": handler.headers["Content-Type"],
                                      "body": json.loads(handler.rfile.read(length))})
                handler.send_response(204)
                handler.end_headers()

            def log_message(handler, *args) -> None:  # noqa: N805
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}/hook"


@pytest.fixture
def webhook():
    with running(Webhook()) as server:
        yield server


def test_a_site_whose_stories_are_withheld_on_the_third_run_raises_the_alarm(tmp_path,
                                                                             webhook):
    withheld = tmp_path / "fixtures"
    for site in ("sputnik", "bbc"):
        shutil.copytree(ROOT / "fixtures" / site, withheld / site)
    for fixture in ARTICLES:  # sputnik's stories; its section pages stay
        (withheld / "sputnik" / fixture.html_path.name).unlink()
        (withheld / "sputnik" / fixture.meta_path.name).unlink()
    received = tmp_path / "received.json"
    script = f"import sys; open({str(received)!r}, 'wb').write(sys.stdin.buffer.read())"
    command = f"{shlex.quote(sys.executable)} -c {shlex.quote(script)}"

    def crawl(run: int, *args: str):
        # A fresh crawl state each run, as in a demo, so that every run writes its articles;
        # the run history (data/runs/) is what the runs share.
        return newscrawl("crawl", "sputnik", "bbc", "--mirror", "--data-dir",
                         str(tmp_path / "data"), "--state", str(tmp_path / f"state{run}.sqlite"),
                         "--stats", str(tmp_path / f"stats{run}.json"), "--notify",
                         webhook.url, "--notify-command", command, *FAST, *args)

    for run in (1, 2):
        result = crawl(run)
        assert result.returncode == 0, result.stderr[-3000:]
        assert json.loads((tmp_path / f"stats{run}.json").read_text())["alarms"] == []
    assert webhook.received == [] and not received.exists()  # no alarm, no notification

    third = crawl(3, "--fixtures", str(withheld))
    assert third.returncode == EXIT_ALARM, third.stderr[-3000:]
    summary = json.loads((tmp_path / "stats3.json").read_text())
    assert [(a["site"], a["kind"]) for a in summary["alarms"]] == [("sputnik", "articles")]
    assert summary["alarms"][0]["median"] == len(ARTICLES)
    message = summary["alarms"][0]["message"]
    assert message.startswith("site sputnik: 0 new articles")
    assert f"alarm: {message}" in third.stderr
    assert "sputnik ⚠" in third.stdout  # the table marks the site
    [posted] = webhook.received
    assert posted["type"] == "application/json"
    assert posted["body"]["alarms"] == summary["alarms"]
    assert json.loads(received.read_text())["alarms"] == summary["alarms"]
    assert len(read_history(tmp_path / "data" / "runs")) == 3


def site(written: int, **fields: float) -> dict:
    shares = {"headline": 1.0, "body": 1.0, "published": 1.0, "design": 1.0, **fields}
    return {"items": written, "written": written, "fields": shares}


def run(**sites: dict) -> dict:
    return {"finish_reason": "finished", "sites": sites}


def test_alarms_compare_with_the_median_of_the_last_runs_of_each_site():
    history = [run(a=site(10), b=site(4)), run(a=site(12), b=site(4)), run(a=site(11)),
               {"finish_reason": "shutdown", "sites": {"b": site(100)}}]
    quiet = find_alarms(run(a=site(5), b=site(2)), history)
    assert [(x["site"], x["kind"], x["median"]) for x in quiet] == [("a", "articles", 11.0)]
    # 2 of a median of 4 is not below half of it; the interrupted run does not count.
    assert find_alarms(run(a=site(6), b=site(2)), history) == []
    # Only the last `runs` runs count: after two runs of 1, 5 is no fall.
    assert find_alarms(run(a=site(5)), [*history, run(a=site(1)), run(a=site(1))],
                       runs=3) == []
    # Too little history: no judgement.
    assert find_alarms(run(b=site(0)), [run(b=site(4))]) == []
    # A site that writes one article a run, then none, is too quiet to judge by its count.
    assert find_alarms(run(c=site(0)), [run(c=site(1)), run(c=site(1))]) == []
    assert find_alarms(run(c=site(0)), [run(c=site(1)), run(c=site(1))], min_median=1) != []


def test_a_field_that_lost_coverage_is_named():
    history = [run(a=site(10)), run(a=site(10, published=0.9))]
    [alarm] = find_alarms(run(a=site(10, published=0.5)), history)
    assert (alarm["kind"], alarm["field"], alarm["value"]) == ("coverage", "published", 0.5)
    assert "field published in 50% of items" in alarm["message"]
    assert find_alarms(run(a=site(10, published=0.8)), history) == []


def test_a_failed_notification_is_reported_not_raised(tmp_path):
    failures = notify({"alarms": []}, url="http://127.0.0.1:9/hook",
                      command=f"{shlex.quote(sys.executable)} -c 'raise SystemExit(4)'",
                      timeout=5)
    assert len(failures) == 2
    assert failures[0].startswith("POST http://127.0.0.1:9/hook")
    assert "exit status 4" in failures[1]


def test_a_run_id_never_puts_the_record_outside_the_history(tmp_path):
    from newscrawl.crawl.alarms import write_record

    path = write_record(tmp_path / "runs", {"run": "../../escaped", "sites": {}})
    assert path.parent == tmp_path / "runs" and path.name == "_.._escaped.json"


def test_a_distributed_worker_raises_no_alarm_of_its_own():
    from scrapy.exceptions import NotConfigured
    from scrapy.utils.test import get_crawler

    from newscrawl.crawl.alarms import RunAlarms

    assert RunAlarms.from_crawler(get_crawler(settings_dict={})) is not None
    with pytest.raises(NotConfigured, match="distributed"):
        RunAlarms.from_crawler(get_crawler(settings_dict={"REDIS_URL": "redis://127.0.0.1:1"}))
