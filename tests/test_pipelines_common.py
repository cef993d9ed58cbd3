from __future__ import annotations

from dataclasses import dataclass

from itemadapter import ItemAdapter

from newscrawl.model.items import Dateline, Image, RelatedLink, WarcLocation
from newscrawl.pipelines._common import item_dict
from tests.pipeline_support import article


class Headline(str):
    """A str subclass: not one of the plain types item_dict knows."""


@dataclass
class Foreign:
    name: str
    tags: tuple[str, ...] = ()


def test_item_dict_is_what_itemadapter_makes_of_an_article() -> None:
    item = article(3, images=[Image("https://i.example/a.jpg", caption="A")],
                   related=[RelatedLink("https://news.example.com/x", headline="X")],
                   dateline=Dateline(raw="LONDON", place="London"),
                   warc=WarcLocation("a.warc.gz", "<urn:uuid:1>", 10, 20),
                   problems=["body: short"], duplicate_of="https://news.example.com/1")
    expected = ItemAdapter(item).asdict()
    assert item_dict(item) == expected
    assert list(item_dict(item)) == list(expected)  # the order the JSON lines keep


def test_item_dict_hands_unknown_values_and_items_to_itemadapter() -> None:
    item = article(4, headline=Headline("Headline"))
    item.tags = ("a", "b")  # type: ignore[assignment] - a tuple stays a tuple
    item.images = [Foreign("x", ("y",))]  # type: ignore[list-item]
    item.related = {"first": RelatedLink("https://news.example.com/1")}  # type: ignore[assignment]
    del item.url  # ItemAdapter leaves out a field whose attribute is gone (no default)
    result = item_dict(item)
    assert result == ItemAdapter(item).asdict()
    assert "url" not in result and result["tags"] == ("a", "b")
    plain = {"url": "https://news.example.com/2", "dateline": Dateline(raw="PARIS")}
    assert item_dict(plain) == ItemAdapter(plain).asdict()
