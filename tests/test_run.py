"""Runs under faults (#18): overlapping runs, stale staging, unsafe run ids and names, unwritable report
folders, empty corpora, --on-error skip, and the command line's messages.

Most tests replace the notebook execution with a fast stand-in (``fake_notebooks``) that writes what
papermill would, so the run's own bookkeeping is tested without starting kernels; one test runs the real
notebooks to check the console stays quiet.
"""

from __future__ import annotations

import errno
import fcntl
import json
import re
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

import quotetrace.run as run_module
import quotetrace.errors as qe
from quotetrace import ParameterError, record_verdict
from quotetrace.cli import main
from quotetrace.run import run_report

FIXTURES = Path(__file__).parent / "fixtures"
SMALL = FIXTURES / "papermill_corpus"
REAL_EXECUTE = run_module._execute
GOOD = "Coun Ann Lee said: “The library stays open this year.” The council agreed."


@pytest.fixture
def fake_notebooks(monkeypatch):
    """Notebook execution replaced by a stand-in: the executed notebook and its HTML hold the run's title.
    ``calls`` records each execution; ``delay[title]`` makes that run's notebooks take longer."""
    calls: list[dict] = []
    delay: dict[str, float] = {}

    def execute(notebook, output, parameters, kernel_name, on_error="raise"):
        calls.append({"notebook": notebook.name, "parameters": parameters, "on_error": on_error})
        time.sleep(delay.get(parameters.get("title", ""), 0))
        output.write_text(json.dumps({"title": parameters.get("title"), "cells": []}), encoding="utf-8")
        (Path(parameters["output_dir"]) / "quotes.csv").write_text("quote_id\nq1\nq2\n", encoding="utf-8")

    def to_html(notebook, html_path):
        html_path.write_text(f"<h1>{json.loads(notebook.read_text())['title']}</h1>", encoding="utf-8")
        return html_path

    monkeypatch.setattr(run_module, "_execute", execute)
    monkeypatch.setattr(run_module, "_to_html", to_html)
    return calls, delay


