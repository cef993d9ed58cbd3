"""The language of an article's text, for pages that declare none.

py3langid (langid.py's model, shipped inside the package: nothing is fetched) classifies the
opening of the body. Only the first `SAMPLE_CHARS` characters are read, because the cost
grows with the text (about 0.5 ms for 400 characters, 6 ms for a whole long article): on the
open-web benchmark pages, the first 300 to 2,000 characters agree with the pages' declared
language as often as the whole body does (546 of 560 pages), and more often than a sample
from the middle (`python -m benchmarks.language` measures agreement and cost).

The model is read from memory-mapped arrays (see `_mapped_identifier`) rather than loaded
into each process's heap: loaded, it takes about 90 MB of every process that detects
(extraction workers, the WARC reader's workers); mapped, the processes share one copy of the
file in the page cache and only the parts a text visits become resident.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from newscrawl.extraction.text import count_words

SAMPLE_CHARS = 400
# Fewer words than this say too little to tell a language by (a caption, a teaser line).
MIN_WORDS = 10
CACHE_ENV = "NEWSCRAWL_CACHE_DIR"
_ARRAYS = ("nextmove", "rowbase", "output", "ptc", "pc")
# Importing this module loads the model: worker pools name it to preload it in their fork
# server (newscrawl.workers, `shared_preload`).
MODEL_MODULE = "newscrawl.extraction.language_model"

logger = logging.getLogger(__name__)


def cache_dir() -> Path:
    """Where derived data is kept: `$NEWSCRAWL_CACHE_DIR`, else `$XDG_CACHE_HOME/newscrawl`,
    else `~/.cache/newscrawl`."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "newscrawl"


@lru_cache(maxsize=1)
def _identifier():
    """The classifier, restricted to the languages with a two-letter ISO 639-1 code, as
    `language` is; mapped from the cache, or loaded (about 0.5 s) where no cache can be kept."""
    # Imported here: importlib.metadata takes 2 MB of every extraction process that
    # never detects a language.
    from importlib.metadata import version

    folder = cache_dir() / f"py3langid-{version('py3langid')}-iso639-1"
    for attempt in range(2):
        try:
            if not (folder / "classes.json").exists():
                _write_model(folder)
            return _mapped_identifier(folder)
        except ValueError:  # a file cut short or altered: written again once
            if attempt == 0:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError as error:
            logger.info("language model not cached in %s (%s): loading it in memory",
                        folder, error)
            break
    return _loaded_identifier()


def _loaded_identifier():
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE)
    identifier.set_languages({code for code in identifier.nb_classes if len(code) == 2})
    # py3langid keeps the unrestricted model to allow resetting the languages, which is never
    # done here: dropping it frees 28 MB in every process that loaded the model.
    identifier._full_model = identifier.nb_ptc, identifier.nb_pc, identifier.nb_classes
    return identifier


def _write_model(folder: Path) -> None:
    """The restricted model as plain arrays in `folder`, written whole or not at all: into a
    fresh directory renamed into place, so a concurrent or killed writer leaves no half."""
    import numpy as np

    identifier = _loaded_identifier()
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".staging-"))
    staging.chmod(0o755)
    arrays = {"nextmove": np.asarray(identifier.tk_nextmove),
              "rowbase": np.asarray(identifier._rowbase, dtype=np.uint32),
              "output": np.asarray(identifier.tk_output, dtype=np.int32),
              "ptc": np.ascontiguousarray(identifier.nb_ptc), "pc": identifier.nb_pc}
    for name, array in arrays.items():
        np.save(staging / f"{name}.npy", array)
    (staging / "classes.json").write_text(json.dumps(identifier.nb_classes), encoding="utf-8")
    try:
        staging.rename(folder)
    except OSError:
        if not (folder / "classes.json").exists():
            raise
        for file in staging.iterdir():  # another process got there first
            file.unlink()
        staging.rmdir()


def _mapped_identifier(folder: Path):
    """py3langid's classifier over the arrays of `folder`, memory-mapped. The DFA tables go in
    as memoryviews, which index as fast as the `array`s py3langid builds; the row offsets it
    would compute into a list of Python ints per process are read from the file too."""
    import numpy as np
    from py3langid.langid import LanguageIdentifier

    mapped = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in _ARRAYS}
    classes = json.loads((folder / "classes.json").read_text(encoding="utf-8"))
    identifier = LanguageIdentifier(mapped["ptc"], np.asarray(mapped["pc"]), classes,
                                    memoryview(mapped["nextmove"]),
                                    memoryview(mapped["output"]), tk_row=[])
    identifier._rowbase = memoryview(mapped["rowbase"])
    return identifier


def load_model() -> None:
    """Load the model now rather than on the first page that needs it."""
    _identifier()


def detect_language(text: str | None) -> str | None:
    """The ISO 639-1 code of the language `text` is written in; None for too little text."""
    if not text:
        return None
    sample = text[:SAMPLE_CHARS]
    if count_words(sample) < MIN_WORDS:
        return None
    code, _score = _identifier().classify(sample)
    return code
