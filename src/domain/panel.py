"""The daily point-in-time panel the agents and strategies read.

One row per B3 session, one column per quantity below. Row ``D`` holds only what was known at the
close of ``D`` (values are carried forward from their release date), so any computation that uses
rows up to ``D`` is free of look-ahead by construction. The application layer builds it from the
stores; the domain only reads it.

Units: every rate, yield, growth rate and ratio is a DECIMAL (0.1475 for 14.75%); price levels are in
their market units (USD/BRL in BRL per USD, indices in points).
"""

from typing import Final

# Brazil: inflation (decimal rates)
IPCA_12M: Final = "ipca_12m"                  # headline IPCA, 12-month change
IPCA_3M_SAAR: Final = "ipca_3m_saar"          # headline IPCA, 3-month seasonally-unadjusted annualised
CORE_12M: Final = "core_12m"                  # mean of the three cores, 12-month change
CORE_3M_SAAR: Final = "core_3m_saar"          # mean of the three cores, 3-month annualised
IPCA_DIFFUSION: Final = "ipca_diffusion"      # share of items rising (decimal)
FOCUS_IPCA_12M: Final = "focus_ipca_12m"      # Focus median, 12 months ahead
FOCUS_IPCA_CY: Final = "focus_ipca_cy"        # Focus median, current calendar year
FOCUS_IPCA_NY: Final = "focus_ipca_ny"        # Focus median, next calendar year
# Brazil: policy and money market
SELIC: Final = "selic"                        # Selic target
FOCUS_SELIC_CY: Final = "focus_selic_cy"
FOCUS_SELIC_NY: Final = "focus_selic_ny"
# Brazil: activity, labour, external, fiscal
ACTIVITY_GAP: Final = "activity_gap"          # IBC-Br one-sided HP output gap (decimal of trend)
ACTIVITY_YOY: Final = "activity_yoy"          # IBC-Br 12-month growth
FOCUS_GDP_CY: Final = "focus_gdp_cy"
UNEMPLOYMENT: Final = "unemployment"
UNEMPLOYMENT_CHG_12M: Final = "unemployment_chg_12m"
CAPACITY_UTIL: Final = "capacity_util"
PRIMARY_BALANCE_GDP: Final = "primary_balance_gdp"  # 12-month primary balance / GDP (surplus > 0)
GROSS_DEBT_GDP: Final = "gross_debt_gdp"
NET_DEBT_GDP: Final = "net_debt_gdp"
GROSS_DEBT_CHG_12M: Final = "gross_debt_chg_12m"
RESERVES_USD_MN: Final = "reserves_usd_mn"
TRADE_BALANCE_12M_USD_MN: Final = "trade_balance_12m_usd_mn"
# Brazil: markets
USDBRL: Final = "usdbrl"                      # PTAX sell, BRL per USD
FOCUS_FX_CY: Final = "focus_fx_cy"
IBOVESPA: Final = "ibovespa"
EWZ: Final = "ewz"
DI_1M: Final = "di_1m"                        # DI pre curve (BUS/252) at standard tenors
DI_3M: Final = "di_3m"
DI_6M: Final = "di_6m"
DI_1Y: Final = "di_1y"
DI_2Y: Final = "di_2y"
DI_3Y: Final = "di_3y"
DI_5Y: Final = "di_5y"
DI_10Y: Final = "di_10y"
NTNB_REAL_2Y: Final = "ntnb_real_2y"          # NTN-B real curve (BUS/252)
NTNB_REAL_5Y: Final = "ntnb_real_5y"
NTNB_REAL_10Y: Final = "ntnb_real_10y"
BREAKEVEN_2Y: Final = "breakeven_2y"          # Fisher breakeven, DI vs NTN-B
BREAKEVEN_5Y: Final = "breakeven_5y"
# United States and global
US_FED_FUNDS: Final = "us_fed_funds"
US_UST_2Y: Final = "us_ust_2y"
US_UST_10Y: Final = "us_ust_10y"
US_TIPS_10Y: Final = "us_tips_10y"
US_BREAKEVEN_10Y: Final = "us_breakeven_10y"
US_CORE_PCE_YOY: Final = "us_core_pce_yoy"
US_CORE_CPI_YOY: Final = "us_core_cpi_yoy"
US_UNEMPLOYMENT: Final = "us_unemployment"
US_NAIRU: Final = "us_nairu"
US_HY_OAS: Final = "us_hy_oas"
US_NFCI: Final = "us_nfci"                    # index, not a rate
VIX: Final = "vix"                            # index points
DXY: Final = "dxy"
SP500: Final = "sp500"
WTI: Final = "wti"
GOLD: Final = "gold"

PANEL_COLUMNS: Final[tuple[str, ...]] = tuple(
    value for name, value in list(globals().items()) if name.isupper() and isinstance(value, str)
    and name not in {"PANEL_COLUMNS"}
)
