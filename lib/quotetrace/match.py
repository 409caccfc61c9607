"""Find a quote in another text: verbatim, a variant, only in part, or not at all.

Alignment works on words, not characters, so it finds a quote however long
the text and whatever was cut from it:

1. *Anchors*: the positions where a quote bigram (two consecutive words) also
   occurs in the text.
2. *Chain*: the longest run of anchors that moves forward in both quote and
   text, allowing words to be dropped or added between them (a cut marked by
   an ellipsis drops many).
3. *Words*: the quote and the chained stretch of text (widened by the quote
   words not anchored at either end) are compared word by word (Levenshtein
   opcodes over word lists, rapidfuzz); a word that differs by a typo
   (``Moribund``/``Moribound``, similarity ≥ ``typo_similarity``) still counts
   as found.
4. *Status*: ``verbatim`` if the found text equals the quote after
   typography-only folding (case, quote marks, dashes, whitespace, and
   punctuation at the two ends); ``variant`` if at least ``variant_coverage``
   of the quote's words are found and no run of ``cut_words`` or more words is
   missing or inserted in the middle; ``partial`` if a stretch of at least
   ``min_partial_words`` words (or, for a short quote, all of it) is found;
   else ``missing``.

Offsets are always into the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Sequence

import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from .errors import ParameterError
from .index import CandidateIndex
from .text import Word, normalize, words

__all__ = [
    "MatchSettings",
    "QuoteMatch",
    "find_quote",
    "match_quotes",
    "MATCH_COLUMNS",
    "STATUSES",
]

STATUSES = ("verbatim", "variant", "partial", "missing")
MATCH_COLUMNS = ["quote_id", "article_id", "status", "score", "coverage", "start", "end", "matched_text", "differences"]
_EDGE_RE = re.compile(r"^[^\w]+|[^\w]+$")


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
        A ``partial`` match must find at least this many quote words (or all
        of a shorter quote).
    max_gap_words : int
        Most words the text may add between two anchored quote words.
    """

    score_cutoff: float = 80.0
    typo_similarity: float = 75.0
    variant_coverage: float = 0.85
    cut_words: int = 3
    min_partial_words: int = 5
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
        return self


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


def _fold(s: str) -> str:
    """Typography-only folding for the verbatim test: case, quote marks (double or single alike),
    dashes, whitespace, ellipses, and punctuation at the two ends."""
    folded = normalize(s).text.replace('"', "'").replace("...", " ")
    return re.sub(r" +", " ", _EDGE_RE.sub("", folded)).strip()


def _anchors(q: Sequence[str], t: Sequence[str]) -> list[tuple[int, int]]:
    if len(q) == 1:
        return [(0, j) for j, w in enumerate(t) if w == q[0]]
    grams: dict[tuple[str, str], list[int]] = {}
    for i in range(len(q) - 1):
        grams.setdefault((q[i], q[i + 1]), []).append(i)
    out = []
    for j in range(len(t) - 1):
        hit = grams.get((t[j], t[j + 1]))
        if hit:
            out.extend((i, j) for i in hit)
    return out


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
    chains: list[list[tuple[int, int]]] = []
    used: list[tuple[int, int]] = []
    for k in sorted(range(n), key=lambda x: (-best[x], anchors[x][1])):
        chain = []
        x = k
        while x != -1:
            chain.append(anchors[x])
            x = prev[x]
        chain.reverse()
        lo, hi = chain[0][1], chain[-1][1]
        if any(not (hi < a or lo > b) for a, b in used):
            continue
        chains.append(chain)
        used.append((lo, hi))
        if len(chains) >= top:
            break
    return chains


def _align(quote_words: Sequence[Word], text_words: Sequence[Word], s: MatchSettings):
    """Candidate word alignments of the quote in the text, one per good chain of anchors."""
    q = [w.norm for w in quote_words]
    t = [w.norm for w in text_words]
    out = []
    for chain in _best_chains(_anchors(q, t), s.max_gap_words):
        got = _align_chain(q, t, chain, s)
        if got is not None:
            out.append(got)
    return out


