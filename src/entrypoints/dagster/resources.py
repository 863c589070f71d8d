"""The Dagster resource that hands assets the composition root."""

from collections.abc import Iterator

import dagster as dg

from entrypoints.container import Container, build_container


@dg.resource(description="The macrodesk application container, built from MACRODESK_* settings.")
def macrodesk_container(_context: dg.InitResourceContext) -> Iterator[Container]:
    """Build the container for one run and release its engines when the run ends."""
    container = build_container()
    try:
        yield container
    finally:
        container.shutdown_resources()
