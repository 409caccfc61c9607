"""Group the same quotation across sources into clusters: one statement per cluster.

Two quotes are linked only on strong evidence: one is found in the other's
article, *at the other quote*, as ``verbatim`` or ``variant``, or as ``partial``
covering most (``PARTIAL_COVER``) of the shorter of the two; and the stretch
they share is at least a third of the longer one (a few words inside a long
speech are part of it, not the same statement). What a partial shares is
measured by the words the matcher found (its ``coverage``), never by its span
alone, which can run on past them over the end of another quote. A short quote
(fewer than ``short_words`` words), a quoted term, or a quote made only of the
language's common words needs more: the same wording in both quotations
(after typography folding), or a verbatim match with the same speaker. A few
shared words ("Moribund Miliband …") are never a link.

Links never chain. Each cluster is a star around one quote, its centre: the
quotes found whole in the most sources are centres first, and a quote joins a
cluster only through a link to that centre. So a quote that shares words with
two statements never merges them, and a statement's cluster holds only quotes
of it. Everything works over the found matches only (linear in their number).

The clusters table (:data:`CLUSTER_COLUMNS`), one row per statement:

===================== ================================================================
column                meaning
===================== ================================================================
cluster_id            stable id: ``c`` + 12 hex digits from the smallest member quote_id
canonical             the wording from the earliest source (longest if dates are unknown)
n_quotes              member quotes (quotations of it in the corpus)
quote_ids             the member quote ids
variants              distinct wordings among the members (after typography folding)
sources               article ids that carry it: as a quotation, or found in the text (a
                      short quote, a term or one of common words: only where quoted there too)
outlets               the outlets of those sources (``?`` when unknown)
n_sources             len(sources)
statuses              {article_id: status} for every article that carries it (sparse: an
                      article absent is missing): how it carries the canonical wording (its
                      own source: verbatim), else the best status of any member
first_seen            article id of the earliest published source (None if no dates)
first_published       its publication date
first_seen_certain    False when another source's date could be as early
speakers              distinct speakers the sources give (None dropped)
attribution_conflict  True when sources give different speakers
kind                  ``speech`` if any member is speech, else ``term``
===================== ================================================================
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

import numpy as np
import pandas as pd

from .errors import ParameterError
from .index import is_common
from .match import STATUSES
from .quotes import LEAD_SECTIONS
from .text import fold, normalize, word_list

__all__ = ["cluster_quotes", "carried_matches", "CLUSTER_COLUMNS"]

CLUSTER_COLUMNS = [
    "cluster_id",
    "canonical",
    "n_quotes",
    "quote_ids",
    "variants",
    "sources",
    "outlets",
    "n_sources",
    "statuses",
    "first_seen",
    "first_published",
    "first_seen_certain",
    "speakers",
    "attribution_conflict",
    "kind",
]
_RANK = {s: n for n, s in enumerate(STATUSES)}
_JOINING = {"verbatim", "variant"}
PARTIAL_COVER = 0.6  # a partial links two quotes when it covers this share of the shorter one
CONTAINED_SHARE = 1 / 3  # ... and at least this share of the longer one
SHORT_WORDS = 5  # a quote with fewer words needs the same wording, or verbatim and the same speaker


def _speaker_key(s) -> str | None:
    if s is None or (isinstance(s, float) and pd.isna(s)) or pd.isna(s):
        return None
    return _normalized(str(s))


@lru_cache(maxsize=100_000)
def _normalized(s: str) -> str:
    return normalize(s).text


@lru_cache(maxsize=100_000)
def _folded(s: str) -> str:
    return fold(s)


def _fold(s) -> str:
    """Typography-folded wording (the same text is folded once: copies of a quote are common)."""
    return _folded(s) if isinstance(s, str) else ""


def _date_range(published, precision) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    if pd.isna(published):
        return None
    start = pd.Timestamp(published)
    if precision == "year":
        return start, start + pd.DateOffset(years=1) - pd.Timedelta(days=1)
    if precision == "month":
        return start, start + pd.DateOffset(months=1) - pd.Timedelta(days=1)
    return start, start


def _links(quotes: pd.DataFrame, found: pd.DataFrame, reach: int = 4) -> pd.DataFrame:
    """Every (quote, other quote, status, overlap) where a match of one lands on the other.

    The quotes are sorted by article and start; each match looks only at the few quotes
    starting just before its end (``reach``), so this is linear in the matches, never
    matches x quotes per article."""
    codes, _ = pd.factorize(pd.concat([quotes["article_id"], found["article_id"]], ignore_index=True))
    q_art, m_art = codes[: len(quotes)].astype(np.int64), codes[len(quotes) :].astype(np.int64)
    q_start, q_end = quotes["start"].to_numpy(np.int64), quotes["end"].to_numpy(np.int64)
    m_start, m_end = found["start"].to_numpy(np.int64), found["end"].to_numpy(np.int64)
    big = np.int64(max(int(q_end.max(initial=0)), int(m_end.max(initial=0))) + 2)
    order = np.lexsort((q_start, q_art))
    if "section" in quotes.columns:  # matches land on the reporting: never on a headline or highlight quote
        order = order[(~quotes["section"].isin(LEAD_SECTIONS)).to_numpy()[order]]
    key = q_art[order] * big + q_start[order]
    last = np.searchsorted(key, m_art * big + m_end, side="left") - 1  # last quote starting before the match ends
    parts = []
    for back in range(reach):
        at = last - back
        ok = at >= 0
        o = order[np.where(ok, at, 0)]
        ok &= (q_art[o] == m_art) & (q_end[o] > m_start)
        idx = np.nonzero(ok)[0]
        o = o[idx]
        overlap = np.minimum(m_end[idx], q_end[o]) - np.maximum(m_start[idx], q_start[o])
        parts.append(pd.DataFrame({"row": idx, "other": o, "overlap": overlap}))
    pairs = pd.concat(parts, ignore_index=True)
    pairs = pairs.assign(qi=found["qi"].to_numpy()[pairs["row"]], status=found["status"].to_numpy()[pairs["row"]],
                         coverage=pd.to_numeric(found["coverage"], errors="coerce").to_numpy(np.float64)[pairs["row"]])
    return pairs[(pairs["overlap"] > 0) & (pairs["qi"] != pairs["other"])]


def _weak_quotes(quotes: pd.DataFrame, language: str | None, common_zipf: float) -> np.ndarray:
    """Quotes that need more than a match to be linked: short, terms, or only common words."""
    texts = quotes["quote"].where(quotes["quote"].map(lambda t: isinstance(t, str)), "")
    codes, uniq = pd.factorize(texts)
    words = [word_list(t) for t in uniq]
    weak = np.fromiter((len(w) < SHORT_WORDS for w in words), dtype=bool, count=len(words))
    if language is not None:
        common = lru_cache(maxsize=None)(lambda w: is_common(w, language, common_zipf))
        weak |= np.fromiter((all(common(x) for x in w) for w in words), dtype=bool, count=len(words))
    return weak[codes] | (quotes["kind"] == "term").to_numpy()


def cluster_quotes(
    quotes: pd.DataFrame,
    matches: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    language: str | None = "en",
    common_zipf: float = 5.6,
) -> pd.DataFrame:
    """Group quotes that are the same statement across sources.

    Parameters
    ----------
    quotes : pandas.DataFrame
        From :func:`quotetrace.extract_quotes`.
    matches : pandas.DataFrame
        From :func:`quotetrace.match_quotes` on the same quotes and articles
        (sparse or with the missing pairs; only found pairs are used).
    articles : pandas.DataFrame
        From :func:`quotetrace.load_corpus` (uses ``article_id``, ``outlet``,
        ``published``, ``published_precision``).
    language, common_zipf
        Which words are common (as in :class:`quotetrace.MatchSettings`): a
        quote made only of them needs more to be linked.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CLUSTER_COLUMNS`, one row per statement, ordered by the
        position of its first member quote in the quotes table.
    """
    for name, table, cols in (
        ("quotes", quotes, ("quote_id", "article_id", "start", "end", "quote", "speaker", "kind")),
        ("matches", matches, ("quote_id", "article_id", "status", "coverage", "start", "end")),
        ("articles", articles, ("article_id",)),
    ):
        missing = [c for c in cols if c not in table.columns]
        if missing:
            raise ParameterError(f"cluster_quotes: the {name} table lacks column(s) {missing}.", parameter=name)
    quotes = quotes.reset_index(drop=True)
    n = len(quotes)
    found, links, strong, weak_q = _evidence(quotes, matches, language, common_zipf)
    qi, other = links["qi"].to_numpy(np.int64), links["other"].to_numpy(np.int64)
    status = links["status"].to_numpy()
    whole = np.bincount(qi[strong & np.isin(status, list(_JOINING))], minlength=n)
    groups = _stars(n, qi[strong], other[strong], whole)
    # --- one row per statement ------------------------------------------------------------
    carried = _carried(found[_counts(found, links, strong, weak_q)])
    return _table(quotes, groups, carried, articles)


def _evidence(quotes: pd.DataFrame, matches: pd.DataFrame, language: str | None, common_zipf: float):
    """The found matches (with ``qi``, the quote's position), the links between quotes they make, which links
    are strong evidence, and which quotes are weak (quotes indexed from 0)."""
    n = len(quotes)
    qpos = pd.Series(np.arange(n), index=quotes["quote_id"].to_numpy())
    qpos = qpos[~qpos.index.duplicated()]
    found = matches[(matches["status"].astype(str) != "missing") & matches["quote_id"].isin(qpos.index)]
    found = found.assign(qi=qpos.reindex(found["quote_id"].to_numpy()).to_numpy(), status=found["status"].astype(str))
    links = _links(quotes, found)
    lengths = (quotes["end"] - quotes["start"]).to_numpy(np.int64)
    qi, other = links["qi"].to_numpy(np.int64), links["other"].to_numpy(np.int64)
    status = links["status"].to_numpy()
    overlap = links["overlap"].to_numpy(np.int64)
    # what a partial shares is at most the share of its quote's words the matcher found: its span can run on
    # past them (a few stray words further on), over the end of a shorter quote of another statement
    partial = status == "partial"
    coverage = np.nan_to_num(links["coverage"].to_numpy(np.float64), nan=1.0)
    overlap = np.where(partial, np.minimum(overlap, np.ceil(coverage * lengths[qi])).astype(np.int64), overlap)
    strong = np.isin(status, list(_JOINING)) | (partial & (overlap >= PARTIAL_COVER * np.minimum(lengths[qi], lengths[other])))
    # a few words found inside a much longer quotation (a speech, or a quote run on by mistake) are part
    # of it, not the same statement: that would make the long one a hub between statements
    strong &= overlap >= CONTAINED_SHARE * np.maximum(lengths[qi], lengths[other])
    weak_q = _weak_quotes(quotes, language, common_zipf)
    needs_more = strong & (weak_q[qi] | weak_q[other])
    if needs_more.any():
        texts = quotes["quote"].tolist()
        speakers = quotes["speaker"].tolist()
        for k in np.nonzero(needs_more)[0].tolist():
            a, b = int(qi[k]), int(other[k])
            same_words = _fold(texts[a]) == _fold(texts[b])
            same_speaker = status[k] == "verbatim" and _speaker_key(speakers[a]) is not None and _speaker_key(speakers[a]) == _speaker_key(speakers[b])
            strong[k] = same_words or same_speaker
    return found, links, strong, weak_q


def _counts(found: pd.DataFrame, links: pd.DataFrame, strong: np.ndarray, weak_q: np.ndarray) -> np.ndarray:
    """Which found matches say that their article carries the quote: all, but for a weak quote (short, a term,
    or only common words) only those that land on a quotation there it is linked to (the same words quoted):
    "engineering" in the running text of an unrelated article is not that article carrying the quoted term."""
    keep = ~weak_q[found["qi"].to_numpy(np.int64)]
    keep[links["row"].to_numpy(np.int64)[strong]] = True
    return keep


def carried_matches(quotes: pd.DataFrame, matches: pd.DataFrame, *, language: str | None = "en", common_zipf: float = 5.6) -> pd.DataFrame:
    """The found rows of ``matches`` that count as another source carrying the quote, as :func:`cluster_quotes`
    counts them: every match of a quote of five words or more; a short quote, a quoted term or one of only common
    words only where the other source quotes the same words too (or verbatim, with the same speaker)."""
    quotes = quotes.reset_index(drop=True)
    found, links, strong, weak_q = _evidence(quotes, matches, language, common_zipf)
    return found[_counts(found, links, strong, weak_q)].drop(columns=["qi"])


def _stars(n: int, a: np.ndarray, b: np.ndarray, whole: np.ndarray) -> list[list[int]]:
    """Clusters as stars. Centres first: the quotes found whole (verbatim or variant) in the most
    other sources, then those with the most links, then the earlier; every quote joins the first
    centre it is linked to, or becomes one. A quote that stitches two statements together is found
    whole nowhere, so it is never a centre that could pull both in. Members, in quote order."""
    src = np.concatenate([a, b])
    dst = np.concatenate([b, a])
    keep = src != dst
    src, dst = src[keep], dst[keep]
    pair = np.unique(src * np.int64(n) + dst)
    src, dst = pair // n, pair % n
    degree = np.bincount(src, minlength=n)
    starts = np.searchsorted(src, np.arange(n + 1))
    centre = np.full(n, -1, dtype=np.int64)
    for x in np.lexsort((np.arange(n), -degree, -whole)).tolist():
        if centre[x] >= 0:
            continue
        centre[x] = x
        nb = dst[starts[x] : starts[x + 1]]
        nb = nb[centre[nb] < 0]
        centre[nb] = x
    order = np.argsort(centre, kind="stable")
    bounds = np.nonzero(np.diff(centre[order]))[0] + 1
    groups = [g.tolist() for g in np.split(order, bounds)] if n else []
    groups.sort(key=lambda g: g[0])
    return groups


def _carried(found: pd.DataFrame) -> dict[int, dict[str, str]]:
    """Best status of each quote (by position) in each other article it was found in."""
    out: dict[int, dict[str, str]] = {}
    for qi, aid, st in zip(found["qi"].tolist(), found["article_id"].tolist(), found["status"].tolist()):
        d = out.setdefault(qi, {})
        if _RANK[st] < _RANK[d.get(aid, "missing")]:
            d[aid] = st
    return out


def _table(quotes: pd.DataFrame, groups: list[list[int]], carried, articles: pd.DataFrame) -> pd.DataFrame:
    a_ids = articles["article_id"].tolist()
    a_pos = {a: k for k, a in enumerate(a_ids)}
    n_a = len(a_ids)
    outlet = articles["outlet"].tolist() if "outlet" in articles.columns else [None] * n_a
    outlet = ["?" if o is None or (isinstance(o, float) and pd.isna(o)) or o is pd.NA else str(o) for o in outlet]
    if "published" in articles.columns:
        pub = pd.to_datetime(articles["published"]).tolist()
        prec = articles["published_precision"].tolist() if "published_precision" in articles.columns else ["day"] * n_a
        ranges = [_date_range(p, c) for p, c in zip(pub, prec)]
    else:
        ranges = [None] * n_a
    q_ids = quotes["quote_id"].tolist()
    q_art = quotes["article_id"].tolist()
    q_text = quotes["quote"].tolist()
    q_speaker = quotes["speaker"].tolist()
    q_kind = quotes["kind"].tolist()
    rows = []
    for members in groups:
        statuses: dict[str, str] = {}
        for m in members:
            for aid, st in carried.get(m, {}).items():
                if _RANK[st] < _RANK[statuses.get(aid, "missing")]:
                    statuses[aid] = st
        for m in members:
            statuses[q_art[m]] = "verbatim"
        sources = sorted((a for a in statuses if a in a_pos), key=a_pos.__getitem__)
        dated = [(r[0], r[1], a) for a in sources if (r := ranges[a_pos[a]]) is not None]
        first_seen = first_published = certain = None
        if dated:
            dated.sort(key=lambda x: (x[0], x[1]))
            first_start, first_end, first_seen = dated[0]
            first_published = first_start
            certain = all(o > first_end for o, _, _ in dated[1:]) and len(dated) == len(sources)
        firsts = [m for m in members if q_art[m] == first_seen] if first_seen else []
        canonical = firsts[0] if firsts else max(members, key=lambda m: (len(q_text[m]) if isinstance(q_text[m], str) else 0, -m))
        # each source's status is how it carries the canonical wording, where the matcher compared them
        for aid, st in carried.get(canonical, {}).items():
            statuses[aid] = st
        if len({q_text[m] for m in members}) == 1:  # one wording: nothing to fold
            variants = [q_text[members[0]]]
        else:
            variants, folded = [], set()
            for m in members:
                f = _fold(q_text[m])
                if f not in folded:
                    folded.add(f)
                    variants.append(q_text[m])
        speakers, keys = [], set()
        for m in members:
            key = _speaker_key(q_speaker[m])
            if key and key not in keys:
                keys.add(key)
                speakers.append(str(q_speaker[m]))
        rows.append(
            {
                "cluster_id": "c" + hashlib.sha1(min(q_ids[m] for m in members).encode()).hexdigest()[:12],
                "canonical": q_text[canonical],
                "n_quotes": len(members),
                "quote_ids": sorted(q_ids[m] for m in members),
                "variants": variants,
                "sources": sources,
                "outlets": [outlet[a_pos[a]] for a in sources],
                "n_sources": len(sources),
                "statuses": {a: statuses[a] for a in sources},
                "first_seen": first_seen,
                "first_published": first_published,
                "first_seen_certain": certain,
                "speakers": speakers,
                "attribution_conflict": len(speakers) > 1,
                "kind": "speech" if any(q_kind[m] == "speech" for m in members) else "term",
            }
        )
    table = pd.DataFrame(rows, columns=CLUSTER_COLUMNS)
    table["n_quotes"] = table["n_quotes"].astype("int64")
    table["n_sources"] = table["n_sources"].astype("int64")
    table["first_published"] = pd.to_datetime(table["first_published"]).astype("datetime64[ns]")
    table["attribution_conflict"] = table["attribution_conflict"].astype("bool")
    table["first_seen_certain"] = table["first_seen_certain"].astype("boolean")
    for c in ("cluster_id", "canonical", "first_seen", "kind"):
        table[c] = table[c].astype("str")
    return table
