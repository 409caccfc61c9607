"""Run a stage's per-partition function on Dask, without a second implementation.

``map_partitions(func, parts, scheduler, **shared)`` applies ``func(**part,
**shared)`` to every partition with ``dask.bag``; the ``shared`` objects (for
matching, the quote index) are put in the task graph once and so sent to each
worker once, not once per partition. ``scheduler`` is a ``dask.distributed``
scheduler address (``tcp://host:8786``) or a local Dask scheduler name
(``processes``, ``threads``, ``synchronous``).

Dask is optional: ``pip install quotetrace[dask]``.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from .errors import ParameterError, QuotetraceError

__all__ = ["map_partitions", "LOCAL_SCHEDULERS"]

LOCAL_SCHEDULERS = ("processes", "threads", "synchronous")


def _call(part: dict, function: Callable, shared: dict) -> Any:
    return function(**part, **shared)


def map_partitions(func: Callable, parts: Sequence[dict], scheduler: str, **shared: Any) -> list:
    """``[func(**part, **shared) for part in parts]``, computed by Dask, in the order of ``parts``."""
    try:
        import dask
        import dask.bag as db
    except ImportError:
        raise ParameterError(
            "Running on Dask needs the dask extra: pip install 'quotetrace[dask]' (or leave scheduler empty to run here).",
            parameter="scheduler",
        ) from None
    if not isinstance(scheduler, str) or not scheduler.strip():
        raise ParameterError("scheduler must be a Dask scheduler address or one of " + ", ".join(LOCAL_SCHEDULERS), parameter="scheduler")
    if not parts:
        return []
    shared_once = dask.delayed(shared, traverse=False)  # one copy in the graph, shipped once per worker
    bag = db.from_sequence(list(parts), npartitions=len(parts)).map(_call, function=func, shared=shared_once)
    if scheduler in LOCAL_SCHEDULERS:
        return bag.compute(scheduler=scheduler)
    try:
        from distributed import Client
    except ImportError:
        raise ParameterError("A scheduler address needs the distributed package: pip install 'quotetrace[dask]'.", parameter="scheduler") from None
    try:
        client = Client(scheduler, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise QuotetraceError(
            f"Cannot reach the Dask scheduler at {scheduler!r} ({exc}). Check the address, or leave scheduler empty to run here.",
            parameter="scheduler",
        ) from None
    try:
        return client.compute(bag, sync=True)
    finally:
        client.close()
