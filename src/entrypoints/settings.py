"""Every setting of the system, read from the environment (prefix ``MACRODESK_``) and ``.env``.

This is the only module that reads configuration. Secrets are ``SecretStr``: they print as '**********'.
"""

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


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
    public_base_url: str = Field(default="http://localhost:8000",
                                 description="where people open the API and the report (links in Slack/e-mail)")
    api_token: SecretStr | None = Field(default=None, description="bearer token required by every mutating route")

    # Notifications (reports and alerts). With no Slack token and no SMTP host, messages go to the local outbox.
    slack_bot_token: SecretStr | None = None
    slack_channel: str = "#macro-desk"
    slack_base_url: str = Field(default="https://slack.com/api/", description="Slack Web API base (loopback in tests)")
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_security: Literal["none", "starttls", "tls"] = "starttls"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_timeout_seconds: float = Field(default=30.0, gt=0)
    email_sender: str = "macrodesk@localhost"
    email_recipients: Annotated[list[str], NoDecode] = Field(default_factory=list,
                                                            description="comma-separated addresses")
    # Delivery log: retries with capped exponential backoff; a claimed delivery is re-offered after its lease.
    # 10 attempts (30 s doubling to 15 min) bridge about 75 minutes of outage: an alert must survive an hour.
    delivery_max_attempts: int = Field(default=10, ge=1, description="attempts per delivery round before 'failed'")
    delivery_backoff_seconds: float = Field(default=30.0, ge=0, description="first retry delay; doubles each time")
    delivery_backoff_cap_seconds: float = Field(default=900.0, ge=0, description="longest retry delay")
    delivery_lease_seconds: float = Field(default=300.0, gt=0,
                                          description="a dispatcher that died mid-send frees its claim after this")

    @field_validator("log_level")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()

    @field_validator("email_recipients", mode="before")
    @classmethod
    def _split_addresses(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @property
    def outbox_dir(self) -> Path:
        """Where the local outbox writes e-mails (.eml) and Slack payloads (.json) when no channel is configured."""
        return self.data_dir / "reports" / "outbox"

    @property
    def resolved_database_url(self) -> str:
        """The configured URL, or the embedded SQLite database under ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'macrodesk.db').resolve()}"
