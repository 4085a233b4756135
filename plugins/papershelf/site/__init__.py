"""The site build: running Pelican, atomic staging, listings, tag listings, stats and charts."""
