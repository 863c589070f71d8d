"""How the command line answers: one line per error, exit 2 for usage errors, 1 for runtime failures.

Typer prints usage errors in a box cut to the terminal width and unexpected errors as tracebacks. A
person who typed a holiday or forgot ``db upgrade`` needs one line that says what to do, in full. This
module imports only the standard library, click and typer, so ``macrodesk --help`` stays fast.
"""

import os
import sys
from typing import Any

import typer

# Typer 0.29 carries its own copy of click; its exceptions are not click's.
from typer._click import exceptions as click_errors

USAGE_EXIT = 2
FAILURE_EXIT = 1
_secrets: list[str] = []


class CommandUsageError(Exception):
    """Bad input the user can correct (a date, a range, an option): exit code 2."""


class CommandFailedError(Exception):
    """The command could not do its work (database not migrated, a step failed): exit code 1."""


def register_secret(value: str | None) -> None:
    """A value that must never appear in an error line (a database password, a token)."""
    if value and value not in _secrets:
        _secrets.append(value)


def mask_secrets(text: str) -> str:
    """``text`` with every registered secret replaced by asterisks."""
    for secret in _secrets:
        text = text.replace(secret, "***")
    return text


def _one_line(text: str) -> str:
    return " ".join(part.strip() for part in str(text).splitlines() if part.strip())


def fail(message: str, code: int) -> None:
    """Print ``error: message`` on one line to stderr and exit with ``code``."""
    print(f"error: {mask_secrets(_one_line(message))}", file=sys.stderr, flush=True)
    sys.exit(code)


def without_pydantic_prefix(message: str) -> str:
    """``message`` without the "Value error, " pydantic puts before a validator's text (noise to a user); typer
    options and the settings are both validated through pydantic."""
    return message.replace("Value error, ", "")


class CommandLine(typer.Typer):
    """A Typer app whose errors are single lines with the documented exit codes."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command line (the console script calls this)."""
        command = typer.main.get_command(self)
        try:
            code = command.main(*args, standalone_mode=False, **kwargs)
        except click_errors.NoArgsIsHelpError as exc:
            print(exc.ctx.get_help() if exc.ctx else str(exc))
            sys.exit(USAGE_EXIT)
        except click_errors.UsageError as exc:
            hint = f" (see: {exc.ctx.command_path} --help)" if exc.ctx else ""
            fail(f"{without_pydantic_prefix(exc.format_message())}{hint}", USAGE_EXIT)
        except typer.Exit as exc:
            sys.exit(exc.exit_code)
        except typer.Abort:
            fail("aborted", FAILURE_EXIT)
        except CommandUsageError as exc:
            fail(str(exc), USAGE_EXIT)
        except CommandFailedError as exc:
            fail(str(exc), FAILURE_EXIT)
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except Exception as exc:  # the last resort: still one line; the traceback only on request
            if os.environ.get("MACRODESK_LOG_LEVEL", "").upper() == "DEBUG":
                import traceback

                traceback.print_exc()
            fail(f"{type(exc).__name__}: {exc}", FAILURE_EXIT)
        sys.exit(code if isinstance(code, int) else 0)
