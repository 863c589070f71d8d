"""Errors and warnings of the risk engine."""

from domain.errors import DomainError


class RiskInputError(DomainError, ValueError):
    """Input the risk engine cannot measure: misaligned factors, NaN history, invalid levels."""


class GarchConvergenceWarning(RuntimeWarning):
    """The GARCH(1,1) optimiser of one factor stopped without converging; its parameters are suspect."""


class CorrelationRepairWarning(RuntimeWarning):
    """An estimated correlation matrix was not positive definite and was repaired by eigenvalue clipping."""


class IntegratedGarchWarning(RuntimeWarning):
    """A GARCH(1,1) fit reached alpha + beta = 1 (integrated variance); beta was pulled just below the boundary."""