def _align_chain(q: list[str], t: list[str], chain: list[tuple[int, int]], s: MatchSettings):
    k = 1 if len(q) == 1 else 2
    i0, j0 = chain[0]
    i1, j1 = chain[-1]
    i1, j1 = i1 + k - 1, j1 + k - 1
    # widen by the unanchored quote words at each end, then let the word alignment decide
    lo = max(0, j0 - i0)
    hi = min(len(t), j1 + 1 + (len(q) - 1 - i1))
    region = t[lo:hi]
    ops = Levenshtein.opcodes(q, region)
    # pair up every quote word with its text word (or None)
    pairs: list[tuple[int | None, int | None, str]] = []  # (quote idx, region idx, kind)
    for op in ops:
        tag, a0, a1, b0, b1 = op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end
        if tag == "equal":
            pairs.extend((a0 + x, b0 + x, "equal") for x in range(a1 - a0))
        elif tag == "replace":
            n = max(a1 - a0, b1 - b0)
            for x in range(n):
                qa = a0 + x if a0 + x < a1 else None
                tb = b0 + x if b0 + x < b1 else None
                if qa is not None and tb is not None:
                    near = fuzz.ratio(q[qa], region[tb]) >= s.typo_similarity
                    pairs.append((qa, tb, "near" if near else "replace"))
                elif qa is not None:
                    pairs.append((qa, None, "delete"))
                else:
                    pairs.append((None, tb, "insert"))
        elif tag == "delete":
            pairs.extend((a0 + x, None, "delete") for x in range(a1 - a0))
        elif tag == "insert":
            pairs.extend((None, b0 + x, "insert") for x in range(b1 - b0))
    # trim the ends down to found words
    found = [p for p, (_, _, kind) in enumerate(pairs) if kind in ("equal", "near")]
    if not found:
        return None
    return q, lo, pairs[found[0] : found[-1] + 1]


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
    qw, tw = words(quote), words(text)
    if not qw:
        return None
    return _match_words(quote, qw, text, tw, s)


_RANK = {"verbatim": 0, "variant": 1, "partial": 2, "missing": 3}


def _match_words(quote: str, qw: list[Word], text: str, tw: list[Word], s: MatchSettings) -> QuoteMatch:
    best = QuoteMatch("missing", 0.0)
    for q, lo, inner in _align(qw, tw, s) if tw else []:
        m = _judge(quote, qw, text, tw, q, lo, inner, s)
        if (_RANK[m.status], -m.coverage, -m.score) < (_RANK[best.status], -best.coverage, -best.score):
            best = m
    return best


def _segments(inner, min_break: int) -> list[tuple[int, int]]:
    """Split an alignment where ``min_break`` or more words in a row are not found: (first, last) pair indices."""
    segs, start, misses = [], None, 0
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


def _marked_cut(quote, qw, text, tw, lo, inner, a: int, b: int) -> bool:
    """Whether the gap between pairs ``a`` and ``b`` is marked as a cut (…, ..., […]) on either side."""
    ta = [lo + y for _, y, _ in inner[a : a + 1] if y is not None]
    tb = [lo + y for _, y, _ in inner[b : b + 1] if y is not None]
    qa = [x for x, _, _ in inner[a : a + 1] if x is not None]
    qb = [x for x, _, _ in inner[b : b + 1] if x is not None]
    gaps = []
    if ta and tb:
        gaps.append(text[tw[ta[0]].end : tw[tb[0]].start])
    if qa and qb:
        gaps.append(quote[qw[qa[0]].end : qw[qb[0]].start])
    return any("\u2026" in g or "..." in g for g in gaps)


def _core(quote, qw, text, tw, lo, inner, s: MatchSettings):
    """The part of a partial alignment that really is the quote: its best stretch, plus any
    stretches joined to it across a cut marked with an ellipsis."""
    segs = _segments(inner, s.cut_words)
    if len(segs) <= 1:
        return inner
    found = lambda seg: sum(1 for _, _, k in inner[seg[0] : seg[1] + 1] if k in ("equal", "near"))  # noqa: E731
    best = max(range(len(segs)), key=lambda x: found(segs[x]))
    first, last = segs[best]
    x = best
    while x > 0 and _marked_cut(quote, qw, text, tw, lo, inner, segs[x - 1][1], segs[x][0]):
        x -= 1
        first = segs[x][0]
    x = best
    while x < len(segs) - 1 and _marked_cut(quote, qw, text, tw, lo, inner, segs[x][1], segs[x + 1][0]):
        x += 1
        last = segs[x][1]
    return inner[first : last + 1]


