"""Re-execute the committed notebooks so their stored outputs are what nbval will compare.

``python -m quotetrace.notebooks refresh [NOTEBOOK ...]`` (``make notebooks``)
runs each notebook top to bottom in its own folder with the current
environment's kernel, on its default parameters (the bundled corpus), and
writes it back atomically with execution counts in order.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .export import write_text
from .paths import notebooks_dir

__all__ = ["notebook_paths", "refresh"]


def notebook_paths() -> list[Path]:
    """The committed notebooks, in name order."""
    return sorted(notebooks_dir().glob("*.ipynb"))


def refresh(paths: list[Path] | None = None, *, timeout: int = 600) -> list[Path]:
    """Execute notebooks in place (stored outputs replaced). Returns the paths refreshed."""
    import nbformat
    from nbclient import NotebookClient

    done = []
    for path in paths or notebook_paths():
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
        client.execute()
        for cell in nb.cells:
            cell.metadata.pop("execution", None)
        nb.metadata.pop("widgets", None)
        write_text(path, nbformat.writes(nb) + "\n")
        done.append(path)
    return done


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] != "refresh":
        print("usage: python -m quotetrace.notebooks refresh [NOTEBOOK ...]", file=sys.stderr)
        return 2
    for path in refresh([Path(p) for p in argv[1:]] or None):
        print(f"refreshed {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
