"""`language` detected from the body where the page declares none, where it came from, and
the language filters of extract, crawl, export and dataset.read."""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

import pytest

from newscrawl import dataset
from newscrawl.api import extract
from newscrawl.cli.crawl import add_parser as add_crawl_parser
from newscrawl.cli.crawl import crawl_settings
from newscrawl.crawl.settings import ITEM_PIPELINES
from newscrawl.extraction import language
from newscrawl.extraction.language import detect_language
from newscrawl.model.languages import language_codes
from newscrawl.pipelines.chain import PipelineChain

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "articles"
CORPUS_PAGES = sorted(CORPUS.glob("*/*.html.gz"))
FETCHED = "2024-05-17T12:00:00Z"
GERMAN = ("Die Bundesregierung hat am Mittwoch neue Regeln für den Ausbau der Windkraft an "
          "Land beschlossen. Die Genehmigungsverfahren sollen deutlich schneller werden, "
          "sagte der Minister in Berlin nach der Sitzung des Kabinetts.")
ENGLISH = ("The city council voted on Tuesday to extend the opening hours of the public "
           "library, after months of debate about the cost of staff and heating during the "
           "winter, the mayor told reporters outside the town hall.")


def page(paragraphs: list[str], html_attributes: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html{html_attributes}><head><title>A story</title></head><body><article>"
            f"<h1>A story</h1>{body}</article></body></html>")


def test_corpus_pages_exist():
    assert len(CORPUS_PAGES) >= 40


@pytest.mark.parametrize("path", CORPUS_PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_language_is_right_on_every_corpus_page_declared_or_detected(path):
    truth = json.loads(path.with_name(path.name.replace(".html.gz", ".truth.json")).read_text())
    item = extract(gzip.decompress(path.read_bytes()), truth["url"], FETCHED)
    assert item.language == truth["language"]
    assert item.language_source in ("declared", "profile")
    # Detection alone, from the body, says the same.
    assert detect_language(item.body) == truth["language"]


def test_a_page_declaring_nothing_gets_the_language_of_its_text():
    url = "https://news.example.org/2024/05/17/a-story"
    item = extract(page([GERMAN, GERMAN.replace("Mittwoch", "Donnerstag")]), url, FETCHED)
    assert (item.language, item.language_source) == ("de", "detected")
    item = extract(page([ENGLISH, ENGLISH.replace("Tuesday", "Friday")]), url, FETCHED)
    assert (item.language, item.language_source) == ("en", "detected")


def test_a_declaration_wins_over_the_text_and_detection_can_be_switched_off():
    url = "https://news.example.org/2024/05/17/a-story"
    item = extract(page([GERMAN, GERMAN], ' lang="fr"'), url, FETCHED)
    assert (item.language, item.language_source) == ("fr", "declared")
    item = extract(page([GERMAN, GERMAN]), url, FETCHED, detect_language=False)
    assert (item.language, item.language_source) == (None, None)


def test_too_little_text_has_no_language():
    assert detect_language("Breaking news") is None
    assert detect_language(None) is None
    assert detect_language(ENGLISH) == "en"


def test_language_codes():
    assert language_codes(None) is None
    assert language_codes("en") == {"en"}
    assert language_codes(["EN, de", "fr"]) == {"en", "de", "fr"}
    with pytest.raises(ValueError, match="eng, x1"):
        language_codes("eng,x1,de")


def _write_dataset(folder: Path) -> Path:
    items = [{"url": f"https://a.example/{n}", "site": "a", "language": language,
              "fetched_at": "2024-05-17T12:00:00+00:00"}
             for n, language in enumerate(["en", "de", None, "en", "fr"])]
    path = folder / "items.jsonl"
    path.write_text("".join(json.dumps(item) + "\n" for item in items))
    return path


def test_dataset_read_filters_by_language(tmp_path):
    path = _write_dataset(tmp_path)
    assert [i["language"] for i in dataset.read(path, language="en")] == ["en", "en"]
    assert [i["language"] for i in dataset.read(path, language=["de", "fr"])] == ["de", "fr"]
    assert len(list(dataset.read(path))) == 5


def test_export_and_extract_filter_by_language(tmp_path, run_cli):
    path = _write_dataset(tmp_path)
    out = tmp_path / "out.csv"
    result = run_cli("export", str(path), "--format", "csv", "-o", str(out), "--language", "de,fr")
    assert result.returncode == 0, result.stderr
    assert out.read_text().count("https://a.example/") == 2
    bad = run_cli("export", str(path), "--format", "csv", "-o", str(out), "--language", "eng")
    assert bad.returncode == 2 and "not a two-letter ISO 639-1 language code: eng" in bad.stderr

    german = tmp_path / "german.html"
    german.write_text(page([GERMAN, GERMAN]))
    english = tmp_path / "english.html"
    english.write_text(page([ENGLISH, ENGLISH]))
    result = run_cli("extract", "--manifest", "-", "--language", "de", stdin="".join(
        json.dumps({"path": str(p), "url": f"https://news.example.org/{p.stem}"}) + "\n"
        for p in (german, english)))
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(i["url"], i["language"]) for i in lines] == [("https://news.example.org/german", "de")]
    assert "left out 1 pages in other languages" in result.stderr