def _snapshot(folder: Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _everything_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


# --- overlapping runs and staging ----------------------------------------------------


def test_two_runs_into_one_folder_in_the_same_second_keep_their_own_reports(tmp_path, fake_notebooks, monkeypatch):
    from datetime import datetime, timezone

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2024, 5, 1, 9, 30, 0, tzinfo=timezone.utc)

    monkeypatch.setattr(run_module, "datetime", Frozen)  # both runs start in the same second
    calls, delay = fake_notebooks
    delay["BBB"] = 0.5  # B finishes last
    results, errors = {}, []

    def go(title):
        try:
            results[title] = run_report(SMALL, out=tmp_path, parameters={"title": title})
        except BaseException as exc:  # noqa: BLE001 - the test reports it
            errors.append(exc)

    threads = [threading.Thread(target=go, args=(t,)) for t in ("AAA", "BBB")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    a, b = results["AAA"].folder, results["BBB"].folder
    assert a != b and a.name.startswith("20240501T093000Z-") and b.name.startswith("20240501T093000Z-")
    for title, folder in (("AAA", a), ("BBB", b)):
        assert json.loads((folder / "run.json").read_text())["parameters"]["verify_quotes.ipynb"]["title"] == title
        assert (folder / "verify_quotes.html").read_text() == f"<h1>{title}</h1>"
        assert json.loads((folder / "verify_claims.ipynb").read_text())["title"] == title
    corpus_dir = a.parent
    assert (corpus_dir / "latest").resolve() == b.resolve()  # the newest finished run
    assert not [p for p in corpus_dir.iterdir() if p.name.startswith(".") and p.name != ".cache"]  # the cache is kept


def test_a_killed_runs_staging_folder_is_never_reused(tmp_path, fake_notebooks):
    corpus_dir = tmp_path / "papermill_corpus"
    for stale in (corpus_dir / ".staging-r1", corpus_dir / ".staging-r1-0a0b0c"):
        stale.mkdir(parents=True)
        (stale / "verification.csv").write_text("stale,from,a,killed,run\n")
    result = run_report(SMALL, out=tmp_path, run_id="r1")
    assert not (result.folder / "verification.csv").exists()
    assert not [p for p in corpus_dir.iterdir() if p.name.startswith(".") and p.name != ".cache"]  # the cache is kept


def test_a_live_run_with_the_same_run_id_is_not_disturbed(tmp_path, fake_notebooks):
    corpus_dir = tmp_path / "papermill_corpus"
    live = corpus_dir / ".staging-r1-123456"
    live.mkdir(parents=True)
    (live / "quotes.csv").write_text("being written\n")
    fd = os.open(live, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as the running process holds it
    try:
        assert main(["run", str(SMALL), "--out", str(tmp_path), "--run-id", "r1"]) == 2
    finally:
        os.close(fd)
    assert (live / "quotes.csv").read_text() == "being written\n"
    assert not (corpus_dir / "r1").exists()


def test_the_same_run_id_published_meanwhile_keeps_the_first_report(tmp_path, fake_notebooks, monkeypatch):
    real_reserve = run_module._reserve

    def reserve_then_other_run_publishes(corpus_dir, run_id):
        made = real_reserve(corpus_dir, run_id)
        (corpus_dir / run_id).mkdir()
        (corpus_dir / run_id / "run.json").write_text("{\"by\": \"the other run\"}")
        return made

    monkeypatch.setattr(run_module, "_reserve", reserve_then_other_run_publishes)
    with pytest.raises(qe.OutputError, match="Another run published a report called 'r1'"):
        run_report(SMALL, out=tmp_path, run_id="r1")
    corpus_dir = tmp_path / "papermill_corpus"
    assert json.loads((corpus_dir / "r1" / "run.json").read_text()) == {"by": "the other run"}
    assert (corpus_dir / "failed-r1" / "run.json").is_file()


# --- names that must not escape --out ------------------------------------------------


def _refused(tmp_path, capsys, run_id):
    out = tmp_path / "out"
    assert main(["run", str(SMALL), "--out", str(out), f"--run-id={run_id}"]) == 2
    err = capsys.readouterr().err
    assert "cannot be used as a folder name" in err and "Traceback" not in err
    assert not tmp_path.joinpath("x").exists() and _everything_under(tmp_path) <= {"out"}


# ids that write outside --out, replace `latest`, or that a failing run with id r1 would delete (failed-r1)
@pytest.mark.parametrize("run_id", ["../../x", "../x", "latest", "failed-r1", "a/b", "/tmp/x"])
def test_run_ids_that_escape_or_clobber_are_refused(tmp_path, fake_notebooks, capsys, run_id):
    _refused(tmp_path, capsys, run_id)


@pytest.mark.parametrize("run_id", ["", ".", "..", "a\x00b", "-rf", "x" * 81, "é" * 3, "a..b", " r1"])
def test_odd_run_ids_are_refused_before_anything_is_written(tmp_path, fake_notebooks, capsys, run_id):
    _refused(tmp_path, capsys, run_id)



def test_latest_survives_a_refused_latest_run_id(tmp_path, fake_notebooks):
    first = run_report(SMALL, out=tmp_path, run_id="r1")
    with pytest.raises(ParameterError):
        run_report(SMALL, out=tmp_path, run_id="latest")
    second = run_report(SMALL, out=tmp_path, run_id="r2")
    assert (first.folder.parent / "latest").resolve() == second.folder.resolve()


def test_a_folder_called_latest_from_an_older_run_is_reported_not_clobbered(tmp_path, fake_notebooks):
    old = tmp_path / "papermill_corpus" / "latest"
    old.mkdir(parents=True)
    (old / "run.json").write_text("{}")
    with pytest.raises(qe.OutputError, match="is a folder, not the link"):
        run_report(SMALL, out=tmp_path, run_id="r1")
    assert (old / "run.json").read_text() == "{}"
    assert (tmp_path / "papermill_corpus" / "failed-r1" / "run.json").is_file()


@pytest.mark.parametrize("name, folder", [("...txt", "corpus"), ("..txt", "corpus")])
def test_a_corpus_file_name_never_makes_a_folder_outside_out(tmp_path, fake_notebooks, name, folder):
    src = tmp_path / "src"
    src.mkdir()
    (src / name).write_text(GOOD)
    out = tmp_path / "out"
    result = run_report(src / name, out=out, run_id="r1")
    assert result.folder == out / folder / "r1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "src"]


@pytest.mark.parametrize("name, folder", [("Flood row 2024.txt", "Flood row 2024"), ("x y?.txt", "x y"), ("-.txt", "corpus"), (".. ..txt", "corpus")])
def test_a_corpus_name_becomes_a_plain_folder_name(tmp_path, fake_notebooks, name, folder):
    (tmp_path / name).write_text(GOOD)
    assert run_report(tmp_path / name, out=tmp_path / "out", run_id="r1").folder == tmp_path / "out" / folder / "r1"


def test_reports_inside_the_corpus_folder_are_refused(tmp_path, fake_notebooks):
    (tmp_path / "a.txt").write_text(GOOD)
    with pytest.raises(ParameterError, match="inside the corpus folder"):
        run_report(tmp_path, out=tmp_path / "reports")


# --- a report folder that cannot be written ---------------------------------------------


@pytest.fixture
def previous(tmp_path, fake_notebooks):
    """A finished report in tmp_path/papermill_corpus/r0, and its files."""
    result = run_report(SMALL, out=tmp_path, run_id="r0")
    return result.folder, _snapshot(result.folder)


@pytest.mark.parametrize(
    "where, error, words",
    [
        ("mkdtemp", OSError(errno.EACCES, "Permission denied"), "you may not write there"),
        ("mkdtemp", OSError(errno.EROFS, "Read-only file system"), "read-only disk"),
        ("write_csv", OSError(errno.ENOSPC, "No space left on device"), "the disk is full"),
        ("write_text", OSError(errno.ENOSPC, "No space left on device"), "the disk is full"),
        ("write_text", OSError(errno.EDQUOT, "Disk quota exceeded"), "quota"),
    ],
)
def test_an_unwritable_report_folder_is_exit_2_and_the_previous_report_stays(tmp_path, previous, monkeypatch, capsys, where, error, words):
    folder, before = previous

    def fail(*args, **kwargs):
        raise error

    target = run_module.tempfile if where == "mkdtemp" else run_module
    monkeypatch.setattr(target, where, fail)
    assert main(["run", str(SMALL), "--out", str(tmp_path), "--run-id", "r1"]) == 2
    err = capsys.readouterr().err
    assert words in err and "Earlier reports are unchanged" in err and "Traceback" not in err
    assert _snapshot(folder) == before
    assert (folder.parent / "latest").resolve() == folder.resolve()
    assert not (folder.parent / "r1").exists()
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".staging")]


