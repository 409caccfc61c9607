"""The orchestrator: runs the stages in order and writes the exports. No logic of its own.

corpus files → articles → quotes → matches → clusters → verification table →
exports and charts.

At any corpus size the tables scale with what was found, not with quotes ×
articles: ``matches`` holds the pairs found only (an absent pair is missing).
The tables a person reads are bounded: on a corpus of more than
:data:`WIDE_SOURCES` articles the verification table holds the statements
shared by two or more sources (most sources first, at most
:data:`MAX_STATEMENTS`), with a column for each of the :data:`MAX_SOURCES`
sources that carry most of them, and the report's ``notes`` say so. The workbook's sheets hold at most
:data:`MAX_SHEET_ROWS` rows each, findings first; every full table is in its
CSV file, and the workbook's ``about`` sheet says which sheets were cut.

``cache=`` (a folder) keeps the work of a run (see :mod:`quotetrace.cache`)
so the next run on the same corpus does only what is new; ``progress=``
reports long stages (see :mod:`quotetrace.progress`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from .cache import Cache, _bare, open_cache
from .export import write_csv, write_excel
from .match import MatchSettings
from .paths import resolve_corpus
from .tables import claims_table, statement_sources, summary, verification_table
from .verdicts import _empty, attach_verdicts, orphaned_verdicts, verdicts

__all__ = [
    "load_verdicts",
    "QuoteReport",
    "verify_quotes",
    "write_quote_exports",
    "ClaimReport",
    "verify_claims",
    "write_claim_exports",
    "WIDE_SOURCES",
    "MAX_STATEMENTS",
    "MAX_SOURCES",
    "MAX_SHEET_ROWS",
]

WIDE_SOURCES = 50  # up to this many articles, the verification table shows every statement in every source
MAX_STATEMENTS = 200  # beyond, it shows at most this many statements shared by two or more sources,
MAX_SOURCES = 50  # with a column for each of at most this many sources: those carrying most of them
MAX_SHEET_ROWS = 10_000  # rows per workbook sheet (Excel's own limit is 1,048,576); the CSV files hold all


@dataclass
class QuoteReport:
    """Every table of a quote verification."""

    articles: pd.DataFrame
    quotes: pd.DataFrame
    matches: pd.DataFrame
    clusters: pd.DataFrame
    verification: pd.DataFrame
    summary: pd.DataFrame
    orphaned: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    sources: pd.DataFrame | None = None  # tables.statement_sources, computed once: the report and the exports share it


def load_verdicts(store: str | Path | None) -> pd.DataFrame:
    """The verdict history in ``store``, or an empty table when there is no store (``None``/``""``/absent file)."""
    return verdicts(store) if store else _empty()


def verify_quotes(
    corpus: str | Path,
    *,
    score_cutoff: float | None = None,
    settings: MatchSettings | None = None,
    verdicts_db: str | Path | None = None,
    cache: Cache | str | Path | None = None,
    scheduler: str | None = None,
    progress=None,
) -> QuoteReport:
    """Load a corpus (bundled name or path) and run every quote stage on it; attach current verdicts.

    Parameters
    ----------
    corpus : str or Path
        A bundled corpus name or a folder/file of articles.
    score_cutoff : float, optional
        Overrides ``settings.score_cutoff``.
    settings : MatchSettings, optional
        The matcher's settings (default :class:`MatchSettings`).
    verdicts_db : path, optional
        The verdict store whose current verdicts are shown.
    cache : path or Cache, optional
        A cache folder (``quotetrace run`` uses ``<reports>/<corpus>/.cache``):
        what an earlier run did on the same articles is reused. ``None``/``""``:
        no cache. Results are the same either way.
    scheduler : str, optional
        Dask scheduler for extraction and matching (see :func:`quotetrace.match_quotes`).
    progress : bool, str or None
        Progress of long stages (see :mod:`quotetrace.progress`; ``True``: a progress bar).

    Returns
    -------
    QuoteReport
        ``matches`` holds the pairs found only; ``verification`` is bounded (see
        the module docstring) and ``notes`` says when it was.
    """
    _, path = resolve_corpus(corpus)
    s = settings or MatchSettings()
    if score_cutoff is not None:
        s = replace(s, score_cutoff=float(score_cutoff))
    store = open_cache(cache, progress=progress)
    articles = store.articles(path)
    quotes = store.quotes(articles, scheduler=scheduler or None)
    matches = store.matches(quotes, articles, settings=s, scheduler=scheduler or None)
    bare = _bare(articles)  # pandas copies attrs on every row lookup
    clusters = store.clusters(quotes, matches, bare, settings=s)
    history = load_verdicts(verdicts_db)
    shown_clusters, shown_articles, notes = _bounded_statements(clusters, bare)
    verification = verification_table(shown_clusters, matches, shown_articles, history, quotes=quotes)
    return QuoteReport(
        articles,
        quotes,
        matches,
        clusters,
        verification,
        summary(bare, quotes, matches, clusters),
        orphaned_verdicts(history[history["target_type"] == "cluster"], clusters=clusters),
        notes,
        statement_sources(clusters, matches, quotes, bare, verification=verification),
    )


def _bounded_statements(clusters: pd.DataFrame, articles: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """The statements and sources the verification table shows: all of them on a small corpus; on a
    large one the statements in two or more sources (most sources first, at most MAX_STATEMENTS) and
    the sources that carry them."""
    if len(articles) <= WIDE_SOURCES:
        return clusters, articles, []
    shared = clusters[clusters["n_sources"] >= 2]
    order = sorted(range(len(shared)), key=lambda i: (-int(shared["n_sources"].iat[i]), i))
    shown = shared.iloc[order[:MAX_STATEMENTS]].sort_index()
    carried: dict[str, int] = {}
    for statuses in shown["statuses"]:
        for aid, status in statuses.items():
            if status != "missing":
                carried[aid] = carried.get(aid, 0) + 1
    position = {a: n for n, a in enumerate(articles["article_id"])}
    columns = set(sorted(carried, key=lambda a: (-carried[a], position.get(a, 0)))[:MAX_SOURCES])
    notes = [
        f"The verification table shows the {len(shown):,} statements carried by the most sources "
        f"(of {len(shared):,} in two or more sources, and {len(clusters):,} in all), with a column for each of the "
        f"{len(columns):,} sources that carry most of them (of {len(carried):,} that carry one, and {len(articles):,} in all); "
        "n_sources counts every source. Every statement and its sources are in clusters.csv; "
        "every quote found elsewhere is in matches.csv."
    ]
    return shown, articles[articles["article_id"].isin(columns)], notes


def write_quote_exports(report: QuoteReport, folder: str | Path) -> list[Path]:
    """Write the CSV tables, the Excel workbook and every chart (PNG + CSV) into ``folder``.

    The CSV files hold every row. The workbook (``verification.xlsx``) holds
    the same tables, each sheet cut to :data:`MAX_SHEET_ROWS` rows with the
    findings first (matches: verbatim, then variant, then partial; clusters and
    quotes: statements in the most sources first); its ``about`` sheet lists
    each sheet, its rows and the CSV file with all of them.

    Returns the files written, in a stable order. Every file is written
    atomically and is safe to open in a spreadsheet.
    """
    from . import charts  # matplotlib: imported when charts are drawn, so `quotetrace find` starts quickly

    folder = Path(folder)
    articles = report.articles.drop(columns=["text"])
    n_sources = dict(zip(report.clusters["cluster_id"], report.clusters["n_sources"]))
    cluster_of = {q: c for c, qs in zip(report.clusters["cluster_id"], report.clusters["quote_ids"]) for q in qs}
    quote_rank = report.quotes["quote_id"].map(lambda q: -n_sources.get(cluster_of.get(q), 1))
    by_source = report.sources
    if by_source is None:  # a QuoteReport built by hand
        by_source = statement_sources(report.clusters, report.matches, report.quotes, report.articles, verification=report.verification)
    tables = {
        "by source": ("statement_sources.csv", by_source, None),
        "verification": ("verification.csv", report.verification, None),
        "clusters": ("clusters.csv", report.clusters, -report.clusters["n_sources"]),
        "quotes": ("quotes.csv", report.quotes, quote_rank),
        "matches": ("matches.csv", report.matches, report.matches["status"].cat.codes if len(report.matches) else None),
        "articles": ("articles.csv", articles, None),
    }
    files = [write_csv(table, folder / name) for sheet, (name, table, _) in tables.items() if sheet != "articles"]
    sheets, about = {"summary": report.summary}, []
    for sheet, (name, table, rank) in tables.items():
        sheets[sheet] = _findings_first(table, rank, MAX_SHEET_ROWS)
        about.append(_about_row(sheet, name, table, sheets[sheet], rank is not None))
    about.extend({"sheet": "", "holds": note, "rows": None, "of": None, "all rows in": ""} for note in report.notes)
    sheets["about"] = pd.DataFrame(about, columns=_ABOUT_COLUMNS)
    files.append(write_excel(sheets, folder / "verification.xlsx"))
    for name, (fig, data) in {
        "coverage_heatmap": charts.coverage_heatmap(report.verification),
        "first_appearance": charts.first_appearance_timeline(report.clusters, report.articles),
        "match_distribution": charts.match_distribution(report.matches),
    }.items():
        files.extend(charts.save_chart(fig, data, folder / "figures", name))
    return files


_ABOUT_COLUMNS = ["sheet", "holds", "rows", "of", "all rows in"]


def _findings_first(table: pd.DataFrame, rank, limit: int) -> pd.DataFrame:
    """At most ``limit`` rows of ``table``: the lowest ``rank`` first (ties in table order), else the first rows."""
    if len(table) <= limit:
        return table
    if rank is None:
        return table.head(limit)
    return table.iloc[np.argsort(np.asarray(rank, dtype="float64"), kind="stable")[:limit]]


def _about_row(sheet: str, csv_name: str, full: pd.DataFrame, shown: pd.DataFrame, ranked: bool = False) -> dict:
    cut = len(shown) < len(full)
    order = ", findings first" if ranked else ""
    holds = f"the first {len(shown):,} rows{order}; all {len(full):,} are in {csv_name}" if cut else "every row"
    return {"sheet": sheet, "holds": holds, "rows": len(shown), "of": len(full), "all rows in": csv_name}


@dataclass
class ClaimReport:
    """Every table of a claims check."""

    articles: pd.DataFrame
    claims: pd.DataFrame
    agreement: pd.DataFrame
    table: pd.DataFrame
    orphaned: pd.DataFrame | None = None


def verify_claims(
    corpus: str | Path, *, verdicts_db: str | Path | None = None, cache: Cache | str | Path | None = None, progress=None
) -> ClaimReport:
    """Load a corpus (bundled name or path), extract its claims, compare them across sources; attach verdicts.

    ``cache`` and ``progress`` as for :func:`verify_quotes`. On a corpus of more
    than :data:`WIDE_SOURCES` articles, ``table`` (one column per source) shows
    the :data:`MAX_STATEMENTS` claim groups that involve most sources, conflicts
    first; ``agreement`` holds them all.
    """
    _, path = resolve_corpus(corpus)
    store = open_cache(cache, progress=progress)
    articles = store.articles(path)
    history = load_verdicts(verdicts_db)
    claims = attach_verdicts(store.claims(articles), history, target_type="claim")
    agreement = store.agreement(claims, articles)
    return ClaimReport(
        articles, claims, agreement, _bounded_sources(claims_table(_bounded_agreement(agreement, len(articles)))),
        orphaned_verdicts(history[history["target_type"] == "claim"], claims=claims)
    )


def _bounded_agreement(agreement: pd.DataFrame, n_articles: int) -> pd.DataFrame:
    """The claim groups the wide claims table shows: all on a small corpus, else those in the most sources."""
    if n_articles <= WIDE_SOURCES or len(agreement) <= MAX_STATEMENTS:
        return agreement
    order = {"conflicting": 0, "more_specific": 1, "corroborated": 2, "single_source": 3}
    rank = [(order.get(str(st), 9), -len(src), i) for i, (st, src) in enumerate(zip(agreement["status"], agreement["sources"]))]
    keep = sorted(i for *_, i in sorted(rank)[:MAX_STATEMENTS])
    return agreement.iloc[keep]


def _bounded_sources(table: pd.DataFrame, fixed: int = 4) -> pd.DataFrame:
    """The claims table with at most MAX_SOURCES source columns (after its ``fixed`` first ones): the
    sources that say the most in it."""
    sources = list(table.columns[fixed:])
    if len(sources) <= MAX_SOURCES:
        return table
    said = {c: int((table[c].astype(str) != "").sum()) for c in sources}
    keep = set(sorted(sources, key=lambda c: (-said[c], sources.index(c)))[:MAX_SOURCES])
    return table[[*table.columns[:fixed], *(c for c in sources if c in keep)]]


def write_claim_exports(report: ClaimReport, folder: str | Path) -> list[Path]:
    """Write ``claims.csv``, ``claim_agreement.csv``, ``claims.xlsx`` and the agreement chart into ``folder``.

    The CSV files hold every row; each workbook sheet at most :data:`MAX_SHEET_ROWS` (conflicts first).
    """
    from . import charts

    folder = Path(folder)
    order = {"conflicting": 0, "more_specific": 1, "corroborated": 2, "single_source": 3}
    agreement_rank = report.agreement["status"].map(lambda st: order.get(str(st), 9))
    tables = {"agreement": ("claim_agreement.csv", report.agreement, agreement_rank), "claims": ("claims.csv", report.claims, None)}
    files = [write_csv(report.claims, folder / "claims.csv"), write_csv(report.agreement, folder / "claim_agreement.csv")]
    sheets = {"claims by group": report.table}
    about = [_about_row("claims by group", "claim_agreement.csv", report.agreement, report.table)]
    for sheet, (name, table, rank) in tables.items():
        sheets[sheet] = _findings_first(table, rank, MAX_SHEET_ROWS)
        about.append(_about_row(sheet, name, table, sheets[sheet], rank is not None))
    sheets["about"] = pd.DataFrame(about, columns=_ABOUT_COLUMNS)
    files.append(write_excel(sheets, folder / "claims.xlsx"))
    fig, data = charts.claim_agreement(report.agreement)
    files.extend(charts.save_chart(fig, data, folder / "figures", "claim_agreement"))
    return files
