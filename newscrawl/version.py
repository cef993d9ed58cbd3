"""The package's version, in one place: pyproject.toml reads it from here too. A module of its
own, so that what records the version (manifests, WARC files, the user agent) imports nothing
else."""

__version__ = "0.1.0"
