"""Test helpers that ship with the package so they can be used by hand too."""
