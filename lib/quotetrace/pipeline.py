"""The orchestrator: runs the stages in order and writes the exports. No logic of its own.

corpus files → articles → quotes → matches → clusters → verification table →
exports and charts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import charts
from .claims import compare_claims, extract_claims
from .clusters import cluster_quotes
from .corpus import load_corpus
from .export import write_csv, write_excel
from .match import MatchSettings, match_quotes
from .paths import resolve_corpus
from .quotes import extract_quotes
from .tables import claims_table, statement_sources, summary, verification_table
from .verdicts import _empty, attach_verdicts, orphaned_verdicts, verdicts

__all__ = ["load_verdicts", "QuoteReport", "verify_quotes", "write_quote_exports", "ClaimReport", "verify_claims", "write_claim_exports"]


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


def load_verdicts(store: str | Path | None) -> pd.DataFrame:
    """The verdict history in ``store``, or an empty table when there is no store (``None``/``""``/absent file)."""
    return verdicts(store) if store else _empty()


def verify_quotes(
    corpus: str | Path, *, score_cutoff: float = MatchSettings.score_cutoff, verdicts_db: str | Path | None = None
) -> QuoteReport:
    """Load a corpus (bundled name or path) and run every quote stage on it; attach current verdicts."""
    _, path = resolve_corpus(corpus)
    articles = load_corpus(path)
    quotes = extract_quotes(articles)
    matches = match_quotes(quotes, articles, score_cutoff=score_cutoff)
    clusters = cluster_quotes(quotes, matches, articles)
    history = load_verdicts(verdicts_db)
    return QuoteReport(
        articles,
        quotes,
        matches,
        clusters,
        verification_table(clusters, matches, articles, history, quotes=quotes),
        summary(articles, quotes, matches, clusters),
        orphaned_verdicts(history[history["target_type"] == "cluster"], clusters=clusters),
    )


def write_quote_exports(report: QuoteReport, folder: str | Path) -> list[Path]:
    """Write the CSV tables, the Excel workbook and every chart (PNG + CSV) into ``folder``.

    Returns the files written, in a stable order. Every file is written
    atomically and is safe to open in a spreadsheet.
    """
    folder = Path(folder)
    articles = report.articles.drop(columns=["text"])
    files = [
        write_csv(report.quotes, folder / "quotes.csv"),
        write_csv(report.matches, folder / "matches.csv"),
        write_csv(report.clusters, folder / "clusters.csv"),
        write_csv(report.verification, folder / "verification.csv"),
        write_excel(
            {
                "summary": report.summary,
                "by source": statement_sources(report.clusters, report.matches, report.quotes, report.articles, verification=report.verification),
                "verification": report.verification,
                "clusters": report.clusters,
                "quotes": report.quotes,
                "matches": report.matches,
                "articles": articles,
            },
            folder / "verification.xlsx",
        ),
    ]
    for name, (fig, data) in {
        "coverage_heatmap": charts.coverage_heatmap(report.verification),
        "first_appearance": charts.first_appearance_timeline(report.clusters, report.articles),
        "match_distribution": charts.match_distribution(report.matches),
    }.items():
        files.extend(charts.save_chart(fig, data, folder / "figures", name))
    return files


@dataclass
class ClaimReport:
    """Every table of a claims check."""

    articles: pd.DataFrame
    claims: pd.DataFrame
    agreement: pd.DataFrame
    table: pd.DataFrame
    orphaned: pd.DataFrame | None = None


def verify_claims(corpus: str | Path, *, verdicts_db: str | Path | None = None) -> ClaimReport:
    """Load a corpus (bundled name or path), extract its claims, compare them across sources; attach verdicts."""
    _, path = resolve_corpus(corpus)
    articles = load_corpus(path)
    history = load_verdicts(verdicts_db)
    claims = attach_verdicts(extract_claims(articles), history, target_type="claim")
    agreement = compare_claims(claims, articles)
    return ClaimReport(
        articles, claims, agreement, claims_table(agreement), orphaned_verdicts(history[history["target_type"] == "claim"], claims=claims)
    )


def write_claim_exports(report: ClaimReport, folder: str | Path) -> list[Path]:
    """Write ``claims.csv``, ``claim_agreement.csv``, ``claims.xlsx`` and the agreement chart into ``folder``."""
    folder = Path(folder)
    files = [
        write_csv(report.claims, folder / "claims.csv"),
        write_csv(report.agreement, folder / "claim_agreement.csv"),
        write_excel({"claims by group": report.table, "agreement": report.agreement, "claims": report.claims}, folder / "claims.xlsx"),
    ]
    fig, data = charts.claim_agreement(report.agreement)
    files.extend(charts.save_chart(fig, data, folder / "figures", "claim_agreement"))
    return files