def test_the_crawl_pipeline_drops_other_languages():
    chain = PipelineChain({"NEWSCRAWL_LANGUAGES": "de", "NEWSCRAWL_STATE_ENABLED": False},
                          {"newscrawl.pipelines.language.LanguageFilterPipeline": 150})
    items = [{"url": "https://a.example/1", "language": "de"},
             {"url": "https://a.example/2", "language": "en"},
             {"url": "https://a.example/3", "language": None}]
    assert [i["url"] for i in chain.run(items)] == ["https://a.example/1"]
    assert chain.crawler.stats.get_value("newscrawl/dropped/language") == 2
    assert chain.dropped == ["language en is not one of de", "language unknown is not one of de"]
    chain.close()
    unset = PipelineChain({"NEWSCRAWL_STATE_ENABLED": False},
                          {"newscrawl.pipelines.language.LanguageFilterPipeline": 150})
    assert len(list(unset.run(items))) == 3
    unset.close()


def test_crawl_language_option_sets_the_pipeline_setting():
    parser = argparse.ArgumentParser()
    add_crawl_parser(parser.add_subparsers())
    args = parser.parse_args(["crawl", "bbc", "--language", "en", "--language", "de"])
    assert crawl_settings(args, None).getlist("NEWSCRAWL_LANGUAGES") == ["de", "en"]
    assert "newscrawl.pipelines.language.LanguageFilterPipeline" in ITEM_PIPELINES


SAMPLES = [GERMAN, ENGLISH,
           "Le conseil municipal a voté mardi la prolongation des horaires de la bibliothèque "
           "publique, après des mois de débat sur le coût du personnel et du chauffage.",
           "東京都は水曜日、新しい防災計画を発表した。地震や台風に備えて避難所を増やし、"
           "高齢者の支援を強化するという。知事は記者会見で詳しく説明した。"]


def test_the_mapped_model_classifies_as_the_loaded_one(tmp_path, monkeypatch):
    monkeypatch.setenv(language.CACHE_ENV, str(tmp_path))
    loaded = language._loaded_identifier()
    language._write_model(tmp_path / "model")
    mapped = language._mapped_identifier(tmp_path / "model")
    assert [mapped.classify(text) for text in SAMPLES] == [loaded.classify(t) for t in SAMPLES]
    assert [mapped.classify(text)[0] for text in SAMPLES] == ["de", "en", "fr", "ja"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".staging")]


def test_a_second_writer_keeps_the_first_model(tmp_path):
    language._write_model(tmp_path / "model")
    first = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "model").iterdir()}
    language._write_model(tmp_path / "model")
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "model").iterdir()} == first
    assert [p.name for p in tmp_path.iterdir()] == ["model"]


def test_an_unwritable_cache_still_detects(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv(language.CACHE_ENV, str(blocker / "cache"))
    language._identifier.cache_clear()
    try:
        assert detect_language(GERMAN) == "de"
    finally:
        language._identifier.cache_clear()


def test_a_damaged_cache_still_detects(tmp_path, monkeypatch):
    monkeypatch.setenv(language.CACHE_ENV, str(tmp_path))
    language._identifier.cache_clear()
    try:
        detect_language(GERMAN)  # writes the cache
        (nextmove,) = tmp_path.glob("*/nextmove.npy")
        nextmove.write_bytes(nextmove.read_bytes()[:1000])
        language._identifier.cache_clear()
        assert detect_language(GERMAN) == "de"
        assert len(nextmove.read_bytes()) > 1_000_000  # written again whole
    finally:
        language._identifier.cache_clear()
