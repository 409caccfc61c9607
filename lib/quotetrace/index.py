"""The candidate index: where in which articles a quote could be, found fast.

Exhaustive fuzzy matching (every quote against every article with
``partial_ratio``) costs quotes × articles × text length. Instead:

1. **Words as numbers, in bulk.** A batch of articles is read as one array of
   code points; numpy folds case, finds the words (the same words as
   :func:`quotetrace.text.word_list`) and gives each a 64-bit hash. No Python
   object is made per word.
2. **Seeds that carry information.** A quote's *seeds* are its word bigrams (a
   one-word quote: the word). A bigram made only of the language's common words
   (``of the``, ``said the``; word frequencies from ``wordfreq``) is never a
   seed; nor is one found in more than ``max_df`` of a sample of the articles
   (a name in every story of this corpus), nor one shared by more than
   ``max_postings`` quotes. A quote made only of such words keeps its rarest
   bigrams as seeds, and then needs them all (wire copy found in most
   articles is still found); if it is also short ("No,", "I beg your
   pardon"), it is not looked for: finding it says nothing.
3. **Seeds close together and in order.** A (quote, article) pair is a
   *candidate* only where at least ``need`` of the quote's seeds fall within
   about the quote's length of article words, in the quote's order. Seeds
   scattered over a long text are not a candidate.

Only those windows of text are aligned word by word (:mod:`quotetrace.match`),
so the alignment costs what was found, not quotes × articles. Nothing is
dropped for being frequent in the articles *because it is the quote*: wire copy
repeated in a thousand articles has its rare bigrams in each, and is found in
each (``max_df`` demotes bigrams that are ordinary in this corpus, found in
one article in twenty; a quote left with none keeps its rarest).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple, Sequence

import numpy as np
import wordfreq

__all__ = ["CandidateIndex", "Scan", "Window", "is_common", "tokenize"]

# random odd multipliers, one per position in a word (positions past 63 share the last)
_POS = (np.random.default_rng(16).integers(1, 1 << 62, size=64, dtype=np.uint64) * np.uint64(2) + np.uint64(1)).astype(np.uint64)
_MUL_PAIR = np.uint64(0x9E3779B97F4A7C15)
_MUL_ONE = np.uint64(0xC2B2AE3D27D4EB4F)
_APOSTROPHES = (ord("'"), 0x2019)
_CHUNK_CHARS = 2_000_000  # articles are hashed in batches of about this many characters (bounded memory)
_RUN_WORDS = 4  # a strong bigram with this many of the quote's words around it, in place, is a candidate alone
_WEAK_RUN_WORDS = 6  # ... and a weak one with this many
_AROUND = (-4, -3, -2, -1, 2, 3, 4, 5, 6)  # the quote words around a bigram hit (at 0, 1) that _run_around compares
_AROUND_SLICE = 1 << 16  # hits compared at once (bounded memory, cache-sized arrays)


@lru_cache(maxsize=200_000)
def is_common(word: str, language: str, common_zipf: float) -> bool:
    """Whether ``word`` (folded) is among the language's common words (Zipf frequency ≥ ``common_zipf``)."""
    return wordfreq.zipf_frequency(word, language) >= common_zipf


def _ascii_weights() -> np.ndarray:
    """Per ASCII character: its folded code point + 1 if it is a word character, else 0."""
    low = np.arange(128, dtype=np.uint64)
    low[ord("A") : ord("Z") + 1] += 32
    isw = np.array([chr(c).isalnum() or chr(c) == "_" for c in range(128)])
    return np.where(isw, low + 1, 0).astype(np.uint64)


_WEIGHT = _ascii_weights()


class Tokens(NamedTuple):
    """The words of a batch of texts, as arrays (one entry per word, in order).

    ``start``/``end`` are character offsets into the batch's own text,
    ``text`` the batch's text number, ``hash`` the folded word's 64-bit hash.
    """

    start: np.ndarray
    end: np.ndarray
    text: np.ndarray
    hash: np.ndarray


