"""Markdown (from body_html, by markdownify) and zyte-common-items Articles, from the
library calls to `newscrawl export` and `newscrawl extract --body-markdown`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from lxml import html as lxml_html
from zyte_common_items import Article as ZyteArticle

from newscrawl import fixtures as store
from newscrawl.dataset.markdown import FRONT_MATTER_FIELDS, article_markdown, body_markdown
from newscrawl.dataset.zyte import to_zyte_article, zyte_article_dict, zyte_date
from newscrawl.extraction.text import element_text

ARTICLES = [f for f in store.iter_fixtures() if f.kind == "article"]


@pytest.fixture
def demo_dataset(tmp_path: Path) -> Path:
    """The fixtures' expected items as a small dataset file."""
    path = tmp_path / "data" / "items.jsonl"
    path.parent.mkdir()
    path.write_text("".join(json.dumps(f.expected, ensure_ascii=False) + "\n" for f in ARTICLES),
                    encoding="utf-8")
    return path


def test_markdown_of_each_kind_of_block():
    markdown = body_markdown(
        '<h2>A subheading</h2><p>Text with <a href="https://a.example/x">a link</a> and '
        '<em>emphasis</em>.</p><figure><img src="https://a.example/p.jpg" alt="A picture">'
        '<figcaption>The caption</figcaption></figure><ul><li>one</li><li>two</li></ul>'
        '<blockquote><p>Quoted.</p></blockquote><pre><code>x = 1</code></pre>')
    assert markdown == ("## A subheading\n\nText with [a link](https://a.example/x) and "
                        "*emphasis*.\n\n![A picture](https://a.example/p.jpg)\n\nThe caption"
                        "\n\n- one\n- two\n\n> Quoted.\n\n```\nx = 1\n```\n")
    assert body_markdown(None) is None


@pytest.mark.parametrize("fixture", ARTICLES, ids=lambda f: f.label)
def test_markdown_keeps_every_link_heading_and_figure(fixture):
    item = fixture.expected
    markdown = body_markdown(item["body_html"])
    root = lxml_html.fragment_fromstring(item["body_html"], create_parent="div")
    for anchor in root.iter("a"):
        assert f"]({anchor.get('href')})" in markdown
    # Emphasis inside a heading stays emphasis: compare the words.
    lines = {line.replace("*", "").strip() for line in markdown.splitlines()}
    for heading in root.iter("h2", "h3", "h4", "h5", "h6"):
        level = int(heading.tag[1])
        assert f"{'#' * level} {element_text(heading)}".replace("*", "") in lines
    assert markdown.count("![") == len(root.findall(".//img"))


def test_export_markdown_writes_one_document_per_article(demo_dataset, tmp_path, run_cli):
    out = tmp_path / "markdown"
    result = run_cli("export", str(demo_dataset), "--format", "markdown", "-o", str(out))
    assert result.returncode == 0, result.stderr
    files = sorted(out.rglob("*.md"))
    assert len(files) == len(ARTICLES)
    by_url = {f.expected["url"]: f.expected for f in ARTICLES}
    for path in files:
        front, body = re.match(r"---\n(.*?)\n---\n\n(.*)", path.read_text("utf-8"),
                               re.DOTALL).groups()
        meta = yaml.safe_load(front)
        item = by_url[meta["url"]]
        assert path.parent.name == item["site"]
        assert meta == {name: item[name] for name in FRONT_MATTER_FIELDS}
        assert body == f"# {item['headline']}\n\n{body_markdown(item['body_html'])}"
    again = run_cli("export", str(demo_dataset), "--format", "markdown", "-o", str(out))
    assert again.returncode == 2 and "exists" in again.stderr


def test_article_markdown_without_headline_or_body():
    text = article_markdown({"url": "https://a.example/x", "headline": None, "body_html": None})
    assert text == "---\nheadline: null\nurl: https://a.example/x\n---\n\n"


def test_extract_adds_body_markdown_on_request(run_cli):
    fixture = next(f for f in ARTICLES if f.label == "bbc/2024-08-01")
    result = run_cli("extract", "--body-markdown", str(fixture.html_path))
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout)
    assert line["body_markdown"] == body_markdown(fixture.expected["body_html"])
    assert "[borrowing costs](https://www.bbc.co.uk/news/business-50504151)" \
        in line["body_markdown"]
    plain = json.loads(run_cli("extract", str(fixture.html_path)).stdout)
    assert "body_markdown" not in plain


@pytest.mark.parametrize("fixture", ARTICLES, ids=lambda f: f.label)
def test_zyte_article_of_every_fixture(fixture):
    item = fixture.expected
    assert isinstance(to_zyte_article(item), ZyteArticle)
    # What is checked is zyte-common-items' own reading of the written form.
    article = ZyteArticle.from_dict(json.loads(json.dumps(zyte_article_dict(item))))
    assert (article.url, article.canonicalUrl, article.headline) == (
        item["url"], item["canonical_url"], item["headline"])
    assert [a.name for a in article.authors] == item["authors"]
    assert article.articleBody == item["body"]
    assert article.articleBodyHtml == item["body_html"]
    assert article.description == item["lead"]
    assert article.inLanguage == item["language"]
    assert [i.url for i in article.images] == [i["url"] for i in item["images"]]
    assert article.mainImage == (article.images[0] if article.images else None)
    assert article.datePublished == zyte_date(item["published"])
    assert article.metadata.dateDownloaded.endswith("Z")


def test_zyte_dates():
    assert zyte_date("2024-05-17T18:00:00+03:00") == "2024-05-17T15:00:00Z"
    assert zyte_date("2024-05-17T18:00:00") == "2024-05-17T18:00:00"  # no zone: none guessed
    assert zyte_date("2024-05-17") == "2024-05-17"
    assert zyte_date(None) is None


def test_export_zyte_articles(demo_dataset, tmp_path, run_cli):
    out = tmp_path / "zyte.jsonl"
    result = run_cli("export", str(demo_dataset), "--format", "zyte-article", "-o", str(out))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert len(lines) == len(ARTICLES)
    articles = [ZyteArticle.from_dict(line) for line in lines]
    assert [a.url for a in articles] == [f.expected["url"] for f in ARTICLES]
    assert all(None not in line.values() for line in lines)
