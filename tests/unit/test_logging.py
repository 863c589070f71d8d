import structlog
from pydantic import SecretStr

from entrypoints.logging import MASK, configure_logging
from entrypoints.settings import Settings


def test_secrets_never_reach_a_log_line(capsys) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(fred_api_key=SecretStr("fred-key-123"), environment="production")
    configure_logging(settings)
    structlog.get_logger("t").warning("fetch", url="https://x/?api_key=fred-key-123", api_key="fred-key-123")
    err = capsys.readouterr().err
    assert "fred-key-123" not in err
    assert err.count(MASK) == 2
    assert '"event": "fetch"' in err  # production logs are JSON lines


def test_secret_settings_print_masked() -> None:
    assert "fred-key-123" not in repr(Settings(fred_api_key=SecretStr("fred-key-123")))