def tokenize(texts: Sequence[str]) -> Tokens:
    """The words of ``texts`` (as :func:`quotetrace.text.word_list` splits them) with their hashes.

    Case is folded and a curly apostrophe inside a word (``council’s``) is
    straightened, so a word hashes the same however it was typed. Non-strings
    have no words.
    """
    strs = [t if isinstance(t, str) else "" for t in texts]
    lengths = np.fromiter((len(t) + 1 for t in strs), dtype=np.int64, count=len(strs))
    bases = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if len(strs) else np.zeros(0, dtype=np.int64)
    big = "\x00".join(strs)
    if big.isascii():  # the common case: one byte per character, one table look-up
        c = np.frombuffer(big.encode("ascii"), dtype=np.uint8)
        weight = _WEIGHT[c]
    else:
        c = np.frombuffer(big.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        ascii_ = c < 128
        weight = _WEIGHT[np.where(ascii_, c, 0)]
        at = np.nonzero(~ascii_)[0]  # usually few: each distinct one asked of Python once
        uniq, inv = np.unique(c[at], return_inverse=True)
        chars = [chr(int(u)) for u in uniq]
        u_weight = np.fromiter(
            ((ord(ch.lower()) if len(ch.lower()) == 1 else ord(ch)) + 1 if ch.isalnum() or ch == "_" else 0 for ch in chars),
            dtype=np.uint64,
            count=len(chars),
        )
        weight[at] = u_weight[inv]
    isw = weight != 0
    # an apostrophe between two word characters is part of the word (don't, council’s), and straightened
    apo = (c == _APOSTROPHES[0]) | (c == _APOSTROPHES[1])
    if apo.any():
        k = np.nonzero(apo[1:-1])[0] + 1
        inner = k[isw[k - 1] & isw[k + 1]]
        isw[inner] = True
        weight[inner] = _APOSTROPHES[0] + 1
    edge = np.diff(isw.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    start = np.nonzero(edge == 1)[0]
    end = np.nonzero(edge == -1)[0]
    first_word = np.searchsorted(start, bases)  # each text's first word
    text_no = np.repeat(np.arange(len(strs), dtype=np.int64), np.diff(first_word, append=len(start)))
    return Tokens(start - bases[text_no], end - bases[text_no], text_no, _word_hashes(weight, start, end))


def _word_hashes(weight: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Each word's hash: the sum over its characters of their ``weight`` (folded code point + 1) times a
    random odd number for the character's position in the word (positions past 63 share the last).

    Taken position by position over the words long enough to have it (longest first, so those are
    always the first ones): work in proportion to the words' characters, none per character between.
    """
    length = np.minimum(end - start, len(_POS)).astype(np.uint8)  # (lengths past 64 all sort as 64)
    order = np.argsort(length, kind="stable")[::-1]
    longer = len(start) - np.cumsum(np.bincount(length, minlength=len(_POS) + 1))  # words longer than p, per p
    first = start[order]
    h = np.zeros(len(start), dtype=np.uint64)
    at, val = np.empty(len(start), dtype=np.int64), np.empty(len(start), dtype=np.uint64)  # (reused: no array made per position)
    for p in range(len(_POS) - 1):
        k = int(longer[p])
        if k == 0:
            break
        np.add(first[:k], p, out=at[:k])
        np.take(weight, at[:k], out=val[:k])
        val[:k] *= _POS[p]
        h[:k] += val[:k]
    k = int(longer[len(_POS) - 1])  # words with a character at position 63 or later: the rest of each, summed
    if k:
        bounds = np.column_stack([first[:k] + len(_POS) - 1, end[order[:k]]]).ravel()
        h[:k] += np.add.reduceat(np.append(weight, np.uint64(0)), bounds)[::2] * _POS[-1]
    out = np.empty_like(h)
    out[order] = h
    return out


def _tokenize_chunked(texts: Sequence[str]):
    """:func:`tokenize` in batches of about ``_CHUNK_CHARS`` characters: (first text number, Tokens)."""
    k = 0
    while k < len(texts):
        size, m = 0, k
        while m < len(texts) and (size == 0 or size < _CHUNK_CHARS):
            t = texts[m]
            size += len(t) + 1 if isinstance(t, str) else 1
            m += 1
        yield k, tokenize(texts[k:m])
        k = m


def _pair_keys(h: np.ndarray) -> np.ndarray:
    """Key of each word bigram (``h[k]``, ``h[k + 1]``)."""
    return h[:-1] * _MUL_PAIR + (h[1:] ^ (h[1:] >> np.uint64(29)))


def _one_keys(h: np.ndarray) -> np.ndarray:
    """Key of a one-word seed (never equal to a bigram key in practice)."""
    return h * _MUL_ONE + np.uint64(0x632BE59BD9B4E019)


class _Table:
    """A hash table from 64-bit keys to their row in ``keys`` (open addressing), looked up in bulk.

    Faster than a binary search over a sorted array for millions of look-ups: one or two
    gathers from a small table that stays in the processor's cache.
    """

    def __init__(self, keys: np.ndarray):
        bits = max(4, int(np.ceil(np.log2(max(1, len(keys)) * 3))))
        self._shift = np.uint64(64 - bits)
        self._mask = (1 << bits) - 1
        self._keys = np.zeros(1 << bits, dtype=np.uint64)
        self._rows = np.full(1 << bits, -1, dtype=np.int64)
        rows = np.arange(len(keys), dtype=np.int64)
        slot = self._slot(keys)
        while len(rows):  # each round, the first claimant of a free slot takes it; the rest move on
            free = self._rows[slot] < 0
            first = np.zeros(len(rows), dtype=bool)
            _, at = np.unique(slot[free], return_index=True)
            first[np.nonzero(free)[0][at]] = True
            self._keys[slot[first]] = keys[rows[first]]
            self._rows[slot[first]] = rows[first]
            rows, slot = rows[~first], (slot[~first] + 1) & self._mask

    def _slot(self, keys: np.ndarray) -> np.ndarray:
        return ((keys * _MUL_PAIR) >> self._shift).astype(np.int64)

    def get(self, keys: np.ndarray) -> np.ndarray:
        """Row of each key, -1 where absent."""
        out = np.full(len(keys), -1, dtype=np.int64)
        todo = np.arange(len(keys), dtype=np.int64)
        slot = self._slot(keys)
        while len(todo):
            row = self._rows[slot]
            hit = (row >= 0) & (self._keys[slot] == keys[todo])
            out[todo[hit]] = row[hit]
            go_on = (row >= 0) & ~hit
            todo, slot = todo[go_on], (slot[go_on] + 1) & self._mask
        return out


class Window(NamedTuple):
    """A stretch of one article where one quote may be: words ``first``..``last`` (inclusive) of
    the article, ``seeds`` of the quote's seeds found there in order; ``head`` and ``tail``: the
    quote words the hits put before ``first`` and after ``last`` (where the rest of the quote
    would be, if it is there)."""

    article: int
    quote: int
    first: int
    last: int
    seeds: int
    head: int = 0
    tail: int = 0


@dataclass
class CandidateIndex:
    """Seed index over a list of quotes.

    Parameters
    ----------
    quotes : sequence of str
        The quotes to look for.
    language : str or None
        ``wordfreq`` language of the quotes; ``None``: every word counts as uncommon.
    common_zipf : float
        A word this frequent (Zipf scale) or more is common.
    sample : sequence of str, optional
        Articles to measure how ordinary each bigram is in this corpus (its
        document frequency); the same sample wherever the index is used, so
        the result never depends on how the articles are split.
    max_df : float
        A bigram in more than this share of the sample (of at least
        ``min_sample`` articles) is ordinary here and not a seed.
    max_weak_df : float
        A bigram in more than ``max_df`` but at most this share is a weak
        seed: it counts towards ``need`` only beside a strong one (a typo that
        breaks the quote's rare bigrams leaves these).
    min_common_words : int
        A quote made only of common words, shorter than this, is not looked
        for at all ("No,", "I beg your pardon"): where it is found says
        nothing about where it came from.
    max_postings : int
        A bigram in more quotes than this is not a seed.
    slack : float
        A window is the quote's length in words plus this share of it (at
        least ``min_slack`` words): room for words added or cut.
    typo_budget : int
        A quote with seeds but at most this many uncommon words (so that
        many typos could break every seed) also keeps
        ``backup_seeds`` of its rarest other bigrams (common words, or
        ordinary here; in no more than ``max_weak_df`` of the sample) as
        weak seeds. Like every weak seed
        they count only beside a deciding hit, and decide only inside a
        long exact stretch of the quote.
    backup_seeds : int
        How many such bigrams a quote keeps (0: none).
    """

    quotes: Sequence[str]
    language: str | None = "en"
    common_zipf: float = 5.6
    sample: Sequence[str] = ()
    max_df: float = 0.05
    max_weak_df: float = 0.5
    min_sample: int = 200
    min_common_words: int = 5
    max_postings: int = 64
    slack: float = 0.5
    min_slack: int = 6
    typo_budget: int = 2
    backup_seeds: int = 3
    n_words: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        qtok = tokenize(self.quotes)
        n_q = len(self.quotes)
        self.n_words = np.bincount(qtok.text, minlength=n_q).astype(np.int64)
        firsts = np.concatenate([[0], np.cumsum(self.n_words)[:-1]]).astype(np.int64)
        self._qhash, self._qfirst = qtok.hash, firsts
        owners, qpos, keys = [], [], []
        # bigrams within each quote; a one-word quote's seed is its word
        if len(qtok.hash) > 1:
            same = qtok.text[:-1] == qtok.text[1:]
            k2 = np.nonzero(same)[0]
            owners.append(qtok.text[k2])
            qpos.append(k2 - firsts[qtok.text[k2]])
            keys.append(_pair_keys(qtok.hash)[k2])
        single = np.nonzero(self.n_words == 1)[0]
        owners.append(single)
        qpos.append(np.zeros(len(single), dtype=np.int64))
        keys.append(_one_keys(qtok.hash[firsts[single]]))
        self._has_singles = bool(len(single))
        owners_a = np.concatenate(owners).astype(np.int64)
        qpos_a = np.concatenate(qpos).astype(np.int64)
        keys_a = np.concatenate(keys).astype(np.uint64)
        # how informative each n-gram is: does it hold a word uncommon in the language?
        uncommon = self._uncommon_words(qtok)
        informative = uncommon[firsts[owners_a] + qpos_a]
        two = self.n_words[owners_a] > 1
        informative[two] |= uncommon[firsts[owners_a[two]] + qpos_a[two] + 1]
        # ... and how ordinary in this corpus (document frequency in the sample)
        df = self._document_frequency(keys_a)
        if df is None:
            df = np.zeros(len(keys_a))
        # one entry per (quote, n-gram): the first position
        order = np.lexsort((qpos_a, keys_a, owners_a))
        owners_a, qpos_a, keys_a, informative, df = owners_a[order], qpos_a[order], keys_a[order], informative[order], df[order]
        first = np.ones(len(keys_a), dtype=bool)
        first[1:] = (owners_a[1:] != owners_a[:-1]) | (keys_a[1:] != keys_a[:-1])
        owners_a, qpos_a, keys_a, informative, df = owners_a[first], qpos_a[first], keys_a[first], informative[first], df[first]
        # n-grams shared by too many quotes say nothing about which quote is there
        uniq, inv, postings = np.unique(keys_a, return_inverse=True, return_counts=True)
        crowded = postings[inv] > self.max_postings
        # strong seeds decide; weak ones (ordinary in this corpus) only add to strong ones nearby
        strong = informative & ~crowded & (df <= self.max_df)
        weak = informative & ~crowded & ~strong & (df <= self.max_weak_df)
        n_strong = np.bincount(owners_a[strong], minlength=n_q)
        # a quote with no strong n-gram keeps its (up to 3) rarest ones as strong, and needs them all
        fallback = (n_strong[owners_a] == 0) & ~crowded & (self.n_words[owners_a] >= self.min_common_words)
        if fallback.any():
            idx = np.nonzero(fallback)[0]
            idx = idx[np.lexsort((qpos_a[idx], df[idx], owners_a[idx]))]
            rank = np.arange(len(idx)) - np.searchsorted(owners_a[idx], owners_a[idx], side="left")
            strong[idx[rank < 3]] = True
            weak[idx] = False
        seed = strong | weak
        n_seeds = np.bincount(owners_a[seed], minlength=n_q).astype(np.int64)
        self.need = np.where(n_strong > 0, np.where(n_seeds > 8, 3, np.minimum(n_seeds, 2)), n_seeds).astype(np.int64)
        # a quote with few uncommon words loses every informative seed to a typo in each: it also keeps its
        # rarest other bigrams as weak seeds, which decide only inside a long exact stretch of it
        weak |= self._backup_seeds(owners_a, qpos_a, seed, crowded, df, uncommon, n_seeds)
        seed = strong | weak
        self.n_seeds = np.bincount(owners_a[seed], minlength=n_q).astype(np.int64)
        self.width = (self.n_words + np.maximum(self.min_slack, (self.slack * self.n_words).astype(np.int64))).astype(np.int64)
        keys_s, owners_s, qpos_s, strong_s = keys_a[seed], owners_a[seed], qpos_a[seed], strong[seed]
        order = np.argsort(keys_s, kind="stable")
        keys_s, self._owners, self._qpos, self._strong = keys_s[order], owners_s[order], qpos_s[order], strong_s[order]
        self._seed_keys, self._seed_start, self._seed_count = np.unique(keys_s, return_index=True, return_counts=True)
        self._seeds = _Table(self._seed_keys)

    def _backup_seeds(self, owners, qpos, seed, crowded, df, uncommon, n_seeds) -> np.ndarray:
        """Per (quote, n-gram): True for the up to ``backup_seeds`` rarest bigrams not yet seeds (in no more
        than ``max_weak_df`` of the sample) of each quote that has seeds but at most ``typo_budget``
        uncommon words, which that many typos would all break."""
        n_q = len(self.n_words)
        n_uncommon = np.bincount(np.repeat(np.arange(n_q), self.n_words)[uncommon], minlength=n_q) if len(uncommon) else np.zeros(n_q, dtype=np.int64)
        fragile = (n_seeds > 0) & (n_uncommon <= self.typo_budget)
        out = np.zeros(len(owners), dtype=bool)
        cand = np.nonzero(fragile[owners] & ~seed & ~crowded & (df <= self.max_weak_df) & (self.n_words[owners] > 1))[0]
        if not len(cand) or self.backup_seeds == 0:
            return out
        cand = cand[np.lexsort((qpos[cand], df[cand], owners[cand]))]
        rank = np.arange(len(cand)) - np.searchsorted(owners[cand], owners[cand], side="left")
        out[cand[rank < self.backup_seeds]] = True
        return out

    def _uncommon_words(self, qtok: Tokens) -> np.ndarray:
        """Per quote word: True when it is not among the language's common words."""
        if self.language is None:
            return np.ones(len(qtok.hash), dtype=bool)
        out = np.empty(len(qtok.hash), dtype=bool)
        for k, (t, s, e) in enumerate(zip(qtok.text.tolist(), qtok.start.tolist(), qtok.end.tolist())):
            word = self.quotes[t][s:e].lower().replace("\u2019", "'")
            out[k] = not is_common(word, self.language, self.common_zipf)
        return out

    def _document_frequency(self, keys: np.ndarray) -> np.ndarray | None:
        """Share of the sample articles holding each key; None when the sample is too small to tell."""
        if len(self.sample) < self.min_sample:
            return None
        uniq = np.unique(keys)
        counts = np.zeros(len(uniq), dtype=np.int64)
        table = _Table(uniq)
        for _, tok in _tokenize_chunked(self.sample):
            found, pos = self._lookup(tok, table)
            pairs = np.unique(tok.text[pos] * np.int64(len(uniq) + 1) + found)
            counts += np.bincount(pairs % (len(uniq) + 1), minlength=len(uniq))
        return counts[np.searchsorted(uniq, keys)] / len(self.sample)

    def _lookup(self, tok: Tokens, table: _Table) -> tuple[np.ndarray, np.ndarray]:
        """(row in ``table``, first word position) of every n-gram of ``tok`` whose key is in ``table``."""
        h = tok.hash
        parts_pos, parts_row = [], []
        if len(h) > 1:
            row = table.get(_pair_keys(h))
            p2 = np.nonzero((row >= 0) & (tok.text[:-1] == tok.text[1:]))[0]
            parts_pos.append(p2)
            parts_row.append(row[p2])
        if self._has_singles and len(h):
            row = table.get(_one_keys(h))
            p1 = np.nonzero(row >= 0)[0]
            parts_pos.append(p1)
            parts_row.append(row[p1])
        if not parts_pos:
            e = np.zeros(0, dtype=np.int64)
            return e, e
        return np.concatenate(parts_row), np.concatenate(parts_pos)

    def scan(self, texts: Sequence[str]) -> "Scan":
        """Find every quote's candidate windows in ``texts``; see :class:`Scan`."""
        return Scan(self, texts)


class Scan:
    """The candidate windows of every indexed quote in a list of articles.

    Attributes
    ----------
    windows : list of Window
        Sorted by article, then quote, then position.
    starts, ends : list of numpy.ndarray
        Each article's word spans (character offsets into its text), for
        cutting a window's text out.
    """

    def __init__(self, index: CandidateIndex, texts: Sequence[str]):
        self.index = index
        self.windows: list[Window] = []
        self.starts: list[np.ndarray] = [np.zeros(0, dtype=np.int64)] * len(texts)
        self.ends: list[np.ndarray] = [np.zeros(0, dtype=np.int64)] * len(texts)
        for first_text, tok in _tokenize_chunked(texts):
            self._scan_batch(first_text, tok)
        self.windows.sort()

    def _scan_batch(self, first_text: int, tok: Tokens) -> None:
        ix = self.index
        bounds = np.searchsorted(tok.text, np.arange(tok.text[-1] + 2 if len(tok.text) else 0))
        for t in range(len(bounds) - 1):
            self.starts[first_text + t] = tok.start[bounds[t] : bounds[t + 1]]
            self.ends[first_text + t] = tok.end[bounds[t] : bounds[t + 1]]
        q, qp, strong, j = self._hits(tok)
        if len(q) == 0:
            return
        width = ix.width[q]
        # (quote, word position) as one key: a quote's keys stay apart from the next quote's even a window away
        big = np.int64(len(tok.hash) + 1 + int(ix.width.max(initial=0)))
        # a hit decides when its seed is strong, or when a long exact stretch of the quote surrounds it
        run = self._run_around(tok, bounds, q, qp, j)
        decides = strong | (run >= _WEAK_RUN_WORDS)
        # a weak hit counts only within a window of a deciding hit of the same quote
        strong_key = np.sort(q[decides] * big + j[decides])
        weak = np.nonzero(~decides)[0]
        if len(weak):
            wkey = q[weak] * big + j[weak]
            at = np.searchsorted(strong_key, wkey - width[weak])
            near = at < len(strong_key)
            near[near] = strong_key[at[near]] <= wkey[near] + width[weak][near]
            keep = np.ones(len(q), dtype=bool)
            keep[weak[~near]] = False
            q, qp, j, decides, run = q[keep], qp[keep], j[keep], decides[keep], run[keep]
        order = np.lexsort((j, q))
        q, qp, j, decides, run = q[order], qp[order], j[order], decides[order], run[order]
        # hits of the same quote within the quote's window from each hit: enough to be a candidate?
        key = q * big + j
        reach = np.searchsorted(key, key + ix.width[q], side="right") - np.arange(len(key))
        alone = decides & (run >= _RUN_WORDS)  # enough on its own
        ok = np.nonzero((reach >= ix.need[q]) | alone)[0]
        j_l, qp_l, art_l, decides_l, alone_l = j.tolist(), qp.tolist(), tok.text[j].tolist(), decides.tolist(), alone.tolist()
        art = tok.text
        need = ix.need[q]
        taken_until: dict[tuple[int, int], int] = {}
        for k in ok.tolist():
            qi, jk = int(q[k]), j_l[k]
            a = art_l[k]
            if taken_until.get((qi, a), -1) >= jk:
                continue  # inside a window already taken
            span = [x for x in range(k, k + int(reach[k])) if art_l[x] == a]
            if not any(decides_l[x] for x in span):
                continue
            hits = [(j_l[x], qp_l[x]) for x in span]
            n = _in_order(hits)
            if n < need[k] and not any(alone_l[x] for x in span):
                continue
            k_words = 2 if ix.n_words[qi] > 1 else 1
            last = hits[-1][0] + k_words - 1
            head = max(qp - (j - jk) for j, qp in hits)  # each hit says where the quote would start
            tail = max((int(ix.n_words[qi]) - qp - k_words) - (last - j - k_words + 1) for j, qp in hits)
            base = int(bounds[a])
            self.windows.append(Window(first_text + a, qi, jk - base, last - base, n, max(0, head), max(0, tail)))
            taken_until[(qi, a)] = last

    def _hits(self, tok: Tokens) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Every (quote, quote position, strong?, word position) the seeds found in ``tok`` give."""
        ix = self.index
        seed_no, pos = ix._lookup(tok, ix._seeds)
        counts = ix._seed_count[seed_no]
        flat = np.repeat(ix._seed_start[seed_no] - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        return ix._owners[flat], ix._qpos[flat], ix._strong[flat], np.repeat(pos, counts)

    def _run_around(self, tok: Tokens, bounds: np.ndarray, q: np.ndarray, qp: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Per hit, how many words of the quote around its bigram (up to four before it and five after) are the
        same words at the same distance in the article, give or take one word: a hit with a few exact
        neighbours is a stretch of the quote even where typos broke every other seed.

        One pass over the hits, in slices: each slice gathers the quote's words around each hit and the
        article's (of the hit's own article) once, then compares them column by column."""
        ix = self.index
        out = np.full(len(q), 2, dtype=np.int64)
        for lo in range(0, len(q), _AROUND_SLICE):
            sl = slice(lo, lo + _AROUND_SLICE)
            qs, qps, js = q[sl], qp[sl], j[sl]
            n_q, q_first = ix.n_words[qs], ix._qfirst[qs]
            t = tok.text[js]
            a_lo, a_hi = bounds[t], bounds[t + 1]  # the hit's article: its words only
            # the article's word at each offset from the hit, or a mark that it is outside the article
            a_hash, a_in = {}, {}
            for o in range(_AROUND[0] - 1, _AROUND[-1] + 2):
                aj = js + o
                a_in[o] = (aj >= a_lo) & (aj < a_hi)
                a_hash[o] = tok.hash[np.where(a_in[o], aj, 0)]
            n = out[sl]
            for d in _AROUND:
                qi = qps + d
                q_in = (qi >= 0) & (qi < n_q)
                q_hash = ix._qhash[np.where(q_in, q_first + qi, 0)]
                found = np.zeros(len(qs), dtype=bool)
                for shift in (0, -1, 1):  # a word dropped, or split by a typo, between it and the seed
                    o = d + (shift if d < 0 else -shift)
                    found |= a_in[o] & (a_hash[o] == q_hash)
                n += found & q_in
        return out

    def candidates(self) -> list[tuple[int, int, int]]:
        """(article, quote, seeds of the best window) for every pair with a candidate window."""
        best: dict[tuple[int, int], int] = {}
        for w in self.windows:
            best[(w.article, w.quote)] = max(best.get((w.article, w.quote), 0), w.seeds)
        return [(a, q, n) for (a, q), n in sorted(best.items())]


def _in_order(hits: list[tuple[int, int]]) -> int:
    """Most of ``hits`` (article position, quote position), sorted by article position, that also
    increase in quote position, with distinct quote positions (a longest increasing subsequence)."""
    import bisect

    tails: list[int] = []
    for _, qp in hits:
        k = bisect.bisect_left(tails, qp)
        if k == len(tails):
            tails.append(qp)
        else:
            tails[k] = qp
    return len(tails)