def _judge(quote, qw, text, tw, q, lo, inner, s: MatchSettings, *, trimmed: bool = False) -> QuoteMatch:
    """Status, score, offsets and word differences of one alignment."""
    n_found = sum(1 for _, _, kind in inner if kind in ("equal", "near"))
    coverage = n_found / len(q)
    text_idx = [lo + b for _, b, _ in inner if b is not None]
    start, end = tw[min(text_idx)].start, tw[max(text_idx)].end
    matched = text[start:end]
    quote_idx = [a for a, _, _ in inner if a is not None]
    q_part = quote[qw[min(quote_idx)].start : qw[max(quote_idx)].end]
    score = round(float(fuzz.ratio(normalize(q_part).text, normalize(matched).text)), 1)
    differences = []
    run, longest_cut = 0, 0
    for a, b, kind in inner:
        if kind in ("delete", "insert"):
            run += 1
            longest_cut = max(longest_cut, run)
        else:
            run = 0
        if kind == "equal":
            continue
        qa = quote[qw[a].start : qw[a].end] if a is not None else ""
        tb = text[tw[lo + b].start : tw[lo + b].end] if b is not None else ""
        if kind == "near" and qa == tb:
            continue
        differences.append((qa, tb))
    differences = _merge_runs(differences)
    if coverage == 1.0 and _fold(quote) == _fold(matched):
        status = "verbatim"
    elif coverage >= s.variant_coverage and longest_cut < s.cut_words and score >= s.score_cutoff:
        status = "variant"
    elif n_found >= min(s.min_partial_words, len(q)) and _longest_found_run(inner) >= min(s.min_partial_words, len(q)) - 1:
        status = "partial"
        if not trimmed:
            core = _core(quote, qw, text, tw, lo, inner, s)
            if len(core) < len(inner):
                return _judge(quote, qw, text, tw, q, lo, core, s, trimmed=True)
    else:
        return QuoteMatch("missing", 0.0)
    return QuoteMatch(status, score if status != "verbatim" else 100.0, start, end, matched, round(coverage, 3), differences)


def _longest_found_run(inner) -> int:
    """Most quote words found in one stretch; a single substituted word (has/had) does not end it."""
    best = run = 0
    for n, (_, _, kind) in enumerate(inner):
        if kind in ("equal", "near"):
            run += 1
        elif kind == "replace" and 0 < n < len(inner) - 1 and inner[n - 1][2] != "replace" and inner[n + 1][2] in ("equal", "near"):
            continue
        else:
            run = 0
        best = max(best, run)
    return best


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
    include_missing: bool = True,
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
        Also list the (quote, article) pairs where the quote was not found,
        with status ``missing`` (default). Large runs may turn this off: a pair
        absent from the table is then missing.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`MATCH_COLUMNS`: ``quote_id``, ``article_id`` (the
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
    for name, table, cols in (("quotes", quotes, ("quote_id", "article_id", "quote")), ("articles", articles, ("article_id", "text"))):
        missing = [c for c in cols if c not in table.columns]
        if missing:
            raise ParameterError(f"match_quotes: the {name} table lacks column(s) {missing}.", parameter=name)
    q_ids = quotes["quote_id"].tolist()
    q_arts = quotes["article_id"].tolist()
    q_texts = [q if isinstance(q, str) else "" for q in quotes["quote"].tolist()]
    a_ids = articles["article_id"].tolist()
    a_texts = articles["text"].tolist()
    index = CandidateIndex(q_texts)
    found: dict[tuple[int, int], QuoteMatch] = {}
    quote_words = {}
    by_article: dict[int, list[int]] = {}
    for ai, qi, _ in index.candidates(a_texts):
        if a_ids[ai] != q_arts[qi]:
            by_article.setdefault(ai, []).append(qi)
    for ai, qis in by_article.items():
        tw = words(a_texts[ai])
        for qi in qis:
            if qi not in quote_words:
                quote_words[qi] = words(q_texts[qi])
            m = _match_words(q_texts[qi], quote_words[qi], a_texts[ai], tw, s)
            if m.status != "missing":
                found[(qi, ai)] = m
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
