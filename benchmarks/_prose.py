"""Real English prose for the benchmarks: public-domain text that a PyPI package ships.

The sdist of ``wordcloud`` 1.9.6 carries two public-domain texts in ``examples/``: Lewis Carroll's *Alice's
Adventures in Wonderland* (Project Gutenberg EBook #11) and the Constitution of the United States. They are
ordinary English, with its "of the", "said the", "in the", dialogue in quotation marks, names and numbers,
which is what a matcher's index must not be flooded by. The sdist is downloaded once from the package index
(checked against its SHA-256) and cached in ``~/.cache/quotetrace-bench``; after that everything is offline.

    from _prose import sentences
    pool = sentences()          # ~1,900 real sentences, in reading order
"""

from __future__ import annotations

import hashlib
import json
import re
import tarfile
import urllib.request
from functools import lru_cache
from pathlib import Path

PACKAGE, VERSION = "wordcloud", "1.9.6"
SHA256 = "df17c468ff903bd0aba4f87c6540745d13a4931220dd4937cb363ad85a4771b9"
MEMBERS = ("examples/alice.txt", "examples/constitution.txt")
CACHE = Path.home() / ".cache" / "quotetrace-bench"


def _sdist() -> Path:
    path = CACHE / f"{PACKAGE}-{VERSION}.tar.gz"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        with urllib.request.urlopen(f"https://pypi.org/pypi/{PACKAGE}/json", timeout=60) as r:
            files = json.load(r)["releases"][VERSION]
        url = next(u["url"] for u in files if u["packagetype"] == "sdist")
        with urllib.request.urlopen(url, timeout=120) as r:
            data = r.read()
        if hashlib.sha256(data).hexdigest() != SHA256:
            raise SystemExit(f"{url}: SHA-256 differs from the pinned one")
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    return path


def _gutenberg_body(text: str) -> str:
    """The book without Project Gutenberg's header and licence."""
    start = re.search(r"\*\*\* ?START OF TH[A-Z ]+\*\*\*", text)
    end = re.search(r"\*\*\* ?END OF TH[A-Z ]+\*\*\*", text)
    return text[start.end() if start else 0 : end.start() if end else len(text)]


@lru_cache(maxsize=1)
def texts() -> dict[str, str]:
    """The public-domain texts, by member name."""
    out = {}
    with tarfile.open(_sdist()) as t:
        for m in MEMBERS:
            raw = t.extractfile(f"{PACKAGE}-{VERSION}/{m}").read().decode("utf-8-sig")
            out[m] = _gutenberg_body(raw.replace("\r\n", "\n"))
    return out


@lru_cache(maxsize=1)
def sentences(min_words: int = 4) -> tuple[str, ...]:
    """Every sentence of the texts with at least ``min_words`` words, whitespace joined, in reading order."""
    out = []
    for text in texts().values():
        for para in re.split(r"\n\s*\n", text):
            para = " ".join(para.split())
            if not para or para.isupper() or para.startswith("CHAPTER"):
                continue
            for s in re.split(r"(?<=[.!?])['\u2019\"]?\s+(?=['\"\u2018\u201c]?[A-Z])", para):
                if len(s.split()) >= min_words:
                    out.append(s)
    return tuple(out)


if __name__ == "__main__":
    s = sentences()
    words = sum(len(x.split()) for x in s)
    print(f"{len(s)} sentences, {words} words, {len({w.lower() for x in s for w in x.split()})} distinct words")
    print(s[100])
