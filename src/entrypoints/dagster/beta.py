"""The Dagster beta APIs this code location uses on purpose, and the warnings about them silenced once."""

import warnings

import dagster as dg

# Each asset passes a backfill policy (ranged backfill runs); Dagster warns once per asset that it is beta.
KNOWN_BETA_PARAMETERS = ("backfill_policy",)


def quiet_known_beta_warnings() -> None:
    """Ignore the BetaWarning of each parameter in :data:`KNOWN_BETA_PARAMETERS` (any other still shows)."""
    for parameter in KNOWN_BETA_PARAMETERS:
        warnings.filterwarnings("ignore", message=rf"Parameter `{parameter}` .* is currently in beta",
                                category=dg.BetaWarning)
