import pytest

from .httpserver import FeedServer


@pytest.fixture
def feed_server():
    """A real HTTP server on 127.0.0.1; routes are set by the test."""
    server = FeedServer()
    server.start()
    yield server
    server.stop()
