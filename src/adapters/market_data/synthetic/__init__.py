"""The embedded synthetic market: the demo's and the tests' default ``MarketDataSource``.

``SyntheticMarket(seed)`` answers ``fetch(connector, start, end)`` with exactly the record shapes of
the six live connectors (SGS and Focus, PTAX, FRED, Yahoo, B3 settlements, Treasury curves and
Tesouro bonds), point in time: only values dated in the window and released by its end.

The model, in brief (details in each module's docstring):

* **Episodes** (``episodes``): a calibrated 2010-2024 history of stress and shock episodes (euro
  crises, taper tantrum, the 2014-16 Brazilian recession and fiscal crisis, the commodity bust,
  Covid, the 2021-22 inflation shock, the 2024 fiscal scare), random ones from 2025; they load on
  global and Brazilian risk, commodities, activity, inflation, fiscal and policy channels.
* **Macro** (``macro``, monthly): US and Brazilian output gaps (AR(1) with real-rate drag),
  Phillips curves, Okun's law, IPCA with seasonality and FX pass-through, Focus-like expectations
  anchored to the target, a Taylor rule with a zero bound (FOMC, 25-75 bp steps) and an
  inflation-targeting rule (Copom, eight meetings a year, 25-100 bp steps), public debt moved by
  r - g and primary balances with a fiscal reaction function, reserves netted off in net debt.
* **Markets** (``markets``, daily): multivariate Student-t shocks; VIX driven by global stress;
  equities with drift, stress drawdowns and partly mean-reverting shocks; USD/BRL = PPP drift +
  Brazilian and global risk premia - carry - terms of trade + a GARCH(1,1) deviation with jumps.
* **Curves** (``curves``): DI and UST zero curves = expected policy path + term premium (rising
  with fiscal stress) + AR(1) factors; breakevens from Focus; NTN-B real yields by Fisher.
* **Contracts** (``contracts``): the listed DI1/DOL/WDO/IND/WIN set on B3 sessions and NTN-B/LTN
  on business days, priced with B3's and the Treasury's conventions and roundings.

Randomness: numpy ``Generator(PCG64(seed).jumped(k))``, one stream per component, whole arrays per
draw, so values are deterministic in the seed and independent of the window and of the horizon.
"""

from adapters.market_data.synthetic.source import SyntheticMarket

__all__ = ["SyntheticMarket"]
