"""Regime priors: what each macro regime implies for each asset class, in the book's sign convention.

Prior means are in signal units ([-1, 1], +1 a full long of the asset class's generics: DI1 long =
long the RATE, NTN-B and UST10 long = long the bond price, USDBRL long = long USD, IBOV long =
long equities). They encode textbook regime behaviour, kept deliberately modest (|m| <= 0.4) so the
strategies' evidence dominates:

=============  =========  =========  ===========  =========
asset class    Goldilocks Reflation  Stagflation  Deflation
=============  =========  =========  ===========  =========
rates (DI1)      -0.2       +0.3        +0.4        -0.4     (disinflation lets rates fall)
inflation (B)    +0.2       -0.2        -0.1        +0.3     (real yields fall in easing)
fx (USD/BRL)     -0.3       -0.2        +0.3        +0.4     (risk-on, commodities support BRL)
equity (IBOV)    +0.4       +0.2        -0.4        -0.3
global rates     +0.1       -0.3        -0.2        +0.4     (UST rally in deflation)
=============  =========  =========  ===========  =========
"""

import numpy as np
import pandas as pd

from domain.agents.regime import REGIMES, Regime
from domain.market.instruments import AssetClass

REGIME_PRIOR_MEANS: dict[AssetClass, dict[Regime, float]] = {
    AssetClass.RATES: {Regime.GOLDILOCKS: -0.2, Regime.REFLATION: 0.3, Regime.STAGFLATION: 0.4,
                       Regime.DEFLATION: -0.4},
    AssetClass.INFLATION: {Regime.GOLDILOCKS: 0.2, Regime.REFLATION: -0.2, Regime.STAGFLATION: -0.1,
                           Regime.DEFLATION: 0.3},
    AssetClass.FX: {Regime.GOLDILOCKS: -0.3, Regime.REFLATION: -0.2, Regime.STAGFLATION: 0.3,
                    Regime.DEFLATION: 0.4},
    AssetClass.EQUITY: {Regime.GOLDILOCKS: 0.4, Regime.REFLATION: 0.2, Regime.STAGFLATION: -0.4,
                        Regime.DEFLATION: -0.3},
    AssetClass.GLOBAL_RATES: {Regime.GOLDILOCKS: 0.1, Regime.REFLATION: -0.3, Regime.STAGFLATION: -0.2,
                              Regime.DEFLATION: 0.4},
}


def prior_means(regime_probs: pd.DataFrame | None, dates: pd.DatetimeIndex) -> pd.DataFrame:
    """Prior mean of every asset class on every date: the probability-weighted regime means.

    .. math:: m_0(a, t) = \\sum_k p_{t,k}\\, \\mu_{a,k}

    Parameters
    ----------
    regime_probs : DataFrame or None
        Date-indexed, one column per :class:`Regime` value (as from ``AgentOutputs.regime_probs``).
        None, a missing date or a NaN row gives a neutral prior (0).
    dates : DatetimeIndex
        Dates to return.

    Returns
    -------
    DataFrame
        Index ``dates``, one column per asset class value.

    Raises
    ------
    ValueError
        When a regime column is missing.
    """
    means = np.array([[REGIME_PRIOR_MEANS[a][r] for a in AssetClass] for r in REGIMES])
    if regime_probs is None:
        probs = np.zeros((dates.size, len(REGIMES)))
    else:
        missing = [r.value for r in REGIMES if r.value not in regime_probs.columns]
        if missing:
            raise ValueError(f"regime_probs lacks columns {missing}")
        probs = regime_probs[[r.value for r in REGIMES]].reindex(dates).to_numpy(dtype=np.float64)
        probs = np.where(np.isfinite(probs).all(axis=1, keepdims=True), probs, 0.0)
    return pd.DataFrame(probs @ means, index=dates, columns=[a.value for a in AssetClass])
