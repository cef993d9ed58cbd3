"""Importing this module loads the language model (newscrawl.extraction.language).

The extraction worker pools preload it in their fork server, so every worker forked from it
starts with the model in memory (shared, copy-on-write) instead of spending half a second
loading it on its first page that declares no language.
"""

from newscrawl.extraction.language import load_model

load_model()
