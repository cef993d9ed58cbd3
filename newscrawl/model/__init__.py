"""The data model: the items newscrawl produces (`items`), URL handling (`urls`) and the
JSON Schema of an article (`schema`). It imports nothing else of newscrawl."""
