"""Copula-GARCH models for Monte Carlo VaR on a date-based refit schedule, cached within one run.

Schedule: the model for date D is fitted on the first B3 session R of D's month, on the trailing
FIT_WINDOW sessions up to R, over every factor usable at R (enough history, not constant); its GARCH
variances are then rolled forward with the parameters fixed through the changes after R up to D. The
model of D therefore depends on D alone, never on which other dates share the run: a backfill in chunks
and a daily run give the same numbers.

A fit takes about 0.17-0.27 s (11 factors x 1,000 sessions, mostly arch's SLSQP), so a ten-year
backfill needs 120 of them, about a third of its time. A process pool was measured and dropped: on the
2-core machine two spawned workers saved 1.2 s of 8.3 s for 49 fits (start-up and pickling eat the gain).
"""

from collections.abc import Iterable
from datetime import date

import numpy as np
import pandas as pd

from application.risk.windows import FIT_WINDOW, MIN_HISTORY, FactorWindows, refit_date
from domain.errors import DataGapError
from domain.risk.garch import FittedMarginals, fit_marginals, roll_marginals


class MonteCarloModels:
    """Fits once per refit session and advances each cached state one date at a time."""

    def __init__(self, windows: FactorWindows) -> None:
        self._windows = windows
        self._fits: dict[date, FittedMarginals] = {}
        self._states: dict[date, FittedMarginals] = {}

    @property
    def fits(self) -> int:
        """Number of models fitted so far."""
        return len(self._fits)

    def prepare(self, days: Iterable[date]) -> None:
        """Fit the model of every refit session ``days`` need; DataGapError names the first date lacking one."""
        first_day: dict[date, date] = {}
        for day in sorted(days):
            first_day.setdefault(refit_date(day), day)
        for refit in sorted(set(first_day) - set(self._fits)):
            self._fits[refit] = fit_marginals(self._window(refit, first_day[refit]))

    def model(self, day: date, exposed: list[str]) -> FittedMarginals:
        """The model for the book held at the close of ``day``; DataGapError if it lacks an exposed factor."""
        refit = refit_date(day)
        if refit not in self._fits:
            self.prepare([day])
        fitted = self._fits[refit]
        outside = [f for f in exposed if f not in fitted.factors]
        if outside:
            raise DataGapError(
                f"risk on {day.isoformat()}: factor(s) {outside} have fewer than {MIN_HISTORY} sessions of history "
                f"(or no variation) in the {FIT_WINDOW} sessions up to the Monte Carlo refit date "
                f"{refit.isoformat()}; a factor enters the risk model at the first monthly refit after that")
        state = self._states.get(refit, fitted)
        if state.as_of is not None and state.as_of.date() > day:  # an earlier date than the last one asked
            state = fitted
        # Only the days the cached state has not seen yet (none before the refit session).
        seen = refit if state.as_of is None else max(refit, state.as_of.date())
        if seen < day:
            state = roll_marginals(state, self._windows.after(seen, day, fitted.factors), pd.Timestamp(day))
        self._states[refit] = state
        return state

    def _window(self, refit: date, day: date) -> pd.DataFrame:
        factors = self._windows.usable(refit)
        if not factors:
            raise DataGapError(f"risk on {day.isoformat()}: no factor has {MIN_HISTORY} sessions of history in the "
                               f"{FIT_WINDOW} sessions up to the Monte Carlo refit date {refit.isoformat()}")
        window = self._windows.trailing(refit, factors, FIT_WINDOW)
        return window.set_axis(pd.DatetimeIndex(window.index), axis=0).astype(np.float64)
