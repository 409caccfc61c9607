"""Find a quote in another text: verbatim, a variant, only in part, or not at all.

Alignment works on words, not characters, so it finds a quote however long
the text and whatever was cut from it:

1. *Anchors*: the positions where a quote bigram (two consecutive words) also
   occurs in the text.
2. *Chain*: the longest run of anchors that moves forward in both quote and
   text, allowing words to be dropped or added between them (a cut marked by
   an ellipsis drops many). A quick exact bound (equal words on one diagonal,
   look-alike words; :func:`_could_be_found`) drops windows and chains that
   cannot reach any status before any alignment.
3. *Words*: the quote and the chained stretch of text (widened by the quote
   words not anchored at either end, and a few more) are aligned word by word
   so that the most words stay equal (longest common subsequence, rapidfuzz
   ``Indel``), the unanchored ends leaning towards the anchors; the words
   between two equal stretches are paired so that a word the text changed
   (``Moribund``/``Moribound``, similarity ≥ ``typo_similarity``, or
   ``has``/``had``) meets its replacement. A look-alike word still counts as
   found, but at either end only beside an equal word.
4. *Status*: ``verbatim`` if the found text equals the quote after
   typography-only folding (case, quote marks, dashes, whitespace, and
   punctuation at the two ends); ``variant`` if at least ``variant_coverage``
   of the quote's words are found and no run of ``cut_words`` or more words is
   missing or inserted in the middle or missing at either end; ``partial`` if at least
   ``min_partial_words`` quote words (or, for a short quote, all of it) are
   found exactly equal and in a row (one swapped word or a cut marked with an
   ellipsis does not break the row, but does not count towards it), and not
   only the language's common words (a stock phrase such as "at the end of the
   day" is not evidence; word frequencies from ``wordfreq``); else ``missing``.

Offsets are always into the original text.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Sequence

import numpy as np
import pandas as pd
import wordfreq
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from .errors import ParameterError
from .index import CandidateIndex, is_common as _is_common
from .text import ELLIPSES, fold, word_list, word_spans

__all__ = [
    "MatchSettings",
    "QuoteMatch",
    "find_quote",
    "match_quotes",
    "MATCH_COLUMNS",
    "STATUSES",
    "match_partition",
]

STATUSES = ("verbatim", "variant", "partial", "missing")
MATCH_COLUMNS = ["quote_id", "article_id", "status", "score", "coverage", "start", "end", "matched_text", "differences"]


@dataclass(frozen=True)
class MatchSettings:
    """Every threshold of the matcher, in one place (notebook parameters fill these in).

    Attributes
    ----------
    score_cutoff : float
        A ``variant`` must score at least this (0–100, similarity of the found
        text to the quote's found part).
    typo_similarity : float
        Two words this similar (0–100) are the same word with a typo.
    variant_coverage : float
        Share of the quote's words that must be found for a ``variant``.
    cut_words : int
        A run of this many words missing from (or added to) the middle is a
        cut, so the match is ``partial``.
    min_partial_words : int
        A ``partial`` match must find at least this many quote words exactly
        equal and in a row (or all of a shorter quote): the evidence that it
        is the quote and not a chance run of common words.
    min_partial_uncommon_words : int
        Of those words, at least this many (or as many as the quote has) must
        be uncommon in the language, so a stock phrase ("at the end of the
        day") shared with an unrelated text is not a partial match. A stretch
        twice ``min_partial_words`` long needs none.
    language : str or None
        Language of the quotes, as a code with word frequencies in
        ``wordfreq`` (``"en"``, ``"de"``, ``"fr"``, …); ``None`` treats every
        word as uncommon (no stock-phrase check).
    common_zipf : float
        A word at least this frequent in the language is common, on the Zipf
        scale (log10 of uses per billion words: "the" 7.7, "day" 6.0, "end"
        5.7, "party" 5.5, "advised" 4.2). Words the list does not know (names,
        numbers written oddly, new words) are uncommon.
    max_gap_words : int
        Most words the text may add between two anchored quote words.
    """

    score_cutoff: float = 80.0
    typo_similarity: float = 75.0
    variant_coverage: float = 0.8
    cut_words: int = 3
    min_partial_words: int = 5
    min_partial_uncommon_words: int = 2
    language: str | None = "en"
    common_zipf: float = 5.6
    max_gap_words: int = 40

    def validate(self) -> "MatchSettings":
        for name in ("score_cutoff", "typo_similarity"):
            v = getattr(self, name)
            if not 0 <= v <= 100:
                raise ParameterError(f"{name} must be between 0 and 100, not {v!r}.", parameter=name)
        if not 0 < self.variant_coverage <= 1:
            raise ParameterError(f"variant_coverage must be in (0, 1], not {self.variant_coverage!r}.", parameter="variant_coverage")
        for name in ("cut_words", "min_partial_words", "max_gap_words"):
            if getattr(self, name) < 1:
                raise ParameterError(f"{name} must be at least 1.", parameter=name)
        if self.min_partial_uncommon_words < 0:
            raise ParameterError("min_partial_uncommon_words must be 0 or more.", parameter="min_partial_uncommon_words")
        if self.language is not None and self.language not in _languages():
            raise ParameterError(
                f"language {self.language!r} has no word list; use one of {', '.join(sorted(_languages()))}, "
                "or leave it empty (None from Python) to skip the stock-phrase check.",
                parameter="language",
            )
        return self

    def partial_words(self, n_quote_words: int) -> int:
        """Quote words a ``partial`` match must find exactly equal and in a row (all of a short quote)."""
        return min(self.min_partial_words, n_quote_words)

    @classmethod
    def from_parameters(cls, **parameters) -> "MatchSettings":
        """Settings from notebook or command-line parameters, where an empty ``language`` means
        no stock-phrase check (``None``)."""
        if parameters.get("language") == "":
            parameters["language"] = None
        return cls(**parameters)


@lru_cache(maxsize=1)
def _languages() -> frozenset[str]:
    return frozenset(wordfreq.available_languages())


@dataclass
class QuoteMatch:
    """Where and how well a quote was found in a text."""

    status: str
    score: float
    start: int | None = None
    end: int | None = None
    matched_text: str | None = None
    coverage: float = 0.0
    differences: list[tuple[str, str]] = field(default_factory=list)


class _Tokens:
    """A text's folded words, with their character spans computed only when needed.

    ``word_at``: the words' (starts, ends, offset) when already known (the candidate index's, as
    arrays of offsets into a longer text that this text begins at ``offset`` of), so they are not
    looked for again.
    """

    __slots__ = ("text", "norms", "_spans", "_marks", "_word_at")

    def __init__(self, text: str, norms: list[str] | None = None, *, word_at: tuple[np.ndarray, np.ndarray, int] | None = None):
        self.text = text
        self.norms = norms if norms is not None else word_list(text)
        self._spans: list[tuple[int, int]] | None = None
        self._marks: bool | None = None
        self._word_at = word_at

    @property
    def spans(self) -> list[tuple[int, int]]:
        if self._spans is None:
            if self._word_at is None:
                self._spans = word_spans(self.text)
            else:
                starts, ends, offset = self._word_at
                self._spans = list(zip((starts - offset).tolist(), (ends - offset).tolist()))
        return self._spans

    @property
    def has_cut_marks(self) -> bool:
        """Whether the text has an ellipsis anywhere (so a gap in it may be a marked cut)."""
        if self._marks is None:
            self._marks = any(mark in self.text for mark in ELLIPSES)
        return self._marks


def _anchors(q: Sequence[str], t: Sequence[str]) -> list[tuple[int, int]]:
    """(quote position, text position) of every quote bigram (or the word, for one-word quotes) in the text."""
    if len(q) == 1:
        return [(0, j) for j, w in enumerate(t) if w == q[0]]
    grams: dict[tuple[str, str], int] = {}
    for i in range(len(q) - 1):
        grams.setdefault((q[i], q[i + 1]), i)
    get = grams.get
    return [(get(pair), j) for j, pair in enumerate(zip(t, t[1:])) if get(pair) is not None]


def _best_chains(anchors: list[tuple[int, int]], max_gap: int, top: int = 3) -> list[list[tuple[int, int]]]:
    """The best chains of anchors increasing in quote and text positions.

    Dynamic programming over the anchors (they are few): a chain scores one per
    anchor, less a small cost for each word the quote and text drift apart
    between two anchors, so one dense stretch beats common bigrams ("of the")
    scattered over an article. Returns up to ``top`` chains over separate
    stretches of text, best first.
    """
    if not anchors:
        return []
    anchors = sorted(set(anchors), key=lambda a: (a[1], a[0]))
    if len(anchors) > 3000:  # pathological repetition: keep it bounded
        anchors = anchors[:3000]
    n = len(anchors)
    best = [1.0] * n
    prev = [-1] * n
    for k in range(n):
        ik, jk = anchors[k]
        for l in range(k - 1, -1, -1):
            il, jl = anchors[l]
            if jk - jl > max_gap + (ik - il) and jk - jl > max_gap:
                break  # anchors are sorted by text position: everything further left is too far
            if il < ik and jl < jk:
                drift = abs((jk - jl) - (ik - il))
                if drift > max_gap:
                    continue
                cand = best[l] + 1.0 - 0.02 * drift
                if cand > best[k]:
                    best[k] = cand
                    prev[k] = l
    # where the best chain ending at each anchor starts in the text (its stretch, without walking it back)
    first = [0] * n
    for k in range(n):
        first[k] = anchors[k][1] if prev[k] == -1 else first[prev[k]]
    # best chains first (ties: leftmost), taken from a heap only until ``top`` separate ones are found
    heap = [(-best[k], anchors[k][1], k) for k in range(n)]
    heapq.heapify(heap)
    chains: list[list[tuple[int, int]]] = []
    used: list[tuple[int, int]] = []
    while heap and len(chains) < top:
        _, hi, k = heapq.heappop(heap)
        lo = first[k]
        if any(not (hi < a or lo > b) for a, b in used):
            continue
        chain = []
        x = k
        while x != -1:
            chain.append(anchors[x])
            x = prev[x]
        chain.reverse()
        chains.append(chain)
        used.append((lo, hi))
    return chains


def _alignments(q: list[str], t: list[str], anchors: list[tuple[int, int]], s: MatchSettings, *, cut_marks: bool):
    """Candidate word alignments of the quote in the text, one per good chain of anchors, best first
    (``cut_marks``: whether either has an ellipsis, see :func:`_could_be_found`)."""
    for chain in _best_chains(anchors, s.max_gap_words):
        got = _align_chain(q, t, chain, s, cut_marks=cut_marks)
        if got is not None:
            yield got


def _align_chain(q: list[str], t: list[str], chain: list[tuple[int, int]], s: MatchSettings, *, cut_marks: bool):
    k = 1 if len(q) == 1 else 2
    i0, j0 = chain[0]
    i1, j1 = chain[-1]
    i1, j1 = i1 + k - 1, j1 + k - 1
    # widen by the unanchored quote words at each end (and room for a few dropped
    # ones), then let the word alignment decide
    lo = max(0, j0 - i0 - s.cut_words)
    hi = min(len(t), j1 + 1 + (len(q) - 1 - i1) + s.cut_words)
    region = t[lo:hi]
    if not _could_be_found(q, region, s, cut_marks=cut_marks):
        return None
    # the anchored middle, and the quote words before and after it; each aligned
    # so as to keep the most words equal, the ends leaning towards the middle
    ma, mb = j0 - lo, j1 + 1 - lo
    pairs = _reversed_pairs(_lcs_pairs(q[:i0][::-1], region[:ma][::-1], s), i0, ma)
    pairs += _shifted_pairs(_lcs_pairs(q[i0 : i1 + 1], region[ma:mb], s), i0, ma)
    pairs += _shifted_pairs(_lcs_pairs(q[i1 + 1 :], region[mb:], s), i1 + 1, mb)
    # trim the ends down to found words; a look-alike word at an end counts only
    # beside an exactly equal one (else it is chance, not the quote running on)
    found = [p for p, (_, _, kind) in enumerate(pairs) if kind == "equal" or (kind == "near" and _beside_equal(pairs, p))]
    if not found:
        return None
    return lo, pairs[found[0] : found[-1] + 1]


def _could_be_found(q: list[str], region: list[str], s: MatchSettings, *, cut_marks: bool) -> bool:
    """An exact upper bound, checked before any word alignment: False only where no alignment of the
    quote ``q`` in ``region`` can be anything but ``missing``.

    * ``verbatim`` and ``partial`` need a stretch of quote words exactly equal and in a row that is
      evidence (:func:`_is_evidence`: long enough, and not only common words; a verbatim quote is all
      of them), so at least ``min_partial_words`` (or all) in the longest common subsequence (computed
      in C). Within such a stretch every step moves one quote word and one text word (a look-alike
      or a single swapped word keeps them in step), so it lies on one diagonal (text position less
      quote position), and the equal words of that diagonal, a superset, are evidence too. Only a cut
      marked with an ellipsis lets a stretch change diagonal, so the diagonals are asked only where
      neither the quote nor the text has one (``cut_marks``), and only for a window of at most
      ``_DIAGONAL_CELLS`` (quote words x text words): a long quote's diagonals cost more than they save.
    * ``variant`` needs ``variant_coverage`` of the quote's words equal or look-alike to some word
      of the region.
    """
    if Indel.similarity(q, region) // 2 >= s.partial_words(len(q)):  # Indel similarity = 2 x longest common subsequence
        if cut_marks or len(q) * len(region) > _DIAGONAL_CELLS or _diagonal_has_evidence(q, region, s):
            return True
    alike = process.cdist(q, region, scorer=fuzz.ratio, dtype=np.float64) >= s.typo_similarity
    return int(alike.any(axis=1).sum()) >= s.variant_coverage * len(q)


def _diagonal_has_evidence(q: list[str], t: list[str], s: MatchSettings) -> bool:
    """Whether the equal words of some diagonal (text position less quote position) are evidence
    of a partial match (:func:`_is_evidence`)."""
    at: dict[str, list[int]] = {}
    for i, w in enumerate(q):
        at.setdefault(w, []).append(i)
    need = s.partial_words(len(q))
    # a diagonal this long is evidence whatever its words (and any long enough is, with no word list)
    sure = need if s.language is None or s.min_partial_uncommon_words == 0 else max(need, 2 * s.min_partial_words)
    counts: dict[int, int] = {}
    get = counts.get
    for j, w in enumerate(t):
        for i in at.get(w, ()):
            c = counts[j - i] = get(j - i, 0) + 1
            if c >= sure:
                return True
    for d, c in counts.items():
        if c >= need and _is_evidence(q, [i for i in range(max(0, -d), min(len(q), len(t) - d)) if q[i] == t[i + d]], s):
            return True
    return False


def _lcs_pairs(q: list[str], t: list[str], s: MatchSettings) -> list[tuple[int | None, int | None, str]]:
    """Pair the words of ``q`` and ``t``: the alignment that keeps the most words equal (longest
    common subsequence); what stands between two equal stretches is paired by :func:`_pair_block`."""
    pairs: list[tuple[int | None, int | None, str]] = []  # (quote idx, text idx, kind)
    a_prev = b_prev = 0
    for op in Indel.opcodes(q, t):
        if op.tag != "equal":
            continue
        a0, b0 = op.src_start, op.dest_start
        if a_prev < a0 or b_prev < b0:  # (most equal stretches follow one another with nothing between)
            pairs.extend(_pair_block(q, t, a_prev, a0, b_prev, b0, s))
        pairs.extend([(a0 + x, b0 + x, "equal") for x in range(op.src_end - a0)])
        a_prev, b_prev = op.src_end, op.dest_end
    if a_prev < len(q) or b_prev < len(t):
        pairs.extend(_pair_block(q, t, a_prev, len(q), b_prev, len(t), s))
    return pairs


def _shifted_pairs(pairs, da: int, db: int):
    """Pairs computed on slices ``q[da:]``, ``t[db:]``, in positions of the whole lists."""
    return [(None if a is None else da + a, None if b is None else db + b, kind) for a, b, kind in pairs]


def _reversed_pairs(pairs, n_q: int, n_t: int):
    """Map pairs computed on reversed word lists back to forward positions and order."""
    return [(None if a is None else n_q - 1 - a, None if b is None else n_t - 1 - b, kind) for a, b, kind in reversed(pairs)]


def _beside_equal(pairs, p: int) -> bool:
    """Whether pair ``p`` has an exactly equal pair next to it."""
    return (p > 0 and pairs[p - 1][2] == "equal") or (p + 1 < len(pairs) and pairs[p + 1][2] == "equal")


def _pair_block(q: list[str], region: list[str], a0: int, a1: int, b0: int, b1: int, s: MatchSettings):
    """Pair the quote words ``q[a0:a1]`` with the text words ``region[b0:b1]`` that stand between two
    equal stretches: a word the text changed (typo, has/had) is paired with its replacement, the rest
    are dropped or added. The shorter side is slid along the longer to pair the most look-alike words."""
    m, n = a1 - a0, b1 - b0
    if m == 0 or n == 0:
        return [(a0 + x, None, "delete") for x in range(m)] + [(None, b0 + x, "insert") for x in range(n)]
    if m == n:
        near = [fuzz.ratio(q[a0 + x], region[b0 + x]) >= s.typo_similarity for x in range(m)]
        return [(a0 + x, b0 + x, "near" if near[x] else "replace") for x in range(m)]
    short, shifts = min(m, n), abs(m - n) + 1
    # each shift of the shorter side along the longer is a diagonal of look-alike words
    if short * shifts <= _SMALL_BLOCK:  # a few words: compared one pair at a time (no array to set up)
        ratio, cutoff = fuzz.ratio, s.typo_similarity
        if m > n:
            diagonals = [[ratio(q[a0 + d + x], region[b0 + x]) >= cutoff for x in range(short)] for d in range(shifts)]
        else:
            diagonals = [[ratio(q[a0 + x], region[b0 + d + x]) >= cutoff for x in range(short)] for d in range(shifts)]
        counts = [sum(diagonal) for diagonal in diagonals]
        best = counts.index(max(counts))  # ties go to the words nearest the equal ones before
        near = diagonals[best]
    else:  # every quote word against every text word at once, in C
        alike = process.cdist(q[a0:a1], region[b0:b1], scorer=fuzz.ratio, dtype=np.float64) >= s.typo_similarity
        rows, cols = alike.nonzero()
        shift = rows - cols if m > n else cols - rows
        shift = shift[(shift >= 0) & (shift < shifts)]
        best = int(np.bincount(shift).argmax()) if len(shift) else 0
        near = alike.diagonal(-best if m > n else best).tolist()
    da, db = (best, 0) if m > n else (0, best)
    out = [(a0 + x, None, "delete") for x in range(da)] + [(None, b0 + x, "insert") for x in range(db)]
    out += [(a0 + da + x, b0 + db + x, "near" if near[x] else "replace") for x in range(short)]
    out += [(a0 + x, None, "delete") for x in range(da + short, m)] + [(None, b0 + x, "insert") for x in range(db + short, n)]
    return out


def find_quote(quote: str, text: str, *, score_cutoff: float | None = None, settings: MatchSettings | None = None) -> QuoteMatch | None:
    """Look for ``quote`` in ``text``.

    Parameters
    ----------
    quote : str
        The quoted words.
    text : str
        The text to search (an article).
    score_cutoff : float, optional
        Overrides ``settings.score_cutoff``.
    settings : MatchSettings, optional
        Thresholds (defaults: :class:`MatchSettings`).

    Returns
    -------
    QuoteMatch or None
        ``None`` when the quote or text is missing (NaN/None/empty) or has no
        words. Otherwise a match whose ``status`` may be ``missing``.

    Examples
    --------
    >>> m = find_quote("Moribound Miliband talks of a national mission.",
    ...                "He tweeted: ‘Moribund Miliband talks of a national mission’ on Monday.")
    >>> m.status, m.differences
    ('variant', [('Moribound', 'Moribund')])
    >>> find_quote("Same old story from Labour.", "An unrelated article about schools.").status
    'missing'
    """
    s = settings or MatchSettings()
    if score_cutoff is not None:
        s = replace(s, score_cutoff=float(score_cutoff))
    s.validate()
    if not isinstance(quote, str) or not isinstance(text, str):
        return None
    qt, tt = _Tokens(quote), _Tokens(text)
    if not qt.norms:
        return None
    return _match_tokens(qt, tt, _anchors(qt.norms, tt.norms), s)


_DIAGONAL_CELLS = 4000  # quote words x text words up to which _could_be_found asks the diagonals
_SMALL_BLOCK = 64  # word pairs _pair_block compares one at a time; more, and all at once with cdist

_RANK = {"verbatim": 0, "variant": 1, "partial": 2, "missing": 3}


def _match_tokens(qt: _Tokens, tt: _Tokens, anchors: list[tuple[int, int]], s: MatchSettings) -> QuoteMatch:
    best = QuoteMatch("missing", 0.0)
    for lo, inner in _alignments(qt.norms, tt.norms, anchors, s, cut_marks=qt.has_cut_marks or tt.has_cut_marks):
        m = _judge(qt, tt, lo, inner, s)
        if (_RANK[m.status], -m.coverage, -m.score) < (_RANK[best.status], -best.coverage, -best.score):
            best = m
        if best.status == "verbatim":
            break
    return best


def _verbatim(qt: _Tokens, tt: _Tokens, s: MatchSettings) -> QuoteMatch | None:
    """The quote word for word in the text, when it is there verbatim (a quick path: most finds are);
    else None."""
    joined = " " + " ".join(tt.norms) + " "
    at = joined.find(" " + " ".join(qt.norms) + " ")
    if at < 0:
        return None
    lo = joined.count(" ", 0, at + 1) - 1
    m = _judge(qt, tt, lo, [(i, i, "equal") for i in range(len(qt.norms))], s)
    return m if m.status == "verbatim" else None


def _segments(inner, min_break: int) -> list[tuple[int, int]]:
    """Split an alignment where ``min_break`` or more words in a row are not found: (first, last) pair indices."""
    segs, start, misses, last = [], None, 0, 0
    for n, (_, _, kind) in enumerate(inner):
        if kind in ("equal", "near"):
            if start is None:
                start = n
            elif misses >= min_break:
                segs.append((start, last))
                start = n
            last, misses = n, 0
        else:
            misses += 1
    if start is not None:
        segs.append((start, last))
    return segs


def _marked_cut(qt: _Tokens, tt: _Tokens, lo: int, inner, a: int, b: int) -> bool:
    """Whether the gap between pairs ``a`` and ``b`` is marked as a cut (…, ..., . . ., […]) on either side.

    In the article, only a gap inside one paragraph: an ellipsis ending another quotation (“… saying …”
    said Raj Patel.) followed by a new paragraph marks that quotation's cut, not one in this quote."""
    if not (qt.has_cut_marks or tt.has_cut_marks):
        return False
    gaps = []
    ta, tb = inner[a][1], inner[b][1]
    qa, qb = inner[a][0], inner[b][0]
    if ta is not None and tb is not None:
        gap = tt.text[tt.spans[lo + ta][1] : tt.spans[lo + tb][0]]
        if "\n" not in gap:
            gaps.append(gap)
    if qa is not None and qb is not None:
        gaps.append(qt.text[qt.spans[qa][1] : qt.spans[qb][0]])
    return any(mark in g for g in gaps for mark in ELLIPSES)


def _core(qt: _Tokens, tt: _Tokens, lo: int, inner, s: MatchSettings):
    """The part of a partial alignment that really is the quote: its best stretch, plus any
    stretches joined to it across a cut marked with an ellipsis."""
    segs = _segments(inner, s.cut_words)
    if len(segs) <= 1:
        return inner
    found = lambda seg: sum(1 for _, _, k in inner[seg[0] : seg[1] + 1] if k in ("equal", "near"))  # noqa: E731
    best = max(range(len(segs)), key=lambda x: found(segs[x]))
    first, last = segs[best]
    x = best
    while x > 0 and _marked_cut(qt, tt, lo, inner, segs[x - 1][1], segs[x][0]):
        x -= 1
        first = segs[x][0]
    x = best
    while x < len(segs) - 1 and _marked_cut(qt, tt, lo, inner, segs[x][1], segs[x + 1][0]):
        x += 1
        last = segs[x][1]
    return inner[first : last + 1]


def _judge(qt: _Tokens, tt: _Tokens, lo: int, inner, s: MatchSettings, *, trimmed: bool = False) -> QuoteMatch:
    """Status, score, offsets and word differences of one alignment."""
    q, t = qt.norms, tt.norms
    n_found = sum(1 for _, _, kind in inner if kind in ("equal", "near"))
    coverage = n_found / len(q)
    quote_idx = [a for a, _, _ in inner if a is not None]
    text_idx = [lo + b for _, b, _ in inner if b is not None]
    score, variant = None, False
    if coverage >= s.variant_coverage:  # (the cuts and the score matter only then, or once a status is found)
        longest_cut = run = 0
        for _, _, kind in inner:
            run = run + 1 if kind in ("delete", "insert") else 0
            longest_cut = max(longest_cut, run)
        if longest_cut < s.cut_words and _cut_at_ends(inner, len(q)) < s.cut_words:
            score = _found_score(q, t, quote_idx, text_idx)
            variant = score >= s.score_cutoff
    all_equal = all(kind == "equal" for _, _, kind in inner)
    partial = not variant and n_found >= s.partial_words(len(q)) and any(_is_evidence(q, run, s) for run in _exact_runs(qt, tt, lo, inner))
    if not (variant or partial or (coverage == 1.0 and all_equal)):
        return QuoteMatch("missing", 0.0)  # decided before any character offsets are worked out
    start, end = tt.spans[min(text_idx)][0], tt.spans[max(text_idx)][1]
    matched = tt.text[start:end]
    if coverage == 1.0 and all_equal and fold(qt.text) == fold(matched):
        status = "verbatim"
    elif variant:
        status = "variant"
    elif partial:
        status = "partial"
        if not trimmed:
            core = _core(qt, tt, lo, inner, s)
            if len(core) < len(inner):
                return _judge(qt, tt, lo, core, s, trimmed=True)
    else:
        return QuoteMatch("missing", 0.0)
    differences = []
    for a, b, kind in inner:
        if kind == "equal":
            continue
        qa = qt.text[slice(*qt.spans[a])] if a is not None else ""
        tb = tt.text[slice(*tt.spans[lo + b])] if b is not None else ""
        if kind == "near" and qa == tb:
            continue
        differences.append((qa, tb))
    if status != "verbatim" and score is None:
        score = _found_score(q, t, quote_idx, text_idx)
    return QuoteMatch(status, 100.0 if status == "verbatim" else score, start, end, matched, round(coverage, 3), _merge_runs(differences))


def _found_score(q: list[str], t: list[str], quote_idx: list[int], text_idx: list[int]) -> float:
    """Similarity (0-100) of the quote's found stretch to the text's."""
    return round(float(fuzz.ratio(" ".join(q[min(quote_idx) : max(quote_idx) + 1]), " ".join(t[min(text_idx) : max(text_idx) + 1]))), 1)


def _cut_at_ends(inner, n_quote: int) -> int:
    """Quote words missing before the first or after the last found word (a truncated quote)."""
    found = [a for a, _, kind in inner if kind in ("equal", "near")]
    if not found:
        return n_quote
    return min(found) + (n_quote - 1 - max(found))


def _exact_runs(qt: _Tokens, tt: _Tokens, lo: int, inner) -> list[list[int]]:
    """The stretches of quote words found exactly equal and in a row (quote positions): the
    evidence a partial match needs.

    A typo or a single substituted word (has/had) does not end a stretch but
    does not count in it either, so look-alike words never make a match; a cut
    marked with an ellipsis (…, ..., […]) does not end it either.
    """
    runs: list[list[int]] = [[]]
    n = 0
    while n < len(inner):
        a, _, kind = inner[n]
        if kind == "equal":
            runs[-1].append(a)
            n += 1
            continue
        if kind == "near":
            n += 1
            continue
        # a gap of words not found: where does it end?
        m = n
        while m < len(inner) and inner[m][2] not in ("equal", "near"):
            m += 1
        single_swap = m == n + 1 and kind == "replace"
        inside = 0 < n and m < len(inner)
        if not (inside and (single_swap or _marked_cut(qt, tt, lo, inner, n - 1, m))):
            runs.append([])
        n = m
    return [r for r in runs if r]


def _is_evidence(q: list[str], run: list[int], s: MatchSettings) -> bool:
    """Whether a stretch of exactly equal words is enough to call a partial match: long enough,
    and not only the language's common words (unless the quote has no others, or the stretch
    is twice ``min_partial_words`` long: stock phrases are short)."""
    if len(run) < s.partial_words(len(q)):
        return False
    if s.language is None or s.min_partial_uncommon_words == 0 or len(run) >= 2 * s.min_partial_words:
        return True
    uncommon = lambda idx: {q[i] for i in idx if not _is_common(q[i], s.language, s.common_zipf)}  # noqa: E731
    found = len(uncommon(run))
    return found >= s.min_partial_uncommon_words or found == len(uncommon(range(len(q))))


def _merge_runs(diffs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Merge consecutive pure insertions or deletions into one difference ("a b c", "")."""
    out: list[tuple[str, str]] = []
    for a, b in diffs:
        if out and ((a == "" and out[-1][0] == "" and b) or (b == "" and out[-1][1] == "" and a)):
            pa, pb = out[-1]
            out[-1] = ((pa + " " + a).strip(), (pb + " " + b).strip())
        else:
            out.append((a, b))
    return out


def match_partition(
    index: CandidateIndex,
    quote_articles: Sequence[str],
    article_ids: Sequence[str],
    article_texts: Sequence[str],
    offset: int,
    settings: MatchSettings,
) -> dict[tuple[int, int], QuoteMatch]:
    """Match every indexed quote against one partition of articles.

    The unit of work of :func:`match_quotes`, in process or on Dask workers.
    Only the candidate windows the index finds are aligned, each on a stretch
    of text around it (on each side, the quote words the window's hits put
    there, half as many again for words the text added, and ``cut_words``
    and a little more), so the work grows with what is found. Returns
    ``{(quote index, article index + offset): match}`` for the quotes found
    (status other than missing), the best over all windows of that article; a
    quote is never matched against its own article.
    """
    scan = index.scan(article_texts)
    found: dict[tuple[int, int], QuoteMatch] = {}
    quote_tokens: dict[int, _Tokens] = {}
    for w in scan.windows:
        ai, qi = w.article, w.quote
        if article_ids[ai] == quote_articles[qi]:
            continue
        best = found.get((qi, ai + offset))
        if best is not None and best.status == "verbatim":
            continue
        qt = quote_tokens.get(qi)
        if qt is None:
            qt = quote_tokens[qi] = _Tokens(index.quotes[qi])
        starts, ends = scan.starts[ai], scan.ends[ai]
        lo, hi = max(0, w.first - _pad(w.head, len(qt.norms), settings)), min(len(starts) - 1, w.last + _pad(w.tail, len(qt.norms), settings))
        c0, c1 = int(starts[lo]), int(ends[hi])
        tt = _Tokens(article_texts[ai][c0:c1], word_at=(starts[lo : hi + 1], ends[lo : hi + 1], c0))
        m = _verbatim(qt, tt, settings) if w.seeds >= index.n_seeds[qi] else None  # verbatim shows every seed
        if m is None:
            if not _could_be_found(qt.norms, tt.norms, settings, cut_marks=qt.has_cut_marks or tt.has_cut_marks):
                continue
            m = _match_tokens(qt, tt, _anchors(qt.norms, tt.norms), settings)
        if m.status == "missing":
            continue
        m.start, m.end = m.start + c0, m.end + c0
        if best is None or (_RANK[m.status], -m.coverage, -m.score) < (_RANK[best.status], -best.coverage, -best.score):
            found[(qi, ai + offset)] = m
    return found


_DF_SAMPLE = 500  # articles sampled to tell which bigrams are ordinary in this corpus
_PAD_SLACK = 0.5  # words the text may add to the part of a quote beyond a window, as a share of its words


def _pad(beyond: int, n_quote: int, s: MatchSettings) -> int:
    """Words of text to take on one side of a window: the ``beyond`` quote words the index puts
    there, room for words the text added to them, and ``cut_words`` and a little more (never
    more than the whole quote's words and that)."""
    return min(beyond + int(_PAD_SLACK * beyond), n_quote) + s.cut_words + 2


def _row(quote_id, article_id, m: QuoteMatch) -> dict:
    return {
        "quote_id": quote_id,
        "article_id": article_id,
        "status": m.status,
        "score": m.score,
        "coverage": m.coverage,
        "start": m.start,
        "end": m.end,
        "matched_text": m.matched_text,
        "differences": m.differences,
    }


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    table["status"] = pd.Categorical(table["status"], categories=list(STATUSES))
    table["score"] = table["score"].astype("float64")
    table["coverage"] = table["coverage"].astype("float64")
    table["start"] = table["start"].astype("Int64")
    table["end"] = table["end"].astype("Int64")
    for c in ("quote_id", "article_id", "matched_text"):
        table[c] = table[c].astype("str")
    return table


def match_quotes(
    quotes: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    score_cutoff: float | None = None,
    settings: MatchSettings | None = None,
    include_missing: bool = False,
    scheduler: str | None = None,
    partition_size: int = 2000,
) -> pd.DataFrame:
    """Look for every quote in every other article.

    Parameters
    ----------
    quotes : pandas.DataFrame
        From :func:`quotetrace.extract_quotes` (``quote_id``, ``article_id``,
        ``quote``). Rows whose ``quote`` is missing are skipped.
    articles : pandas.DataFrame
        From :func:`quotetrace.load_corpus` (``article_id``, ``text``).
    score_cutoff : float, optional
        Overrides ``settings.score_cutoff``.
    settings : MatchSettings, optional
    include_missing : bool
        Also list every (quote, other article) pair where the quote was not
        found, with status ``missing``. Off by default: the table lists what
        was found, and a pair absent from it is missing. Turn it on only for a
        small corpus (its size is quotes × articles).
    scheduler : str, optional
        Run on Dask (``pip install quotetrace[dask]``): the address of a
        ``dask.distributed`` scheduler (``"tcp://10.0.0.5:8786"``), or
        ``"processes"`` / ``"threads"`` / ``"synchronous"`` for a local Dask
        scheduler. The articles are split into partitions of
        ``partition_size``, the quote index is sent once to every worker, and
        the same per-partition function as the in-process path
        (:func:`match_partition`) runs on each: the result is identical.
        ``None`` (default) runs in this process.
    partition_size : int
        Articles per partition (in this process too: only one partition's
        words are held in memory at a time).

    Returns
    -------
    pandas.DataFrame
        One row per quote found in another article (sparse; with
        ``include_missing``, per quote and other article). Columns
        :data:`MATCH_COLUMNS`: ``quote_id``, ``article_id`` (the
        article searched), ``status`` (verbatim/variant/partial/missing),
        ``score`` (0–100), ``coverage`` (share of the quote's words found),
        ``start``/``end`` (offsets into that article's ``text``),
        ``matched_text``, ``differences`` (list of (quote word(s), article
        word(s)) pairs; "" where a word is missing on one side). Sorted by
        quote then article, in the order given.
    """
    s = settings or MatchSettings()
    if score_cutoff is not None:
        s = replace(s, score_cutoff=float(score_cutoff))
    s.validate()
    if not isinstance(partition_size, int) or partition_size < 1:
        raise ParameterError(f"partition_size must be a whole number of at least 1, not {partition_size!r}.", parameter="partition_size")
    for name, table, cols in (("quotes", quotes, ("quote_id", "article_id", "quote")), ("articles", articles, ("article_id", "text"))):
        missing = [c for c in cols if c not in table.columns]
        if missing:
            raise ParameterError(f"match_quotes: the {name} table lacks column(s) {missing}.", parameter=name)
    q_ids = quotes["quote_id"].tolist()
    q_arts = quotes["article_id"].tolist()
    q_texts = [q if isinstance(q, str) else "" for q in quotes["quote"].tolist()]
    a_ids = articles["article_id"].tolist()
    a_texts = articles["text"].tolist()
    step = max(1, len(a_texts) // _DF_SAMPLE)  # the same sample however the articles are then split
    index = CandidateIndex(q_texts, language=s.language, common_zipf=s.common_zipf, sample=a_texts[::step][:_DF_SAMPLE])
    found: dict[tuple[int, int], QuoteMatch] = {}
    parts = [
        {"offset": k, "article_ids": a_ids[k : k + partition_size], "article_texts": a_texts[k : k + partition_size]}
        for k in range(0, len(a_ids), partition_size)
    ]
    if scheduler is None:  # one partition at a time, so only one partition's words are held
        for part in parts:
            found.update(match_partition(index=index, quote_articles=q_arts, settings=s, **part))
    else:
        from .distributed import map_partitions

        for part in map_partitions(match_partition, parts, scheduler, index=index, quote_articles=q_arts, settings=s):
            found.update(part)
    rows = []
    if include_missing:
        missing = QuoteMatch("missing", 0.0)
        pairs = ((qi, ai) for qi in range(len(q_ids)) if q_texts[qi] for ai in range(len(a_ids)) if a_ids[ai] != q_arts[qi])
    else:
        missing = None
        pairs = iter(sorted(found))
    for qi, ai in pairs:
        rows.append(_row(q_ids[qi], a_ids[ai], found.get((qi, ai), missing)))
    table = pd.DataFrame(rows, columns=MATCH_COLUMNS)
    return _typed(table)
