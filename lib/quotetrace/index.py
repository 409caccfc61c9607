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

import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np

__all__ = ["CandidateIndex", "word_list"]

_WORD_RE = re.compile(r"\w+(?:['\u2019]\w+)*", re.UNICODE)


def word_list(text: str) -> list[str]:
    """Folded words of ``text`` (the same tokens as :func:`quotetrace.text.words`, without offsets).

    >>> word_list("Moribund Miliband’s “1950s NHS”…")
    ['moribund', "miliband's", '1950s', 'nhs']
    """
    return [w.lower().replace("\u2019", "'") for w in _WORD_RE.findall(text)]


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
        self.n_seeds = np.zeros(len(self.quotes), dtype=np.int64)
        for qi, ws in enumerate(self.quote_words):
            ids = [self.vocab.setdefault(w, len(self.vocab) + 1) for w in ws]
            grams = self._grams(np.asarray(ids, dtype=np.int64)) if ids else np.empty(0, dtype=np.int64)
            grams = np.unique(grams)
            keys.extend(grams.tolist())
            owners.extend([qi] * len(grams))
        keys_arr = np.asarray(keys, dtype=np.int64)
        owners_arr = np.asarray(owners, dtype=np.int64)
        order = np.argsort(keys_arr, kind="stable")
        keys_arr, owners_arr = keys_arr[order], owners_arr[order]
        uniq, starts, counts = np.unique(keys_arr, return_index=True, return_counts=True)
        keep = counts <= self.max_postings
        self._seed_keys = uniq[keep]
        self._seed_start = starts[keep]
        self._seed_count = counts[keep]
        self._owners = owners_arr
        # how many usable seeds each quote has (so a candidate threshold never exceeds what is possible)
        kept_keys = set(self._seed_keys.tolist())
        for qi, ws in enumerate(self.quote_words):
            ids = np.asarray([self.vocab[w] for w in ws], dtype=np.int64)
            grams = np.unique(self._grams(ids)) if len(ids) else np.empty(0, dtype=np.int64)
            self.n_seeds[qi] = sum(1 for g in grams.tolist() if g in kept_keys)

    @staticmethod
    def _grams(ids: np.ndarray) -> np.ndarray:
        """Bigram keys of an id array; a single word is its own key (negative, so it never meets a bigram)."""
        if len(ids) == 1:
            return -ids
        return ids[:-1] * (1 << 31) + ids[1:]

    def _article_ids(self, texts: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """All articles' word ids in one array (0 = word in no quote), and each word's article."""
        get = self.vocab.get
        chunks, owners = [], []
        for ai, text in enumerate(texts):
            if not isinstance(text, str):
                continue
            ids = [get(w, 0) for w in word_list(text)]
            ids.append(0)  # separator: no n-gram spans two articles
            chunks.append(np.asarray(ids, dtype=np.int64))
            owners.append(np.full(len(ids), ai, dtype=np.int64))
        if not chunks:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        return np.concatenate(chunks), np.concatenate(owners)

    def candidates(self, texts: Sequence[str], *, min_shared: int = 2) -> list[tuple[int, int, int]]:
        """(article index, quote index, shared n-grams) for every pair worth aligning.

        A pair qualifies when it shares ``min_shared`` distinct n-grams, or all
        the seeds the quote has (for short quotes).
        """
        ids, art = self._article_ids(texts)
        if len(ids) < 1 or len(self._seed_keys) == 0:
            return []
        found_art: list[np.ndarray] = []
        found_key: list[np.ndarray] = []
        # bigrams
        if len(ids) > 1:
            a, b = ids[:-1], ids[1:]
            valid = (a > 0) & (b > 0)
            keys = a[valid] * (1 << 31) + b[valid]
            found_key.append(keys)
            found_art.append(art[:-1][valid])
        # single words (one-word quotes)
        valid = ids > 0
        found_key.append(-ids[valid])
        found_art.append(art[valid])
        keys = np.concatenate(found_key)
        arts = np.concatenate(found_art)
        pos = np.searchsorted(self._seed_keys, keys)
        pos[pos >= len(self._seed_keys)] = 0
        hit = self._seed_keys[pos] == keys
        keys, arts, pos = keys[hit], arts[hit], pos[hit]
        if len(keys) == 0:
            return []
        # distinct (article, n-gram) pairs, then expand each n-gram to the quotes that hold it
        pair = np.unique(np.stack([arts, pos], axis=1), axis=0)
        arts, pos = pair[:, 0], pair[:, 1]
        counts = self._seed_count[pos]
        starts = self._seed_start[pos]
        rep_arts = np.repeat(arts, counts)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        quotes = self._owners[np.repeat(starts, counts) + offsets]
        combo = rep_arts * len(self.quotes) + quotes
        uniq, n = np.unique(combo, return_counts=True)
        a_idx, q_idx = np.divmod(uniq, len(self.quotes))
        need = np.minimum(min_shared, np.maximum(self.n_seeds[q_idx], 1))
        ok = n >= need
        return list(zip(a_idx[ok].tolist(), q_idx[ok].tolist(), n[ok].tolist()))
