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
    assert first["Riverside Gazette"] == "source"  # where the canonical wording is quoted from: not a check, not green
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


def test_report_html_is_stable_escapes_text_and_marks_differences(small_report):
    sources = tables.statement_sources(small_report.clusters, small_report.matches, small_report.quotes, small_report.articles)
    page = tables.statements_html(sources, small_report.verification)
    assert page == tables.statements_html(sources, small_report.verification)
    assert '<mark class="qt-b">wal</mark>' in page  # the Herald's misspelling, marked in its own wording
    findings = tables.quote_findings_html(sources, small_report.clusters)
    assert "Joan Whitfield" in findings and "Omar Haddad" in findings  # the attribution conflict
    single = tables.single_source_html(sources)
    assert "&lt;script&gt;alert" in single and "<script>alert" not in single
    everything = page + findings + single + tables.quote_summary_html(small_report.articles, small_report.quotes, small_report.clusters, sources)
    assert "nan" not in everything.lower().replace("nancy", "") and "NaT" not in everything and "None" not in everything


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
    shared = small_report.verification[small_report.verification["n_sources"] >= 2]
    assert png.read_bytes()[:4] == b"\x89PNG" and pd.read_csv(csv).shape[0] == len(shared)


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
    assert book.sheetnames == ["summary", "by source", "verification", "clusters", "quotes", "matches", "articles", "about"]
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
    assert set(matches["status"]) >= {"verbatim", "variant", "partial"}  # sparse: only what was found
    for name in ("verify_claims.ipynb", "verify_claims.html", "claims.csv", "claim_agreement.csv", "claims.xlsx",
                 "figures/claim_agreement.png", "figures/claim_agreement.csv"):
        assert (folder / name).is_file(), name
    claims = pd.read_csv(folder / "claims.csv")
    # "The mayor of Riverside defended the plan on Monday" was a statement "about Riverside" while a place could be
    # a subject; the mayor, a role, is not a named subject, so the sentence gives its date only
    assert set(claims["type"]) == {"date"} and "Monday" in set(claims["expression"])
    record = json.loads((folder / "run.json").read_text())
    assert record["parameters"]["verify_quotes.ipynb"]["score_cutoff"] == 80.0
    assert "score_cutoff" not in record["parameters"]["verify_claims.ipynb"]  # that notebook does not take it
    assert record["notebooks"] == ["verify_quotes.ipynb", "verify_claims.ipynb"]
    assert {i["path"] for i in record["inputs"]} == {"a_gazette.txt", "b_herald.txt", "c_bulletin.txt"}
    html = (folder / "verify_quotes.html").read_text()
    assert "&lt;script&gt;alert" in html and "<script>alert('x')" not in html
    assert "Flood &lt;b&gt;row&lt;/b&gt;" in html
    assert "qt.load_corpus" not in html  # code hidden
    for name in ("verify_quotes.html", "verify_claims.html"):
        page = (folder / name).read_text()
        title = page.split("<title>", 1)[1].split("</title>", 1)[0]
        assert "papermill_corpus, run 20" in title and " UTC" in title  # corpus and run date
        assert "<script src=" not in page and "cdnjs" not in page and "unpkg" not in page  # nothing from the network
        assert "How to use" not in page and "Run All Cells" not in page  # no notebook instructions
        assert ".staging-" not in page and str(folder.parent) not in page  # no temporary paths
        assert ">nan<" not in page.lower() and "NaT" not in page
        assert "SHA-256" in page and "<footer>" in page  # provenance
    assert html.count("<h1") == 1  # one heading


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


