"""The Dagster resource that hands assets the composition root."""

from typing import Optional

import dagster as dg

from entrypoints.container import Container, build_container
from entrypoints.settings import Settings


class MacrodeskResource(dg.ConfigurableResourceFactory[Container]):
    """Builds the application container from settings (environment), with optional overrides."""

    database_url: Optional[str] = None

    def create_resource(self, context: dg.InitResourceContext) -> Container:
        overrides = {"database_url": self.database_url} if self.database_url else {}
        return build_container(Settings(**overrides))
