"""The loopback server the connector tests share: one per module, emptied before each test."""

from collections.abc import Iterator

import pytest

from tests.loopback import LoopbackServer, loopback


@pytest.fixture(scope="module")
def shared_server() -> Iterator[LoopbackServer]:
    with loopback() as srv:
        yield srv


@pytest.fixture
def server(shared_server: LoopbackServer) -> LoopbackServer:
    """The module's loopback server with no routes and no recorded requests."""
    shared_server.routes.clear()
    shared_server.requests.clear()
    return shared_server
