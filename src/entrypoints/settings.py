"""Every setting of the system, read from the environment (prefix ``MACRODESK_``) and ``.env``.

This is the only module that reads configuration. Secrets are ``SecretStr``: they print as '**********'.
"""

from datetime import date
from email.utils import parseaddr
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Environment(StrEnum):
    """Development logs to the console in colour; production logs JSON lines."""

    DEVELOPMENT = "development"
    PRODUCTION = "production"


class MarketSourceKind(StrEnum):
    """Where market data comes from."""

    SYNTHETIC = "synthetic"
    LIVE = "live"


class TransactionCost(BaseModel):
    """Per-contract cost of one contract root: fees (BRL and/or USD) and half the bid/ask spread.

    ``half_spread`` is in bp of rate for DI1, NTNB and UST10, in price points for DOL, WDO, IND and WIN.
    """

    fee_brl: float = Field(default=0.0, ge=0)
    fee_usd: float = Field(default=0.0, ge=0)
    half_spread: float = Field(default=0.0, ge=0)


def _default_transaction_costs() -> dict[str, TransactionCost]:
    # B3 fee schedules and one tick's half-spread (docs/decisions.md, "Transaction costs").
    return {"DI1": TransactionCost(fee_brl=0.91, half_spread=0.5),
            "DOL": TransactionCost(fee_usd=0.97, half_spread=0.25),
            "WDO": TransactionCost(fee_usd=0.194, half_spread=0.25),
            "IND": TransactionCost(fee_brl=1.00, half_spread=2.5),
            "WIN": TransactionCost(fee_brl=0.25, half_spread=2.5),
            "NTNB": TransactionCost(half_spread=1.0),
            "UST10": TransactionCost(fee_usd=2.0, half_spread=0.1)}


_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


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
    b3_fetch_window_days: int = Field(default=7, ge=0, description="trailing days of B3 settlement files re-fetched")
    # US real GDP's third estimate comes about 180 days after its quarter's first day, and IBC-Br and the fiscal
    # series are revised months later: their connectors re-fetch far enough back to store those vintages.
    revised_fetch_window_days: int = Field(default=200, ge=1, description="trailing days re-fetched by the FRED "
                                           "and BCB SGS connectors, whose series are revised")

    fred_api_key: SecretStr | None = None
    bcb_sgs_url: str = "https://api.bcb.gov.br"
    bcb_olinda_url: str = "https://olinda.bcb.gov.br"
    fred_url: str = "https://api.stlouisfed.org"
    yahoo_url: str = "https://query2.finance.yahoo.com"
    b3_url: str = "https://arquivos.b3.com.br"
    b3_price_report_url: str = "https://www.b3.com.br"
    us_treasury_url: str = "https://home.treasury.gov"
    tesouro_url: str = "https://www.tesourotransparente.gov.br"
    http_timeout_seconds: float = 30.0
    http_attempts: int = Field(default=4, ge=1)
    http_backoff_seconds: float = 1.0

    retry_delay_seconds: float = Field(default=10.0, ge=0, description="first Dagster retry delay; doubles each time")
    backfill_chunk_sessions: int = Field(default=250, ge=1, description="sessions per Dagster backfill run")

    nav_brl: float = Field(default=100_000_000.0, gt=0)
    transaction_costs: dict[str, TransactionCost] = Field(
        default_factory=_default_transaction_costs,
        description="model-book costs by contract root, JSON: {\"DI1\": {\"fee_brl\": 0.91, \"half_spread\": 0.5}}")

    # Risk limits: the ONE definition (domain.risk.limits.RiskLimits is built from these in the container and read
    # by the optimiser, the data-quality checks, the limit evaluation, the report and the alert rules).
    limit_var95_nav: float = Field(default=0.03, gt=0, lt=1, description="1-day VaR95 / NAV")
    limit_var99_nav: float = Field(default=0.05, gt=0, lt=1, description="1-day VaR99 / NAV")
    limit_drawdown: float = Field(default=0.10, gt=0, lt=1, description="drawdown from the NAV peak")
    limit_gross_leverage: float = Field(default=3.0, gt=0, description="gross notional / NAV, times")
    limit_single_position_nav: float = Field(default=0.25, gt=0, description="largest |notional| / NAV")
    limit_asset_class_concentration: float = Field(default=0.50, gt=0, le=1, description="largest class / gross")
    limit_risk_budget_share: float = Field(default=0.20, gt=0, le=1, description="largest strategy share of VaR")
    limit_strategy_daily_loss_nav: float = Field(default=0.02, gt=0, description="worst strategy loss / NAV")
    limit_asset_class_daily_loss_nav: float = Field(default=0.03, gt=0, description="worst class loss / NAV")
    limit_circuit_breaker_drawdowns: Annotated[list[float], NoDecode] = Field(
        default_factory=lambda: [0.03, 0.05, 0.08],
        description="comma-separated drawdowns of the breakers that cut gross 25%, cut it 50% and flatten")
    limit_target_utilisation: float = Field(default=0.95, gt=0, le=1,
                                            description="share of each limit the optimiser aims at")
    book_volatility_target: float = Field(default=0.06, gt=0, description="annual volatility of a full-conviction view")
    book_turnover_penalty: float = Field(default=0.25, ge=0,
                                         description="cost of trading one unit of weight, in full-view daily returns")

    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535, description="TCP port of `macrodesk serve`")
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

    # Report rendering: PNG export of the e-mail's charts through one headless Chromium (kaleido).
    chart_export_timeout_seconds: float = Field(default=20.0, gt=0, description="per chart; a slower one is dropped")
    chart_browser_path: str | None = Field(default=None, description="Chromium for kaleido (default: found on PATH)")

    @field_validator("log_level")
    @classmethod
    def _upper(cls, value: str) -> str:
        level = value.upper()
        if level not in _LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(_LOG_LEVELS)}")
        return level

    @field_validator("email_recipients", "email_sender", mode="after")
    @classmethod
    def _addresses(cls, value: str | list[str]) -> str | list[str]:
        # Checked here, not at the first send: a malformed address is not a transient SMTP failure to retry.
        for address in [value] if isinstance(value, str) else value:
            _, addr = parseaddr(address)
            if not addr or "@" not in addr or " " in addr:
                raise ValueError(f"{address!r} is not an e-mail address")
        return value

    @field_validator("email_recipients", mode="before")
    @classmethod
    def _split_addresses(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("limit_circuit_breaker_drawdowns", mode="before")
    @classmethod
    def _split_levels(cls, value: object) -> object:
        if isinstance(value, str):
            return [float(part) for part in value.split(",") if part.strip()]
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