def test_a_full_disk_inside_a_notebook_is_exit_2(tmp_path, previous, monkeypatch, capsys):
    from papermill.exceptions import PapermillExecutionError

    folder, before = previous

    def execute(*args, **kwargs):
        raise PapermillExecutionError(9, 12, "qt.write_quote_exports(report, output_dir)", "OSError", "[Errno 28] No space left on device", [])

    import papermill

    monkeypatch.setattr(run_module, "_execute", REAL_EXECUTE)
    monkeypatch.setattr(papermill, "execute_notebook", execute)
    assert main(["run", str(SMALL), "--out", str(tmp_path), "--run-id", "r1", "--recompute"]) == 2  # the inputs are r0's
    assert "No space left on device" in capsys.readouterr().err
    assert _snapshot(folder) == before


# --- what gets loaded ------------------------------------------------------------------


def test_an_empty_folder_is_no_articles_found(tmp_path, fake_notebooks, capsys):
    (tmp_path / "corpus").mkdir()
    assert main(["run", str(tmp_path / "corpus"), "--out", str(tmp_path / "out")]) == 2
    assert "No articles found" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_nothing_readable_is_no_articles_found_naming_the_files(tmp_path, fake_notebooks, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("")
    (corpus / "b.png").write_bytes(b"\x89PNG\r\n")
    assert main(["run", str(corpus), "--out", str(tmp_path / "out"), "--on-error", "skip"]) == 2
    err = capsys.readouterr().err
    assert "No articles found" in err and "a.txt" in err and "b.png" in err


def test_on_error_skip_loads_the_rest_and_lists_what_was_skipped(tmp_path, fake_notebooks, capsys):
    calls, _ = fake_notebooks
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "good.txt").write_text(GOOD)
    (corpus / "sub" / "also.txt").write_text("Coun Ann Lee said: “The pool reopens in June.”")
    (corpus / "bad.json").write_text("{broken")
    (corpus / "empty.txt").write_text("")
    assert main(["run", str(corpus), "--out", str(tmp_path / "out"), "--run-id", "r1"]) == 2
    err = capsys.readouterr().err
    assert "bad.json" in err and "empty.txt" in err and "--on-error skip" in err
    assert main(["run", str(corpus), "--out", str(tmp_path / "out"), "--run-id", "r1", "--on-error", "skip"]) == 0
    folder = tmp_path / "out" / "corpus" / "r1"
    record = json.loads((folder / "run.json").read_text())
    assert {i["path"] for i in record["inputs"]} == {"good.txt", "sub/also.txt"}
    assert {s["path"] for s in record["skipped"]} == {"bad.json", "empty.txt"}
    problems = pd.read_csv(folder / "problems.csv")
    assert set(problems.loc[problems["action"] == "skipped", "path"]) == {"bad.json", "empty.txt"}
    assert {c["on_error"] for c in calls} == {"skip"}  # the notebooks' load_corpus skips the same files
    assert "2 input(s) skipped" in capsys.readouterr().out


