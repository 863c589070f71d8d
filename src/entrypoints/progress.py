"""Progress of a range run on stderr: a bar on a terminal, one line per step with elapsed time otherwise."""

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from application.pipeline import StepOutcome


def step_line(title: str, outcome: "StepOutcome", elapsed: float) -> str:
    """``title: step status in N s (elapsed E s)``, with the error when the step failed."""
    line = f"{title}: {outcome.step} {outcome.status} in {outcome.seconds:.1f} s (elapsed {elapsed:.1f} s)"
    return f"{line}: {outcome.error}" if outcome.error else line


@contextmanager
def step_progress(title: str, total: int) -> Iterator[Callable[["StepOutcome"], None]]:
    """A callback to pass as ``on_step``; it draws a bar on a TTY and prints lines when stderr is a file or pipe."""
    started = time.perf_counter()
    if not sys.stderr.isatty():
        def line(outcome: "StepOutcome") -> None:
            print(step_line(title, outcome, time.perf_counter() - started), file=sys.stderr, flush=True)

        yield line
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=Console(stderr=True)) as progress:
        task = progress.add_task(title, total=total)

        def advance(outcome: "StepOutcome") -> None:
            progress.update(task, advance=1, description=f"{title}: {outcome.step} {outcome.status}")
            if outcome.error:
                progress.console.print(step_line(title, outcome, time.perf_counter() - started))

        yield advance
