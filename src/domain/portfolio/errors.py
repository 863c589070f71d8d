"""Errors and warnings of the portfolio layer."""

from domain.errors import DomainError


class InvalidPortfolioInputError(DomainError, ValueError):
    """Inputs that cannot describe a portfolio problem: bad shapes, non-finite numbers, unknown generics."""


class OptimisationFailedError(DomainError):
    """The constrained optimiser stopped without a solution that passes its optimality (KKT) check.

    ``reason`` says why (solver status and message, infeasibility, the KKT residual); ``session`` is the
    date of the problem when the caller knows it (the application layer fills it in).
    """

    def __init__(self, reason: str, *, status: int | None = None, session: object | None = None) -> None:
        self.reason = reason
        self.status = status
        self.session = session
        where = f"session {session}: " if session is not None else ""
        super().__init__(f"{where}optimiser failed: {reason}")

    def for_session(self, session: object) -> "OptimisationFailedError":
        """The same failure, naming the session."""
        return OptimisationFailedError(self.reason, status=self.status, session=session)


class IllConditionedCovarianceWarning(RuntimeWarning):
    """The covariance matrix is close to singular: solutions are sensitive to its smallest eigenvalues."""


class NoMarketPriorWarning(RuntimeWarning):
    """Black-Litterman ran without market (reference) weights: the prior mean is zero, not an equilibrium."""