def test_the_on_error_environment_default_is_what_notebooks_use(tmp_path, monkeypatch):
    from quotetrace import load_corpus

    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "empty.txt").write_text("")
    monkeypatch.setenv("QUOTETRACE_ON_ERROR", "skip")
    assert load_corpus(tmp_path)["path"].tolist() == ["good.txt"]
    monkeypatch.setenv("QUOTETRACE_ON_ERROR", "sometimes")
    with pytest.raises(ParameterError, match="errors"):
        load_corpus(tmp_path)


# --- the command line -------------------------------------------------------------------


def test_each_stage_is_one_line_with_the_store_and_the_html_to_open(tmp_path, fake_notebooks, capsys):
    store = tmp_path / "papermill_corpus" / "verdicts.sqlite"
    record_verdict(store, "cluster", "c1", "verified", reviewer="ana")
    record_verdict(store, "claim", "k1", "false", reviewer="ana")
    assert main(["run", str(SMALL), "--out", str(tmp_path), "--run-id", "r1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    folder = tmp_path / "papermill_corpus" / "r1"
    assert lines[0].startswith("Corpus papermill_corpus: 3 article(s)")
    assert lines[1] == f"Verdict store: {store.resolve()} (2 verdicts)"
    # the two notebooks run side by side: each says when it is done, numbered in the order they finish
    assert lines[2].startswith("[1/2] verify_") and lines[3].startswith("[2/2] verify_")
    assert {lines[2].split()[1], lines[3].split()[1]} == {"verify_quotes:", "verify_claims:"}
    assert lines[4].startswith("Done in") and "3 articles, 2 quotes" in lines[4] and str(folder) in lines[4]
    assert lines[5:] == [f"Open: {folder / 'verify_quotes.html'}", f"Open: {folder / 'verify_claims.html'}"]
    assert json.loads((folder / "run.json").read_text())["verdicts_db"] == str(store.resolve())


def test_without_out_the_run_and_the_review_notebook_use_the_same_store(tmp_path, fake_notebooks, capsys, monkeypatch):
    from quotetrace.verdicts import default_store

    monkeypatch.setenv("QUOTETRACE_REPORTS", str(tmp_path / "reports"))
    assert main(["run", str(SMALL), "--run-id", "r1"]) == 0
    store = default_store("papermill_corpus")  # what review.ipynb uses when verdicts_db is empty
    assert f"Verdict store: {store.resolve()} (0 verdicts, not created yet)" in capsys.readouterr().out.splitlines()
    assert (tmp_path / "reports" / "papermill_corpus" / "r1" / "run.json").is_file()
    assert store.parent == tmp_path / "reports" / "papermill_corpus"


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == "quotetrace 0.1.0"


def test_run_help_lists_the_notebook_parameters_with_their_help(capsys):
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    out = capsys.readouterr().out
    assert "notebook parameters (-p NAME VALUE):" in out
    assert "score_cutoff (float, default 80.0)" in out and "lowest similarity (0-100)" in out
    assert "title (str" in out and "heading of the report" in out
    assert "--on-error" in out and "output_dir" not in out.split("notebook parameters")[1]


@pytest.mark.parametrize("typo, hint", [("--ot", "--out"), ("--run_id", "--run-id"), ("--on-eror", "--on-error"), ("--verdictz", "--verdicts")])
def test_a_typo_in_an_option_shows_the_run_usage(capsys, typo, hint):
    with pytest.raises(SystemExit) as info:
        main(["run", "tweetgate", typo, "x"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: quotetrace run") and f"did you mean {hint}?" in err


def test_a_real_run_prints_no_kernel_warnings(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(Path(run_module.__file__).parents[1])}
    proc = subprocess.run(
        [sys.executable, "-m", "quotetrace.cli", "run", str(SMALL), "--out", str(tmp_path), "--run-id", "r1"],
        capture_output=True, text=True, env=env, timeout=900,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    for noise in ("WARNING", "TCP", "KeyboardInterrupt", "Traceback"):
        assert noise not in proc.stdout
    lines = proc.stdout.splitlines()
    progress = [line for line in lines if line.startswith("quotetrace: ")]  # long stages: stage, count, rate
    assert progress and all(re.search(r": [\d,]+/[\d,]+ \w+ \([\d,.]+/s, [\d,]+ s\)$", line) for line in progress)
    assert len(lines) - len(progress) == 7
    assert proc.stdout.splitlines()[-2] == f"Open: {tmp_path / 'papermill_corpus' / 'r1' / 'verify_quotes.html'}"
    assert not [p for p in (tmp_path / "papermill_corpus" / "r1").iterdir() if p.name.startswith(".")]


# --- a run on unchanged inputs reuses the last report -------------------------------------------


@pytest.fixture
def corpus_copy(tmp_path):
    """A copy of the small corpus that a test may change."""
    folder = tmp_path / "papermill_corpus"
    folder.mkdir()
    for f in SMALL.iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    return folder


def test_an_unchanged_corpus_reuses_the_last_report_and_says_so(tmp_path, corpus_copy, fake_notebooks, capsys):
    calls, _ = fake_notebooks
    out = tmp_path / "out"
    first = run_report(corpus_copy, out=out, run_id="r0")
    assert len(calls) == 2 and first.unchanged_since is None
    assert main(["run", str(corpus_copy), "--out", str(out), "--run-id", "r1"]) == 0
    assert len(calls) == 2  # no notebook ran
    printed = capsys.readouterr().out
    assert "Nothing changed since run r0" in printed and "--recompute" in printed
    folder = out / "papermill_corpus" / "r1"
    assert (out / "papermill_corpus" / "latest").resolve() == folder.resolve()
    record = json.loads((folder / "run.json").read_text())
    assert record["unchanged_since"]["run_id"] == "r0" and record["inputs_key"] == json.loads((first.folder / "run.json").read_text())["inputs_key"]
    assert (folder / "quotes.csv").read_bytes() == (first.folder / "quotes.csv").read_bytes()
    assert (folder / "articles.csv").is_file()
    html = (folder / "verify_quotes.html").read_text()
    assert html.count("Nothing changed since run r0") == 1 and html.endswith("<h1>None</h1>")
    notebook = json.loads((folder / "verify_quotes.ipynb").read_text())
    assert "Nothing changed since run r0" in notebook["cells"][0]["source"]
    again = run_report(corpus_copy, out=out, run_id="r2")  # a reuse of a reuse names the run that computed it
    assert again.unchanged_since == "r0" and len(calls) == 2
    html = (again.folder / "verify_quotes.html").read_text()
    assert html.count("Nothing changed since run r0") == 1 and "run r1" not in html
    notebook = json.loads((again.folder / "verify_quotes.ipynb").read_text())
    assert sum("Nothing changed" in c["source"] for c in notebook["cells"]) == 1
    assert run_report(corpus_copy, out=out, run_id="r3", recompute=True).unchanged_since is None and len(calls) == 4


def _change_article(corpus, tmp_path):
    (corpus / "b_herald.txt").write_text((corpus / "b_herald.txt").read_text() + "\nOne more line.\n")


def _add_article(corpus, tmp_path):
    (corpus / "d_new.txt").write_text(GOOD)
    with (corpus / "manifest.csv").open("a") as f:
        f.write("d_new.txt,The Courier,2024-03-06,,Library\n")


def _change_manifest(corpus, tmp_path):
    (corpus / "manifest.csv").write_text((corpus / "manifest.csv").read_text().replace("Valley Herald", "Valley Times"))


def _record_verdict(corpus, tmp_path):
    record_verdict(tmp_path / "out" / "papermill_corpus" / "verdicts.sqlite", "cluster", "c1", "verified", reviewer="ana")


@pytest.mark.parametrize("change", [_change_article, _add_article, _change_manifest, _record_verdict])
def test_any_change_of_the_inputs_runs_the_notebooks_again(tmp_path, corpus_copy, fake_notebooks, change):
    calls, _ = fake_notebooks
    run_report(corpus_copy, out=tmp_path / "out", run_id="r0")
    change(corpus_copy, tmp_path)
    result = run_report(corpus_copy, out=tmp_path / "out", run_id="r1")
    assert len(calls) == 4 and result.unchanged_since is None
    assert json.loads((result.folder / "run.json").read_text())["unchanged_since"] is None
    assert "Nothing changed" not in (result.folder / "verify_quotes.html").read_text()


def test_changed_parameters_or_originals_run_the_notebooks_again(tmp_path, corpus_copy, fake_notebooks):
    calls, _ = fake_notebooks
    originals = tmp_path / "originals"
    originals.mkdir()
    (originals / "statement.txt").write_text("The library stays open this year.")
    out = tmp_path / "out"
    run_report(corpus_copy, out=out, run_id="r0", parameters={"originals": str(originals)})
    run_report(corpus_copy, out=out, run_id="r1", parameters={"originals": str(originals)})
    assert len(calls) == 2  # unchanged: reused
    (originals / "statement.txt").write_text("The library closes this year.")
    run_report(corpus_copy, out=out, run_id="r2", parameters={"originals": str(originals)})
    assert len(calls) == 4
    run_report(corpus_copy, out=out, run_id="r3", parameters={"originals": str(originals), "score_cutoff": 85})
    assert len(calls) == 6


def test_a_report_changed_after_its_run_is_not_reused(tmp_path, corpus_copy, fake_notebooks):
    calls, _ = fake_notebooks
    first = run_report(corpus_copy, out=tmp_path / "out", run_id="r0")
    (first.folder / "quotes.csv").write_text("quote_id\nedited by hand\n")
    result = run_report(corpus_copy, out=tmp_path / "out", run_id="r1")
    assert len(calls) == 4 and result.unchanged_since is None
    assert (result.folder / "quotes.csv").read_text() == "quote_id\nq1\nq2\n"
    (result.folder / "verify_claims.html").unlink()
    assert run_report(corpus_copy, out=tmp_path / "out", run_id="r2").unchanged_since is None and len(calls) == 6


def test_the_html_report_gives_images_alternative_text_and_makes_outputs_focusable(tmp_path):
    # what nbconvert's own BeautifulSoup pass added, now set on the template's markup
    import nbformat

    nb = nbformat.v4.new_notebook()
    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    nb.cells = [
        nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"})]),
        nbformat.v4.new_code_cell("y", outputs=[nbformat.v4.new_output("display_data", data={"text/html": "<p>&lt;img src=x&gt; jp-OutputArea-output</p>"})]),
    ]
    nbformat.write(nb, tmp_path / "n.ipynb")
    page = run_module._to_html(tmp_path / "n.ipynb", tmp_path / "n.html").read_text()
    assert re.findall(r"<img[^>]*>", page) and all("alt=" in tag for tag in re.findall(r"<img[^>]*>", page))
    assert len(re.findall(r'<div tabindex="0"[^>]*class="[^"]*jp-OutputArea-output', page)) == 2
    assert "&lt;img src=x&gt; jp-OutputArea-output" in page


# --- the notebooks of a run execute side by side ---------------------------------------


def test_the_report_notebooks_run_side_by_side_on_two_cores(tmp_path, fake_notebooks, monkeypatch):
    calls, _ = fake_notebooks
    together = threading.Barrier(2, timeout=20)  # each notebook waits for the other: run one after the other, they fail
    execute = run_module._execute

    def meet(notebook, output, parameters, kernel_name, on_error="raise"):
        together.wait()
        execute(notebook, output, parameters, kernel_name, on_error)

    monkeypatch.setattr(run_module, "_execute", meet)
    monkeypatch.setattr(run_module, "_workers", lambda n: min(n, 2))
    result = run_report(SMALL, out=tmp_path, run_id="r1")
    assert sorted(c["notebook"] for c in calls) == ["verify_claims.ipynb", "verify_quotes.ipynb"]
    assert [p.name for p in result.html] == ["verify_quotes.html", "verify_claims.html"]
    assert all(p.is_file() for p in result.html)


def test_when_one_notebook_fails_the_other_finishes_and_the_run_fails_with_its_error(tmp_path, fake_notebooks, monkeypatch):
    calls, _ = fake_notebooks
    execute = run_module._execute

    def quotes_fail(notebook, output, parameters, kernel_name, on_error="raise"):
        if notebook.name == "verify_quotes.ipynb":
            raise qe.RunError("verify_quotes.ipynb failed at cell [3]: ValueError: bad", path=notebook)
        time.sleep(0.5)  # still running when the other fails
        execute(notebook, output, parameters, kernel_name, on_error)

    monkeypatch.setattr(run_module, "_execute", quotes_fail)
    monkeypatch.setattr(run_module, "_workers", lambda n: min(n, 2))
    with pytest.raises(qe.RunError, match=r"verify_quotes\.ipynb failed at cell \[3\]"):
        run_report(SMALL, out=tmp_path, run_id="r1")
    corpus_dir = tmp_path / "papermill_corpus"
    assert not (corpus_dir / "r1").exists() and not (corpus_dir / "latest").exists()
    assert (corpus_dir / "failed-r1" / "verify_claims.ipynb").is_file()  # the other notebook's work is kept with the failure
    assert [c["notebook"] for c in calls] == ["verify_claims.ipynb"]


def test_never_more_notebooks_at_once_than_cores_or_notebooks():
    assert run_module._workers(1) == 1
    assert 1 <= run_module._workers(5) <= max(1, len(os.sched_getaffinity(0)))


def test_notebooks_run_side_by_side_never_change_this_process_folder(tmp_path, monkeypatch):
    """Each kernel starts in its notebook's folder, set on the kernel's own process: papermill's ``cwd=``
    would ``os.chdir`` this whole process from two threads at once and could leave it in a notebook's folder
    (which broke nbval's relative ``--nbval-sanitize-with`` path for the tests that ran after)."""
    import nbformat

    notebooks = []
    for name in ("first", "second"):
        folder = tmp_path / name
        folder.mkdir()
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import os\nprint(os.getcwd())")])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        path = folder / f"{name}.ipynb"
        nbformat.write(nb, path)
        notebooks.append(path)
    staging = tmp_path / "staging"
    staging.mkdir()
    moves = []
    real_chdir = os.chdir
    monkeypatch.setattr(os, "chdir", lambda path: (moves.append(str(path)), real_chdir(path)))
    monkeypatch.setattr(run_module, "_to_html", lambda executed, html: html)
    monkeypatch.setattr(run_module, "_workers", lambda n: min(n, 2))
    here = os.getcwd()
    local = run_module._papermill_local_handler()
    monkeypatch.setattr(local, "_cwd", None)
    run_module._execute_all(notebooks, staging, {p.name: {} for p in notebooks}, "python3", "raise", lambda line: None)
    assert set(moves) <= {here} and os.getcwd() == here  # papermill's file handler "moves" to the folder it is in
    # and its folder is left as it was: two notebooks side by side restoring each other's value could leave it
    # set to this folder, and a later run from another folder would move this whole process here around each write
    assert local._cwd is None
    for path in notebooks:
        executed = nbformat.read(staging / path.name, as_version=4)
        printed = "".join(o.get("text", "") for c in executed.cells for o in c.get("outputs", []))
        assert printed.strip() == str(path.parent)


def test_the_command_line_skips_jsonschemas_iri_grammars_and_still_validates_notebooks():
    # every run imports papermill and nbconvert, which import jsonschema; its IRI checkers' grammars took
    # 1.3-2 s of each run (half of an unchanged re-run). In a fresh process, as the `quotetrace` command is:
    code = (
        "import sys\n"
        "from quotetrace import cli\n"
        "cli._without_iri_grammars()\n"
        "import nbformat, papermill\n"
        "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('x = 1')])\n"
        "nbformat.validate(nb)\n"
        "nb.cells[0]['outputs'] = 'not a list'\n"
        "try:\n"
        "    nbformat.validate(nb)\n"
        "except nbformat.ValidationError:\n"
        "    print('invalid notebook refused')\n"
        "print('grammars built' if sys.modules.get('rfc3987_syntax') else 'grammars skipped')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True).stdout
    assert out.split() == ["invalid", "notebook", "refused", "grammars", "skipped"]
