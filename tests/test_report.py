"""Reports: tables, charts, exports, papermill runs through the CLI, on a small fixture corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from quotetrace import ParameterError, RunError, verify_quotes, write_quote_exports
from quotetrace import charts, tables
from quotetrace.cli import main
from quotetrace.export import spreadsheet_safe, write_csv
from quotetrace.run import run_report

FIXTURES = Path(__file__).parent / "fixtures"
SMALL = FIXTURES / "papermill_corpus"


@pytest.fixture(scope="module")
def small_report():
    return verify_quotes(SMALL)


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    """One papermill run of the report notebook on the fixture corpus."""
    out = tmp_path_factory.mktemp("reports")
    return run_report(SMALL, out=out, run_id="r1", parameters={"score_cutoff": "80", "title": "Flood <b>row</b>"})


# --- tables --------------------------------------------------------------------------


def test_verification_table_on_fixture_corpus(small_report):
    v = small_report.verification
    first = v.iloc[0]
    assert first["quote"].startswith("We have spent every penny")
    assert first["n_sources"] == 3
    assert first["Riverside Gazette"] == "verbatim"
    assert first["Valley Herald"] == "variant"
    assert first["c_bulletin.txt"] == "partial"  # the bulletin carries only the first half
    assert bool(first["conflict"])
    assert first["speakers"] == "Joan Whitfield / Omar Haddad"
    assert first["first_source"] == "Riverside Gazette*"  # the bulletin has no date
    assert "wall → wal" in first["differences"]
    assert list(v.columns[: len(tables.VERIFICATION_COLUMNS)]) == tables.VERIFICATION_COLUMNS


def test_summary_counts(small_report):
    s = dict(zip(small_report.summary["measure"], small_report.summary["count"]))
    assert s["articles"] == 3
    assert s["statements with attribution conflicts"] == 1
    assert s["statements in two or more sources"] == 1


def test_styler_is_stable_and_escapes_text(small_report):
    html1 = tables.style_verification(small_report.verification).to_html()
    html2 = tables.style_verification(small_report.verification).to_html()
    assert html1 == html2
    assert "<script>alert" not in html1
    assert "&lt;script&gt;alert" in html1
    assert "<mark>wall</mark>" in html1


def test_headings_escape_html():
    assert tables.heading("<img src=x onerror=alert(1)>") == "## &lt;img src=x onerror=alert(1)&gt;"


# --- charts and exports --------------------------------------------------------------


def test_charts_return_figures_with_their_data(small_report, tmp_path):
    for fig, data in (
        charts.coverage_heatmap(small_report.verification),
        charts.first_appearance_timeline(small_report.clusters, small_report.articles),
        charts.match_distribution(small_report.matches),
    ):
        assert len(fig.axes) >= 1 and isinstance(data, pd.DataFrame)
    fig, data = charts.coverage_heatmap(small_report.verification)
    png, csv = charts.save_chart(fig, data, tmp_path, "heat")
    assert png.read_bytes()[:4] == b"\x89PNG" and pd.read_csv(csv).shape[0] == len(small_report.verification)


def test_spreadsheet_formulas_are_neutralised(tmp_path):
    table = pd.DataFrame({"quote": ["=1+1", "+SUM(A1)", "-2", "@cmd", "plain", None], "n": [1, 2, 3, 4, 5, 6]})
    safe = spreadsheet_safe(table)
    assert safe["quote"].tolist()[:5] == ["'=1+1", "'+SUM(A1)", "'-2", "'@cmd", "plain"]
    path = write_csv(table, tmp_path / "t.csv")
    assert "\n'=1+1," in path.read_text()
    assert table["quote"].iloc[0] == "=1+1"  # the input is not modified


def test_exports_written_and_safe(small_report, tmp_path):
    files = write_quote_exports(small_report, tmp_path / "out")
    names = {f.name for f in files}
    assert {"quotes.csv", "matches.csv", "clusters.csv", "verification.csv", "verification.xlsx"} <= names
    assert {"coverage_heatmap.png", "coverage_heatmap.csv", "first_appearance.png", "match_distribution.png"} <= names
    quotes = pd.read_csv(tmp_path / "out" / "quotes.csv")
    assert any(q.startswith("'=HYPERLINK") for q in quotes["quote"])
    book = load_workbook(tmp_path / "out" / "verification.xlsx")
    assert book.sheetnames == ["summary", "verification", "clusters", "quotes", "matches", "articles", "about"]
    sheet = book["quotes"]
    values = [c.value for c in sheet["E"]]
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    assert sheet.column_dimensions["E"].width > 20
    assert not list((tmp_path / "out").glob(".*tmp"))


# --- papermill runs ------------------------------------------------------------------


def test_papermill_run_on_fixture_corpus(small_run):
    folder = small_run.folder
    for name in ("verify_quotes.ipynb", "verify_quotes.html", "run.json", "articles.csv", "quotes.csv", "matches.csv",
                 "clusters.csv", "verification.xlsx", "figures/coverage_heatmap.png", "figures/coverage_heatmap.csv"):
        assert (folder / name).is_file(), name
    clusters = pd.read_csv(folder / "clusters.csv")
    shared = clusters[clusters["n_sources"] == 3]
    assert len(shared) == 1 and bool(shared["attribution_conflict"].iloc[0])
    matches = pd.read_csv(folder / "matches.csv")
    assert set(matches["status"]) >= {"verbatim", "variant", "partial", "missing"}
    for name in ("verify_claims.ipynb", "verify_claims.html", "claims.csv", "claim_agreement.csv", "claims.xlsx",
                 "figures/claim_agreement.png", "figures/claim_agreement.csv"):
        assert (folder / name).is_file(), name
    claims = pd.read_csv(folder / "claims.csv")
    assert {"date", "statement"} <= set(claims["type"])
    record = json.loads((folder / "run.json").read_text())
    assert record["parameters"]["verify_quotes.ipynb"]["score_cutoff"] == 80.0
    assert "score_cutoff" not in record["parameters"]["verify_claims.ipynb"]  # that notebook does not take it
    assert record["notebooks"] == ["verify_quotes.ipynb", "verify_claims.ipynb"]
    assert {i["path"] for i in record["inputs"]} == {"a_gazette.txt", "b_herald.txt", "c_bulletin.txt"}
    html = (folder / "verify_quotes.html").read_text()
    assert "&lt;script&gt;alert" in html and "<script>alert('x')" not in html
    assert "Flood &lt;b&gt;row&lt;/b&gt;" in html
    assert "qt.load_corpus" not in html  # code hidden


def test_cli_main_job_on_bundled_corpus(tmp_path, capsys, tweetgate):
    from quotetrace import record_verdict, verdicts

    clusters = verify_quotes("tweetgate").clusters
    target = clusters[clusters["canonical"].str.startswith("Same old story")].iloc[0]["cluster_id"]
    store = tmp_path / "tweetgate" / "verdicts.sqlite"
    record_verdict(store, "cluster", target, "verified", reviewer="ana", note="Tweet archived.")
    assert main(["run", "tweetgate", "--out", str(tmp_path), "--run-id", "r1", "-p", "score_cutoff", "85"]) == 0
    folder = tmp_path / "tweetgate" / "r1"
    shown = pd.read_csv(folder / "verification.csv").set_index("cluster_id")
    assert shown.loc[target, "verdict"] == "verified" and shown.loc[target, "verdict_note"] == "Tweet archived."
    assert shown["verdict"].notna().sum() == 1
    assert len(verdicts(store)) == 1  # a run only reads the store
    assert (folder / "verify_quotes.html").is_file()
    assert len(pd.read_csv(folder / "quotes.csv")) == 36
    assert (tmp_path / "tweetgate" / "latest").resolve() == folder.resolve()
    assert "r1" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args, words",
    [
        (["run", "no-such-corpus"], "no-such-corpus"),
        (["run", "tweetgate", "-p", "bogus", "1"], "Unknown parameter(s) bogus"),
        (["run", "tweetgate", "-p", "score_cutoff", "high"], "must be a number"),
        (["run", "tweetgate", "-p", "score_cutoff", "150"], "between 0 and 100"),
        (["run", "tweetgate", "-p", "language", "xx"], "language 'xx' has no word list"),
    ],
)
def test_cli_bad_input_is_a_clear_message_before_any_notebook_runs(tmp_path, capsys, args, words):
    assert main(args + ["--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert not any(tmp_path.rglob("*.ipynb"))


def test_failed_run_names_the_cell_and_keeps_previous_report(tmp_path):
    good = run_report(SMALL, out=tmp_path, run_id="good")
    before = {p.relative_to(good.folder): p.read_bytes() for p in good.folder.rglob("*") if p.is_file()}
    with pytest.raises(RunError, match=r"fails.ipynb failed at cell \[4\] .*raise ValueError.*ValueError: deliberate failure"):
        run_report(SMALL, out=tmp_path, run_id="bad", notebooks=[FIXTURES / "notebooks" / "fails.ipynb"])
    corpus_dir = tmp_path / "papermill_corpus"
    assert not (corpus_dir / "bad").exists()
    assert (corpus_dir / "failed-bad" / "fails.ipynb").is_file()
    assert (corpus_dir / "latest").resolve() == good.folder.resolve()
    after = {p.relative_to(good.folder): p.read_bytes() for p in good.folder.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in corpus_dir.iterdir() if p.name.startswith(".") and p.name != ".cache"]  # the cache stays


def test_existing_run_id_is_refused(small_run):
    with pytest.raises(ParameterError, match="already exists"):
        run_report(SMALL, out=small_run.folder.parent.parent, run_id="r1")
