"""Hostile and broken input, as users meet it: huge articles, many articles, NULs, mixed encodings,
unbalanced marks, links and paths that point outside the corpus, scripts and formulas in quotes."""

from __future__ import annotations

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
