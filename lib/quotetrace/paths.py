"""Where the bundled data lives, resolved from the package (never from the working folder).

Notebooks run by nbval start in ``notebooks/``; papermill runs start wherever
the command was typed. Resolving paths here, from this file, makes both work.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import CorpusNotFoundError, ParameterError

__all__ = ["project_root", "data_dir", "bundled_corpus", "bundled_corpora", "resolve_corpus"]


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
        f"The corpus {text!r} is neither a folder or file that exists nor a bundled corpus "
        f"({', '.join(bundled_corpora()) or 'none'}). Check the path.",
        parameter="corpus",
    )
