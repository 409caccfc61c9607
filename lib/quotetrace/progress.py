"""How far a long stage has got: a tqdm bar in a notebook, lines on the command line, or nothing.

``progress`` arguments across the package take:

* ``None`` (default): lines appended to the file named by the environment variable
  ``QUOTETRACE_PROGRESS`` when it is set (``quotetrace run`` sets it and shows the lines on its
  stderr), else nothing. So a notebook's stored outputs never hold progress.
* ``False``: nothing.
* ``True``: a tqdm progress bar (a widget in JupyterLab, text on a terminal).
* a path: lines appended to that file.

A line reads ``quotetrace: matching: 2,000/10,000 articles (850/s, 2 s)``: the stage, the count done
of the total, the rate and the time so far. Lines come at most every two seconds per stage, and
once at its end.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from pathlib import Path
from typing import Iterator, TextIO

__all__ = ["ENV", "Progress", "relay"]

ENV = "QUOTETRACE_PROGRESS"
_EVERY = 2.0  # seconds between two lines of one stage


class _Stage:
    def __init__(self, name: str, total: int, unit: str, sink):
        self.name, self.total, self.unit, self._sink = name, total, unit, sink
        self.done = 0
        self._written = -1  # ``done`` at the last line written
        self._start = self._last = time.monotonic()
        self._bar = None
        if sink is True:
            from tqdm.auto import tqdm

            self._bar = tqdm(total=total, desc=name, unit=f" {unit}", file=sys.stderr, leave=False)

    def update(self, n: int = 1) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
        elif self._sink and time.monotonic() - self._last >= _EVERY:
            self._line()

    def line(self) -> str:
        elapsed = time.monotonic() - self._start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        return f"quotetrace: {self.name}: {self.done:,}/{self.total:,} {self.unit} ({rate:,.0f}/s, {elapsed:,.0f} s)"

    def _line(self) -> None:
        self._last, self._written = time.monotonic(), self.done
        try:
            with open(self._sink, "a", encoding="utf-8") as f:
                f.write(self.line() + "\n")
        except OSError:  # progress is never worth failing a run for
            pass

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        elif self._sink and self.done != self._written:
            self._line()


class Progress:
    """Progress of the stages of one run (see the module docstring for ``progress``)."""

    def __init__(self, progress: bool | str | Path | None = None):
        if isinstance(progress, Progress):
            progress = progress._sink
        if progress is None:
            progress = os.environ.get(ENV) or False
        self._sink = progress if isinstance(progress, bool) else str(progress)

    @contextlib.contextmanager
    def stage(self, name: str, total: int, unit: str = "articles") -> Iterator[_Stage]:
        """A stage of ``total`` units; call ``.update(n)`` as they are done."""
        stage = _Stage(name, total, unit, self._sink if total else False)
        try:
            yield stage
        finally:
            stage.close()


@contextlib.contextmanager
def relay(path: str | Path, stream: TextIO | None = None, *, enabled: bool = True) -> Iterator[None]:
    """While inside, set ``QUOTETRACE_PROGRESS`` to ``path`` (for processes started meanwhile, such as
    notebook kernels) and copy each line written there to ``stream`` (default stderr); remove ``path`` after."""
    if not enabled:
        yield
        return
    path = Path(path)
    path.write_text("", encoding="utf-8")
    stream = stream or sys.stderr
    before = os.environ.get(ENV)
    os.environ[ENV] = str(path.resolve())
    stop = threading.Event()

    def follow():
        with open(path, encoding="utf-8") as f:
            while True:
                line = f.readline()
                if line:
                    stream.write(line)
                    stream.flush()
                elif stop.is_set():
                    return
                else:
                    time.sleep(0.2)

    thread = threading.Thread(target=follow, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
        if before is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = before
        with contextlib.suppress(OSError):
            path.unlink()
