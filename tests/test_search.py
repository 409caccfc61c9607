"""qt.search and `quotetrace find`: one quote against a folder of articles."""

from __future__ import annotations

import os
import time

import pandas as pd
import pytest
from conftest import NEWSROOM
from hypothesis import given, settings
from hypothesis import strategies as st

import quotetrace as qt
from quotetrace import cache as cache_module
from quotetrace import cli
from quotetrace.cache import Cache, match_found
from quotetrace.search import SEARCH_QUOTE_ID, find_command, search

COSTA = "The bus lanes will cut journey times for thousands of commuters across the city."
HALE = "We listened to every resident who wrote to us, and we changed the route twice."


@pytest.fixture
def articles(newsroom):
    return qt.load_corpus(newsroom)


def _by_path(articles, table):
    paths = dict(zip(articles["article_id"], articles["path"]))
    return {(paths[a], str(s)) for a, s in zip(table["article_id"], table["status"])}


def test_search_finds_verbatim_variant_and_partial(articles):
    costa = search(COSTA, articles)
    assert list(costa.columns) == qt.MATCH_COLUMNS
    assert _by_path(articles, costa) == {("gazette.txt", "verbatim"), ("herald.txt", "verbatim"), ("bulletin.txt", "partial")}
    assert list(costa["status"].astype(str)) == ["verbatim", "verbatim", "partial"]  # findings first
    assert set(costa["quote_id"]) == {SEARCH_QUOTE_ID}
    hale = search(HALE, articles)
    assert _by_path(articles, hale) == {("gazette.txt", "verbatim"), ("herald.txt", "variant")}
    variant = hale[hale["status"] == "variant"].iloc[0]
    assert variant["differences"] == [("changed", "chnaged")]
    text = articles.set_index("article_id").loc[variant["article_id"], "text"]
    assert text[variant["start"] : variant["end"]] == variant["matched_text"]
    assert search("The roof has leaked every winter since the storm of 2019.", articles.iloc[:3]).empty


def test_search_equals_the_matcher_on_every_article(articles):
    quotes = qt.extract_quotes(articles)
    for quote in quotes["quote"]:
        looked_up = search(quote, articles)
        one = pd.DataFrame({"quote_id": [SEARCH_QUOTE_ID], "article_id": [""], "quote": [quote]})
        expected = match_found(one, articles, settings=qt.MatchSettings())
        assert _by_path(articles, looked_up) == _by_path(articles, expected), quote


def test_search_since_leaves_out_older_and_undated(articles):
    since = search(COSTA, articles, since="2024-03-05")
    assert _by_path(articles, since) == {("herald.txt", "verbatim"), ("bulletin.txt", "partial")}
    roof = "The roof has leaked every winter since the storm of 2019."
    assert len(search(roof, articles)) == 1
    assert search(roof, articles, since="2024-01-01").empty  # the library article has no date
    with pytest.raises(qt.ParameterError, match="since"):
        search(COSTA, articles, since="not a date")


@pytest.mark.parametrize("since", ["05/03/2024", "5.3.2024", "03-05-24", "2024-13-01", "March 5", ""])
def test_since_is_never_guessed_day_or_month_first(articles, newsroom, since, capsys):
    # 05/03/2024 is 5 March in Britain and 3 May in the United States: refused with how to write it, never read one way
    if since == "":
        assert _by_path(articles, search(COSTA, articles, since=since)) == _by_path(articles, search(COSTA, articles))
        return
    with pytest.raises(qt.ParameterError, match="year-month-day, such as 2025-01-31") as err:
        search(COSTA, articles, since=since)
    assert ("day or the month first" in str(err.value)) == ("/" in since or "." in since or since == "03-05-24")
    assert cli.main(["find", COSTA, str(newsroom), "--since", since]) == 2
    assert "year-month-day" in capsys.readouterr().err
    assert search(COSTA, articles, since="2024-03").equals(search(COSTA, articles, since="2024-03-01"))


def test_search_refuses_an_empty_quote(articles):
    with pytest.raises(qt.ParameterError, match="empty"):
        search(" “” ", articles)


def test_find_command_prints_source_date_status_offsets_and_differences(newsroom, tmp_path, capsys):
    code = cli.main(["find", HALE, str(newsroom), "--out", str(tmp_path / "reports")])
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[0] == "Found in 2 of 4 articles."
    assert "verbatim  Riverside Gazette (gazette.txt)  2024-03-04  characters" in out
    assert "variant   Valley Herald (herald.txt)  2024-03-05  characters" in out
    assert "differs: changed → chnaged" in out
    cli.main(["find", HALE, str(newsroom), "--since", "2024-03-05", "--out", str(tmp_path / "reports")])
    out = capsys.readouterr().out
    assert "Riverside Gazette" not in out and "Valley Herald" in out
    assert "(1 without a date not searched)" in out
    cli.main(["find", "Nothing like this was ever printed anywhere at all", str(newsroom)])
    assert capsys.readouterr().out.startswith("Not found in 4 articles.")


def test_find_reads_the_folder_through_the_run_cache(newsroom, tmp_path, capsys, monkeypatch):
    reports = tmp_path / "reports"
    for f in newsroom.iterdir():  # files saved a minute ago (the cache does not trust files changed in the last 2 s)
        os.utime(f, (time.time() - 60, time.time() - 60))
    Cache(reports / "newsroom" / ".cache").articles(newsroom)  # as quotetrace run leaves it
    loads = []
    real = cache_module.load_corpus
    monkeypatch.setattr(cache_module, "load_corpus", lambda *a, **k: loads.append(a) or real(*a, **k))
    cli.main(["find", COSTA, str(newsroom), "--out", str(reports)])
    out = capsys.readouterr().out
    assert "Found in 3 of 4 articles." in out and "verbatim  Valley Herald" in out
    assert loads == []
    assert out.strip() == find_command(COSTA, newsroom, out=tmp_path / "elsewhere")  # the same as reading the folder
    assert len(loads) == 1
    loads.clear()
    cli.main(["find", COSTA, str(newsroom), "--out", str(reports), "--since", "2024-03-06"])
    out = capsys.readouterr().out
    assert out.startswith("Found in 1 of 1 articles published since 2024-03-06 (1 without a date not searched).")
    assert "Evening Bulletin (bulletin.txt)" in out and loads == []
    (newsroom / "herald.txt").write_text(NEWSROOM["herald.txt"][2].replace("across the city", "across town"), encoding="utf-8")
    cli.main(["find", COSTA, str(newsroom), "--out", str(reports)])
    assert "variant   Valley Herald" in capsys.readouterr().out  # a changed file is read again
    assert len(loads) == 1


@settings(max_examples=30, deadline=None)
@given(st.text(min_size=1, max_size=60))
def test_search_handles_any_text(quote):
    articles = pd.DataFrame({"article_id": ["a1"], "text": [f"She said: “{quote}” and left."], "published": [pd.NaT]})
    try:
        found = search(quote, articles)
    except qt.ParameterError:
        return  # no words in it
    for r in found.itertuples():
        assert articles["text"].iat[0][r.start : r.end] == r.matched_text
        assert 0 <= r.score <= 100
