"""The command line and report folders."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from quotetrace import ParameterError
from quotetrace.cli import main
from quotetrace.run import run_report


def test_run_writes_report_folder_for_bundled_corpus(tmp_path, capsys):
    code = main(["run", "tweetgate", "--out", str(tmp_path), "--run-id", "r1"])
    assert code == 0
    folder = tmp_path / "tweetgate" / "r1"
    articles = pd.read_csv(folder / "articles.csv")
    assert len(articles) == 3
    assert "text" not in articles.columns
    record = json.loads((folder / "run.json").read_text())
    assert record["corpus"] == "tweetgate"
    assert len(record["inputs"]) == 3 and all(len(i["sha256"]) == 64 for i in record["inputs"])
    assert record["versions"]["pandas"].startswith("3.")
    assert (tmp_path / "tweetgate" / "latest").resolve() == folder.resolve()
    assert "r1" in capsys.readouterr().out


def test_missing_corpus_gives_clear_message_and_exit_code(tmp_path, capsys):
    code = main(["run", str(tmp_path / "no-such-folder"), "--out", str(tmp_path)])
    assert code == 2
    err = capsys.readouterr().err
    assert "no-such-folder" in err and "Traceback" not in err


def test_failed_run_leaves_previous_report_intact(tmp_path, write):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("An article.")
    out = tmp_path / "reports"
    first = run_report(corpus, out=out, run_id="good")
    before = {p.name: p.read_bytes() for p in first.folder.iterdir()}
    (corpus / "b.txt").write_bytes(b"")  # an empty article makes the next run fail
    with pytest.raises(Exception):
        run_report(corpus, out=out, run_id="bad")
    assert not (out / "corpus" / "bad").exists()
    assert [p.name for p in (out / "corpus").iterdir() if p.name.startswith(".")] == []
    assert {p.name: p.read_bytes() for p in first.folder.iterdir()} == before
    assert (out / "corpus" / "latest").resolve() == first.folder.resolve()


def test_existing_run_id_is_refused(tmp_path):
    run_report("tweetgate", out=tmp_path, run_id="same")
    with pytest.raises(ParameterError, match="already exists"):
        run_report("tweetgate", out=tmp_path, run_id="same")
