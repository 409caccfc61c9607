"""The candidate index: which articles could carry which quotes, found fast.

Exhaustive fuzzy matching (every quote against every article with
``partial_ratio``) costs quotes × articles × text length. Instead, every
quote's word n-grams (bigrams; a one-word quote uses the word) are put in one
sorted array, all articles' words are turned into integer ids in one pass, and
numpy finds every shared n-gram of every article at once. A pair of (quote,
article) becomes a *candidate* when they share enough n-grams; only
candidates are aligned word by word (:mod:`quotetrace.match`).

Nothing frequent in the *articles* is dropped: wire copy repeated in a
thousand articles is found in each. An n-gram shared by very many *quotes*
(``of the``) is not used as a seed, because it says nothing about which quote
is there; the quotes' other n-grams still find them, and alignment then uses
every word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import repeat
from typing import Sequence

import numpy as np

from .text import word_list

__all__ = ["CandidateIndex", "Scan"]

@dataclass
class CandidateIndex:
    """N-gram index over a list of quotes.

    Parameters
    ----------
    quotes : sequence of str
        The quotes to look for.
    max_postings : int
        An n-gram found in more quotes than this is not used as a seed.
    """

    quotes: Sequence[str]
    max_postings: int = 64
    vocab: dict[str, int] = field(init=False, repr=False)
    quote_words: list[list[str]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.vocab = {}
        self.quote_words = [word_list(q) for q in self.quotes]
        keys: list[int] = []
        owners: list[int] = []
        firsts: list[int] = []
        for qi, ws in enumerate(self.quote_words):
            ids = [self.vocab.setdefault(w, len(self.vocab) + 1) for w in ws]
            grams = self._grams(np.asarray(ids, dtype=np.int64)) if ids else np.empty(0, dtype=np.int64)
            seen: set[int] = set()
            for i, g in enumerate(grams.tolist()):
                if g not in seen:
                    seen.add(g)
                    keys.append(g)
                    owners.append(qi)
                    firsts.append(i)
        keys_arr = np.asarray(keys, dtype=np.int64)
        order = np.argsort(keys_arr, kind="stable")
        keys_arr = keys_arr[order]
        owners_arr = np.asarray(owners, dtype=np.int64)[order]
        firsts_arr = np.asarray(firsts, dtype=np.int64)[order]
        uniq, starts, counts = np.unique(keys_arr, return_index=True, return_counts=True)
        keep = counts <= self.max_postings
        self._seed_keys = uniq[keep]
        # each quote's seeds: {seed number: first position of that n-gram in the quote}
        self.quote_seeds: list[dict[int, int]] = [dict() for _ in self.quotes]
        for seed, (st, n) in enumerate(zip(starts[keep].tolist(), counts[keep].tolist())):
            for k in range(st, st + n):
                self.quote_seeds[int(owners_arr[k])][seed] = int(firsts_arr[k])
        self._seed_start = starts[keep]
        self._seed_count = counts[keep]
        self._owners = owners_arr
        self.n_seeds = np.asarray([len(s) for s in self.quote_seeds], dtype=np.int64)
        self._need = np.asarray([self.min_shared(qi) for qi in range(len(self.quotes))], dtype=np.int64)

    @staticmethod
    def _grams(ids: np.ndarray) -> np.ndarray:
        """Bigram keys of an id array; a single word is its own key (negative, so it never meets a bigram)."""
        if len(ids) == 1:
            return -ids
        return ids[:-1] * (1 << 31) + ids[1:]

    def min_shared(self, qi: int) -> int:
        """Shared n-grams a quote needs with an article to be a candidate there.

        Three for quotes with more than five seeds (two typos still leave
        plenty), otherwise two, and never more than the quote has.
        """
        n = int(self.n_seeds[qi])
        return min(n, 3 if n > 5 else 2) if n else 1

    def scan(self, texts: Sequence[str]) -> "Scan":
        """Find every seed n-gram in every article at once; see :class:`Scan`."""
        get = self.vocab.get
        words_per_article: list[list[str]] = []
        chunks = []
        for text in texts:
            ws = word_list(text) if isinstance(text, str) else []
            words_per_article.append(ws)
            chunks.append(np.fromiter(map(get, ws, repeat(0, len(ws))), dtype=np.int64, count=len(ws)))
        return Scan(self, words_per_article, chunks)


class Scan:
    """Where the quotes' seed n-grams occur in a list of articles.

    Attributes
    ----------
    words : list of list of str
        Each article's folded words (positions are word indices into these).
    """

    def __init__(self, index: CandidateIndex, words: list[list[str]], ids: list[np.ndarray]):
        self.index = index
        self.words = words
        self.hits: list[tuple[np.ndarray, np.ndarray]] = []  # per article: (word positions, seed numbers)
        seeds = index._seed_keys
        for arr in ids:
            if len(seeds) == 0 or len(arr) == 0:
                self.hits.append((np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)))
                continue
            if len(arr) > 1:
                valid = (arr[:-1] > 0) & (arr[1:] > 0)
                pos2 = np.nonzero(valid)[0]
                keys2 = arr[:-1][valid] * (1 << 31) + arr[1:][valid]
            else:
                pos2 = keys2 = np.empty(0, dtype=np.int64)
            pos1 = np.nonzero(arr > 0)[0]
            keys = np.concatenate([keys2, -arr[pos1]])
            pos = np.concatenate([pos2, pos1])
            where = np.searchsorted(seeds, keys)
            where[where >= len(seeds)] = 0
            hit = seeds[where] == keys
            self.hits.append((pos[hit], where[hit]))

    def candidates(self) -> list[tuple[int, int, int]]:
        """(article index, quote index, shared n-grams) for every pair worth aligning."""
        index = self.index
        out = []
        for ai, (_, seed_nos) in enumerate(self.hits):
            if len(seed_nos) == 0:
                continue
            distinct = np.unique(seed_nos)
            counts = index._seed_count[distinct]
            starts = index._seed_start[distinct]
            offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
            owners = index._owners[np.repeat(starts, counts) + offsets]
            qs, n = np.unique(owners, return_counts=True)
            ok = n >= index._need[qs]
            out.extend((ai, qi, k) for qi, k in zip(qs[ok].tolist(), n[ok].tolist()))
        return out

    def anchors(self, ai: int, qi: int) -> list[tuple[int, int]]:
        """(quote position, article position) of every seed the quote shares with the article."""
        positions, seed_nos = self.hits[ai]
        qseeds = self.index.quote_seeds[qi]
        mask = np.isin(seed_nos, np.fromiter(qseeds, dtype=np.int64, count=len(qseeds)))
        return [(qseeds[s], j) for j, s in zip(positions[mask].tolist(), seed_nos[mask].tolist())]
