"""For `scrapyd-deploy`, which builds its egg with `python setup.py bdist_egg`.
Everything else (metadata, packages, the `scrapy` settings entry point) is in pyproject.toml."""

from setuptools import setup

setup()
