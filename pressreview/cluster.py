"""cluster: the per-article analysis on a Dask cluster (`--scheduler tcp://host:8786`, or the
setting `dask: {scheduler: ...}`). Imported only then: dask.distributed takes about a second to
import.

Each worker gets an article's bytes (read.Input), not a path, so workers need no access to the
input folder; they need the same pressreview (code, rule packs, library versions), which is
checked before any article is sent. The results come back in the order of the input.
"""

from __future__ import annotations

import logging
from typing import Any

from .cache import worker_fingerprint
from .model import Article, Rejected
from .read import Input
from .settings import SettingsError

log = logging.getLogger("pressreview")


def _fingerprint() -> str:
    """Run on each worker: its own pressreview's fingerprint."""
    from pressreview.cache import worker_fingerprint as theirs

    return theirs()


def analyse_on_dask(sources: list[Input], settings: dict[str, Any],
                    address: str) -> list[tuple[Article | Rejected, bool]]:
    try:
        from distributed import Client
    except ImportError as exc:
        raise SettingsError(f"--scheduler {address}: dask.distributed is not installed ({exc})") from None
    from .pipeline import analyse_input

    try:
        client = Client(address, set_as_default=False, timeout="30s")
    except (OSError, TimeoutError) as exc:
        raise SettingsError(f"no Dask scheduler at {address}: {exc}") from None
    with client:
        ours = worker_fingerprint()
        theirs = client.run(_fingerprint)
        if not theirs:
            raise SettingsError(f"the Dask scheduler at {address} has no workers")
        other = sorted(worker for worker, fingerprint in theirs.items() if fingerprint != ours)
        if other:
            raise SettingsError(f"Dask worker(s) {', '.join(other)} run another pressreview (code, rule packs or "
                                "library versions differ from this one): install the same version there")
        log.info("analysing %d article(s) on the Dask cluster at %s (%d worker(s))", len(sources), address,
                 len(theirs))
        futures = client.map(analyse_input, sources, settings=settings, pure=False, key="pressreview-analyse")
        return list(client.gather(futures))
