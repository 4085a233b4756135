"""Settings for publishing: pelicanconf.py plus absolute URLs and feeds.

Set SITEURL through the environment (the deploy workflow does), e.g.
SITEURL=https://<user>.github.io/<repo>.
"""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "").rstrip("/")
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL
DELETE_OUTPUT_DIRECTORY = False
# A build for the web: over PAPERSHELF_MAX_SITE_BYTES or PAPERSHELF_MAX_FILE_BYTES
# it stops before anything replaces output/, so the deploy never uploads such a site.
PAPERSHELF_PUBLISHING = True
