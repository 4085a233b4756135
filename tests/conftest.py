import os

import pytest
from hypothesis import HealthCheck, settings

from .httpserver import FeedServer
from .sites import build_demo_site

# The property tests (tests/properties/): a fixed seed, so that `make test` runs the
# same inputs every time, and a budget that keeps them near 3 minutes of CI (each test
# sets its count with tests/properties/budget.py). HYPOTHESIS_PROFILE=long: ten times
# the inputs and a new seed each run, for a campaign.
_COMMON = {
    "deadline": None,
    "database": None,  # nothing written beside the checkout; a failure prints its blob
    "print_blob": True,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
settings.register_profile("ci", derandomize=True, max_examples=100, **_COMMON)
settings.register_profile("long", derandomize=False, max_examples=1000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def feed_server():
    """A real HTTP server on 127.0.0.1; routes are set by the test."""
    server = FeedServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory):
    """The demo site (the repository's content/ and data/), built once per session."""
    return build_demo_site(tmp_path_factory.mktemp("demo-site"))
