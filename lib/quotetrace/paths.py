"""Where the bundled data, the notebooks and the reports live, resolved from the package.

Notebooks run by nbval start in ``notebooks/``; papermill runs start wherever
the command was typed. Resolving paths here, from this file, makes both work,
in a quotetrace checkout (``data/`` and ``notebooks/`` beside ``lib/``) and in
an installed package (the wheel carries both in ``quotetrace/bundled/``).
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import CorpusNotFoundError, ParameterError

__all__ = [
    "project_root",
    "checkout",
    "data_dir",
    "notebooks_dir",
    "default_reports_dir",
    "bundled_corpus",
    "bundled_corpora",
    "resolve_corpus",
]

_PACKAGE = Path(__file__).resolve().parent
_BUNDLED = _PACKAGE / "bundled"  # where the wheel puts data/ and notebooks/ (see pyproject.toml [tool.setuptools])


def checkout() -> Path | None:
    """The quotetrace checkout this package runs from (the folder holding ``lib/``, ``data/``,
    ``notebooks/`` and ``pyproject.toml``), or None for an installed package."""
    root = _PACKAGE.parents[1]
    if _PACKAGE.parent.name == "lib" and (root / "pyproject.toml").is_file() and (root / "notebooks").is_dir():
        return root
    return None


def project_root() -> Path:
    """The folder holding ``data/`` and ``notebooks/``: the checkout, or the installed package's bundled files."""
    return checkout() or _BUNDLED


def data_dir() -> Path:
    """The ``data/`` folder; ``QUOTETRACE_DATA`` overrides it."""
    env = os.environ.get("QUOTETRACE_DATA")
    return Path(env) if env else project_root() / "data"


def notebooks_dir() -> Path:
    """The folder of the report and review notebooks."""
    return project_root() / "notebooks"


def default_reports_dir() -> Path:
    """Where reports (and, beside them, verdict stores) go when no folder is given.

    ``QUOTETRACE_REPORTS`` when set; else ``reports/`` in a quotetrace
    checkout (``make report``); else a per-user data folder
    (``~/.local/share/quotetrace/reports`` on Linux), never inside the
    installed package.
    """
    env = os.environ.get("QUOTETRACE_REPORTS")
    if env:
        return Path(env)
    root = checkout()
    if root is not None:
        return root / "reports"
    import platformdirs

    return platformdirs.user_data_path("quotetrace") / "reports"


def bundled_corpora() -> list[str]:
    """Names of the corpora shipped in ``data/corpora/``."""
    folder = data_dir() / "corpora"
    return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def bundled_corpus(name: str = "tweetgate") -> Path:
    """The folder of a bundled corpus.

    >>> bundled_corpus("tweetgate").name
    'tweetgate'
    """
    path = data_dir() / "corpora" / name
    if not path.is_dir():
        raise CorpusNotFoundError(
            f"There is no bundled corpus called {name!r}. Bundled corpora: {', '.join(bundled_corpora()) or 'none'}.",
            path=path,
        )
    return path


def resolve_corpus(corpus: str | Path) -> tuple[str, Path]:
    """Turn a bundled corpus name or a folder/file path into (name, path).

    Raises ParameterError with a clear message when it is neither.
    """
    text = str(corpus)
    p = Path(text)
    if p.exists():
        name = p.stem if p.is_file() else p.resolve().name
        return name, p
    if text in bundled_corpora():
        return text, bundled_corpus(text)
    raise ParameterError(
        f"The corpus {text!r} is neither a folder nor a file that exists, nor a bundled corpus "
        f"({', '.join(bundled_corpora()) or 'none'}). Check the path.",
        parameter="corpus",
    )
