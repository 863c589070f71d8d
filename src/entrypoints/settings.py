"""Every setting of the system, read from the environment (prefix ``MACRODESK_``) and ``.env``.

This is the only module that reads configuration. Secrets are ``SecretStr``: they print as '**********'.
"""

from datetime import date
from enum import StrEnum
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Environment(StrEnum):
    """Development logs to the console in colour; production logs JSON lines."""

    DEVELOPMENT = "development"
    PRODUCTION = "production"


class MarketSourceKind(StrEnum):
    """Where market data comes from."""

    SYNTHETIC = "synthetic"
    LIVE = "live"


class Settings(BaseSettings):
    """macrodesk configuration (see the README's configuration table)."""

    model_config = SettingsConfigDict(env_prefix="MACRODESK_", env_file=".env", extra="ignore")

    environment: Environment = Environment.DEVELOPMENT
    log_level: str = "INFO"
    data_dir: Path = Path("var")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default: SQLite under data_dir")

    market_source: MarketSourceKind = MarketSourceKind.SYNTHETIC
    synthetic_seed: int = 20100104
    history_start: date = date(2010, 1, 4)
    fetch_window_days: int = Field(default=120, ge=1, description="trailing days each partition re-fetches")

    fred_api_key: SecretStr | None = None
    bcb_sgs_url: str = "https://api.bcb.gov.br"
    bcb_olinda_url: str = "https://olinda.bcb.gov.br"
    fred_url: str = "https://api.stlouisfed.org"
    yahoo_url: str = "https://query2.finance.yahoo.com"
    b3_url: str = "https://www2.bmf.com.br"
    us_treasury_url: str = "https://home.treasury.gov"
    tesouro_url: str = "https://www.tesourotransparente.gov.br"
    http_timeout_seconds: float = 30.0
    http_attempts: int = Field(default=4, ge=1)
    http_backoff_seconds: float = 1.0

    retry_delay_seconds: float = Field(default=10.0, ge=0, description="first Dagster retry delay; doubles each time")
    backfill_chunk_sessions: int = Field(default=250, ge=1, description="sessions per Dagster backfill run")

    nav_brl: float = Field(default=100_000_000.0, gt=0)

    api_host: str = "127.0.0.1"
    api_port: int = 8000
    public_base_url: str = "http://localhost:8000"

    @field_validator("log_level")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()

    @property
    def resolved_database_url(self) -> str:
        """The configured URL, or the embedded SQLite database under ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'macrodesk.db').resolve()}"
