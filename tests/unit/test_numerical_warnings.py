"""Domain warnings raised during a step are counted, logged at WARNING and summarised for the asset metadata."""

import logging
import warnings

import numpy as np
import pytest

from application.numerical_warnings import collect_warnings
from domain.portfolio.black_litterman import Views, black_litterman
from domain.risk.errors import IntegratedGarchWarning


def test_domain_warnings_are_counted_per_class_and_logged_once_each(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="macrodesk.numerical_warnings")
    with collect_warnings("risk_var") as caught:
        for _ in range(3):
            black_litterman(np.eye(2) * 1e-4, Views.none(2), names=["DI1_2Y", "IBOV"])
        warnings.warn("GARCH(1,1) of IBOV fitted alpha + beta = 1.000000", IntegratedGarchWarning, stacklevel=1)
    assert caught.summary() == (
        "NoMarketPriorWarning x3: Black-Litterman without market weights: the prior mean is zero (a neutral book), "
        "not an equilibrium return",
        "IntegratedGarchWarning x1: GARCH(1,1) of IBOV fitted alpha + beta = 1.000000")
    lines = [r for r in caplog.records if r.name == "macrodesk.numerical_warnings"]
    assert [r.levelno for r in lines] == [logging.WARNING, logging.WARNING]
    assert "risk_var: NoMarketPriorWarning raised 3 time(s)" in lines[0].getMessage()


def test_warnings_that_are_not_the_domains_pass_through_untouched() -> None:
    with pytest.warns(DeprecationWarning, match="old API"), collect_warnings("x") as caught:
        warnings.warn("old API", DeprecationWarning, stacklevel=1)
    assert caught.summary() == ()
