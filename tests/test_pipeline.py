"""The pipeline's outputs stay bounded: sparse matches, a bounded verification table on large corpora,
workbook sheets cut (findings first) with every row kept in the CSV files."""

from __future__ import annotations

import io
import os

import pandas as pd
import pytest
from openpyxl import load_workbook

from quotetrace import pipeline
from quotetrace.progress import ENV, relay
from quotetrace.pipeline import verify_claims, verify_quotes, write_claim_exports, write_quote_exports


@pytest.fixture
def small_limits(monkeypatch):
    """The limits of a newsroom-sized corpus, scaled down to the four-article fixture."""
    monkeypatch.setattr(pipeline, "WIDE_SOURCES", 2)
    monkeypatch.setattr(pipeline, "MAX_STATEMENTS", 1)
    monkeypatch.setattr(pipeline, "MAX_SOURCES", 2)
    monkeypatch.setattr(pipeline, "MAX_SHEET_ROWS", 3)


def test_small_corpus_shows_every_statement_in_every_source(newsroom):
    report = verify_quotes(newsroom)
    assert len(report.verification) == len(report.clusters)
    assert report.notes == []
    assert set(report.matches["status"].astype(str)) <= {"verbatim", "variant", "partial"}


def test_large_corpus_verification_holds_shared_statements_and_their_sources(newsroom, small_limits):
    report = verify_quotes(newsroom)
    assert len(report.verification) == 1
    top = report.verification.iloc[0]
    assert top["n_sources"] == report.clusters["n_sources"].max() == 3
    assert top["quote"].startswith("The bus lanes will cut journey times")
    shown_sources = [c for c in report.verification.columns if c.endswith(("Gazette", "Herald", "Bulletin"))]
    assert shown_sources == ["Evening Bulletin", "Riverside Gazette"]  # two of the three that carry it, first in the articles' order
    assert not any("library" in c.lower() for c in report.verification.columns)  # carries none of the shown statements
    assert "verification table shows the 1 statements" in report.notes[0]
    assert "a column for each of the 2 sources that carry most of them (of 3 that carry one, and 4 in all)" in report.notes[0]


def test_workbook_sheets_are_cut_findings_first_and_csv_keeps_every_row(newsroom, small_limits, tmp_path):
    report = verify_quotes(newsroom)
    assert len(report.matches) == 8
    write_quote_exports(report, tmp_path)
    assert len(pd.read_csv(tmp_path / "matches.csv")) == 8
    book = load_workbook(tmp_path / "verification.xlsx", read_only=True)
    matches = list(book["matches"].values)
    header, rows = matches[0], matches[1:]
    assert len(rows) == 3
    statuses = [r[header.index("status")] for r in rows]
    assert statuses == ["verbatim"] * 3  # 4 verbatim of 8: the workbook shows findings first
    about = {r[0]: r for r in list(book["about"].values)[1:]}
    assert about["matches"][1] == "the first 3 rows, findings first; all 8 are in matches.csv"
    assert about["articles"][1] == "the first 3 rows; all 4 are in articles.csv"
    assert about["verification"][1] == "every row"
    assert any("verification table shows" in str(r[1]) for r in about.values())
    quotes = list(book["quotes"].values)
    assert len(quotes) == 4 and len(pd.read_csv(tmp_path / "quotes.csv")) == 9


def test_claims_workbook_is_bounded(newsroom, small_limits, tmp_path):
    report = verify_claims(newsroom)
    assert len(report.table) <= 1 < len(report.agreement)
    assert len(report.table.columns) <= 4 + 2
    write_claim_exports(report, tmp_path)
    assert len(pd.read_csv(tmp_path / "claims.csv")) == len(report.claims)
    book = load_workbook(tmp_path / "claims.xlsx", read_only=True)
    assert len(list(book["claims"].values)) - 1 == min(3, len(report.claims))


def test_progress_lines_go_where_asked_and_nowhere_by_default(newsroom, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    verify_quotes(newsroom)
    assert capsys.readouterr() == ("", "")  # a notebook's stored outputs never hold progress
    log = tmp_path / "progress.log"
    verify_quotes(newsroom, progress=log)
    lines = log.read_text().splitlines()
    assert lines[0].startswith("quotetrace: finding quotes: 4/4 articles (")
    assert any(line.startswith("quotetrace: matching: 4/4 articles (") for line in lines)
    shown = io.StringIO()
    with relay(tmp_path / "relay.log", shown):
        verify_claims(newsroom)  # progress=None: follows QUOTETRACE_PROGRESS, as a notebook kernel started by quotetrace run
    assert shown.getvalue().startswith("quotetrace: finding claims: 4/4 articles (")
    assert not (tmp_path / "relay.log").exists() and ENV not in os.environ


def test_progress_writes_each_count_once(tmp_path, monkeypatch):
    from quotetrace import progress
    from quotetrace.progress import Progress

    monkeypatch.setattr(progress, "_EVERY", 0.0)  # a line at every update
    log = tmp_path / "p.log"
    with Progress(log).stage("matching", 3) as bar:
        for _ in range(3):
            bar.update(1)
    assert [line.split(" (")[0] for line in log.read_text().splitlines()] == [f"quotetrace: matching: {n}/3 articles" for n in (1, 2, 3)]


def test_claims_table_keeps_the_sources_that_say_most(small_limits):
    table = pd.DataFrame({"type": ["count"] * 3, "status": ["corroborated"] * 3, "subject": ["pages"] * 3, "detail": [""] * 3,
                          "Gazette": ["50 pages", "", ""], "Herald": ["50 pages", "12 days", ""], "Post": ["50 pages", "12 days", "2m"]})
    assert list(pipeline._bounded_sources(table).columns) == ["type", "status", "subject", "detail", "Herald", "Post"]
