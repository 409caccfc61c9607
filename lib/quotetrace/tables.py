"""The tables and findings a fact-checker reads.

Every source's status says how that source carries a statement's *canonical
wording* (the wording of the earliest source), as the matcher found it:

========== =========================================================================
status     meaning
========== =========================================================================
source     the source whose wording (the canonical one) the others are compared with (not a check of anything)
verbatim   the canonical wording is in this source word for word
variant    it is there with a few words changed (the ``differences`` say which)
partial    only part of it is there
missing    it is not there (the source may still carry its own, different wording,
           such as a paraphrase: see ``wording``)
========== =========================================================================

A source that quotes the statement in its own words is **not** ``verbatim``
because it belongs to the statement's cluster: its status is the matcher's
answer for the canonical wording in that source. A matches table may be
sparse (only found pairs as rows): an absent pair means ``missing``.

:func:`statement_sources` gives the long layout, one row per statement and
source that carries it (:data:`STATEMENT_SOURCE_COLUMNS`):

============== ===================================================================
column         meaning
============== ===================================================================
cluster_id     the statement (quote cluster, stable across runs)
quote          its canonical wording
source         the source's label (outlet, else file name)
article_id     the source article
published      the source's publication date (empty when unknown)
status         see above
wording        the words this source has: its own quotation of the statement, or the
               text where the canonical wording was found
speaker        who this source says spoke (empty when it names nobody)
differences    canonical word → this source's word (``−word`` dropped, ``+word`` added)
============== ===================================================================

:func:`verification_table` gives one row per statement, columns
:data:`VERIFICATION_COLUMNS`, one status column per source (named by
:func:`source_labels`), then :data:`VERDICT_COLUMNS_SHOWN`:

============== ===================================================================
column         meaning
============== ===================================================================
cluster_id     the cluster (stable across runs)
quote          the canonical wording (from the earliest source)
speakers       the speakers the sources give, joined with " / "
conflict       ``True`` when sources attribute the words to different people
kind           ``speech`` or ``term``
n_sources      how many sources carry it
first_source   label of the earliest published source (``?`` when no dates);
               a trailing ``*`` means another source's date could be as early
differences    each source's differences from the canonical wording,
               ``source: quote word → source word``, joined with `` | ``
<source>       source / verbatim / variant / partial / missing, one column per source
verdict, verdict_note, reviewer, verdict_at
               the current fact-checker's verdict (see :mod:`quotetrace.verdicts`),
               empty when none
============== ===================================================================

The ``*_html`` functions render findings and tables as self-contained,
escaped HTML (:class:`HTMLBlock`, shown as HTML in a notebook) that wraps
long text instead of cutting it, and fits a 800-pixel-wide page.
"""

from __future__ import annotations

import difflib
import html
import re
from typing import Iterable

import numpy as np
import pandas as pd

from .errors import ParameterError
from .text import word_list, word_spans
from .verdicts import _empty, attach_verdicts

__all__ = [
    "VERIFICATION_COLUMNS",
    "STATEMENT_SOURCE_COLUMNS",
    "REPORT_STATUSES",
    "STATUS_COLOURS",
    "CLAIM_STATUS_COLOURS",
    "HTMLBlock",
    "source_labels",
    "summary",
    "statement_sources",
    "verification_table",
    "format_differences",
    "found_elsewhere",
    "heading",
    "claims_table",
    "source_columns",
    "word_diff_html",
    "quote_summary_html",
    "quote_findings_html",
    "originals_findings_html",
    "CHECK_VERDICT_COLOURS",
    "claim_summary_html",
    "claim_findings_html",
    "statements_html",
    "claim_groups_html",
    "table_html",
    "single_source_html",
    "provenance_html",
    "status_legend_html",
    "VERDICT_COLUMNS_SHOWN",
]

VERIFICATION_COLUMNS = ["cluster_id", "quote", "speakers", "conflict", "kind", "n_sources", "first_source", "differences"]
STATEMENT_SOURCE_COLUMNS = ["cluster_id", "quote", "source", "article_id", "published", "status", "wording", "speaker", "differences"]
VERDICT_COLUMNS_SHOWN = ["verdict", "verdict_note", "reviewer", "verdict_at"]
REPORT_STATUSES = ("source", "verbatim", "variant", "partial", "missing")
STATUS_COLOURS = {"source": "#c6dbef", "verbatim": "#66bd63", "variant": "#fdae61", "partial": "#fee08b", "missing": "#e0e0e0"}
CLAIM_STATUS_COLOURS = {"corroborated": "#1a9850", "more_specific": "#91cf60", "conflicting": "#d73027", "single_source": "#bdbdbd"}
STATUS_MEANING = {
    "source": "the source whose wording the others are compared with (the first source is under Who was first)",
    "verbatim": "word for word",
    "variant": "a few words changed",
    "partial": "only in part",
    "missing": "not there (perhaps in other words)",
}
_FOUND = ("verbatim", "variant", "partial")


class HTMLBlock(str):
    """A string of HTML that a notebook shows rendered (and tests read as text)."""

    def _repr_html_(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        return f"<quotetrace HTML, {len(self):,} characters>"


def heading(text: str, level: int = 2) -> str:
    """A Markdown heading with any HTML in ``text`` escaped, and the Markdown that makes links
    (``[x](javascript:…)``), images and code (brackets, backticks, backslashes) escaped too.

    >>> heading("Tweetgate <b>report</b>")
    '## Tweetgate &lt;b&gt;report&lt;/b&gt;'
    >>> print(heading("[x](javascript:alert(1))"))
    ## \\[x\\](javascript:alert(1))
    """
    return "#" * level + " " + re.sub(r"([\\`\[\]])", r"\\\1", html.escape(str(text), quote=False))


def source_labels(articles: pd.DataFrame) -> dict[str, str]:
    """A short, unique, human label per article: the outlet, else the file name.

    >>> source_labels(pd.DataFrame({"article_id": ["a1", "a2", "a3"], "outlet": ["Express", None, "Express"],
    ...                             "path": ["x.txt", "000_1c84.txt", "y.txt"]}))
    {'a1': 'Express (x.txt)', 'a2': '000_1c84.txt', 'a3': 'Express (y.txt)'}
    """
    outlets = articles["outlet"] if "outlet" in articles.columns else pd.Series([None] * len(articles))
    paths = articles["path"] if "path" in articles.columns else articles["article_id"]
    base = [str(o) if isinstance(o, str) and o else str(p) for o, p in zip(outlets, paths)]
    counts = pd.Series(base).value_counts()
    labels = {}
    reserved = {c.lower() for c in VERIFICATION_COLUMNS + VERDICT_COLUMNS_SHOWN}
    for aid, b, p in zip(articles["article_id"], base, paths):
        label = f"{b} ({p})" if counts[b] > 1 and b != str(p) else b
        labels[aid] = f"{label} (source)" if label.lower() in reserved else label  # an outlet called "quote" keeps its column
    return labels


def _blank(value) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text(value) -> str:
    """A cell as plain text: empty for NA/NaN/NaT/None, dates as YYYY-MM-DD, lists joined."""
    if isinstance(value, (list, tuple)):
        return "; ".join(_text(v) for v in value if not _blank(v))
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items())
    if _blank(value):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d") if value == value.normalize() else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _clip(text) -> str:
    """A quotation for display inside quotation marks: the comma or colon it ended on in its sentence dropped."""
    return _text(text).rstrip(" ,;:")


def _date_text(published, precision=None) -> str:
    """``2015-01-07``, ``2015-01`` (month known), ``2015`` (year known), or empty."""
    if _blank(published):
        return ""
    ts = pd.Timestamp(published)
    if precision == "year":
        return ts.strftime("%Y")
    if precision == "month":
        return ts.strftime("%Y-%m")
    return ts.strftime("%Y-%m-%d")


def _published_span(articles: pd.DataFrame, dated: pd.Series) -> str:
    """``, published 2015-01 to 2015-01-07``: the earliest and latest dates, each as precise as its source gives it."""
    if not len(dated):
        return ""
    precision = articles["published_precision"] if "published_precision" in articles else pd.Series(None, index=articles.index)
    lo, hi = dated.idxmin(), dated.idxmax()
    lo, hi = _date_text(dated[lo], precision.get(lo)), _date_text(dated[hi], precision.get(hi))
    return f", published {lo}" + (f" to {hi}" if hi != lo else "")


