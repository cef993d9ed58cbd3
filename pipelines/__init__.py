"""newscrawl's item pipelines. They only post-process items that spiders produced.

`DEFAULT_PIPELINES` is the order they are meant to run in (put it into ITEM_PIPELINES);
docs/pipelines.md describes each one, its settings and its stats keys.
"""

DEFAULT_PIPELINES: dict[str, int] = {
    # Clean spelling first, so the rules and the duplicate keys see the final text.
    "pipelines.normalize.NormalizationPipeline": 100,
    # Before any pipeline records the item: an article in another language was never kept.
    "pipelines.language.LanguageFilterPipeline": 150,
    "pipelines.validate.ValidationPipeline": 200,
    "pipelines.dedupe.ExactDuplicatePipeline": 300,
    "pipelines.neardup.NearDuplicatePipeline": 400,
    # Last: only items that passed everything are written and recorded in the state.
    "pipelines.jsonl.JsonLinesWriterPipeline": 900,
}
