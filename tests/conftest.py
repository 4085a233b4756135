import pytest

from .httpserver import FeedServer
from .sites import build_demo_site


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
