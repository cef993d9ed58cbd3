"""newscrawl: a news crawler and structured-extraction pipeline."""

from newscrawl.extraction import ExtractionError, extract, extract_listing
from newscrawl.items import Article, ListingEntry, ListingPage

__version__ = "0.1.0"

__all__ = ["Article", "ExtractionError", "ListingEntry", "ListingPage", "__version__", "extract",
           "extract_listing"]
