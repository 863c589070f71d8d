"""Response and request models of the REST API."""

from typing import Literal

from pydantic import BaseModel


class HealthOut(BaseModel):
    """Health of the service."""

    status: Literal["ok", "degraded"]
    database: Literal["ok", "unreachable"]
    detail: str
