"""Helpers shared by the benchmarks."""

from __future__ import annotations

import multiprocessing as mp


def in_child(target, *args, start_method: str = "fork"):
    """Run ``target(*args, conn)`` in its own process (so its peak memory is its own); return what it sends."""
    ctx = mp.get_context(start_method)
    parent, child = ctx.Pipe(duplex=False)
    p = ctx.Process(target=target, args=(*args, child))
    p.start()
    out = parent.recv()
    p.join()
    return out
