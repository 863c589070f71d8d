import pytest

from domain.delivery import RetrySchedule


def test_the_delay_doubles_from_the_initial_value_up_to_the_cap() -> None:
    schedule = RetrySchedule(max_attempts=8, initial_seconds=30.0, cap_seconds=300.0)
    assert [schedule.delay(n) for n in range(1, 7)] == [30.0, 60.0, 120.0, 240.0, 300.0, 300.0]


def test_retry_after_is_a_floor_even_above_the_cap() -> None:
    schedule = RetrySchedule(max_attempts=5, initial_seconds=30.0, cap_seconds=300.0)
    assert schedule.delay(1, retry_after=45.0) == 45.0
    assert schedule.delay(3, retry_after=45.0) == 120.0
    assert schedule.delay(1, retry_after=900.0) == 900.0


def test_a_round_is_exhausted_at_max_attempts() -> None:
    schedule = RetrySchedule(max_attempts=3, initial_seconds=1.0, cap_seconds=1.0)
    assert [schedule.exhausted(n) for n in (1, 2, 3)] == [False, False, True]


def test_a_huge_attempt_count_stays_at_the_cap() -> None:
    assert RetrySchedule(max_attempts=5, initial_seconds=1.0, cap_seconds=60.0).delay(5000) == 60.0


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"max_attempts": 0, "initial_seconds": 1.0, "cap_seconds": 1.0}, "max_attempts"),
    ({"max_attempts": 1, "initial_seconds": -1.0, "cap_seconds": 1.0}, "initial_seconds"),
    ({"max_attempts": 1, "initial_seconds": 10.0, "cap_seconds": 1.0}, "cap_seconds"),
])
def test_invalid_schedules_are_rejected_naming_the_field(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RetrySchedule(**kwargs)  # type: ignore[arg-type]
