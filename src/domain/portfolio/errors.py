"""Errors and warnings of the portfolio layer."""

from domain.errors import DomainError


class InvalidPortfolioInputError(DomainError, ValueError):
    """Inputs that cannot describe a portfolio problem: bad shapes, non-finite numbers, unknown generics."""


class OptimisationFailedError(DomainError):
    """The constrained optimiser did not converge to a feasible solution."""


class IllConditionedCovarianceWarning(RuntimeWarning):
    """The covariance matrix is close to singular: solutions are sensitive to its smallest eigenvalues."""
