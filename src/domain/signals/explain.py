"""Plain-language rationale of a generic's aggregated signal, for trade lists and reports."""

from collections.abc import Sequence


def signal_rationale(generic: str, signal: float | None, confidence: float | None,
                     drivers: Sequence[tuple[str, float, float]], *, top: int = 3) -> str:
    """One sentence naming the aggregated signal and the strategies that drive it.

    Drivers are ranked by :math:`|s_k| \\cdot c_k`.

    Parameters
    ----------
    generic : str
        The generic.
    signal, confidence : float or None
        Its aggregated signal and confidence that day (None when there is none).
    drivers : sequence of (strategy_id, signal, confidence)
        That day's strategy signals on the generic.
    top : int
        How many strategies to name.

    Returns
    -------
    str
        E.g. "DI1_2Y aggregated signal -0.62 (confidence 0.71); drivers: di1_taylor_gap -0.80, di1_slope -0.40".
    """
    if signal is None or confidence is None:
        return f"{generic}: no aggregated signal today (position sized to zero)"
    text = f"{generic} aggregated signal {signal:+.2f} (confidence {confidence:.2f})"
    ranked = sorted(drivers, key=lambda d: abs(d[1]) * d[2], reverse=True)[:top]
    if not ranked:
        return text
    return f"{text}; drivers: " + ", ".join(f"{sid} {s:+.2f}" for sid, s, _c in ranked)
