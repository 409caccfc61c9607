"""Group the same quotation across sources into clusters.

Two quotes are the same statement when one is found in the other's article,
*at the other quote*, as ``verbatim`` or ``variant``, or as ``partial`` covering
at least half of the shorter of the two. Different statements that share a
few words ("Moribund Miliband …") are never joined: a few shared words are
not a match (see :mod:`quotetrace.match`).

The clusters table (:data:`CLUSTER_COLUMNS`), one row per statement:

===================== ================================================================
column                meaning
===================== ================================================================
cluster_id            stable id: ``c`` + 12 hex digits from the smallest member quote_id
canonical             the wording from the earliest source (longest if dates are unknown)
n_quotes              member quotes (quotations of it in the corpus)
quote_ids             the member quote ids
variants              distinct wordings among the members (after typography folding)
sources               article ids that carry it: as a quotation, or found in the text
outlets               the outlets of those sources (``?`` when unknown)
n_sources             len(sources)
statuses              {article_id: status} for every article: how it carries the canonical
                      wording (its own source: verbatim), else the best status of any member
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

import pandas as pd

from .errors import ParameterError
from .match import STATUSES
from .text import fold, normalize

__all__ = ["cluster_quotes", "CLUSTER_COLUMNS"]

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


class _UnionFind:
    def __init__(self, items):
        self.parent = {x: x for x in items}

    def find(self, x):
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _speaker_key(s) -> str | None:
    if s is None or (isinstance(s, float) and pd.isna(s)) or pd.isna(s):
        return None
    return normalize(str(s)).text


def _date_range(published, precision) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    if pd.isna(published):
        return None
    start = pd.Timestamp(published)
    if precision == "year":
        return start, start + pd.DateOffset(years=1) - pd.Timedelta(days=1)
    if precision == "month":
        return start, start + pd.DateOffset(months=1) - pd.Timedelta(days=1)
    return start, start


def cluster_quotes(quotes: pd.DataFrame, matches: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Group quotes that are the same statement across sources.

    Parameters
    ----------
    quotes : pandas.DataFrame
        From :func:`quotetrace.extract_quotes`.
    matches : pandas.DataFrame
        From :func:`quotetrace.match_quotes` on the same quotes and articles.
    articles : pandas.DataFrame
        From :func:`quotetrace.load_corpus` (uses ``article_id``, ``outlet``,
        ``published``, ``published_precision``).

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
    q = quotes.set_index("quote_id", drop=False)
    uf = _UnionFind(q.index.tolist())
    by_article: dict[str, list[tuple[int, int, str, int]]] = {}
    for r in quotes.itertuples():
        if getattr(r, "section", "body") == "headline":
            continue  # its offsets index the headline, not the text a match points into
        by_article.setdefault(r.article_id, []).append((r.start, r.end, r.quote_id, r.end - r.start))
    # best status of each quote in each other article
    carried: dict[str, dict[str, str]] = {}
    found = matches[matches["status"] != "missing"]
    for m in found.itertuples():
        status = str(m.status)
        carried.setdefault(m.quote_id, {})[m.article_id] = status
        if m.quote_id not in q.index:
            continue
        qlen = q.at[m.quote_id, "end"] - q.at[m.quote_id, "start"]
        for s, e, other, olen in by_article.get(m.article_id, []):
            overlap = min(e, int(m.end)) - max(s, int(m.start))
            if overlap <= 0:
                continue
            joins = status in _JOINING or (status == "partial" and overlap >= 0.5 * min(qlen, olen))
            if joins:
                uf.union(m.quote_id, other)
    meta = articles.set_index("article_id")
    all_articles = articles["article_id"].tolist()
    groups: dict[str, list[str]] = {}
    for qid in quotes["quote_id"]:
        groups.setdefault(uf.find(qid), []).append(qid)
    rows = []
    for members in groups.values():
        rows.append(_cluster_row(members, q, carried, meta, all_articles))
    table = pd.DataFrame(rows, columns=CLUSTER_COLUMNS)
    table["n_quotes"] = table["n_quotes"].astype("int64")
    table["n_sources"] = table["n_sources"].astype("int64")
    table["first_published"] = pd.to_datetime(table["first_published"]).astype("datetime64[ns]")
    table["attribution_conflict"] = table["attribution_conflict"].astype("bool")
    table["first_seen_certain"] = table["first_seen_certain"].astype("boolean")
    for c in ("cluster_id", "canonical", "first_seen", "kind"):
        table[c] = table[c].astype("str")
    return table


def _cluster_row(members, q, carried, meta, all_articles) -> dict:
    member_rows = q.loc[members]
    statuses: dict[str, str] = {a: "missing" for a in all_articles}
    for aid in member_rows["article_id"]:
        statuses[aid] = "verbatim"
    for qid in members:
        for aid, st in carried.get(qid, {}).items():
            if _RANK[st] < _RANK[statuses.get(aid, "missing")]:
                statuses[aid] = st
    sources = [a for a in all_articles if statuses[a] != "missing"]
    dated = []
    for a in sources:
        rng = _date_range(meta.at[a, "published"], meta.at[a, "published_precision"]) if "published" in meta.columns else None
        if rng is not None:
            dated.append((rng[0], rng[1], a))
    first_seen = first_published = None
    certain = None
    if dated:
        dated.sort(key=lambda x: (x[0], x[1]))
        first_start, first_end, first_seen = dated[0]
        first_published = first_start
        certain = all(other_start > first_end for other_start, _, _ in dated[1:]) and len(dated) == len(sources)
    firsts = member_rows[member_rows["article_id"] == first_seen] if first_seen else member_rows.iloc[0:0]
    canonical_row = firsts.iloc[0] if len(firsts) else member_rows.loc[member_rows["quote"].str.len().idxmax()]
    # each source's status is how it carries the canonical wording, where the matcher compared them
    for aid, st in carried.get(canonical_row["quote_id"], {}).items():
        statuses[aid] = st
    variants = list(dict.fromkeys(member_rows["quote"].tolist()))
    folded, distinct = set(), []
    for v in variants:
        f = fold(v)
        if f not in folded:
            folded.add(f)
            distinct.append(v)
    speakers = []
    seen_keys = set()
    for s in member_rows["speaker"]:
        key = _speaker_key(s)
        if key and key not in seen_keys:
            seen_keys.add(key)
            speakers.append(str(s))
    outlets = [str(meta.at[a, "outlet"]) if "outlet" in meta.columns and not pd.isna(meta.at[a, "outlet"]) else "?" for a in sources]
    return {
        "cluster_id": "c" + hashlib.sha1(min(members).encode()).hexdigest()[:12],
        "canonical": canonical_row["quote"],
        "n_quotes": len(members),
        "quote_ids": sorted(members),
        "variants": distinct,
        "sources": sources,
        "outlets": outlets,
        "n_sources": len(sources),
        "statuses": statuses,
        "first_seen": first_seen,
        "first_published": first_published,
        "first_seen_certain": certain,
        "speakers": speakers,
        "attribution_conflict": len(speakers) > 1,
        "kind": "speech" if (member_rows["kind"] == "speech").any() else "term",
    }