def format_differences(differences) -> str:
    """Word differences as text: ``Moribound → Moribund; −else; +today``.

    >>> format_differences([("Moribound", "Moribund"), ("else", ""), ("", "today")])
    'Moribound → Moribund; −else; +today'
    """
    parts = []
    for a, b in differences if isinstance(differences, (list, tuple)) else []:
        if a and b:
            parts.append(f"{a} → {b}")
        elif a:
            parts.append(f"−{a}")
        elif b:
            parts.append(f"+{b}")
    return "; ".join(parts)


def _check(name: str, table: pd.DataFrame, cols: Iterable[str], where: str) -> None:
    missing = [c for c in cols if c not in table.columns]
    if missing:
        raise ParameterError(f"{where}: the {name} table lacks column(s) {missing}.", parameter=name)


def _carried_only(quotes: pd.DataFrame, matches: pd.DataFrame) -> pd.DataFrame:
    """The found matches that say another source carries the quote (:func:`quotetrace.clusters.carried_matches`),
    or every found match when the tables lack what that needs (a quotes table made by hand)."""
    from .clusters import carried_matches

    if {"start", "end", "kind", "speaker", "quote"} - set(quotes.columns) or {"start", "end", "coverage"} - set(matches.columns):
        return matches[matches["status"].astype(str) != "missing"]
    return carried_matches(quotes, matches)


