"""structlog set-up: console in development, JSON lines in production; secrets are masked."""

import logging
import re
import sys
from collections.abc import Iterable, MutableMapping
from typing import Any

import structlog

from entrypoints.settings import Environment, Settings

_SECRET_KEYS = re.compile(r"(password|passwd|secret|token|api_key|apikey|authorization)", re.IGNORECASE)
MASK = "**********"


class SecretMasker:
    """structlog processor: masks values of secret-looking keys and any known secret value anywhere."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets = [s for s in secrets if s]

    def __call__(self, _logger: Any, _name: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
        for key, value in list(event.items()):
            if _SECRET_KEYS.search(key):
                event[key] = MASK
            elif isinstance(value, str):
                event[key] = self.mask(value)
        return event

    def mask(self, text: str) -> str:
        """``text`` with every known secret value replaced."""
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return text


class _StderrLogger:
    """Writes each rendered line to the *current* ``sys.stderr`` (which test runners and daemons may swap)."""

    def msg(self, message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    log = debug = info = warning = warn = error = critical = exception = fatal = msg


def _stderr_logger(*_args: Any) -> _StderrLogger:
    return _StderrLogger()


def configure_logging(settings: Settings) -> None:
    """Route stdlib logging and structlog through one renderer chosen by the environment."""
    secrets = [s.get_secret_value() for s in _secret_values(settings)]
    secrets += [p for p in (_database_password(settings),) if p]
    renderer: Any = (structlog.processors.JSONRenderer() if settings.environment == Environment.PRODUCTION
                     else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty()))
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        SecretMasker(secrets),
    ]
    structlog.configure(
        processors=[*shared, structlog.processors.format_exc_info, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(settings.log_level)),
        logger_factory=_stderr_logger,
        cache_logger_on_first_use=False,
    )
    logging.basicConfig(level=settings.log_level, stream=sys.stderr, format="%(levelname)s %(name)s %(message)s")
    # Numerical warnings (GARCH at the persistence cap, say) go to the log, not raw to the terminal; the services
    # count the domain's own warnings per step (application.numerical_warnings) and log one line per class.
    logging.captureWarnings(True)
    logging.getLogger("py.warnings").setLevel(logging.WARNING)
    # httpx logs every URL at INFO, query strings (and so API keys) included.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # Alembic logs its context at INFO each time a revision is read (every healthy /health): keep its warnings.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # kaleido and its browser driver log every tab reload and temp-file clean-up at INFO (a dozen lines per chart).
    for chatty in ("kaleido", "choreographer"):
        logging.getLogger(chatty).setLevel(logging.WARNING)


def _secret_values(settings: Settings) -> list[Any]:
    from pydantic import SecretStr

    return [v for v in (getattr(settings, name) for name in type(settings).model_fields) if isinstance(v, SecretStr)]


def _database_password(settings: Settings) -> str | None:
    """The password inside the database URL (a plain setting, but a secret all the same)."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(settings.resolved_database_url).password  # type: ignore[return-value]
    except Exception:  # an unparsable URL fails later, where it is used, with its own message
        return None
