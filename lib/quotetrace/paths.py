"""Where the bundled data lives, resolved from the package (never from the working folder).

Notebooks run by nbval start in ``notebooks/``; papermill runs start wherever
the command was typed. Resolving paths here, from this file, makes both work.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import CorpusNotFoundError

__all__ = ["project_root", "data_dir", "bundled_corpus", "bundled_corpora"]


def project_root() -> Path:
    """The quotetrace checkout (the folder holding ``lib/``, ``data/`` and ``notebooks/``)."""
    return Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """The ``data/`` folder; ``QUOTETRACE_DATA`` overrides it."""
    env = os.environ.get("QUOTETRACE_DATA")
    return Path(env) if env else project_root() / "data"


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
