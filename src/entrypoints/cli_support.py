"""Helpers every command and sub-app shares: settings with secrets registered, output streams, a migrated container.

Only typer-level imports at module level, so ``macrodesk --help`` stays fast; the stack loads inside each helper.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from entrypoints.container import Container
    from entrypoints.settings import Settings


def load_settings() -> "Settings":
    from pydantic import ValidationError

    from entrypoints.commandline import CommandFailedError, without_pydantic_prefix
    from entrypoints.database_check import register_url_secret
    from entrypoints.logging import configure_logging
    from entrypoints.settings import Settings

    try:
        settings = Settings()
    except ValidationError as exc:
        # One line naming each variable, without the input: a misplaced secret must not reach the terminal.
        problems = "; ".join(
            f"MACRODESK_{'_'.join(map(str, e['loc'])).upper()}: {without_pydantic_prefix(e['msg'])}"
            for e in exc.errors())
        raise CommandFailedError(f"invalid settings: {problems}") from None
    register_url_secret(settings.resolved_database_url)
    configure_logging(settings)
    return settings


def print_result(renderable: object) -> None:
    from rich.console import Console

    Console(soft_wrap=True).print(renderable)


def print_progress(text: str) -> None:
    from rich.console import Console

    Console(stderr=True, soft_wrap=True, highlight=False).print(text)


def migrated_container(settings: "Settings") -> "Container":
    from entrypoints.container import build_container
    from entrypoints.database_check import require_migrated

    require_migrated(settings.resolved_database_url)
    return build_container(settings)
