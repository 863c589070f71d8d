"""Bearer-token check for mutating routes: 401 without a token, 403 with a wrong one."""

import hmac
from typing import Annotated

from dependency_injector.wiring import Provide, inject
from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from entrypoints.container import Container
from entrypoints.settings import Settings

_bearer = HTTPBearer(auto_error=False, description="MACRODESK_API_TOKEN")


@inject
def require_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    settings: Annotated[Settings, Depends(Provide[Container.settings])],
) -> str:
    """The caller's token name ('api') when the bearer token matches ``MACRODESK_API_TOKEN`` (constant time)."""
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "a bearer token is required",
                            headers={"WWW-Authenticate": "Bearer"})
    expected = settings.api_token.get_secret_value() if settings.api_token else ""
    if not expected:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "mutations are disabled: MACRODESK_API_TOKEN is not set")
    if not hmac.compare_digest(credentials.credentials.encode(), expected.encode()):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "the bearer token is not valid")
    return "api"


TokenDep = Annotated[str, Depends(require_token)]
