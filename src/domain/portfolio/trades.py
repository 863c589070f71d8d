"""The trade list: the difference between the target book and the current book, phrased as a desk does.

Positions are matched by listed instrument. For one instrument going from :math:`n_0` to :math:`n_1`
contracts the trade is BUY :math:`n_1 - n_0` when positive, SELL :math:`n_0 - n_1` otherwise, and reads

* from flat: "Open DI1F27 short of 20 contracts";
* to flat: "Close DI1F27 long of 20 contracts";
* same side, larger: "Increase DI1F27 short by 20 contracts";
* same side, smaller: "Reduce DI1F27 long by 5 contracts";
* other side: "Reverse DI1F27 from long 10 to short 15 contracts".

DI1 trades in rate terms (long = "tomado", long the rate): each DI1 trade carries a note saying
which way it moves the rate exposure ("SELL DI1 = receive the rate: gains if rates fall"). When a
generic's contract changes (DI1F27 to DI1F28) the old one is closed and the new one opened, both
noted as a roll.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from domain.book import Position
from domain.market.instruments import AssetClass
from domain.portfolio.errors import InvalidPortfolioInputError


class Direction(StrEnum):
    """Side of a trade in contracts."""

    BUY = "BUY"
    SELL = "SELL"


@dataclass(frozen=True, slots=True)
class Trade:
    """One order of the trade list.

    Attributes
    ----------
    instrument, generic : str
        Listed ticker and the generic it implements.
    asset_class : AssetClass
        Risk bucket.
    direction : Direction
        BUY or SELL of contracts (of bonds for NTN-B).
    contracts : int
        Positive size of the order.
    from_contracts, to_contracts : int
        Signed position before and after.
    rationale : str
        Strategy/signal summary supplied by the caller for the generic.
    sentence : str
        The desk phrasing, e.g. "Increase DI1F27 short by 20 contracts".
    note : str
        DI1 rate-convention hint and roll information ("" when none).
    """

    instrument: str
    generic: str
    asset_class: AssetClass
    direction: Direction
    contracts: int
    from_contracts: int
    to_contracts: int
    rationale: str
    sentence: str
    note: str = ""


def _units(instrument: str, count: int) -> str:
    noun = "bond" if instrument.startswith("NTNB_") else "contract"
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _side(contracts: int) -> str:
    return "long" if contracts > 0 else "short"


def describe_change(instrument: str, from_contracts: int, to_contracts: int) -> str:
    """Desk sentence for moving ``instrument`` from ``from_contracts`` to ``to_contracts`` (signed).

    Raises
    ------
    InvalidPortfolioInputError
        When the two positions are equal (there is no trade to describe).
    """
    start, end = from_contracts, to_contracts
    if start == end:
        raise InvalidPortfolioInputError(f"{instrument}: no change from {start} contracts")
    if start == 0:
        return f"Open {instrument} {_side(end)} of {_units(instrument, abs(end))}"
    if end == 0:
        return f"Close {instrument} {_side(start)} of {_units(instrument, abs(start))}"
    if (start > 0) != (end > 0):
        return (f"Reverse {instrument} from {_side(start)} {abs(start)} to {_side(end)} "
                f"{_units(instrument, abs(end))}")
    verb = "Increase" if abs(end) > abs(start) else "Reduce"
    return f"{verb} {instrument} {_side(start)} by {_units(instrument, abs(end - start))}"


def _di1_note(direction: Direction) -> str:
    if direction is Direction.SELL:
        return "SELL DI1 = receive the rate: gains if rates fall"
    return "BUY DI1 = pay the rate: gains if rates rise"


def _net(positions: Sequence[Position], what: str) -> dict[str, Position]:
    book: dict[str, Position] = {}
    for p in positions:
        held = book.get(p.instrument)
        if held is not None and held.generic != p.generic:
            raise InvalidPortfolioInputError(f"{what} book: {p.instrument} appears under {held.generic} "
                                             f"and {p.generic}")
        contracts = p.contracts + (held.contracts if held else 0)
        book[p.instrument] = Position(p.instrument, p.generic, contracts, p.asset_class)
    return book


def trade_list(current: Sequence[Position], target: Sequence[Position],
               rationale: Mapping[str, str] | None = None) -> tuple[Trade, ...]:
    """Trades that turn the ``current`` book into the ``target`` book.

    .. math:: \\Delta n_j = n_j^{target} - n_j^{current} \\quad \\text{for every instrument } j

    Parameters
    ----------
    current, target : sequence of Position
        Books in whole contracts; an instrument missing from a book holds 0 there; repeated
        instruments are netted.
    rationale : mapping, optional
        Generic -> rationale string copied to its trades.

    Returns
    -------
    tuple of Trade
        Grouped by generic (target order, then generics only in the current book); within a generic,
        closes first, then by instrument. Unchanged instruments produce no trade.
    """
    reasons = rationale or {}
    before, after = _net(current, "current"), _net(target, "target")
    generic_order: dict[str, int] = {}
    for p in [*after.values(), *before.values()]:
        generic_order.setdefault(p.generic, len(generic_order))
    opened: dict[str, list[str]] = {}
    closed: dict[str, list[str]] = {}
    for instrument in set(before) | set(after):
        start = before[instrument].contracts if instrument in before else 0
        end = after[instrument].contracts if instrument in after else 0
        generic = (after.get(instrument) or before[instrument]).generic
        if start == 0 and end != 0:
            opened.setdefault(generic, []).append(instrument)
        if start != 0 and end == 0:
            closed.setdefault(generic, []).append(instrument)
    trades = []
    for instrument in set(before) | set(after):
        held = after.get(instrument) or before[instrument]
        start = before[instrument].contracts if instrument in before else 0
        end = after[instrument].contracts if instrument in after else 0
        if start == end:
            continue
        direction = Direction.BUY if end > start else Direction.SELL
        notes = [_di1_note(direction)] if instrument.startswith("DI1") else []
        rolled_from, rolled_to = closed.get(held.generic, []), opened.get(held.generic, [])
        if rolled_from and rolled_to and instrument in rolled_from + rolled_to:
            notes.append(f"roll of {held.generic} from {', '.join(sorted(rolled_from))} "
                         f"to {', '.join(sorted(rolled_to))}")
        trades.append(Trade(instrument=instrument, generic=held.generic, asset_class=held.asset_class,
                            direction=direction, contracts=abs(end - start), from_contracts=start,
                            to_contracts=end, rationale=reasons.get(held.generic, ""),
                            sentence=describe_change(instrument, start, end), note="; ".join(notes)))
    trades.sort(key=lambda t: (generic_order[t.generic], t.to_contracts != 0, t.instrument))
    return tuple(trades)
