"""Packaging beyond pyproject.toml's metadata; `scrapyd-deploy` also builds its egg with it
(`python setup.py bdist_egg`).

`spiders/` and `pipelines/` are top-level folders of the project, but they install inside the
package, as `newscrawl.spiders` and `newscrawl.pipelines`: installed at the top level, such
generic names would clash with the `spiders` package of a user's own Scrapy project.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["newscrawl", "newscrawl.*"]),
              "newscrawl.spiders", "newscrawl.pipelines"],
    package_dir={"newscrawl.spiders": "spiders", "newscrawl.pipelines": "pipelines"},
)
