"""Shared fixtures: small corpora built in temporary folders."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")

from quotetrace import bundled_corpus, load_corpus  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"

# fixture notebooks (one fails on purpose) are run by the tests, never collected by nbval
collect_ignore_glob = ["fixtures/*"]


@pytest.fixture(scope="session")
def tweetgate_dir() -> Path:
    return bundled_corpus("tweetgate")


@pytest.fixture(scope="session")
def tweetgate(tweetgate_dir):
    """The bundled corpus as an articles table (do not modify it in tests)."""
    return load_corpus(tweetgate_dir)


@pytest.fixture
def write(tmp_path):
    """write(name, content) -> Path: make a file in a fresh corpus folder."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write
