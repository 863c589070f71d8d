"""When a failed delivery is tried again: capped exponential backoff with a bounded number of attempts."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RetrySchedule:
    """Capped exponential backoff for delivering one message on one channel.

    Parameters
    ----------
    max_attempts : int
        Attempts per delivery round (the first try included); after the last failure the delivery is failed.
    initial_seconds : float
        Delay after the first failed attempt, in seconds.
    cap_seconds : float
        Longest delay, in seconds.

    Raises
    ------
    ValueError
        If ``max_attempts < 1``, a delay is negative, or ``cap_seconds < initial_seconds``.
    """

    max_attempts: int
    initial_seconds: float
    cap_seconds: float

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, got {self.max_attempts}")
        if self.initial_seconds < 0:
            raise ValueError(f"initial_seconds must be >= 0, got {self.initial_seconds}")
        if self.cap_seconds < self.initial_seconds:
            raise ValueError(f"cap_seconds ({self.cap_seconds}) must be >= initial_seconds ({self.initial_seconds})")

    def delay(self, failed_attempts: int, *, retry_after: float | None = None) -> float:
        """Seconds to wait after the ``failed_attempts``-th consecutive failure.

        ``delay(n) = max(min(initial * 2**(n - 1), cap), retry_after)``: the provider's ``Retry-After`` is a
        floor (sending earlier would only be refused again), even above the cap.

        Parameters
        ----------
        failed_attempts : int
            Failures so far in this round, >= 1.
        retry_after : float, optional
            Seconds the provider asked to wait (HTTP ``Retry-After``), if any.

        Raises
        ------
        ValueError
            If ``failed_attempts < 1``.
        """
        if failed_attempts < 1:
            raise ValueError(f"failed_attempts must be at least 1, got {failed_attempts}")
        # 2**n overflows floats past ~1024 doublings; the cap is reached long before.
        exponent = min(failed_attempts - 1, 60)
        backoff = min(self.initial_seconds * 2.0 ** exponent, self.cap_seconds)
        return max(backoff, retry_after or 0.0)

    def exhausted(self, attempts: int) -> bool:
        """Whether ``attempts`` tries used up the round (no further retry)."""
        return attempts >= self.max_attempts