def test_cli_originals_folder_reaches_the_quote_report_with_every_verdict(tmp_path, monkeypatch):
    from quotetrace import bundled_corpus
    from quotetrace.originals import CHECK_VERDICTS

    monkeypatch.chdir(bundled_corpus("harbourview"))  # a relative --originals is read from where the command runs
    assert main(["run", "harbourview", "--out", str(tmp_path), "--run-id", "r1", "--originals", "originals"]) == 0
    folder = tmp_path / "harbourview" / "r1"
    used = json.loads((folder / "run.json").read_text(encoding="utf-8"))["parameters"]
    assert used["verify_quotes.ipynb"]["originals"] == str(bundled_corpus("harbourview").resolve() / "originals")
    assert "originals" not in used["verify_claims.ipynb"]  # only for the notebooks declaring it
    page = (folder / "verify_quotes.html").read_text(encoding="utf-8")
    opening = page.index('id="qt-originals"')
    assert opening < page.index('class="qt-summary">4 articles') < page.index('id="qt-differences"')  # it opens the report
    checks = pd.read_csv(folder / "originals_checks.csv")
    assert sorted(checks["verdict"]) == sorted(CHECK_VERDICTS)
    for verdict in CHECK_VERDICTS:
        assert f'title="{tables.CHECK_VERDICT_MEANING[verdict]}">{verdict.replace("_", " ")}</span>' in page[opening:]
    assert "moribound → moribund" in page and "hidden by the ellipsis: <b>‘not’</b>" in page
    docs = json.loads((folder / "claimreview.jsonld").read_text(encoding="utf-8"))
    assert {d["reviewRating"]["alternateName"].split(":")[0] for d in docs} == {"Accurate", "Misquoted", "Misleadingly cut", "Misattributed"}
    assert docs[0]["author"]["name"].startswith("Unsigned draft")  # no fact_checker given


