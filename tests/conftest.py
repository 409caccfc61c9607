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


NEWSROOM = {
    "gazette.txt": (
        "Riverside Gazette", "2024-03-04",
        "The council approved the new bus lanes on Tuesday after a long debate.\n\n"
        "Councillor Maria Costa said: “The bus lanes will cut journey times for thousands of commuters across the city.”\n\n"
        "She added that the works would begin in May. Opponents said the plan was “a costly mistake”.\n\n"
        "The transport committee chair, Peter Hale, said: “We listened to every resident who wrote to us, and we changed the route twice.”\n",
    ),
    "herald.txt": (
        "Valley Herald", "2024-03-05",
        "Plans for bus lanes on the ring road were approved this week, 12 days after the first vote.\n\n"
        "“The bus lanes will cut journey times for thousands of commuters across the city,” Councillor Maria Costa told the meeting.\n\n"
        "Peter Hale said: “We listened to every resident who wrote to us, and we chnaged the route twice.”\n\n"
        "Local shopkeeper Ann Lee said: “Nobody asked the traders on Market Street what they thought.”\n",
    ),
    "bulletin.txt": (
        "Evening Bulletin", "2024-03-07",
        "Costa defended the scheme. “The bus lanes will cut journey times for thousands of commuters,” she said, without giving figures.\n\n"
        "The council has spent £2m on the consultation, according to its accounts.\n\n"
        "A spokesman for the bus company said: “We will run extra services from the first week of June.”\n",
    ),
    "library.txt": (
        "", "",
        "The library on Elm Road will close for repairs next month.\n\n"
        "The librarian, Grace Holt, said: “The roof has leaked every winter since the storm of 2019.”\n\n"
        "Readers can borrow books from the mobile van on Saturdays.\n",
    ),
}
LATE_ARTICLE = (
    "post.txt", "Morning Post", "2024-03-09",
    "Traders on Market Street complained again on Friday.\n\n"
    "Ann Lee said: “Nobody asked the traders on Market Street what they thought.”\n\n"
    "Grace Holt said “the roof has leaked every winter since the storm”, and repairs will start in 2025.\n",
)


def write_article(folder: Path, name: str, outlet: str, published: str, text: str) -> None:
    """Add an article and its manifest row to a corpus folder."""
    (folder / name).write_text(text, encoding="utf-8")
    manifest = folder / "manifest.csv"
    head = "" if manifest.exists() else "file,outlet,published,url,title\n"
    with manifest.open("a", encoding="utf-8") as f:
        f.write(f"{head}{name},{outlet},{published},,\n")


@pytest.fixture
def newsroom(tmp_path) -> Path:
    """A small corpus folder (four articles with a manifest) sharing quotes: verbatim, a typo, a cut one."""
    folder = tmp_path / "newsroom"
    folder.mkdir()
    for name, (outlet, published, text) in NEWSROOM.items():
        write_article(folder, name, outlet, published, text)
    return folder
