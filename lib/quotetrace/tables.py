"""The tables a fact-checker reads: a summary and the verification table.

:func:`verification_table` gives one row per quote cluster (a statement),
columns :data:`VERIFICATION_COLUMNS` followed by one column per source
(named by :func:`source_labels`) holding that source's status:

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
differences    word differences between the wordings, ``quote word → source word``
               (``+word`` added by a source, ``−word`` dropped), per source
<source>       verbatim / variant / partial / missing, one column per source
verdict, verdict_note, reviewer, verdict_at
               the current fact-checker's verdict (see :mod:`quotetrace.verdicts`),
               empty when none
============== ===================================================================
"""

from __future__ import annotations

import html
import re

import pandas as pd

from .errors import ParameterError
from .match import STATUSES
from .verdicts import _empty, attach_verdicts

__all__ = [
    "VERIFICATION_COLUMNS",
    "STATUS_COLOURS",
    "source_labels",
    "summary",
    "verification_table",
    "style_verification",
    "format_differences",
    "found_elsewhere",
    "heading",
    "claims_table",
    "source_columns",
    "VERDICT_COLUMNS_SHOWN",
]

VERIFICATION_COLUMNS = ["cluster_id", "quote", "speakers", "conflict", "kind", "n_sources", "first_source", "differences"]
VERDICT_COLUMNS_SHOWN = ["verdict", "verdict_note", "reviewer", "verdict_at"]
STATUS_COLOURS = {"verbatim": "#1a9850", "variant": "#fdae61", "partial": "#fee08b", "missing": "#e0e0e0"}


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


def format_differences(differences) -> str:
    """Word differences as text: ``Moribound → Moribund; −else; +today``.

    >>> format_differences([("Moribound", "Moribund"), ("else", ""), ("", "today")])
    'Moribound → Moribund; −else; +today'
    """
    parts = []
    for a, b in differences or []:
        if a and b:
            parts.append(f"{a} → {b}")
        elif a:
            parts.append(f"−{a}")
        elif b:
            parts.append(f"+{b}")
    return "; ".join(parts)