@pytest.mark.parametrize(
    "args, words",
    [
        (["run", "no-such-corpus"], "no-such-corpus"),
        (["run", "tweetgate", "-p", "bogus", "1"], "Unknown parameter(s) bogus"),
        (["run", "tweetgate", "-p", "score_cutoff", "high"], "must be a number"),
        (["run", "tweetgate", "-p", "score_cutoff", "150"], "between 0 and 100"),
        (["run", "tweetgate", "-p", "language", "xx"], "language 'xx' has no word list"),
        (["run", "tweetgate", "--originals", "no/such/folder"], "The originals 'no/such/folder' do not exist"),
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


# --- truthful statuses -----------------------------------------------------------------

MAYOR = "We spent 12 million pounds on flood barriers last year and not a single home in the valley flooded"
PARAPHRASE = "we spent 12 million on barriers and no home flooded"


@pytest.fixture
def paraphrase_corpus(write, tmp_path):
    write("mayor.txt", f"Mayor Joan Whitfield spoke at the town hall on Monday.\n\n“{MAYOR},” Mayor Joan Whitfield said.\n")
    write("post.txt", f"The Evening Post asked about the barriers.\n\n“{MAYOR.replace('home', 'house')},” Joan Whitfield told the Evening Post.\n")
    write("blog.txt", f"A local blog was not impressed.\n\nThe mayor boasted that “{PARAPHRASE}”, the blogger wrote.\n")
    write("manifest.csv", "file,outlet,published,url,title\nmayor.txt,Town Hall News,2024-03-04,,\npost.txt,Evening Post,2024-03-05,,\n"
          "blog.txt,Valley Blog,2024-03-06,,\n")
    return tmp_path


def _paraphrase_report(folder):
    from quotetrace import cluster_quotes, extract_quotes, load_corpus, match_quotes

    articles = load_corpus(folder)
    quotes = extract_quotes(articles)
    matches = match_quotes(quotes, articles)
    clusters = cluster_quotes(quotes, matches, articles)
    return articles, quotes, matches, clusters


def _join_blog_into_mayor(quotes, clusters, articles):
    """The issue's setup: the blog's paraphrase has joined the mayor's cluster (as an older matcher did)."""
    blog = articles.loc[articles["outlet"] == "Valley Blog", "article_id"].iloc[0]
    blog_qid = quotes.loc[quotes["article_id"] == blog, "quote_id"].iloc[0]
    mayor = clusters[clusters["canonical"].str.startswith("We spent 12 million pounds")].index[0]
    joined = clusters.drop(index=clusters.index[clusters["quote_ids"].map(lambda ids: blog_qid in ids)]).copy()
    joined.at[mayor, "quote_ids"] = sorted([*clusters.at[mayor, "quote_ids"], blog_qid])
    joined.at[mayor, "sources"] = [*clusters.at[mayor, "sources"], blog]
    joined.at[mayor, "n_sources"] = 3
    joined.at[mayor, "statuses"] = {**clusters.at[mayor, "statuses"], blog: "verbatim"}
    return joined, blog


def test_a_paraphrase_in_a_cluster_is_not_verbatim(paraphrase_corpus):
    from quotetrace import find_quote

    articles, quotes, matches, clusters = _paraphrase_report(paraphrase_corpus)
    joined, blog = _join_blog_into_mayor(quotes, clusters, articles)
    blog_text = articles.set_index("article_id").at[blog, "text"]
    assert find_quote(MAYOR, blog_text).status == "missing"  # what the matcher says of the canonical wording in the blog
    v = tables.verification_table(joined, matches, articles, quotes=quotes)
    row = v[v["quote"].str.startswith("We spent 12 million pounds")].iloc[0]
    assert (row["Town Hall News"], row["Evening Post"], row["Valley Blog"]) == ("source", "variant", "missing")
    assert "Evening Post: home → house" in row["differences"]
    sources = tables.statement_sources(joined, matches, quotes, articles)
    blog_row = sources[(sources["source"] == "Valley Blog")].iloc[0]
    assert blog_row["status"] == "missing" and blog_row["wording"] == PARAPHRASE  # its own words are shown, not hidden
    html = tables.quote_findings_html(sources, joined)
    assert "its own wording, not the quoted one" in html and 'class="qt-chip" style="background:#e0e0e0"' in html


def test_statuses_same_with_sparse_and_full_matches(paraphrase_corpus):
    articles, quotes, matches, clusters = _paraphrase_report(paraphrase_corpus)
    sparse = matches[matches["status"].astype(str) != "missing"].reset_index(drop=True)
    full = tables.verification_table(clusters, matches, articles, quotes=quotes)
    assert full.equals(tables.verification_table(clusters, sparse, articles, quotes=quotes))
    assert tables.statement_sources(clusters, matches, quotes, articles).equals(tables.statement_sources(clusters, sparse, quotes, articles))
    own = full[full["quote"] == PARAPHRASE].iloc[0]
    assert own["Valley Blog"] == "source" and own["Town Hall News"] == "missing"  # nobody else carries the paraphrase


def test_verification_table_needs_quotes(small_report):
    with pytest.raises(ParameterError, match="needs the quotes table"):
        tables.verification_table(small_report.clusters, small_report.matches, small_report.articles)


# --- charts ----------------------------------------------------------------------------


def test_dollar_signs_in_quotes_do_not_break_charts(write, tmp_path):
    quote = "It cost $5bn to build and $3bn to run, and nobody asked the people of the valley"
    write("a.txt", f"The minister spoke.\n\n“{quote},” the minister said.\n")
    write("b.txt", f"A second paper.\n\n“{quote},” Minister Ann Lee said.\n")
    write("manifest.csv", "file,outlet,published,url,title\na.txt,Cost $Daily$,2024-01-02,,\nb.txt,Money_Times^2,2024-01-03,,\n")
    report = verify_quotes(tmp_path)
    for name, (fig, data) in {"heat": charts.coverage_heatmap(report.verification),
                              "first": charts.first_appearance_timeline(report.clusters, report.articles)}.items():
        png, _ = charts.save_chart(fig, data, tmp_path / "fig", name)  # draws every label: mathtext would raise here
        assert png.stat().st_size > 1000
    fig, _ = charts.coverage_heatmap(report.verification)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert any(r"\$5bn" in t for t in labels)


def test_charts_with_nothing_to_draw_say_so(small_report):
    one_source = small_report.verification[small_report.verification["n_sources"] == 1]
    fig, data = charts.coverage_heatmap(one_source)
    assert data.empty and "Nothing to show" in " ".join(t.get_text() for t in fig.axes[0].texts)
    fig, _ = charts.match_distribution(small_report.matches.iloc[0:0])
    assert "Nothing to show" in " ".join(t.get_text() for t in fig.axes[0].texts)


def test_heatmap_is_cross_source_capped_with_a_note_and_counts_are_whole(small_report):
    fig, data = charts.coverage_heatmap(small_report.verification, max_rows=60)
    assert len(data) == 1  # only the statement carried by several sources, not every own-source quote
    big = pd.concat([small_report.verification.iloc[[0]]] * 70, ignore_index=True)
    fig, data = charts.coverage_heatmap(big, max_rows=60)
    assert len(data) == 60 and "first 60 of 70 statements" in fig.axes[0].get_xlabel()
    fig, data = charts.coverage_heatmap(small_report.verification, max_sources=2)  # too many sources for a column each
    assert data[["verbatim", "variant", "partial"]].iloc[0].tolist() == [0, 1, 1] and "of 3 sources" in fig.axes[0].get_xlabel()
    fig, _ = charts.match_distribution(small_report.matches)
    fig.canvas.draw()
    ticks = fig.axes[0].get_yticks()
    assert all(float(t).is_integer() for t in ticks)


# --- Excel -----------------------------------------------------------------------------


def test_excel_is_ready_for_a_desk_editor(small_report, tmp_path):
    write_quote_exports(small_report, tmp_path)
    book = load_workbook(tmp_path / "verification.xlsx")
    sheet = book["by source"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    header = [c.value for c in sheet[1]]
    quote_col = header.index("quote") + 1
    assert sheet.cell(row=2, column=quote_col).alignment.wrap_text
    status_col = sheet.cell(row=1, column=header.index("status") + 1).column_letter
    rules = [r for rng in sheet.conditional_formatting for r in rng.rules if status_col in str(rng.sqref)]
    assert {r.formula[0] for r in rules} >= {'"source"', '"variant"'}
    articles = book["articles"]
    names = [c.value for c in articles[1]]
    published = articles.cell(row=3, column=names.index("published") + 1)
    assert published.number_format == "yyyy-mm-dd" and published.value.year == 2024


def test_excel_splits_tables_longer_than_its_row_limit(tmp_path, monkeypatch):
    from quotetrace import export

    monkeypatch.setattr(export, "EXCEL_MAX_ROWS", 4)  # 3 data rows a sheet
    table = pd.DataFrame({"quote": [f"q{n}" for n in range(7)], "status": ["variant"] * 7})
    export.write_excel({"matches": table, "summary": table.head(2)}, tmp_path / "t.xlsx")
    book = load_workbook(tmp_path / "t.xlsx")
    assert book.sheetnames == ["matches (1)", "matches (2)", "matches (3)", "summary"]
    assert [c.value for c in book["matches (3)"]["A"]] == ["quote", "q6"]
    assert sum(book[s].max_row - 1 for s in book.sheetnames[:3]) == 7
    note = book["matches (1)"].cell(row=1, column=4).value
    assert "Rows 1-3 of 7" in note and "continued in sheet 'matches (2)'" in note


def test_excel_cells_keep_their_types_and_text_is_never_a_formula_or_a_link(tmp_path):
    # a guard for the row-by-row writer: text stays text (never a formula, link or number), missing values are empty
    from quotetrace import export

    table = pd.DataFrame({
        "text": ["=1+1", "https://example.org/a", "007", "bell\x07 rings", "x" * 40_000],
        "n": [1, 2.5, float("nan"), 4, 5],
        "when": pd.to_datetime(["2024-01-02", None, "2024-01-03", "2024-01-04", "2024-01-05"]),
    })
    export.write_excel({"t": table}, tmp_path / "t.xlsx")
    ws = load_workbook(tmp_path / "t.xlsx")["t"]
    texts = [c.value for c in ws["A"]][1:]
    assert texts[:3] == ["'=1+1", "https://example.org/a", "007"] and all(c.data_type == "s" for c in ws["A"][1:])
    assert not ws._hyperlinks and texts[3].startswith("bell")
    assert len(texts[4]) <= export.EXCEL_MAX_CELL and texts[4].endswith("more characters in the CSV]")
    assert [c.value for c in ws["B"]][1:] == [1, 2.5, None, 4, 5]
    assert ws["C3"].value is None and ws["C2"].value.year == 2024 and ws["C2"].number_format == "yyyy-mm-dd"


# --- word marks: property --------------------------------------------------------------

from hypothesis import given, settings as hsettings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@hsettings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.text(max_size=80))
def test_word_marks_keep_the_text_and_escape_it(a, b):
    import html
    import re

    left, right, differs = tables._word_marks(a, b)
    for marked, original in ((left, a), (right, b)):
        assert "<" not in re.sub(r'</?mark( class="qt-(a|b|cut)")?>', "", marked)  # only our own tags
        assert html.unescape(re.sub(r"</?mark[^>]*>", "", marked)) == original.rstrip(" ,;:")
    from quotetrace.text import word_list

    assert differs == (word_list(a.rstrip(" ,;:")) != word_list(b.rstrip(" ,;:")))


def test_summary_says_when_a_large_corpus_shows_part(small_report):
    sources = tables.statement_sources(small_report.clusters, small_report.matches, small_report.quotes, small_report.articles,
                                       verification=small_report.verification)
    plain = tables.quote_summary_html(small_report.articles, small_report.quotes, small_report.clusters, sources)
    assert "qt-note" not in plain.split("</style>")[-1]
    note = "The verification table shows the 200 statements carried by the most sources <of 9,000>."
    shown = tables.quote_summary_html(small_report.articles, small_report.quotes, small_report.clusters, sources, notes=[note])
    assert "shows the 200 statements carried by the most sources &lt;of 9,000&gt;." in shown


@pytest.mark.parametrize("notebook", ["verify_quotes.ipynb", "verify_claims.ipynb", "review.ipynb"])
def test_papermill_reads_every_parameter_with_its_help(notebook):
    # papermill skips a parameter line it cannot parse (an '=' in the comment did that): -p would then be "unknown"
    import papermill

    from quotetrace.paths import notebooks_dir

    path = notebooks_dir() / notebook
    cell = next(c for c in json.loads(path.read_text())["cells"] if "parameters" in c["metadata"].get("tags", []))
    declared = [line.split(":")[0] for line in "".join(cell["source"]).splitlines() if line.strip()]
    inspected = papermill.inspect_notebook(str(path))
    assert list(inspected) == declared
    assert all(p["help"] for p in inspected.values())


# --- skipped inputs in the summary (#18) -------------------------------------------------


def _corpus_with_bad_inputs(folder: Path) -> Path:
    folder.mkdir()
    (folder / "good.txt").write_text("Coun Ann Lee said: “The library stays open this year.” The council agreed.")
    (folder / "empty.txt").write_text("")
    (folder / "<i>odd&.txt").write_text("  \n")
    return folder


def test_both_summaries_list_the_skipped_inputs_escaped(tmp_path, monkeypatch):
    from quotetrace import verify_claims

    corpus = _corpus_with_bad_inputs(tmp_path / "c")
    monkeypatch.setenv("QUOTETRACE_ON_ERROR", "skip")
    for cache in (None, tmp_path / "cache", tmp_path / "cache"):  # fresh, cached, read back from the cache
        quotes = verify_quotes(corpus, cache=cache)
        claims = verify_claims(corpus, cache=cache)
        for block in (
            tables.quote_summary_html(quotes.articles, quotes.quotes, quotes.clusters,
                                      tables.statement_sources(quotes.clusters, quotes.matches, quotes.quotes, quotes.articles)),
            tables.claim_summary_html(claims.articles, claims.claims, claims.agreement),
        ):
            shown = str(block)
            assert "Skipped inputs" in shown
            assert "<code>empty.txt</code>" in shown and "is empty" in shown
            assert "<i>odd" not in shown and "&lt;i&gt;odd&amp;.txt" in shown
            assert "good.txt" not in shown


def test_no_skipped_inputs_note_when_nothing_was_skipped():
    report = verify_quotes(SMALL)
    block = tables.quote_summary_html(report.articles, report.quotes, report.clusters,
                                      tables.statement_sources(report.clusters, report.matches, report.quotes, report.articles))
    assert "Skipped inputs" not in str(block)
    assert tables.skipped_inputs_html(report.articles) == ""


def test_a_date_known_to_the_month_is_shown_to_the_month_and_the_compared_wording_is_not_called_first():
    # the Macclesfield Express gives January 2015 only: 2015-01, never a made-up 2015-01-01; and the wording the others
    # are compared with (an undated source's here) is labelled as that, while "Who was first" names the earliest dated source
    report = verify_quotes("tweetgate")
    summary = str(tables.quote_summary_html(report.articles, report.quotes, report.clusters, report.sources))
    assert "published 2015-01 to 2015-01-07 (1 undated)" in summary
    listing = str(tables.table_html(report.articles, columns=["outlet", "published", "title", "path"]))
    assert "<td>2015-01</td>" in listing and "2015-01-01" not in listing
    findings = str(tables.quote_findings_html(report.sources, report.clusters))
    assert "(the wording compared)" in findings and "quoted from" not in findings


# --- bounded at newsroom scale (#16) ------------------------------------------------------


def _agreement_over(n: int) -> pd.DataFrame:
    """Claim groups over ``n`` sources (a folder with no outlets: each article its own source);
    source 7 and 11 conflict."""
    rows = [{"status": "single_source", "sources": [f"story{i:05d}.txt"]} for i in range(n)]
    rows += [{"status": "corroborated", "sources": [f"story{i:05d}.txt", f"story{(i + 1) % n:05d}.txt"]} for i in range(0, n, 2)]
    rows.append({"status": "conflicting", "sources": ["story00007.txt", "story00011.txt"]})
    return pd.DataFrame(rows)


def test_claim_agreement_chart_is_bounded_conflicts_first_and_keeps_every_source():
    fig, data = charts.claim_agreement(_agreement_over(400))
    drawn = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(drawn) == charts.MAX_CHART_ROWS  # not 400 bars (a 170-inch figure that takes minutes to draw)
    assert drawn[:2] == ["story00007.txt", "story00011.txt"]  # the sources with conflicts come first
    assert fig.get_size_inches()[1] < 20
    assert len(data) == 400 and data["source"].iloc[0] == "story00007.txt"  # the CSV beside the chart has them all
    assert f"{charts.MAX_CHART_ROWS} of 400 sources" in fig.texts[0].get_text().replace("\n", " ")
    fig, data = charts.claim_agreement(_agreement_over(12))
    assert len(fig.axes[0].get_yticklabels()) == 12 and "sources with the most conflicts" not in fig.texts[0].get_text()


def test_first_appearance_timeline_is_bounded_when_articles_have_no_outlet():
    n = 200
    articles = pd.DataFrame({"article_id": [f"a{i}" for i in range(n)], "outlet": [None] * n, "path": [f"story{i:04d}.txt" for i in range(n)],
                             "published": pd.to_datetime("2025-01-01") + pd.to_timedelta(range(n), unit="D")})
    clusters = pd.DataFrame({"cluster_id": [f"c{i}" for i in range(n)], "n_sources": 2, "first_seen": articles["article_id"],
                             "first_published": articles["published"]})
    fig, data = charts.first_appearance_timeline(clusters, articles)
    assert len(fig.axes[0].get_yticklabels()) == charts.MAX_CHART_ROWS and fig.get_size_inches()[1] < 20
    assert len(data) == n  # every outlet's firsts in the data (the CSV)
    assert f"{n - charts.MAX_CHART_ROWS} more in the CSV" in fig.axes[0].get_title().replace("\n", " ")


def test_provenance_lists_a_bounded_number_of_files_and_says_where_the_rest_are(small_report):
    many = pd.concat([small_report.articles] * 200, ignore_index=True)  # 600 inputs
    footer = tables.provenance_html({"corpus": "x"}, many, {"quotetrace": "0"})
    assert footer.count("<tr>") == 300
    assert "Showing the first 300 of 600 input files" in footer and "articles.csv" in footer
    small = tables.provenance_html({"corpus": "x"}, small_report.articles, {"quotetrace": "0"})
    assert small.count("<tr>") == len(small_report.articles) and "Showing the first" not in small


def _wire_copy_sources(n: int) -> pd.DataFrame:
    """A statement-by-source table: one statement carried by ``n`` sources (wire copy), two of them
    changing words, then a small statement in two sources."""
    rows = [{"cluster_id": "c1", "quote": "The dam will hold.", "source": "Wire", "article_id": "a0", "published": "2025-01-01",
             "status": "source", "wording": "The dam will hold.", "speaker": "Ann Lee", "differences": ""}]
    for i in range(1, n):
        changed = i in (n - 2, n - 1)  # the latest two change a word
        rows.append({"cluster_id": "c1", "quote": "The dam will hold.", "source": f"Paper {i:04d}", "article_id": f"a{i}",
                     "published": f"2025-01-{1 + i % 28:02d}", "status": "variant" if changed else "verbatim",
                     "wording": "The dam will fail." if changed else "The dam will hold.", "speaker": "", "differences": "hold → fail" if changed else ""})
    for k, status in enumerate(("source", "verbatim")):
        rows.append({"cluster_id": "c2", "quote": "Rates stay.", "source": f"Other {k}", "article_id": f"b{k}", "published": "",
                     "status": status, "wording": "Rates stay.", "speaker": "", "differences": ""})
    table = pd.DataFrame(rows, columns=tables.STATEMENT_SOURCE_COLUMNS)
    table["status"] = pd.Categorical(table["status"], categories=list(tables.REPORT_STATUSES))
    return table


def test_statements_table_is_bounded_per_statement_differences_first_with_a_note():
    page = tables.statements_html(_wire_copy_sources(2000), max_sources=12)
    body = page.split("<tbody>")[1]
    assert body.count("<tr") == 12 + 1 + 2  # 12 rows of the wire statement, its note, the small statement's 2 rows
    assert "Paper 1998" in body and "Paper 1999" in body  # the two that change a word are shown, however late
    assert "… and 1,988 more sources (1,988 verbatim): every row is in statement_sources.csv" in body
    assert "Other 1" in body  # the next statement still has room
    small = tables.statements_html(_wire_copy_sources(5), max_sources=12)
    assert "more source" not in small and small.split("<tbody>")[1].count("<tr") == 5 + 2


def test_first_appearance_dots_stay_bounded_and_unlabelled_when_crowded():
    days = 120
    articles = pd.DataFrame({"article_id": [f"a{i}" for i in range(days)], "outlet": ["Wire"] * days, "path": [f"{i}.txt" for i in range(days)],
                             "published": pd.to_datetime("2025-01-01") + pd.to_timedelta(range(days), unit="D")})
    firsts = ["a0"] * 5000 + list(articles["article_id"])  # 5,000 statements first in one story, one in each of the others
    clusters = pd.DataFrame({"cluster_id": [f"c{i}" for i in range(len(firsts))], "n_sources": 2, "first_seen": firsts})
    clusters["first_published"] = clusters["first_seen"].map(dict(zip(articles["article_id"], articles["published"])))
    fig, data = charts.first_appearance_timeline(clusters, articles)
    ax = fig.axes[0]
    assert max(float(s) for c in ax.collections for s in c.get_sizes()) <= charts.MAX_DOT  # was 40 + 30 × 5,001 points²
    assert not ax.texts  # 120 dots: their counts would overlap; the legend gives the scale
    assert int(data["statements"].max()) == 5001


def test_findings_show_changed_words_before_statements_found_in_part_in_more_sources():
    sources = _wire_copy_sources(3)  # c1: a variant in two of three sources
    cut = sources[sources["cluster_id"] == "c1"].assign(cluster_id="c0", quote="A long passage.", wording="A long passage.")
    cut = pd.concat([cut] * 3, ignore_index=True).assign(source=[f"Site {i}" for i in range(9)])
    cut["status"] = pd.Categorical(["source"] + ["partial"] * 8, categories=list(tables.REPORT_STATUSES))
    table = pd.concat([cut, sources], ignore_index=True)  # c0 (9 sources, found in part) is listed first
    clusters = pd.DataFrame({"cluster_id": ["c0", "c1", "c2"], "speakers": [[], ["Ann Lee"], []], "attribution_conflict": False})
    findings = tables.quote_findings_html(table, clusters)
    differ = findings.split('id="qt-differences"')[1].split('id="qt-attribution"')[0]
    assert differ.index("The dam will hold.") < differ.index("A long passage.")
    first = findings.split('id="qt-first"')[1]
    assert first.index("A long passage.") < first.index("The dam will hold.")  # who was first: still most sources first


def test_claim_group_rows_are_bounded_and_keep_every_conflicting_value():
    n = 300  # one figure repeated in 300 stories, each in its own sentence; one story gives another figure
    articles = pd.DataFrame({"article_id": [f"a{i}" for i in range(n)], "outlet": None, "path": [f"story{i:03d}.txt" for i in range(n)]})
    claims = pd.DataFrame({"claim_id": [f"k{i}" for i in range(n)], "article_id": articles["article_id"], "value": ["40"] * (n - 1) + ["400"],
                           "expression": ["40 jobs"] * (n - 1) + ["400 jobs"],
                           "sentence": [f"Story {i} says the plant cut 40 jobs." for i in range(n - 1)] + ["The plant cut 400 jobs."]})
    agreement = pd.DataFrame([{"group_id": "g1", "type": "count", "status": "conflicting", "n_sources": n, "sources": list(articles["path"]),
                               "claim_ids": list(claims["claim_id"]), "detail": "40 or 400 jobs"}])
    for block in (tables.claim_findings_html(agreement, claims, articles), tables.claim_groups_html(agreement, claims, articles)):
        body = str(block)
        assert body.count("<tr>") <= tables.MAX_CLAIM_ROWS + 2  # head, shown rows, the line counting the rest
        assert "The plant cut <mark" in body  # the conflicting figure is shown although its sentence is the last
        assert f"… and {n - tables.MAX_CLAIM_ROWS:,} more sentences (1 value)" in body and "claims.csv" in body


def test_a_statement_claim_shows_that_it_is_a_statement_not_an_unresolved_value():
    # "who did what" claims carry no value: the report said "not resolved" for them, as for a date it could not read
    articles = pd.DataFrame({"article_id": ["a0", "a1"], "outlet": ["Review", "Review"], "path": ["story.html", "newsletter.html"]})
    sentence = "OpenAI’s “compromise” with the Pentagon is what Anthropic feared"
    claims = pd.DataFrame({"claim_id": ["k0", "k1"], "article_id": ["a0", "a1"], "type": ["statement", "statement"], "value": [None, None],
                           "expression": [sentence] * 2, "sentence": [sentence] * 2})
    agreement = pd.DataFrame([{"group_id": "g1", "type": "statement", "status": "corroborated", "n_sources": 2,
                               "sources": ["Review (story.html)", "Review (newsletter.html)"], "claim_ids": ["k0", "k1"], "detail": "similar"}])
    body = str(tables.claim_groups_html(agreement, claims, articles))
    assert "(a statement)" in body and "not resolved" not in body
