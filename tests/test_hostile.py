"""Hostile and broken input, as users meet it: huge articles, many articles, NULs, mixed encodings,
unbalanced marks, links and paths that point outside the corpus, scripts and formulas in quotes."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pandas as pd
import pytest

from quotetrace import UnsafePathError, extract_claims, extract_quotes, load_corpus, match_quotes
from quotetrace.export import write_csv

TWEETGATE_001 = Path(__file__).resolve().parents[1] / "data" / "corpora" / "tweetgate" / "001_ad0301f7abd4950e.txt"


def test_a_50_mb_article(tmp_path):
    body = TWEETGATE_001.read_text(encoding="utf-8")
    n = 50_000_000 // len(body.encode("utf-8")) + 1
    path = tmp_path / "huge.txt"
    with open(path, "w", encoding="utf-8") as fh:
        for _ in range(n):
            fh.write(body + "\n\n")
    assert path.stat().st_size >= 50_000_000
    articles = load_corpus(path)
    text = articles.loc[0, "text"]
    quotes = extract_quotes(articles)
    assert len(quotes) == 15 * n
    sample = quotes.sample(200, random_state=1)
    assert all(text[r.start : r.end] == r.quote for r in sample.itertuples())
    assert set(quotes["speaker"].dropna()) >= {"Michael Jones", "Brian Silvester"}


def test_a_folder_of_20000_small_articles(tmp_path):
    rng = random.Random(3)
    speakers = ["Coun Ann Lee", "Dr Raj Patel", "A council spokesman", "Mr Tom Hart"]
    for i in range(20_000):
        who = rng.choice(speakers)
        (tmp_path / f"{i:05d}.txt").write_text(
            f"Story {i}.\n\n{who} said: “Item {i} is on the agenda for {rng.randint(1, 28)} March.”\n", encoding="utf-8"
        )
    articles = load_corpus(tmp_path)
    assert len(articles) == 20_000 and articles.attrs["problems"].empty
    quotes = extract_quotes(articles)
    assert len(quotes) == 20_000
    assert set(quotes["speaker"]) == {"Ann Lee", "Raj Patel", "council spokesman", "Tom Hart"}


def test_nul_bytes_and_mixed_encodings_in_one_folder(tmp_path):
    text = "Coun Jones said: “We’re not resigning – ever.” Café owners agreed."
    (tmp_path / "utf8.txt").write_text(text, encoding="utf-8")
    (tmp_path / "cp1252.txt").write_bytes(text.replace("Jones", "Smith").encode("cp1252"))
    (tmp_path / "utf16.txt").write_bytes(text.replace("Jones", "Brown").encode("utf-16"))
    (tmp_path / "nul.txt").write_bytes(text.replace("Jones", "Green").encode("utf-8").replace(b"not", b"n\x00ot"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + text.replace("Jones", "White").encode("utf-8"))
    articles = load_corpus(tmp_path, errors="skip")
    assert len(articles) == 5
    for t in articles["text"]:
        assert "“We’re not resigning – ever.”" in t and "Café" in t and "\x00" not in t
    quotes = extract_quotes(articles)
    assert sorted(quotes["speaker"]) == ["Brown", "Green", "Jones", "Smith", "White"]
    assert "ControlCharacters" in set(articles.attrs["problems"]["problem"])


def test_unbalanced_quotation_marks_everywhere(tmp_path):
    rng = random.Random(5)
    marks = list("“”‘’\"'«»")
    words = "the council said it would not resign over tweets and he added more".split()
    paras = []
    for _ in range(300):
        paras.append(" ".join(rng.choice(words) + (rng.choice(marks) if rng.random() < 0.3 else "") for _ in range(40)))
    text = "\n\n".join(paras)
    (tmp_path / "marks.txt").write_text(text, encoding="utf-8")
    articles = load_corpus(tmp_path)
    quotes = extract_quotes(articles)
    for r in quotes.itertuples():
        assert text[r.start : r.end] == r.quote and "\n" not in r.quote  # a stray mark never swallows the article
    extract_claims(articles)
    match_quotes(quotes.head(200), articles)


def test_links_out_of_the_corpus_are_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Private notes that must not be read.")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("A real article.")
    os.symlink(outside / "secret.txt", corpus / "link.txt")
    with pytest.raises(UnsafePathError, match="outside the corpus folder"):
        load_corpus(corpus)
    articles = load_corpus(corpus, errors="skip")
    assert articles["path"].tolist() == ["a.txt"]
    assert not articles["text"].str.contains("Private").any()
    (corpus / "manifest.csv").write_text("file\na.txt\nlink.txt\n../outside/secret.txt\n/etc/passwd\n")
    articles = load_corpus(corpus, errors="skip")
    assert articles["path"].tolist() == ["a.txt"]
    assert (articles.attrs["problems"]["problem"] == "UnsafePathError").sum() == 4


def test_scripts_and_formulas_in_quotes_stay_inert(tmp_path):
    articles = pd.DataFrame(
        {"article_id": ["a1"], "text": ["Coun Ann Lee said: “=HYPERLINK(\"http://x\") <script>alert(1)</script> is what we saw.”"]}
    )
    quotes = extract_quotes(articles)
    out = pd.read_csv(write_csv(quotes, tmp_path / "q.csv"))
    assert out["quote"].iloc[0].startswith("'=HYPERLINK")
    from quotetrace.tables import heading

    assert "<script>" not in heading(quotes["quote"].iloc[0])


# --- input a newsroom will meet: each is a clear error naming the place, or with errors="skip" a problem row (#18) ---

GOOD = "Coun Ann Lee said: “The library stays open this year.” The council agreed."


def _deep_json(depth: int) -> str:
    return "[" * depth + "]" * depth


def _manifest(rows: str) -> str:
    return "file,outlet,published\n" + rows


# name: (files to write {name: str|bytes}, error class name, words the message must hold)
BAD_INPUTS = {
    "date-year-1": ({"manifest.csv": _manifest("good.txt,A,2024-01-02\nbad.txt,B,0001-01-01\n"), "bad.txt": GOOD + " One."},
                    "BadDateError", ["manifest.csv row 3", "outside the years"]),
    "date-year-9999": ({"manifest.csv": _manifest("good.txt,A,2024-01-02\nbad.txt,B,9999-12-31\n"), "bad.txt": GOOD + " Two."},
                       "BadDateError", ["manifest.csv row 3", "outside the years"]),
    "date-words-year-1": ({"manifest.csv": _manifest("good.txt,A,2024-01-02\nbad.txt,B,1 January 0001\n"), "bad.txt": GOOD + " 3."},
                          "BadDateError", ["manifest.csv row 3"]),
    "json-record-date-out-of-range": ({"bad.json": '[{"text": "A record.", "date": "9999-12-31"}]'},
                                      "BadDateError", ["bad.json record 1", "outside the years"]),
    "json-record-unreadable-date": ({"bad.json": '{"text": "A record.", "date": "the day after"}'},
                                    "BadDateError", ["bad.json record 1"]),
    "jsonl-line-unreadable-date": ({"bad.jsonl": '{"text": "First."}\n{"text": "Second.", "date": "soonish"}\n'},
                                   "BadDateError", ["bad.jsonl line 2"]),
    "csv-row-unreadable-date": ({"bad.csv": "text,date\nFirst row.,2024-01-01\nSecond row.,not a date\n"},
                                "BadDateError", ["bad.csv row 3"]),
    "csv-extra-fields": ({"bad.csv": "text,outlet\nA row.,BBC\nAnother row,with,extra,cells\n"}, "BadRecordError", ["bad.csv", "more cells"]),
    "csv-unterminated-quote": ({"bad.csv": 'text,outlet\n"An open quote,BBC\nNext row,ITV\n'}, "BadRecordError", ["bad.csv", "quote mark"]),
    "csv-huge-field": ({"bad.csv": 'text,outlet\n"' + "x" * 200_000 + '",BBC\n'}, "BadRecordError", ["bad.csv"]),
    "json-nested-100k-deep": ({"bad.json": _deep_json(100_000)}, "BadRecordError", ["bad.json", "nested too deeply"]),
    "jsonl-nested-100k-deep": ({"bad.jsonl": '{"text": "ok"}\n' + _deep_json(100_000) + "\n"}, "BadRecordError", ["bad.jsonl line 2", "nested"]),
    "json-5000-digit-int": ({"bad.json": '{"text": "A record.", "views": ' + "9" * 5000 + "}"}, "BadRecordError", ["bad.json"]),
    "jsonl-5000-digit-int": ({"bad.jsonl": '{"text": "A record.", "views": ' + "9" * 5000 + "}\n"}, "BadRecordError", ["bad.jsonl line 1"]),
    "json-not-an-object": ({"bad.json": "[1, 2, 3]"}, "BadRecordError", ["bad.json record 1"]),
    "nul-in-manifest-name": ({"manifest.csv": "file,outlet\ngood.txt,A\nba\x00d.txt,B\n"}, "ManifestError", ["row 3", "NUL"]),
    "manifest-row-extra-cells": ({"manifest.csv": "file,outlet\ngood.txt,A\nbad.txt,B,extra\n"},
                                 "ManifestError", ["row 3", "more cells"]),
    "article-too-large": ({"bad.txt": GOOD + " " + "word " * 30_000}, "ArticleTooLargeError", ["bad.txt", "MB", "Split it"]),
    "jsonl-record-too-large": ({"bad.jsonl": '{"text": "' + "word " * 30_000 + '"}\n'}, "ArticleTooLargeError", ["bad.jsonl line 1"]),
    "binary-in-subfolder": ({"sub/bad.txt": b"%PDF-1.4 binary"}, "BinaryFileError", ["sub/bad.txt"]),
}


def _make(folder: Path, files: dict) -> None:
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name == "manifest.csv" and "\x00" in content:
            path.write_bytes(content.encode("utf-8"))
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_a_clear_error_or_a_problem_row(tmp_path, case):
    import quotetrace.errors as qe

    files, error, words = BAD_INPUTS[case]
    _make(tmp_path, files)
    limit = {"max_bytes": 100_000} if "large" in case else {}
    with pytest.raises(getattr(qe, error)) as info:
        load_corpus(tmp_path, **limit)
    message = str(info.value)
    for w in words:
        assert w in message
    assert "manifest.csv row 1" not in message and len(message) < 2000
    articles = load_corpus(tmp_path, errors="skip", **limit)
    assert "good.txt" in articles["path"].tolist() and GOOD in articles["text"].tolist()
    skipped = articles.attrs["problems"]
    assert error in skipped["problem"].tolist()
    assert pd.Series(articles["published"]).isna().sum() + pd.Series(articles["published"]).notna().sum() == len(articles)


def test_a_manifest_with_a_huge_unknown_column_is_named_not_printed(tmp_path):
    from quotetrace import ManifestError

    _make(tmp_path, {"manifest.csv": "file," + "y" * 5000 + "\ngood.txt,A\n"})
    with pytest.raises(ManifestError, match="unknown column") as info:
        load_corpus(tmp_path, errors="skip")
    assert len(str(info.value)) < 300


def test_every_bad_file_is_named_not_only_the_first(tmp_path):
    from quotetrace import CorpusError

    _make(tmp_path, {"a.json": "{broken", "b.txt": b"", "c.png": b"\x89PNG\r\n", "sub/d.csv": "text\n\"open"})
    with pytest.raises(CorpusError) as info:
        load_corpus(tmp_path)
    message = str(info.value)
    assert "4 inputs cannot be loaded" in message
    for name in ("a.json", "b.txt", "c.png", "sub/d.csv"):
        assert name in message
    assert len(info.value.errors) == 4


def test_many_bad_files_are_counted_and_the_first_twenty_named(tmp_path):
    from quotetrace import EmptyArticleError

    for i in range(25):
        (tmp_path / f"empty{i:02d}.txt").write_text("")
    with pytest.raises(EmptyArticleError, match=r"25 inputs cannot be loaded(.|\n)*empty19\.txt(.|\n)*and 5 more"):
        load_corpus(tmp_path)


def test_a_symlink_loop_named_in_the_manifest(tmp_path):
    from quotetrace import UnreadableFileError

    (tmp_path / "good.txt").write_text(GOOD)
    os.symlink(tmp_path / "loop.txt", tmp_path / "loop.txt")
    (tmp_path / "manifest.csv").write_text("file\ngood.txt\nloop.txt\n")
    with pytest.raises(UnreadableFileError, match="row 3.*loop.txt.*loops"):
        load_corpus(tmp_path)
    assert load_corpus(tmp_path, errors="skip")["path"].tolist() == ["good.txt"]


@pytest.mark.parametrize("kind", ["loop", "two-link-loop", "broken"])
def test_a_bad_link_in_the_folder_is_reported_not_ignored(tmp_path, kind):
    from quotetrace import UnreadableFileError

    (tmp_path / "good.txt").write_text(GOOD)
    if kind == "loop":
        os.symlink(tmp_path / "bad.txt", tmp_path / "bad.txt")
    elif kind == "two-link-loop":
        os.symlink(tmp_path / "bad2.txt", tmp_path / "bad.txt")
        os.symlink(tmp_path / "bad.txt", tmp_path / "bad2.txt")
    else:
        os.symlink(tmp_path / "gone.txt", tmp_path / "bad.txt")
    with pytest.raises(UnreadableFileError, match="bad.txt is a link"):
        load_corpus(tmp_path)
    articles = load_corpus(tmp_path, errors="skip")
    assert articles["path"].tolist() == ["good.txt"]
    assert "bad.txt" in articles.attrs["problems"]["path"].tolist()


def test_a_pipe_named_like_an_article_is_reported_and_never_read(tmp_path):
    from quotetrace import UnreadableFileError

    (tmp_path / "good.txt").write_text(GOOD)
    os.mkfifo(tmp_path / "pipe.txt")  # reading it would block forever
    with pytest.raises(UnreadableFileError, match="pipe.txt is not an ordinary file"):
        load_corpus(tmp_path)
    assert load_corpus(tmp_path, errors="skip")["path"].tolist() == ["good.txt"]


def test_an_unreadable_file(tmp_path, monkeypatch):
    from quotetrace import UnreadableFileError

    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "locked.txt").write_text("Secret.")
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(UnreadableFileError, match="locked.txt cannot be read \\(Permission denied\\)"):
        load_corpus(tmp_path)
    assert load_corpus(tmp_path, errors="skip")["path"].tolist() == ["good.txt"]


def test_a_file_name_that_is_not_utf8_loads_and_exports(tmp_path):
    folder = os.fsencode(tmp_path)
    with open(os.path.join(folder, b"caf\xe9.txt"), "wb") as fh:
        fh.write(GOOD.encode("utf-8"))
    articles = load_corpus(tmp_path)
    assert articles["path"].tolist() == ["caf\\xe9.txt"]
    out = write_csv(articles.drop(columns=["text"]), tmp_path.parent / f"{tmp_path.name}-articles.csv")
    assert "caf\\xe9.txt" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("suffix", [".txt", ".md", ".jsonl"])
def test_utf16_without_a_byte_order_mark_is_text_not_binary(tmp_path, encoding, suffix):
    body = GOOD if suffix != ".jsonl" else json.dumps({"text": GOOD, "outlet": "Gazette"}, ensure_ascii=False) + "\n"
    (tmp_path / f"a{suffix}").write_bytes(body.encode(encoding))
    articles = load_corpus(tmp_path)
    assert articles["text"].tolist() == [GOOD]
    assert articles["encoding"].tolist() == [encoding]
    assert "NoByteOrderMark" in articles.attrs["problems"]["problem"].tolist()


def test_a_symlinked_manifest_outside_the_corpus_is_refused_without_showing_it(tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("password,hunter2\nrow,data\n")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(GOOD)
    os.symlink(secret, corpus / "manifest.csv")
    for errors in ("raise", "skip"):
        with pytest.raises(UnsafePathError) as info:
            load_corpus(corpus, errors=errors)
        assert "outside the corpus folder" in str(info.value)
        assert "hunter2" not in str(info.value) and "password" not in str(info.value)


def test_articles_in_subfolders_are_read(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "2024" / "may").mkdir(parents=True)
    (tmp_path / "2024" / "may" / "b.txt").write_text("Coun Ann Lee said: “The pool reopens in June.”")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD.txt").write_text("ref: refs/heads/main")
    articles = load_corpus(tmp_path)
    assert articles["path"].tolist() == ["2024/may/b.txt", "good.txt"]


def test_a_linked_subfolder_is_reported_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "private.txt").write_text("Private notes.")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(GOOD)
    os.symlink(outside, corpus / "linked")
    os.symlink(corpus, corpus / "self")  # a loop through a folder link
    with pytest.raises(UnsafePathError, match="link to a folder"):
        load_corpus(corpus)
    articles = load_corpus(corpus, errors="skip")
    assert articles["path"].tolist() == ["good.txt"]
    assert set(articles.attrs["problems"]["path"]) == {"linked", "self"}


def test_a_manifest_names_a_file_in_a_subfolder(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(GOOD)
    (tmp_path / "manifest.csv").write_text("file,outlet\n./sub/a.txt,Gazette\n")
    articles = load_corpus(tmp_path)
    assert articles[["path", "outlet"]].values.tolist() == [["sub/a.txt", "Gazette"]]
    assert articles.attrs["problems"].empty


@pytest.mark.parametrize("outlets", [["quote", "n_sources", "verdict"], ["cluster_id", "speakers", "reviewer"]])
def test_outlets_named_like_table_columns_keep_their_data(tmp_path, outlets):
    from quotetrace import verify_quotes

    rows = []
    for i, outlet in enumerate(outlets):
        (tmp_path / f"{i}.txt").write_text(f"Story {i}. Coun Ann Lee said: “The library stays open this year.”", encoding="utf-8")
        rows.append(f"{i}.txt,{outlet}")
    (tmp_path / "manifest.csv").write_text("file,outlet\n" + "\n".join(rows) + "\n")
    report = verify_quotes(tmp_path)
    row = report.verification.iloc[0]
    assert row["quote"] == "The library stays open this year." and row["n_sources"] == 3
    # each outlet keeps its own column: the quote's own source, and the two that carry it word for word
    assert sorted(row[f"{outlet} (source)"] for outlet in outlets) == ["source", "verbatim", "verbatim"]
    assert pd.isna(row["verdict"])


def test_a_title_cannot_become_a_javascript_link():
    from nbconvert.filters import markdown2html

    from quotetrace.tables import heading

    for title in ("[x](javascript:alert(1))", "![x](javascript:alert(1))", "[x]: javascript:alert(1)\n\n[x]", "<javascript:alert(1)>"):
        html = markdown2html(heading(title))
        assert 'href="javascript' not in html and 'src="javascript' not in html
        assert "javascript:alert(1)" in html  # the text is shown, inert
