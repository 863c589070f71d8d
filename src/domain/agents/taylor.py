"""Taylor rules: the policy rate a central bank's reaction function prescribes."""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from domain._typing import FloatArray

ArrayLike = npt.ArrayLike


@dataclass(frozen=True, slots=True)
class TaylorRule:
    """Coefficients of the rule (Taylor 1993: 0.5 on the inflation gap, 0.5 on the output gap)."""

    inflation_weight: float = 0.5
    gap_weight: float = 0.5

    def __post_init__(self) -> None:
        if self.inflation_weight < 0 or self.gap_weight < 0:
            raise ValueError(f"Taylor weights must be non-negative, got {self.inflation_weight}, {self.gap_weight}")


def taylor_rate(neutral_real: ArrayLike, expected_inflation: ArrayLike, target: ArrayLike,
                output_gap: ArrayLike, rule: TaylorRule = TaylorRule()) -> FloatArray:
    """Nominal policy rate prescribed by a forward-looking Taylor rule (additive form).

    .. math:: i = r^* + \\pi^e + a\\,(\\pi^e - \\pi^*) + b\\,\\text{gap}

    with :math:`a` = ``rule.inflation_weight`` (0.5) and :math:`b` = ``rule.gap_weight`` (0.5). All
    inputs are decimals (0.045 for 4.5%); the output gap is a fraction of potential.

    Parameters
    ----------
    neutral_real : array_like
        Neutral real rate :math:`r^*`.
    expected_inflation : array_like
        Inflation expectation :math:`\\pi^e` (12 months ahead).
    target : array_like
        Inflation target :math:`\\pi^*` over the same horizon.
    output_gap : array_like
        Activity gap.
    rule : TaylorRule

    Returns
    -------
    ndarray
        The prescribed rate, element-wise (NaN where an input is NaN).
    """
    r = np.asarray(neutral_real, dtype=np.float64)
    pi_e = np.asarray(expected_inflation, dtype=np.float64)
    pi_star = np.asarray(target, dtype=np.float64)
    gap = np.asarray(output_gap, dtype=np.float64)
    return np.asarray(r + pi_e + rule.inflation_weight * (pi_e - pi_star) + rule.gap_weight * gap,
                      dtype=np.float64)


def okun_gap(unemployment: ArrayLike, nairu: ArrayLike, coefficient: float = 2.0) -> FloatArray:
    """Output gap implied by the unemployment gap through Okun's law.

    .. math:: \\text{gap} = -\\beta\\,(u - u^*)

    with :math:`\\beta = 2` by default (each point of unemployment above NAIRU is about 2% of output).
    """
    if coefficient <= 0:
        raise ValueError(f"Okun coefficient must be positive, got {coefficient}")
    u = np.asarray(unemployment, dtype=np.float64)
    u_star = np.asarray(nairu, dtype=np.float64)
    return np.asarray(-coefficient * (u - u_star), dtype=np.float64)
