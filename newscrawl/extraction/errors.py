"""Errors the extraction core raises for input it cannot turn into an item."""


class ExtractionError(ValueError):
    """The page cannot be extracted; the message says why in words a user can act on."""
