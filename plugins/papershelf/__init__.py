"""papershelf: a static website of AI research papers built with Pelican."""

__version__ = "0.1.0"
