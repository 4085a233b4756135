"""Settings for publishing: pelicanconf.py plus the site's address, for feeds,
canonical links, the sitemap and the 404 page.

Set SITEURL through the environment (the deploy workflow does), e.g.
SITEURL=https://<user>.github.io/<repo>.
"""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "").rstrip("/")
# Links between pages stay relative, as in pelicanconf.py: what needs the address
# has it (feeds from FEED_DOMAIN; canonical, OpenGraph, sitemap and COinS URLs
# from SITEURL as set; the 404 page, served at any path, links from the root),
# and an absolute SITEURL on every other link was 0.9 KB of each paper page.
RELATIVE_URLS = True
FEED_DOMAIN = SITEURL
DELETE_OUTPUT_DIRECTORY = False
# A build for the web: over PAPERSHELF_MAX_SITE_BYTES or PAPERSHELF_MAX_FILE_BYTES
# it stops before anything replaces output/, so the deploy never uploads such a site.
PAPERSHELF_PUBLISHING = True