def found_elsewhere(quotes: pd.DataFrame, matches: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Every quote found in another source: ``quote_id``, ``quote``, ``speaker``, ``quoted_in``,
    ``found_in``, ``status``, ``score``, ``coverage``, ``matched_text``, ``differences`` (as text).

    Ordered by status (verbatim first), then quote order.
    """
    labels = source_labels(articles)
    found = matches[matches["status"] != "missing"]
    table = found.merge(quotes[["quote_id", "article_id", "quote", "speaker"]], on="quote_id", suffixes=("", "_quote"))
    table = table.assign(
        quoted_in=table["article_id_quote"].map(labels),
        found_in=table["article_id"].map(labels),
        differences=table["differences"].map(format_differences),
        _order=table["quote_id"].map({q: n for n, q in enumerate(quotes["quote_id"])}),
    )
    table = table.sort_values(["status", "_order", "found_in"], kind="stable").reset_index(drop=True)
    return table[["quote_id", "quote", "speaker", "quoted_in", "found_in", "status", "score", "coverage", "matched_text", "differences"]]


def summary(articles: pd.DataFrame, quotes: pd.DataFrame, matches: pd.DataFrame, clusters: pd.DataFrame) -> pd.DataFrame:
    """Headline counts for the top of a report: one row per measure (``measure``, ``count``)."""
    speech = clusters[clusters["kind"] == "speech"]
    found = matches[matches["status"] != "missing"]
    rows = [
        ("articles", len(articles)),
        ("quotations", len(quotes)),
        ("  of which speech", int((quotes["kind"] == "speech").sum())),
        ("  of which terms (quoted words, labels)", int((quotes["kind"] == "term").sum())),
        ("statements (quote clusters)", len(clusters)),
        ("statements in one source only", int((speech["n_sources"] == 1).sum())),
        ("statements in two or more sources", int((speech["n_sources"] >= 2).sum())),
        ("statements with attribution conflicts", int(clusters["attribution_conflict"].sum())),
        ("quotes found verbatim in another source", int(found[found["status"] == "verbatim"]["quote_id"].nunique())),
        ("quotes found as a variant in another source", int(found[found["status"] == "variant"]["quote_id"].nunique())),
        ("quotes found only in part in another source", int(found[found["status"] == "partial"]["quote_id"].nunique())),
    ]
    return pd.DataFrame(rows, columns=["measure", "count"])


def source_columns(table: pd.DataFrame) -> list[str]:
    """The per-source status columns of a verification table."""
    return [c for c in table.columns if c not in VERIFICATION_COLUMNS and c not in VERDICT_COLUMNS_SHOWN]


def verification_table(
    clusters: pd.DataFrame, matches: pd.DataFrame, articles: pd.DataFrame, verdicts: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per statement with its status in every source.

    Parameters
    ----------
    clusters : pandas.DataFrame
        From :func:`quotetrace.cluster_quotes`.
    matches : pandas.DataFrame
        From :func:`quotetrace.match_quotes`.
    articles : pandas.DataFrame
        From :func:`quotetrace.load_corpus`.
    verdicts : pandas.DataFrame, optional
        The verdict history (:func:`quotetrace.verdicts.verdicts`); the current
        verdict of each statement is added.

    Returns
    -------
    pandas.DataFrame
        :data:`VERIFICATION_COLUMNS`, one status column per source in the
        articles' order, then :data:`VERDICT_COLUMNS_SHOWN`; rows: statements
        carried by most sources first, then in the order of the clusters table.
    """
    for name, table, cols in (
        ("clusters", clusters, ("cluster_id", "canonical", "quote_ids", "statuses", "speakers")),
        ("matches", matches, ("quote_id", "article_id", "status", "differences")),
    ):
        missing = [c for c in cols if c not in table.columns]
        if missing:
            raise ParameterError(f"verification_table: the {name} table lacks column(s) {missing}.", parameter=name)
    labels = source_labels(articles)
    found = matches[matches["status"] != "missing"]
    diffs_by_quote: dict[str, list[tuple[str, str]]] = {}
    for r in found.itertuples():
        text = format_differences(r.differences)
        if text:
            diffs_by_quote.setdefault(r.quote_id, []).append((labels.get(r.article_id, r.article_id), text))
    rows = []
    for c in clusters.itertuples():
        first = labels.get(c.first_seen, "?") if isinstance(c.first_seen, str) else "?"
        if first != "?" and not pd.isna(c.first_seen_certain) and not c.first_seen_certain:
            first += "*"
        diffs = []
        for qid in c.quote_ids:
            diffs.extend(f"{label}: {text}" for label, text in diffs_by_quote.get(qid, []))
        row = {
            "cluster_id": c.cluster_id,
            "quote": c.canonical,
            "speakers": " / ".join(c.speakers) if c.speakers else "",
            "conflict": bool(c.attribution_conflict),
            "kind": c.kind,
            "n_sources": int(c.n_sources),
            "first_source": first,
            "differences": " | ".join(dict.fromkeys(diffs)),
        }
        for aid in articles["article_id"]:
            row[labels[aid]] = c.statuses.get(aid, "missing")
        rows.append(row)
    table = pd.DataFrame(rows, columns=VERIFICATION_COLUMNS + [labels[a] for a in articles["article_id"]])
    table = table.iloc[sorted(range(len(table)), key=lambda i: (-table["n_sources"].iat[i], i))].reset_index(drop=True)
    for column in [labels[a] for a in articles["article_id"]]:
        table[column] = pd.Categorical(table[column], categories=list(STATUSES))
    return attach_verdicts(table, verdicts if verdicts is not None else _empty(), target_type="cluster", clusters=clusters)


def _highlight(quote: str, differences: str) -> str:
    """Escape the quote and mark the words that differ in some source."""
    marked = html.escape(quote)
    words = set()
    for part in re.split(r"[|;]", differences):
        part = part.split(":", 1)[-1].strip()
        if "→" in part:
            words.add(part.split("→")[0].strip())
        elif part.startswith("−"):
            words.add(part[1:].strip())
    for w in sorted(words, key=len, reverse=True):
        if w:
            marked = re.sub(rf"(?<![\w>])({re.escape(html.escape(w))})(?![\w<])", r"<mark>\1</mark>", marked)
    return marked


def style_verification(table: pd.DataFrame, *, uuid: str = "verification"):
    """A pandas Styler of the verification table: statuses coloured, differing words marked.

    The Styler gets a fixed ``uuid`` so its HTML is the same on every run
    (nbval compares it). Article text is HTML-escaped.
    """
    status_columns = source_columns(table)
    shown = table.copy()
    shown["quote"] = [_highlight(q, d) for q, d in zip(table["quote"], table["differences"])]
    for c in ("speakers", "differences", "first_source", *[v for v in VERDICT_COLUMNS_SHOWN if v in shown]):
        shown[c] = shown[c].map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else html.escape(str(v)))
    styler = shown.style.set_uuid(uuid).hide(axis="index").format_index(escape="html", axis=1)
    styler = styler.map(lambda v: f"background-color: {STATUS_COLOURS.get(str(v), '')}", subset=status_columns)
    styler = styler.set_properties(subset=["quote"], **{"text-align": "left", "min-width": "24em"})
    return styler


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
            vals = r.values.get(s, [])
            row[s] = "; ".join(exprs) + (f" ({', '.join(vals)})" if vals else "") if exprs else ""
        rows.append((order.get(str(r.status), 9), len(rows), row))
    rows.sort(key=lambda x: (x[0], x[1]))
    return pd.DataFrame([r for *_, r in rows], columns=["type", "status", "subject", "detail"] + sources)