def found_elsewhere(quotes: pd.DataFrame, matches: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Every quote found in another source: ``quote_id``, ``quote``, ``speaker``, ``quoted_in``,
    ``found_in``, ``status``, ``score``, ``coverage``, ``matched_text``, ``differences`` (as text).

    Ordered by status (verbatim first), then quote order. Works on full and sparse matches tables. A short
    quote, a quoted term or one of only common words counts as found only where the other source quotes it too
    (:func:`quotetrace.clusters.carried_matches`): a single word in another article's running text is not that.
    """
    labels = source_labels(articles)
    found = _carried_only(quotes, matches)
    found = found[found["status"].astype(str).isin(_FOUND)]
    table = found.merge(quotes[["quote_id", "article_id", "quote", "speaker"]], on="quote_id", suffixes=("", "_quote"))
    table = table.assign(
        quoted_in=table["article_id_quote"].map(labels),
        found_in=table["article_id"].map(labels),
        differences=table["differences"].map(format_differences),
        _order=table["quote_id"].map({q: n for n, q in enumerate(quotes["quote_id"])}),
        _rank=table["status"].astype(str).map({s: n for n, s in enumerate(REPORT_STATUSES)}),
    )
    table = table.sort_values(["_rank", "_order", "found_in"], kind="stable").reset_index(drop=True)
    table["status"] = table["status"].astype(str)
    return table[["quote_id", "quote", "speaker", "quoted_in", "found_in", "status", "score", "coverage", "matched_text", "differences"]]


def summary(articles: pd.DataFrame, quotes: pd.DataFrame, matches: pd.DataFrame, clusters: pd.DataFrame) -> pd.DataFrame:
    """Headline counts for the top of a report: one row per measure (``measure``, ``count``)."""
    speech = clusters[clusters["kind"] == "speech"]
    found = _carried_only(quotes, matches)  # as the statements count them
    status = found["status"].astype(str)
    rows = [
        ("articles", len(articles)),
        ("quotations", len(quotes)),
        ("  of which speech", int((quotes["kind"] == "speech").sum())),
        ("  of which terms (quoted words, labels)", int((quotes["kind"] == "term").sum())),
        ("statements (quote clusters)", len(clusters)),
        ("statements in one source only", int((speech["n_sources"] == 1).sum())),
        ("statements in two or more sources", int((speech["n_sources"] >= 2).sum())),
        ("statements with attribution conflicts", int(clusters["attribution_conflict"].sum())),
        ("quotes found verbatim in another source", int(found[status == "verbatim"]["quote_id"].nunique())),
        ("quotes found as a variant in another source", int(found[status == "variant"]["quote_id"].nunique())),
        ("quotes found only in part in another source", int(found[status == "partial"]["quote_id"].nunique())),
    ]
    return pd.DataFrame(rows, columns=["measure", "count"])


def source_columns(table: pd.DataFrame) -> list[str]:
    """The per-source status columns of a verification table."""
    return [c for c in table.columns if c not in VERIFICATION_COLUMNS and c not in VERDICT_COLUMNS_SHOWN]


def _canonical_quote_ids(clusters: pd.DataFrame, quotes: pd.DataFrame) -> dict[str, str]:
    """cluster_id → the member quote whose wording is the canonical one (in the earliest source)."""
    order = {q: n for n, q in enumerate(quotes["quote_id"])}
    text = dict(zip(quotes["quote_id"], quotes["quote"]))
    article = dict(zip(quotes["quote_id"], quotes["article_id"]))
    out = {}
    for cid, canonical, members, first in zip(clusters["cluster_id"], clusters["canonical"], clusters["quote_ids"], clusters["first_seen"]):
        members = sorted((q for q in members if q in order), key=order.get)
        if not members:
            continue
        same = [q for q in members if text[q] == canonical]
        firsts = [q for q in same if article[q] == first]
        out[cid] = (firsts or same or members)[0]
    return out


def statement_sources(
    clusters: pd.DataFrame, matches: pd.DataFrame, quotes: pd.DataFrame, articles: pd.DataFrame, *, verification: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The long layout: one row per statement and source that carries it, with that source's status.

    Parameters
    ----------
    clusters : pandas.DataFrame
        From :func:`quotetrace.cluster_quotes`.
    matches : pandas.DataFrame
        From :func:`quotetrace.match_quotes`, full or sparse (an absent pair is missing).
    quotes : pandas.DataFrame
        From :func:`quotetrace.extract_quotes`.
    articles : pandas.DataFrame
        From :func:`quotetrace.load_corpus`.
    verification : pandas.DataFrame, optional
        The verification table: its statements' order and current verdicts
        (:data:`VERDICT_COLUMNS_SHOWN`, added as columns) are used.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`STATEMENT_SOURCE_COLUMNS` (then the verdict columns when
        ``verification`` is given), statements in the clusters' (or the verification table's)
        order; within one, the canonical source first, then by date (undated
        last) and label. A source is listed when the canonical wording is
        found in it, when it quotes a member of the statement, or when the
        clusters table lists it; its ``status`` is always the matcher's
        answer for the canonical wording.
    """
    _check("clusters", clusters, ("cluster_id", "canonical", "quote_ids", "sources", "first_seen"), "statement_sources")
    _check("matches", matches, ("quote_id", "article_id", "status", "matched_text", "differences"), "statement_sources")
    _check("quotes", quotes, ("quote_id", "article_id", "quote", "speaker"), "statement_sources")
    labels = source_labels(articles)
    ids = articles["article_id"]
    dates = dict(zip(ids, articles["published"] if "published" in articles else [None] * len(articles)))
    precision = dict(zip(ids, articles["published_precision"] if "published_precision" in articles else [None] * len(articles)))
    date_text = {a: _date_text(dates[a], precision[a]) for a in dates}  # once per article, not once per row
    undated = _date_text(None, None)
    canonical_ids = _canonical_quote_ids(clusters, quotes)
    quote_article = dict(zip(quotes["quote_id"], quotes["article_id"]))
    quote_text = dict(zip(quotes["quote_id"], quotes["quote"]))
    quote_speaker = dict(zip(quotes["quote_id"], quotes["speaker"]))
    wanted = {m for ms in clusters["quote_ids"] for m in ms}
    carried = _carried_only(quotes, matches)  # a short quote or a term: only where the other source quotes it too
    found_rows = carried[carried["quote_id"].isin(wanted) & carried["status"].astype(str).isin(_FOUND)]
    found = {(r.quote_id, r.article_id): r for r in found_rows.itertuples(index=False)}
    found_by_quote: dict[str, list[str]] = {}
    for qid, aid in found:
        found_by_quote.setdefault(qid, []).append(aid)
    rows = []
    for c in clusters.itertuples(index=False):
        cqid = canonical_ids.get(c.cluster_id)
        if cqid is None:
            continue
        home = quote_article[cqid]
        own: dict[str, str] = {}
        for m in sorted(c.quote_ids):
            if m in quote_article:
                own.setdefault(quote_article[m], m)
        own[home] = cqid
        sources = dict.fromkeys([home, *own, *found_by_quote.get(cqid, []), *c.sources])
        block = []
        for aid in sources:
            hit = found.get((cqid, aid))
            mine = own.get(aid)
            if aid == home:
                status, wording, diffs = "source", c.canonical, ""
            else:
                status = str(hit.status) if hit is not None else "missing"
                diffs = format_differences(hit.differences) if hit is not None else ""
                if mine is not None:
                    wording = quote_text[mine]
                elif hit is not None:
                    wording = hit.matched_text
                else:  # carried through another member's wording
                    other = next((found[(m, aid)] for m in c.quote_ids if (m, aid) in found), None)
                    wording = other.matched_text if other is not None else ""
            speaker = quote_speaker[mine] if mine is not None else None
            block.append(
                {
                    "cluster_id": c.cluster_id,
                    "quote": c.canonical,
                    "source": labels.get(aid, aid),
                    "article_id": aid,
                    "published": date_text.get(aid, undated),
                    "status": status,
                    "wording": wording,
                    "speaker": "" if _blank(speaker) else str(speaker),
                    "differences": diffs,
                }
            )
        head, rest = block[0], block[1:]
        rest.sort(key=lambda r: (r["published"] == "", r["published"], r["source"]))
        rows.extend([head, *rest])
    table = pd.DataFrame(rows, columns=STATEMENT_SOURCE_COLUMNS)
    table["status"] = pd.Categorical(table["status"], categories=list(REPORT_STATUSES))
    if verification is not None:
        order = {c: n for n, c in enumerate(verification["cluster_id"])}
        rank = np.array([order.get(c, len(order)) for c in table["cluster_id"]], dtype=np.int64)
        table = table.iloc[np.argsort(rank, kind="stable")]  # the verification table's order, then as built
        shown = [c for c in VERDICT_COLUMNS_SHOWN if c in verification]
        table = table.merge(verification[["cluster_id", *shown]], on="cluster_id", how="left", sort=False)
    return table.reset_index(drop=True)


def verification_table(
    clusters: pd.DataFrame,
    matches: pd.DataFrame,
    articles: pd.DataFrame,
    verdicts: pd.DataFrame | None = None,
    *,
    quotes: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per statement with its status in every source.

    Parameters
    ----------
    clusters : pandas.DataFrame
        From :func:`quotetrace.cluster_quotes`.
    matches : pandas.DataFrame
        From :func:`quotetrace.match_quotes` (full or sparse).
    articles : pandas.DataFrame
        From :func:`quotetrace.load_corpus`.
    verdicts : pandas.DataFrame, optional
        The verdict history (:func:`quotetrace.verdicts.verdicts`); the current
        verdict of each statement is added.
    quotes : pandas.DataFrame
        From :func:`quotetrace.extract_quotes`: needed to tell each source's own
        quotation from the canonical wording.
    sources : pandas.DataFrame, optional
        :func:`statement_sources` if already computed.

    Returns
    -------
    pandas.DataFrame
        :data:`VERIFICATION_COLUMNS`, one status column per source in the
        articles' order, then :data:`VERDICT_COLUMNS_SHOWN`; rows: statements
        carried by most sources first, then in the order of the clusters table.

    Raises
    ------
    ParameterError
        A table lacks a column, or neither ``quotes`` nor ``sources`` is given.
    """
    _check("clusters", clusters, ("cluster_id", "canonical", "quote_ids", "speakers", "first_seen"), "verification_table")
    if sources is None:
        if quotes is None:
            raise ParameterError(
                "verification_table needs the quotes table (quotes=...) to tell each source's own quotation from the "
                "canonical wording.",
                parameter="quotes",
            )
        sources = statement_sources(clusters, matches, quotes, articles)
    labels = source_labels(articles)
    columns = [labels[a] for a in articles["article_id"]]
    by_cluster: dict[str, list] = {}
    for r in sources.itertuples(index=False):
        by_cluster.setdefault(r.cluster_id, []).append(r)
    rows = []
    for c in clusters.itertuples(index=False):
        first = labels.get(c.first_seen, "?") if isinstance(c.first_seen, str) and c.first_seen in labels else "?"
        if first != "?" and not _blank(c.first_seen_certain) and not c.first_seen_certain:
            first += "*"
        mine = by_cluster.get(c.cluster_id, [])
        row = {
            "cluster_id": c.cluster_id,
            "quote": c.canonical,
            "speakers": " / ".join(c.speakers) if len(c.speakers) else "",
            "conflict": bool(c.attribution_conflict),
            "kind": c.kind,
            "n_sources": int(c.n_sources),
            "first_source": first,
            "differences": " | ".join(f"{r.source}: {r.differences}" for r in mine if r.differences),
        }
        row.update(dict.fromkeys(columns, "missing"))
        row.update({r.source: str(r.status) for r in mine})
        rows.append(row)
    table = pd.DataFrame(rows, columns=VERIFICATION_COLUMNS + columns)
    table = table.iloc[np.argsort(-table["n_sources"].to_numpy(dtype=np.int64), kind="stable")].reset_index(drop=True)
    for column in columns:
        table[column] = pd.Categorical(table[column], categories=list(REPORT_STATUSES))
    return attach_verdicts(table, verdicts if verdicts is not None else _empty(), target_type="cluster", clusters=clusters)


def claims_table(agreement: pd.DataFrame) -> pd.DataFrame:
    """The claim comparison as a person reads it: one row per claim group, one column per source
    with what that source says (expression and normalised value), conflicts first.

    Columns: ``type``, ``status``, ``subject``, ``detail``, then one column per source.
    """
    sources = list(dict.fromkeys(s for ss in agreement["sources"] for s in ss))
    order = {"conflicting": 0, "more_specific": 1, "corroborated": 2, "single_source": 3}
    rows = []
    for r in agreement.itertuples():
        row = {"type": r.type, "status": str(r.status), "subject": r.subject, "detail": r.detail}
        for s in sources:
            exprs = r.expressions.get(s, [])
            vals = [v for v in r.values.get(s, []) if not _blank(v)]
            row[s] = "; ".join(exprs) + (f" ({', '.join(vals)})" if vals else "") if exprs else ""
        rows.append((order.get(str(r.status), 9), len(rows), row))
    rows.sort(key=lambda x: (x[0], x[1]))
    return pd.DataFrame([r for *_, r in rows], columns=["type", "status", "subject", "detail"] + sources)


# --- HTML: findings first, then tables ------------------------------------------------

CSS = """<style>
.qt-report {font-size: 14px; line-height: 1.45; max-width: 100%; overflow-wrap: anywhere;}
.qt-report * {box-sizing: border-box;}
.qt-report h3 {margin: 1.2em 0 0.4em;}
.qt-report table.qt {table-layout: fixed; width: 100%; border-collapse: collapse; margin: 0.4em 0 1em; font-size: 13px;}
.qt-report table.qt th, .qt-report table.qt td {text-align: left; vertical-align: top; padding: 4px 6px;
  border: none; border-bottom: 1px solid #ddd; white-space: normal; overflow-wrap: anywhere; max-width: none;}
.qt-report table.qt th {background: #f0f0f0; font-weight: 600;}
.qt-report table.qt tr.qt-start td {border-top: 2px solid #999;}
.qt-report table.qt tbody tr:nth-child(odd) {background: transparent;}
.qt-report .qt-chip {display: inline-block; padding: 0 6px; border-radius: 3px; white-space: nowrap; color: #111;}
.qt-report .qt-counts {display: flex; flex-wrap: wrap; gap: 8px; margin: 0.6em 0;}
.qt-report .qt-counts div {border: 1px solid #ccc; border-radius: 4px; padding: 4px 10px; min-width: 7em;}
.qt-report .qt-counts b {display: block; font-size: 20px;}
.qt-report .qt-finding {border-left: 4px solid #fdae61; padding: 2px 0 2px 10px; margin: 0.8em 0;}
.qt-report .qt-pair {display: grid; grid-template-columns: repeat(auto-fit, minmax(15em, 1fr)); gap: 8px; margin: 4px 0 8px;}
.qt-report .qt-pair > div {border: 1px solid #ccc; border-radius: 4px; padding: 6px 8px; min-width: 0;}
.qt-report .qt-who {font-size: 12px; color: #444; margin-bottom: 2px;}
.qt-report mark.qt-a {background: #f4b6b6;}
.qt-report mark.qt-b {background: #ffd966;}
.qt-report mark.qt-cut {background: none; color: #8a8a8a;}
.qt-report .qt-note {color: #555; font-size: 13px;}
.qt-report .qt-warn {color: #a50f15; font-weight: 600;}
.qt-report ul.qt-evidence {margin: 0; padding-left: 1.1em;}
.qt-report #qt-original-checks .qt-chip {white-space: normal; overflow-wrap: normal;}
.qt-report .qt-original {margin-top: 4px; padding: 2px 6px; background: #f6f6f6; border-radius: 3px;}
.qt-report footer {margin-top: 2em; padding-top: 0.6em; border-top: 1px solid #ccc; color: #444; font-size: 12px;}
.qt-report footer code {overflow-wrap: anywhere;}
</style>"""


def _block(body: str) -> HTMLBlock:
    return HTMLBlock(f'{CSS}<div class="qt-report">{body}</div>')


def _e(value) -> str:
    return html.escape(_text(value))


def _chip(status: str) -> str:
    status = str(status)
    colour = STATUS_COLOURS.get(status, "#eeeeee")
    return f'<span class="qt-chip" style="background:{colour}" title="{html.escape(STATUS_MEANING.get(status, status))}">{html.escape(status)}</span>'


def status_legend_html() -> HTMLBlock:
    """What each status colour means, in words."""
    return _block(" ".join(f"{_chip(s)} {html.escape(STATUS_MEANING[s])}" for s in REPORT_STATUSES))


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _word_marks(a: str, b: str, *, grey_ends: bool = True) -> tuple[str, str, bool]:
    """``a`` and ``b`` as escaped HTML with the words that differ marked; and whether any did.
    With ``grey_ends``, words of ``a`` that ``b`` leaves out at either end are greyed, not marked."""
    a, b = _clip(a), _clip(b)
    wa, wb = word_list(a), word_list(b)
    sa, sb = word_spans(a), word_spans(b)
    ma: dict[int, str] = {}
    mb: dict[int, str] = {}
    ops = difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes()
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            continue
        # words of ``a`` simply not carried at either end (``b`` quotes only part of it) are greyed, not marked
        cut = grey_ends and tag == "delete" and (k == 0 or k == len(ops) - 1) and len(ops) > 1
        ma.update(dict.fromkeys(range(i1, i2), "qt-cut" if cut else "qt-a"))
        mb.update(dict.fromkeys(range(j1, j2), "qt-b"))
    return _mark_words(a, sa, ma), _mark_words(b, sb, mb), bool(ma or mb)


def _mark_words(text: str, spans: list[tuple[int, int]], marked: dict[int, str]) -> str:
    """Escape ``text`` and wrap the marked words (a run of greyed words in one <mark>)."""
    out, pos, run = [], 0, None  # run: the class of the open <mark>
    for i, (s, e) in enumerate(spans):
        cls = marked.get(i)
        if run and (cls != run or run != "qt-cut"):
            out.append("</mark>")
            run = None
        out.append(html.escape(text[pos:s]))
        if cls and run is None:
            out.append(f'<mark class="{cls}">')
            run = cls
        out.append(html.escape(text[s:e]))
        if run and run != "qt-cut":
            out.append("</mark>")
            run = None
        pos = e
    if run:
        out.append("</mark>")
    out.append(html.escape(text[pos:]))
    return "".join(out)


def word_diff_html(a: str, b: str, *, a_label: str = "", b_label: str = "") -> HTMLBlock:
    """Two wordings side by side, the words that differ marked (``a``: changed or dropped, ``b``: changed or added)."""
    left, right, _ = _word_marks(a, b)
    return HTMLBlock(
        f'<div class="qt-pair"><div><div class="qt-who">{a_label}</div>“{left}”</div>'
        f'<div><div class="qt-who">{b_label}</div>“{right}”</div></div>'
    )


def _who(label: str, published: str, extra: str = "") -> str:
    return f"<b>{html.escape(label)}</b>" + (f", {html.escape(published)}" if published else ", no date") + extra


_DIFFERS = ("variant", "partial", "missing")  # a source with one of these statuses words the statement differently


def _positions(sources: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each statement's row positions in the statement-by-source table, statements in order of first
    appearance. A large corpus has tens of thousands of statements: the report cuts out the rows of
    the few it shows (``sources.iloc[positions[cid]]``) instead of building a DataFrame for each."""
    if sources.empty:
        return {}
    codes, uniques = pd.factorize(sources["cluster_id"], sort=False)
    order = np.argsort(codes, kind="stable")
    bounds = np.cumsum(np.bincount(codes, minlength=len(uniques)))[:-1]
    return dict(zip(uniques, np.split(order, bounds)))


def _several(positions: dict[str, np.ndarray]) -> list[str]:
    """Statements carried by two or more sources, most sources first (ties in table order)."""
    return sorted((cid for cid, pos in positions.items() if len(pos) >= 2), key=lambda cid: -len(positions[cid]))


def _differing(sources: pd.DataFrame, positions: dict[str, np.ndarray], ids: list[str]) -> list[str]:
    """The statements of ``ids`` that some source words differently (variant, partial or missing)."""
    flag = sources["status"].astype(str).isin(_DIFFERS).to_numpy()
    return [cid for cid in ids if flag[positions[cid]].any()]


def quote_summary_html(
    articles: pd.DataFrame, quotes: pd.DataFrame, clusters: pd.DataFrame, sources: pd.DataFrame, *, notes: Iterable[str] = ()
) -> HTMLBlock:
    """The report's opening: what was checked and what was found, in words and counts; ``notes`` (from
    :class:`quotetrace.QuoteReport`) say where a large corpus's tables show only part of what was found."""
    positions = _positions(sources)
    several = _several(positions)
    differ = _differing(sources, positions, several)
    conflicts = int(clusters["attribution_conflict"].sum()) if len(clusters) else 0
    outlets = articles["outlet"].dropna().nunique() if "outlet" in articles else 0
    dated = articles["published"].dropna() if "published" in articles else pd.Series([], dtype="datetime64[ns]")
    span = _published_span(articles, dated)
    undated = len(articles) - len(dated)
    speech = int((quotes["kind"] == "speech").sum()) if len(quotes) else 0
    words = [
        f"{_plural(len(articles), 'article')} from {_plural(int(outlets), 'named outlet')}{span}"
        + (f" ({undated:,} undated)" if undated else "")
        + ".",
        f"{_plural(len(quotes), 'quotation')} ({speech:,} speech, {len(quotes) - speech:,} quoted terms), "
        f"grouped into {_plural(len(clusters), 'statement')}.",
    ]
    if several:
        appear = _plural(len(several), "statement appears", "statements appear")
        if differ:
            words.append(f"<b>{appear} in more than one source; {len(differ):,} of them {'differs' if len(differ) == 1 else 'differ'} "
                         "in wording between sources.</b>")
        else:
            words.append(f"<b>{appear} in more than one source, word for word.</b>")
    else:
        words.append("<b>No statement appears in more than one source.</b>")
    words.append(
        f"<b>{_plural(conflicts, 'statement is', 'statements are')} attributed to different people by different sources.</b>"
        if conflicts
        else "No statement is attributed to different people."
    )
    counts = [
        ("articles", len(articles)),
        ("quotations", len(quotes)),
        ("statements", len(clusters)),
        ("in several sources", len(several)),
        ("wording differs", len(differ)),
        ("attribution conflicts", conflicts),
    ]
    cards = "".join(f"<div><b>{n:,}</b>{html.escape(k)}</div>" for k, n in counts)
    shown = "".join(f'<p class="qt-note">{html.escape(note)}</p>' for note in notes)
    return _block(f'<p class="qt-summary">{" ".join(words)}</p><div class="qt-counts">{cards}</div>{shown}{skipped_inputs_html(articles)}')


def skipped_inputs_html(articles: pd.DataFrame) -> str:
    """A short "Skipped inputs" note for the summary: each input ``load_corpus(errors="skip")`` could not
    load (``articles.attrs["problems"]``, action ``skipped``), its path and the problem, escaped; ``""``
    when none was skipped."""
    problems = articles.attrs.get("problems")
    if problems is None or not len(problems):
        return ""
    if "action" in problems:
        problems = problems[problems["action"].astype(str) == "skipped"]
    if not len(problems):
        return ""
    items = "".join(
        f"<li><code>{html.escape(str(row.path))}</code>: {html.escape(str(row.message or row.problem))}</li>"
        for row in problems.itertuples(index=False)
    )
    n = len(problems)
    return (
        f'<p class="qt-note"><b>Skipped inputs:</b> {_plural(n, "file")} could not be loaded and '
        f"{'is' if n == 1 else 'are'} not in this report.</p><ul class=\"qt-note\">{items}</ul>"
    )


def _more(n_more: int, what: str) -> str:
    if n_more <= 0:
        return ""
    return f'<p class="qt-note">… and {_plural(n_more, what)} more, in the tables below and in the Excel workbook.</p>'


def _names(names: list[str], most: int = 8, sep: str = ", ") -> str:
    """``A, B and C``; past ``most`` names, ``A, B, … and 12 more``."""
    if len(names) <= 1:
        return "".join(names)
    if len(names) <= most:
        return sep.join(names[:-1]) + " and " + names[-1]
    return sep.join(names[:most]) + f" and {len(names) - most:,} more"


def quote_findings_html(sources: pd.DataFrame, clusters: pd.DataFrame, *, max_items: int = 20, max_wordings: int = 6) -> HTMLBlock:
    """The findings: statements whose wording differs between sources (side by side, words marked;
    sources with the same wording together, at most ``max_wordings`` wordings each), attribution
    conflicts, and which source was first.

    Statements whose words were changed (a variant) come first, then those cut (partial), then
    the rest, each most sources first: on a large corpus the statements in the most sources are
    often long passages found in part everywhere, and would hide a changed word in two sources."""
    positions = _positions(sources)
    several = _several(positions)
    meta = clusters.set_index("cluster_id")
    parts = ['<h3 id="qt-differences">Statements that differ between sources</h3>']
    differ = _differing(sources, positions, several)
    status = sources["status"].astype(str).to_numpy()
    severity = {cid: next((n for n, s in enumerate(_DIFFERS) if (status[positions[cid]] == s).any()), len(_DIFFERS)) for cid in differ}
    differ.sort(key=severity.get)  # stable: most sources first within each
    if not differ:
        parts.append("<p>No statement carried by several sources differs between them.</p>")
    for cid in differ[:max_items]:
        g = sources.iloc[positions[cid]]
        head = g.iloc[0]
        speakers = [s for s in meta.at[cid, "speakers"]] if cid in meta.index else []
        parts.append(
            f'<div class="qt-finding"><div>“{_e(_clip(head["quote"]))}”'
            + (f" — {html.escape(' / '.join(speakers))}" if speakers else "")
            + f' <span class="qt-note">({_plural(len(g), "source")})</span></div>'
        )
        rest = g.iloc[1:]
        same = rest[rest["status"].astype(str) == "verbatim"]["source"].tolist()
        wordings = rest[rest["status"].astype(str) != "verbatim"].groupby(["wording", "status"], sort=False, observed=True)
        for n, ((wording, status), who) in enumerate(wordings):
            if n == max_wordings:
                parts.append(f'<p class="qt-note">… and {_plural(wordings.ngroups - n, "other wording")}, in the table below.</p>')
                break
            first = who.iloc[0]
            extra = f" · {_chip(status)}" + (f" · {_e(first['differences'])}" if first["differences"] else "")
            if str(status) == "missing":
                extra += ' · <span class="qt-note">its own wording, not the quoted one</span>'
            label = _who(first["source"], first["published"], extra)
            if len(who) > 1:
                label += f'<br><span class="qt-note">the same in {html.escape(_names(who["source"].tolist()[1:]))}</span>'
            parts.append(word_diff_html(head["wording"], wording, a_label=_who(head["source"], head["published"], " (the wording compared)"), b_label=label))
        if same:
            parts.append(f'<p class="qt-note">Word for word in {html.escape(_names(same))}.</p>')
        parts.append("</div>")
    parts.append(_more(len(differ) - max_items, "statement"))
    parts.append('<h3 id="qt-attribution">Attribution conflicts</h3>')
    in_conflict = set(clusters.loc[clusters["attribution_conflict"].fillna(False).astype(bool), "cluster_id"])
    conflicted = [cid for cid in positions if cid in in_conflict]
    if conflicted:
        rows = []
        for cid in conflicted[:max_items]:
            g = sources.iloc[positions[cid]]
            named = g[g["speaker"] != ""].groupby("speaker", sort=False)["source"]
            who = "; ".join(f"<b>{_e(speaker)}</b>: {html.escape(_names(list(srcs)))}" for speaker, srcs in named)
            rows.append(f"<tr><td>“{_e(_clip(g.iloc[0]['quote']))}”</td><td>{who}</td></tr>")
        parts.append('<table class="qt"><colgroup><col style="width:55%"><col></colgroup><thead><tr><th>statement</th><th>who said it, and which sources say so</th></tr></thead>'
                     f"<tbody>{''.join(rows)}</tbody></table>")
        parts.append(_more(len(conflicted) - max_items, "conflict"))
    else:
        parts.append("<p>No statement is attributed to different people.</p>")
    parts.append('<h3 id="qt-first">Who was first</h3>')
    if several:
        rows = []
        for cid in several[:max_items]:
            g = sources.iloc[positions[cid]]
            dated = g[g["published"] != ""].sort_values("published", kind="stable")
            if dated.empty:
                first, later = "no source has a date", ""
            else:
                top = dated.iloc[0]
                ties = dated[dated["published"] == top["published"]]
                first = _names([_who(r.source, r.published) for r in ties.itertuples()], 4, "; ")
                if len(ties) > 1 or len(dated) < len(g):
                    first += ' <span class="qt-note">(not certain: ' + ("same date" if len(ties) > 1 else "some sources have no date") + ")</span>"
                tied = set(ties["source"])
                later = _names([_who(r.source, r.published) for r in g.itertuples() if r.source not in tied], 6, "; ")
            rows.append(f"<tr><td>“{_e(_clip(g.iloc[0]['quote']))}”</td><td>{first}</td><td>{later}</td></tr>")
        parts.append('<table class="qt"><colgroup><col style="width:44%"><col style="width:28%"><col></colgroup>'
                     "<thead><tr><th>statement</th><th>first</th><th>then</th></tr></thead>"
                     f"<tbody>{''.join(rows)}</tbody></table>")
        parts.append(_more(len(several) - max_items, "statement"))
    else:
        parts.append("<p>No statement is in more than one source, so there is no first to find.</p>")
    return _block("".join(parts))


def _shown_rows(g: pd.DataFrame, most: int) -> tuple[pd.DataFrame, str]:
    """At most ``most`` of one statement's source rows (the source whose wording is compared with, then the sources whose
    wording differs, then word-for-word ones; shown in date order) and a note counting the rest by status."""
    if len(g) <= most:
        return g, ""
    status = g["status"].astype(str).to_numpy()
    rank = np.where(np.arange(len(g)) == 0, 0, np.where(np.isin(status, _DIFFERS), 1, 2))
    keep = np.sort(np.argsort(rank, kind="stable")[:most])
    rest = pd.Series(np.delete(status, keep)).value_counts()
    counts = ", ".join(f"{rest[s]:,} {s}" for s in REPORT_STATUSES if s in rest)
    return g.iloc[keep], f"… and {_plural(len(g) - most, 'more source')} ({counts}): every row is in statement_sources.csv"


def statements_html(sources: pd.DataFrame, verification: pd.DataFrame | None = None, *, max_rows: int = 400,
                    max_sources: int = 12) -> HTMLBlock:
    """The long verification table: one row per statement in several sources × source, statuses coloured,
    each source's differing words marked, the statement's current verdict with it.

    Bounded at any corpus size: statements in the most sources first, at most ``max_rows`` rows, and at
    most ``max_sources`` rows per statement (wire copy can be in thousands of sources: the sources whose
    wording differs are shown first, and one line counts the rest by status). A note says what was left
    out; every row is in ``statement_sources.csv``.
    """
    verdict = {}
    if verification is not None and "verdict" in verification:
        verdict = {c: (v, n) for c, v, n in zip(verification["cluster_id"], verification["verdict"], verification["verdict_note"]) if not _blank(v)}
    rows, shown, done = [], 0, 0
    positions = _positions(sources)
    several = _several(positions)
    for cid in several:
        if shown + min(len(positions[cid]), max_sources + 1) > max_rows and shown:
            break
        g, more = _shown_rows(sources.iloc[positions[cid]], max_sources)
        head = g.iloc[0]
        cell = f"“{_e(_clip(head['quote']))}”"
        if cid in verdict:
            v, n = verdict[cid]
            cell += f"<br><small>verdict: <b>{_e(v)}</b>{' — ' + _e(n) if _text(n) else ''}</small>"
        for k, r in enumerate(g.itertuples()):
            wording = _e(_clip(r.wording)) if k == 0 else _word_marks(head["wording"], r.wording)[1]
            first_cell = f'<td rowspan="{len(g) + bool(more)}">{cell}</td>' if k == 0 else ""
            rows.append(
                f'<tr class="{"qt-start" if k == 0 else ""}">{first_cell}<td>{_who(r.source, r.published)}</td><td>{_chip(r.status)}</td>'
                f"<td>“{wording}”{'<br><small>' + _e(r.differences) + '</small>' if r.differences else ''}</td><td>{_e(r.speaker)}</td></tr>"
            )
        if more:
            rows.append(f'<tr><td colspan="4" class="qt-note">{html.escape(more)}</td></tr>')
        shown += len(g) + bool(more)
        done += len(g)
    if not several:
        return _block("<p>No statement appears in more than one source.</p>")
    note = ""
    total = sum(len(positions[cid]) for cid in several)
    if done < total:
        note = (f'<p class="qt-note">Showing {done:,} of {total:,} rows; every row is in statement_sources.csv '
                "(its first rows, findings first, in verification.xlsx, sheet “by source”).</p>")
    return _block(
        f'<p>{" ".join(f"{_chip(s)} {html.escape(STATUS_MEANING[s])}" for s in REPORT_STATUSES)}</p>'
        '<table class="qt" id="qt-statements"><colgroup><col style="width:27%"><col style="width:16%"><col style="width:10%">'
        '<col style="width:34%"><col></colgroup><thead><tr><th>statement</th><th>source</th><th>status</th><th>wording in this source</th>'
        f"<th>speaker given</th></tr></thead><tbody>{''.join(rows)}</tbody></table>{note}"
    )


def single_source_html(sources: pd.DataFrame, *, max_rows: int = 300) -> HTMLBlock:
    """The statements found in one source only: wording, source, date, speaker given."""
    one = sources[sources.groupby("cluster_id", sort=False)["cluster_id"].transform("size") == 1]
    return table_html(one, columns=["wording", "source", "published", "speaker"], max_rows=max_rows, table_id="qt-single",
                      widths={"wording": "53%", "source": "18%", "published": "13%"}, empty="Every statement is in more than one source.")


def table_html(table: pd.DataFrame, *, columns: list[str] | None = None, max_rows: int = 300, widths: dict[str, str] | None = None,
               empty: str = "Nothing to show.", table_id: str | None = None) -> HTMLBlock:
    """Any table as wrapped, escaped HTML: empty cells for missing values, dates as dates,
    status columns coloured, at most ``max_rows`` rows (and a note saying how many more)."""
    columns = list(columns or table.columns)
    if table.empty:
        return _block(f"<p>{html.escape(empty)}</p>")
    widths = widths or {}
    cols = "".join(f'<col style="width:{widths[c]}">' if c in widths else "<col>" for c in columns)
    head = "".join(f"<th>{html.escape(str(c).replace('_', ' '))}</th>" for c in columns)
    body = []
    shown = table[columns].head(max_rows)
    if "published" in columns and "published_precision" in table.columns:  # a month-only date reads 2015-01, not 2015-01-01
        days = [_date_text(p, c) for p, c in zip(shown["published"], table["published_precision"].head(max_rows))]
        shown = shown.assign(published=days)
    for row in shown.itertuples(index=False):
        cells = []
        for c, v in zip(columns, row):
            cells.append(f"<td>{_chip(v)}</td>" if c == "status" and str(v) in STATUS_COLOURS else f"<td>{_e(v)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    note = ""
    if len(table) > max_rows:
        note = f'<p class="qt-note">Showing the first {max_rows:,} of {len(table):,} rows; every row is in the CSV and Excel files.</p>'
    ident = f' id="{html.escape(table_id)}"' if table_id else ""
    return _block(f'<table class="qt"{ident}><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>{note}')


def claim_summary_html(articles: pd.DataFrame, claims: pd.DataFrame, agreement: pd.DataFrame) -> HTMLBlock:
    """The claims report's opening, in words and counts."""
    status = agreement["status"].astype(str) if len(agreement) else pd.Series([], dtype=str)
    several = int((agreement["n_sources"] >= 2).sum()) if len(agreement) else 0
    n = {s: int((status == s).sum()) for s in ("corroborated", "more_specific", "conflicting", "single_source")}
    words = [f"{_plural(len(claims), 'checkable claim')} (dates, counts, money, percentages, rankings, who did what) in {_plural(len(articles), 'article')}."]
    if several:
        words.append(f"{_plural(several, 'claim group is', 'claim groups are')} made by more than one source: "
                     f"{n['corroborated']:,} corroborated, {n['more_specific']:,} where one source is more specific, "
                     f"<b>{_plural(n['conflicting'], 'conflict')}</b>.")
    else:
        words.append("<b>No claim is made by more than one source.</b>")
    counts = [("claims", len(claims)), ("in several sources", several), ("conflicting", n["conflicting"]), ("more specific", n["more_specific"]),
              ("corroborated", n["corroborated"])]
    cards = "".join(f"<div><b>{v:,}</b>{html.escape(k)}</div>" for k, v in counts)
    return _block(f'<p class="qt-summary">{" ".join(words)}</p><div class="qt-counts">{cards}</div>{skipped_inputs_html(articles)}')


def _claim_sentence(sentence: str, expression: str) -> str:
    sentence, expression = _text(sentence), _text(expression)
    at = sentence.find(expression) if expression else -1
    if at < 0:
        return html.escape(sentence)
    return html.escape(sentence[:at]) + f'<mark class="qt-b">{html.escape(expression)}</mark>' + html.escape(sentence[at + len(expression):])


MAX_CLAIM_ROWS = 12  # rows per claim group in the claims report; the rest are counted, and are in the CSV files


def _claim_rows(group, claims: pd.DataFrame, labels: dict[str, str], most: int = MAX_CLAIM_ROWS) -> str:
    """One row per distinct (value, sentence) of a claim group, naming every source that has it; at most
    ``most`` rows (a figure repeated in hundreds of articles), each value first, the others counted in
    one line that names the CSV files holding them."""
    rows: dict[tuple[str, str, str], list[str]] = {}
    for cid in group.claim_ids:
        if cid not in claims.index:
            continue
        r = claims.loc[cid]
        # a statement ("who did what") has no value to resolve: its sentence is what the sources share
        empty = "(a statement)" if str(r.get("type")) == "statement" else "not resolved"
        key = (_text(r["value"]) or empty, _text(r["sentence"]), _text(r["expression"]))
        rows.setdefault(key, []).append(labels.get(r["article_id"], r["article_id"]))
    items = list(rows.items())
    if len(items) > most:  # every value (a conflict's two figures) before a second sentence with the same value
        seen: set[str] = set()
        first = [not (value in seen or seen.add(value)) for (value, _, _), _ in items]
        items = [item for _, item in sorted(zip(first, items), key=lambda x: not x[0])]
    shown = "".join(
        f"<tr><td><b>{html.escape(_names(list(dict.fromkeys(sources)), 4))}</b></td><td>{html.escape(value)}</td>"
        f"<td>{_claim_sentence(sentence, expression)}</td></tr>"
        for (value, sentence, expression), sources in items[:most]
    )
    if len(items) > most:
        values = len({value for (value, _, _), _ in items[most:]})
        shown += (f'<tr><td colspan="3" class="qt-note">… and {_plural(len(items) - most, "more sentence")} '
                  f"({_plural(values, 'value')}): every claim of the group is in claims.csv and claim_agreement.csv</td></tr>")
    return shown


_CLAIM_HEAD = ('<colgroup><col style="width:24%"><col style="width:17%"><col></colgroup>'
               "<thead><tr><th>source</th><th>value</th><th>the sentence (claim marked)</th></tr></thead>")


def claim_findings_html(agreement: pd.DataFrame, claims: pd.DataFrame, articles: pd.DataFrame, *, max_items: int = 20) -> HTMLBlock:
    """Conflicting claims, each with the sentences that disagree (the claim marked)."""
    labels = source_labels(articles)
    indexed = claims.set_index("claim_id")
    conflicting = agreement[agreement["status"].astype(str) == "conflicting"]
    parts = ['<h3 id="qt-conflicts">Conflicting claims</h3>']
    if conflicting.empty:
        parts.append("<p>No two sources make conflicting claims.</p>")
    for g in list(conflicting.itertuples())[:max_items]:
        parts.append(f'<div class="qt-finding" style="border-color:#d73027"><div>{_e(g.type)}: {_e(g.detail)}</div>'
                     f'<table class="qt">{_CLAIM_HEAD}<tbody>{_claim_rows(g, indexed, labels)}</tbody></table></div>')
    parts.append(_more(len(conflicting) - max_items, "conflict"))
    return _block("".join(parts))


def claim_groups_html(agreement: pd.DataFrame, claims: pd.DataFrame, articles: pd.DataFrame, *, max_groups: int = 150) -> HTMLBlock:
    """Every claim group made by several sources (conflicts first), each source's sentence with the claim marked."""
    labels = source_labels(articles)
    indexed = claims.set_index("claim_id")
    order = {"conflicting": 0, "more_specific": 1, "corroborated": 2}
    groups = agreement[agreement["n_sources"] >= 2]
    groups = groups.assign(_o=groups["status"].astype(str).map(order).fillna(9)).sort_values("_o", kind="stable")
    if groups.empty:
        return _block("<p>No claim is made by more than one source.</p>")
    parts = []
    for g in list(groups.itertuples())[:max_groups]:
        parts.append(f'<tr class="qt-start"><td colspan="3"><b>{_e(str(g.status).replace("_", " "))}</b> · {_e(g.type)} · {_e(g.detail)}</td></tr>')
        parts.append(_claim_rows(g, indexed, labels))
    more = _more(len(groups) - max_groups, "claim group")
    return _block(f'<table class="qt" id="qt-claim-groups">{_CLAIM_HEAD}<tbody>{"".join(parts)}</tbody></table>{more}')


def provenance_html(parameters: dict, articles: pd.DataFrame, versions: dict[str, str], *, run_at: str = "",
                    originals: pd.DataFrame | None = None, max_files: int = 300) -> HTMLBlock:
    """The page's footer: when it ran, with which parameters, on which files (SHA-256: the articles,
    then the ``originals`` files if given), with which versions. At most ``max_files`` files are
    listed (a folder of 10,000 articles would add a 10,000-row table to every page); a note then
    says where every file and its SHA-256 are (the articles table: ``articles.csv`` and ``run.json``
    in a ``quotetrace run``)."""
    params = "; ".join(f"{html.escape(str(k))} = <code>{_e(v) or '(empty)'}</code>" for k, v in parameters.items())
    vers = ", ".join(f"{html.escape(k)} {html.escape(str(v))}" for k, v in versions.items())
    inputs = list(zip(articles.get("path", []), articles.get("sha256", [])))
    if originals is not None and len(originals):
        inputs += list(dict.fromkeys(zip("original: " + originals["path"].astype(str), originals["sha256"])))
    files = "".join(f"<tr><td>{_e(p)}</td><td><code>{_e(h)}</code></td></tr>" for p, h in inputs[:max_files])
    more = ""
    if len(inputs) > max_files:
        more = (f'<p class="qt-note">Showing the first {max_files:,} of {len(inputs):,} input files; every file and its SHA-256 '
                "are in the articles table (articles.csv and run.json beside this page in a quotetrace run).</p>")
    return _block(
        "<footer>"
        + (f"<p>Run {html.escape(run_at)}.</p>" if run_at else "")
        + f"<p>Parameters: {params}.</p><p>Versions: {vers}.</p>"
        f"<details><summary>{_plural(len(inputs), 'input file')} and their SHA-256</summary>"
        f'<table class="qt"><colgroup><col style="width:35%"><col></colgroup><tbody>{files}</tbody></table>{more}</details>'
        "</footer>"
    )


# --- against the originals -----------------------------------------------------------

CHECK_VERDICT_COLOURS = {"accurate": "#66bd63", "misquoted": "#fdae61", "cut": "#fc8d59", "misattributed": "#f46d6d", "not_in_originals": "#e0e0e0"}
CHECK_VERDICT_MEANING = {
    "accurate": "the original has these words",
    "misquoted": "words changed",
    "cut": "words of the original left out",
    "misattributed": "someone else said it",
    "not_in_originals": "in none of the originals",
}
_CHECK_ORDER = {"misattributed": 0, "cut": 2, "misquoted": 3, "not_in_originals": 4, "accurate": 5}  # a cut dropping "not" is 1
_KIND_WORDS = {"tweet": ("tweet", "tweets"), "transcript": ("transcript turn", "transcript turns"), "statement": ("statement", "statements")}


def _verdict_chip(verdict) -> str:
    v = _text(verdict)
    colour = CHECK_VERDICT_COLOURS.get(v, "#eeeeee")
    meaning = CHECK_VERDICT_MEANING.get(v, v)
    return f'<span class="qt-chip" style="background:{colour}" title="{html.escape(meaning)}">{html.escape(v.replace("_", " "))}</span>'


def _pieces(values) -> list[str]:
    return [_text(v) for v in (values if isinstance(values, (list, tuple)) else []) if _text(v)]


def _quoted(pieces: list[str]) -> str:
    return ", ".join(f"‘{html.escape(p)}’" for p in pieces)


def _recording_time(seconds) -> str:
    if _blank(seconds):
        return ""
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def _cite(row, kind_of: dict) -> str:
    """Which original: ``tweet by Ada Whitlock, 2026-03-02 08:15`` (``1:06 into the recording``), linked when it has an address."""
    kind = _text(row.get("original_kind")) or kind_of.get(row.get("original_id"), "") or "original"
    who = f" by {_e(row.get('original_speaker'))}" if _text(row.get("original_speaker")) else ""
    when = f", {_e(row.get('published'))}" if _text(row.get("published")) else ""
    at = f", {_recording_time(row.get('time_start'))} into the recording" if not _blank(row.get("time_start")) else ""
    url = _text(row.get("url"))
    link = f' · <a href="{html.escape(url)}">link</a>' if re.match(r"^https?://", url, re.IGNORECASE) else ""
    return f"{html.escape(kind)}{who}{when}{at} <code>{_e(row.get('original_id'))}</code>{link}"


_SENTENCE_STOP = re.compile(r"[.!?…]+[\"'”’)]*(?=\s|$)|\n")


def _sentence_around(text: str, start, end) -> str:
    """The sentence(s) of ``text`` holding ``text[start:end]``: the quote's words and what the original says around them."""
    if not isinstance(text, str) or _blank(start) or _blank(end):
        return ""
    start, end = int(start), int(end)
    before = [m.end() for m in _SENTENCE_STOP.finditer(text, 0, start)]
    after = _SENTENCE_STOP.search(text, end)
    return text[before[-1] if before else 0 : after.end() if after else len(text)].strip()


def _check_evidence(row, kind_of: dict, texts: dict) -> str:
    """The evidence of one check as a short list: what changed, what was left out, what a cut hides, and the original."""
    items = []
    verdict = _text(row.get("verdict"))
    if verdict == "misattributed":
        items.append(f"<b>these are {_e(row.get('original_speaker'))}’s words</b>, not {_e(row.get('speaker')) or 'the speaker named'}’s"
                     + (f" (the wording is {_e(row.get('wording'))})" if _text(row.get("wording")) not in ("", "accurate") else ""))
    changed = format_differences(row.get("differences"))
    if changed:
        items.append(f"changed: <b>{html.escape(changed)}</b> <span class='qt-note'>(quote → original)</span>")
    for column, words in (("hidden_by_ellipsis", "hidden by the ellipsis: <b>{}</b>"), ("left_out", "left out by the cut: <b>{}</b>"),
                          ("added", "not in the original: {}")):
        if _pieces(row.get(column)):
            items.append(words.format(_quoted(_pieces(row.get(column)))))
    if bool(row.get("drops_qualifier")):
        items.append(f'<span class="qt-warn">drops {_quoted(_pieces(row.get("qualifiers")))}: the cut changes the meaning</span>')
    if bool(row.get("in_retweet")):
        items.append("the original is a retweet of someone else’s words")
    if verdict == "not_in_originals":
        items.append("these words are in none of the originals")
    original = ""
    if _text(row.get("original_id")):
        sentence = _sentence_around(texts.get(row["original_id"]), row.get("original_start"), row.get("original_end")) or _text(row.get("original_text"))
        marked = _word_marks(sentence, _text(row.get("quote")), grey_ends=False)[0] if verdict != "accurate" else html.escape(sentence)
        original = f'<div class="qt-original">the original: “{marked}”<br><small>{_cite(row, kind_of)}</small></div>'
    return f'<ul class="qt-evidence">{"".join(f"<li>{i}</li>" for i in items)}</ul>' * bool(items) + original


def originals_findings_html(
    checks: pd.DataFrame,
    timeline: pd.DataFrame,
    articles: pd.DataFrame,
    originals: pd.DataFrame | None = None,
    *,
    clusters: pd.DataFrame | None = None,
    verification: pd.DataFrame | None = None,
    max_items: int = 60,
) -> HTMLBlock:
    """The "Against the originals" section that opens the quote report.

    Parameters
    ----------
    checks : pandas.DataFrame
        From :func:`quotetrace.check_originals` (:data:`quotetrace.CHECK_COLUMNS`).
    timeline : pandas.DataFrame
        From :func:`quotetrace.originals_timeline`.
    articles : pandas.DataFrame
        From :func:`quotetrace.load_corpus`: outlet labels and dates.
    originals : pandas.DataFrame, optional
        From :func:`quotetrace.load_originals`: how many originals of each kind, and each
        original's text, to show the sentence a quote comes from. Without it, no originals
        are assumed unless ``checks`` has rows.
    clusters, verification : pandas.DataFrame, optional
        The clusters and the verification table (with its current verdicts): each check then shows
        the fact-checker's verdict on the statement its quote belongs to, beside the proposed one.
    max_items : int
        Checks shown (the most serious first); every check is in ``originals_checks.csv``.

    Returns
    -------
    HTMLBlock
        Empty when there are no originals and no checks (the report then opens as before).
        Otherwise: each verdict counted in words; every check, misattributed quotes and cuts that
        change the meaning first, with its evidence (changed words, the words a cut left out or an
        ellipsis hides, dropped negations and qualifiers flagged, the original's sentence with
        the words that differ marked, and which original, when); and the timeline: when each
        original was said or written and when each outlet first reported it. All text is escaped.
    """
    n_originals = len(originals) if originals is not None else 0
    if checks.empty and not n_originals:
        return HTMLBlock("")
    labels = source_labels(articles)
    dates = dict(zip(articles["article_id"], articles["published"])) if "published" in articles else {}
    kind_of, texts = {}, {}
    if originals is not None and len(originals):
        kind_of = dict(zip(originals["original_id"], originals["kind"])) if "kind" in originals else {}
        texts = dict(zip(originals["original_id"], originals["text"]))
    parts = ['<h2 id="qt-originals">Against the originals</h2>']
    what = ""
    if n_originals and "kind" in originals:
        kinds = originals["kind"].astype(str).value_counts()
        what = " (" + ", ".join(_plural(int(kinds[k]), *_KIND_WORDS.get(k, (k, k + "s"))) for k in _KIND_WORDS if k in kinds) + ")"
    if checks.empty:
        parts.append(f"<p class='qt-summary'>{_plural(n_originals, 'original')}{what} given; no quotation of speech to check against them.</p>")
        return _block("".join(parts))
    verdicts = checks["verdict"].astype(str)
    counts = {v: int((verdicts == v).sum()) for v in CHECK_VERDICT_MEANING}
    counts["not_in"] = counts["not_in_originals"]
    meaning_changed = int((verdicts.isin(["cut", "misquoted", "misattributed"]) & checks["drops_qualifier"].astype(bool)).sum())
    said = [f"{counts[v]:,} {v.replace('_', ' ')}" for v in ("accurate", "misquoted", "cut", "misattributed", "not_in")]
    words = (f"{_plural(len(checks), 'quotation')} of speech checked against "
             + (f"{_plural(n_originals, 'original')}{what}" if n_originals else "the originals")
             + f": {', '.join(said[:-1])} and {said[-1]} the originals.")
    if meaning_changed:
        words += f" <b>{_plural(meaning_changed, 'quotation drops', 'quotations drop')} a “not”, “unless” or other qualifier of the original.</b>"
    cards = "".join(f'<div style="border-left:6px solid {CHECK_VERDICT_COLOURS[v]}"><b>{counts[v]:,}</b>{html.escape(v.replace("_", " "))}</div>'
                    for v in CHECK_VERDICT_MEANING)
    parts.append(f'<p class="qt-summary">{words}</p><div class="qt-counts">{cards}</div>')
    parts.append("<p>" + " ".join(f"{_verdict_chip(v)} {html.escape(m)}" for v, m in CHECK_VERDICT_MEANING.items()) + "</p>")
    decided = {}  # quote_id → the fact-checker's current verdict on its statement
    if clusters is not None and verification is not None and "verdict" in verification:
        current = {c: v for c, v in zip(verification["cluster_id"], verification["verdict"]) if _text(v)}
        decided = {q: current[c] for c, qs in zip(clusters["cluster_id"], clusters["quote_ids"]) if c in current for q in qs}
    order = {q: n for n, q in enumerate(checks["quote_id"])}
    rows = sorted(
        checks.to_dict("records"),
        key=lambda r: (1 if _text(r["verdict"]) == "cut" and bool(r["drops_qualifier"]) else _CHECK_ORDER.get(_text(r["verdict"]), 9),
                       _text(dates.get(r["article_id"])) or "9999", order[r["quote_id"]]),
    )
    body = []
    for r in rows[:max_items]:
        verdict = _text(r["verdict"])
        quote = _word_marks(_text(r["original_text"]), _text(r["quote"]))[1] if verdict not in ("accurate", "not_in_originals") and _text(r["original_text"]) else _e(_clip(r["quote"]))
        speaker = f"<br><small>speaker given: {_e(r['speaker'])}</small>" if _text(r["speaker"]) else "<br><small>no speaker given</small>"
        warn = '<br><span class="qt-warn">changes the meaning</span>' if bool(r["drops_qualifier"]) and verdict != "accurate" else ""
        if r["quote_id"] in decided:
            warn += f'<br><small>fact-checker: <b>{_e(decided[r["quote_id"]])}</b></small>'
        elif decided or verification is not None:
            warn += '<br><small class="qt-note">proposed; not reviewed yet</small>'

        body.append(f"<tr><td>{_who(labels.get(r['article_id'], _text(r['article_id'])), _date_text(dates.get(r['article_id'])))}</td>"
                     f"<td>“{quote}”{speaker}</td><td>{_verdict_chip(verdict)}{warn}</td><td>{_check_evidence(r, kind_of, texts)}</td></tr>")
    parts.append('<h3 id="qt-checks">Every quotation against the originals</h3>'
                 '<table class="qt" id="qt-original-checks"><colgroup><col style="width:15%"><col style="width:26%"><col style="width:17%"><col></colgroup>'
                 "<thead><tr><th>outlet</th><th>the quotation as printed</th><th>verdict</th><th>against the original</th></tr></thead>"
                 f"<tbody>{''.join(body)}</tbody></table>")
    if len(rows) > max_items:
        parts.append(f'<p class="qt-note">Showing the {max_items:,} most serious of {len(rows):,} checks; every check is in originals_checks.csv.</p>')
    parts.append('<h3 id="qt-original-timeline">When it was said, and when each outlet reported it</h3>')
    if timeline.empty:
        parts.append("<p>No quotation was found in the originals, so there is no timeline.</p>")
    else:
        trs = []
        first_check = checks.drop_duplicates("original_id").set_index("original_id")
        for oid, g in timeline.groupby("original_id", sort=False):
            head = g.iloc[0]
            quoted = first_check.loc[oid]  # the sentence quoted, not the whole turn
            text = _sentence_around(texts.get(oid), quoted["original_start"], quoted["original_end"]) or _text(quoted["original_text"])
            kind = _text(head["kind"]) or "original"
            at = f", {_recording_time(head['time_start'])} into the recording" if not _blank(head["time_start"]) else ""
            first = (f"<b>{html.escape(kind)}</b>" + (f" by {_e(head['speaker'])}" if _text(head["speaker"]) else "")
                     + f"<br>{_e(head['original_published']) or 'no date'}{at}<br><small>“{html.escape(_short_text(text, 120))}”</small>")
            for k, t in enumerate(g.itertuples()):
                delay = "" if _blank(t.delay_days) else ("the same day" if int(t.delay_days) == 0 else _plural(int(t.delay_days), "day") + " later")
                cell = f'<td rowspan="{len(g)}">{first}</td>' if k == 0 else ""
                trs.append(f'<tr class="{"qt-start" if k == 0 else ""}">{cell}<td><b>{_e(t.outlet)}</b></td><td>{_e(t.first_reported) or "no date"}</td>'
                           f"<td>{html.escape(delay)}</td><td>{' '.join(_verdict_chip(v) for v in t.verdicts)}</td></tr>")
        parts.append('<table class="qt" id="qt-timeline-originals"><colgroup><col style="width:38%"><col style="width:19%"><col style="width:13%"><col style="width:13%"><col></colgroup>'
                     "<thead><tr><th>the original, said or written</th><th>outlet</th><th>first reported</th><th>delay</th><th>verdicts</th></tr></thead>"
                     f"<tbody>{''.join(trs)}</tbody></table>")
    parts.append('<h2 id="qt-across">Across the sources</h2>')
    return _block("".join(parts))


def _short_text(text: str, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"
