"""Importing this module loads the language model (newscrawl.extraction.language).

Worker pools of several workers preload it in their fork server (`MODEL_MODULE`), so every
worker forked from it starts with the model loaded (shared, copy-on-write) instead of each
loading it on its first page that declares no language.
"""

from newscrawl.extraction.language import load_model

load_model()
