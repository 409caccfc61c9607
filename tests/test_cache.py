"""The per-corpus cache: same results as without it, only new work on a re-run, invalidation,
two runs at once, and a damaged cache rebuilt rather than trusted."""

from __future__ import annotations

import multiprocessing as mp
import os
import sqlite3
import time
import warnings

import pandas as pd
import pytest
from conftest import LATE_ARTICLE, write_article

import quotetrace as qt
from quotetrace import cache as cache_module
from quotetrace.cache import CACHE_FILE, Cache, CacheWarning, match_found
from quotetrace.pipeline import verify_claims, verify_quotes

QUOTE_TABLES = ("articles", "quotes", "matches", "clusters", "verification", "summary")
CLAIM_TABLES = ("articles", "claims", "agreement", "table")


def assert_same_quotes(a, b):
    for name in QUOTE_TABLES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), obj=name)


def assert_same_claims(a, b):
    for name in CLAIM_TABLES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), obj=name)


@pytest.fixture
def spy(monkeypatch):
    """Record which articles each stage is run on while the cache is used."""
    calls = {"quotes": [], "claims": [], "match": [], "whole": []}
    real_quotes, real_claims, real_match = cache_module.extract_quotes, cache_module.extract_claims, cache_module.match_found
    real_clusters, real_compare = cache_module.cluster_quotes, cache_module.compare_claims

    def quotes(articles, **kw):
        calls["quotes"].extend(articles["article_id"])
        return real_quotes(articles, **kw)

    def claims(articles, **kw):
        calls["claims"].extend(articles["article_id"])
        return real_claims(articles, **kw)

    def match(quotes, articles, **kw):
        calls["match"].extend((q, a) for q in quotes["quote_id"] for a in articles["article_id"])
        return real_match(quotes, articles, **kw)

    def clusters(quotes, matches, articles):
        calls["whole"].append(("clusters", len(quotes)))
        return real_clusters(quotes, matches, articles)

    def compare(claims, articles):
        calls["whole"].append(("agreement", len(claims)))
        return real_compare(claims, articles)

    monkeypatch.setattr(cache_module, "cluster_quotes", clusters)
    monkeypatch.setattr(cache_module, "compare_claims", compare)
    monkeypatch.setattr(cache_module, "extract_quotes", quotes)
    monkeypatch.setattr(cache_module, "extract_claims", claims)
    monkeypatch.setattr(cache_module, "match_found", match)

    def reset():
        for name in ("quotes", "claims", "match", "whole"):
            calls[name].clear()

    calls["reset"] = reset
    return calls


def test_cached_results_are_identical_to_uncached(newsroom, tmp_path):
    folder = tmp_path / "cache"
    plain = verify_quotes(newsroom)
    first = verify_quotes(newsroom, cache=folder)
    again = verify_quotes(newsroom, cache=folder)
    assert_same_quotes(plain, first)
    assert_same_quotes(plain, again)
    assert (folder / CACHE_FILE).is_file()
    claims = verify_claims(newsroom)
    assert_same_claims(claims, verify_claims(newsroom, cache=folder))
    assert_same_claims(claims, verify_claims(newsroom, cache=folder))


def test_matches_hold_only_found_pairs(newsroom):
    report = verify_quotes(newsroom)
    assert "missing" not in set(report.matches["status"].astype(str))
    found = {(q, a) for q, a in zip(report.matches["quote_id"], report.matches["article_id"])}
    texts = dict(zip(report.articles["article_id"], report.articles["text"]))
    herald = next(a for a, t in texts.items() if t.startswith("Plans for bus lanes"))
    library = next(a for a, t in texts.items() if t.startswith("The library"))
    costa = report.quotes[report.quotes["quote"].str.startswith("The bus lanes will cut journey times for thousands of commuters across")]
    assert all((q, herald) in found or a == herald for q, a in zip(costa["quote_id"], costa["article_id"]))
    assert not any(a == library for _, a in found)  # nothing of the bus story is in the library article


def test_rerun_does_nothing_and_new_article_only_new_work(newsroom, tmp_path, spy):
    folder = tmp_path / "cache"
    verify_quotes(newsroom, cache=folder)
    verify_claims(newsroom, cache=folder)
    spy["reset"]()
    verify_quotes(newsroom, cache=folder)
    verify_claims(newsroom, cache=folder)
    assert spy["quotes"] == [] and spy["claims"] == [] and spy["match"] == [] and spy["whole"] == []

    write_article(newsroom, *LATE_ARTICLE)
    cached = verify_quotes(newsroom, cache=folder)
    new_id = qt.load_corpus(newsroom).set_index("path").loc["post.txt", "article_id"]
    assert spy["quotes"] == [new_id]
    new_quotes = set(cached.quotes.loc[cached.quotes["article_id"] == new_id, "quote_id"])
    old_articles = set(cached.articles["article_id"]) - {new_id}
    expected = {(q, new_id) for q in cached.quotes["quote_id"]} | {(q, a) for q in new_quotes for a in old_articles}
    assert set(spy["match"]) == expected  # new articles against all quotes, new quotes against the rest
    assert_same_quotes(verify_quotes(newsroom), cached)
    lee = cached.quotes[cached.quotes["quote"].str.startswith("Nobody asked")]["quote_id"]
    assert len(cached.matches[cached.matches["quote_id"].isin(lee)]) == 2  # herald's quote found in post, post's in herald
    assert_same_claims(verify_claims(newsroom), verify_claims(newsroom, cache=folder))


def test_removed_and_changed_articles_are_not_served_from_the_cache(newsroom, tmp_path):
    folder = tmp_path / "cache"
    verify_quotes(newsroom, cache=folder)
    herald = (newsroom / "herald.txt").read_text(encoding="utf-8")
    (newsroom / "herald.txt").write_text(herald.replace("across the city", "across the county"), encoding="utf-8")
    changed = verify_quotes(newsroom, cache=folder)
    assert_same_quotes(verify_quotes(newsroom), changed)
    assert changed.quotes["quote"].str.contains("across the county").any()
    (newsroom / "bulletin.txt").unlink()
    manifest = newsroom / "manifest.csv"
    manifest.write_text("".join(line for line in manifest.read_text().splitlines(True) if not line.startswith("bulletin")))
    removed = verify_quotes(newsroom, cache=folder)
    assert_same_quotes(verify_quotes(newsroom), removed)
    assert len(removed.articles) == 3


def test_new_settings_redo_matching_not_extraction(newsroom, tmp_path, spy):
    folder = tmp_path / "cache"
    verify_quotes(newsroom, cache=folder)
    spy["reset"]()
    strict = verify_quotes(newsroom, cache=folder, score_cutoff=99)
    assert spy["quotes"] == []
    assert len(spy["match"]) > 0
    assert_same_quotes(verify_quotes(newsroom, score_cutoff=99), strict)
    assert "variant" not in set(strict.matches["status"].astype(str))  # the typo no longer scores 99


def test_new_code_empties_the_cache(newsroom, tmp_path, spy, monkeypatch):
    folder = tmp_path / "cache"
    verify_quotes(newsroom, cache=folder)
    spy["reset"]()
    monkeypatch.setattr(cache_module, "code_key", lambda: "another version")
    verify_quotes(newsroom, cache=folder)
    assert len(spy["quotes"]) == 4
    with sqlite3.connect(folder / CACHE_FILE) as db:
        assert db.execute("SELECT value FROM meta WHERE key='code'").fetchone()[0] == "another version"


def test_changed_manifest_date_redoes_claims(newsroom, tmp_path, spy):
    folder = tmp_path / "cache"
    verify_claims(newsroom, cache=folder)
    spy["reset"]()
    manifest = newsroom / "manifest.csv"
    manifest.write_text(manifest.read_text().replace("herald.txt,Valley Herald,2024-03-05", "herald.txt,Valley Herald,2024-04-05"))
    report = verify_claims(newsroom, cache=folder)
    herald = report.articles.set_index("path").loc["herald.txt", "article_id"]
    assert spy["claims"] == [herald]
    assert_same_claims(verify_claims(newsroom), report)


def test_damaged_file_is_rebuilt_with_a_warning(newsroom, tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / CACHE_FILE).write_bytes(b"this is not a database" * 100)
    with pytest.warns(CacheWarning, match="could not be read"):
        report = verify_quotes(newsroom, cache=folder)
    assert_same_quotes(verify_quotes(newsroom), report)
    assert (folder / (CACHE_FILE + ".damaged")).is_file()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert_same_quotes(report, verify_quotes(newsroom, cache=folder))  # the rebuilt cache works


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE matches SET row = '[\"q1\", \"a1\", \"verbatim\"'",  # cut short
        "UPDATE extracted SET rows = '[[1, 2]]' WHERE stage = 'quotes'",  # the wrong shape
        "UPDATE derived SET rows = '{\"columns\": [\"x\"], \"dtypes\": [\"int64\"], \"rows\": [[\"y\"]]}'",  # wrong type
        "UPDATE corpus SET value = '[]'",
    ],
)
def test_damaged_rows_are_not_trusted(newsroom, tmp_path, damage):
    folder = tmp_path / "cache"
    plain = verify_quotes(newsroom)
    for f in newsroom.iterdir():  # settled files, so the articles table is cached too
        os.utime(f, (time.time() - 60, time.time() - 60))
    verify_quotes(newsroom, cache=folder)
    with sqlite3.connect(folder / CACHE_FILE) as db:
        assert db.execute(damage).rowcount > 0
    with pytest.warns(CacheWarning, match="could not be read"):
        report = verify_quotes(newsroom, cache=folder)
    assert_same_quotes(plain, report)


def _run_in_process(corpus, cache, conn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = verify_quotes(corpus, cache=cache)
    conn.send((report.quotes, report.matches, [str(w.message) for w in caught]))
    conn.close()


def _two_at_once(corpus_a, corpus_b, cache):
    ctx = mp.get_context("fork")
    pipes, procs = [], []
    for corpus in (corpus_a, corpus_b):
        parent, child = ctx.Pipe(duplex=False)
        p = ctx.Process(target=_run_in_process, args=(corpus, cache, child))
        p.start()
        pipes.append(parent)
        procs.append(p)
    results = [p.recv() for p in pipes]
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0
    return results


def test_two_runs_at_once_on_one_cache(newsroom, tmp_path, spy):
    folder = tmp_path / "cache"
    grown = tmp_path / "grown"
    grown.mkdir()
    for f in newsroom.iterdir():
        (grown / f.name).write_bytes(f.read_bytes())
    write_article(grown, *LATE_ARTICLE)
    results = _two_at_once(newsroom, grown, folder)
    for corpus, (quotes, matches, messages) in zip((newsroom, grown), results):
        plain = verify_quotes(corpus)
        pd.testing.assert_frame_equal(plain.quotes, quotes)
        pd.testing.assert_frame_equal(plain.matches, matches)
        assert not any("could not be read" in m for m in messages)
    for corpus in (grown, newsroom, grown):  # whatever state the two left, later runs are right
        assert_same_quotes(verify_quotes(corpus), verify_quotes(corpus, cache=folder))
    spy["reset"]()
    verify_quotes(grown, cache=folder)
    assert spy["match"] == []


def test_match_found_drops_missing_pairs(newsroom):
    articles = qt.load_corpus(newsroom)
    quotes = qt.extract_quotes(articles)
    found = match_found(quotes, articles, settings=qt.MatchSettings())
    everything = qt.match_quotes(quotes, articles)
    expected = everything[everything["status"] != "missing"].reset_index(drop=True)
    pd.testing.assert_frame_equal(found, expected)


def test_no_folder_keeps_nothing(newsroom, tmp_path):
    cache = Cache(None)
    articles = cache.articles(newsroom)
    assert len(cache.quotes(articles)) == 9
    assert list(tmp_path.glob("**/" + CACHE_FILE)) == []


def test_quotetrace_run_passes_the_cache_to_notebooks_that_take_it(newsroom, tmp_path):
    import json

    import nbformat

    from quotetrace.run import run_report

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell('corpus: str = "tweetgate"\noutput_dir: str = ""\ncache_dir: str = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("import quotetrace as qt\nreport = qt.verify_quotes(corpus, cache=cache_dir)\nlen(report.quotes)")]
    nbformat.write(nb, tmp_path / "cached.ipynb")
    result = run_report(newsroom, out=tmp_path / "reports", run_id="one", notebooks=[tmp_path / "cached.ipynb"])
    cache_dir = tmp_path / "reports" / "newsroom" / ".cache"
    record = json.loads((result.folder / "run.json").read_text())
    assert record["parameters"]["cached.ipynb"]["cache_dir"] == str(cache_dir.resolve())
    with sqlite3.connect(cache_dir / CACHE_FILE) as db:
        assert db.execute("SELECT COUNT(*) FROM extracted WHERE stage = 'quotes'").fetchone()[0] == 4
    with pytest.raises(qt.ParameterError, match="Unknown parameter"):
        run_report(newsroom, out=tmp_path / "reports", run_id="two", notebooks=[tmp_path / "cached.ipynb"], parameters={"cache_dir": "x"})


def test_corpus_key_follows_every_file_subfolders_too(tmp_path):
    folder = tmp_path / "corpus"
    (folder / "2024").mkdir(parents=True)
    (folder / "a.txt").write_text("One.")
    (folder / "2024" / "b.txt").write_text("Two.")
    key, settled = cache_module._corpus_key(folder, None, "DMY")
    assert not settled  # just written: not trusted yet
    os.utime(folder / "2024" / "b.txt", (time.time() - 60, time.time() - 60))
    os.utime(folder / "a.txt", (time.time() - 60, time.time() - 60))
    old, settled = cache_module._corpus_key(folder, None, "DMY")
    assert settled and old != key
    (folder / "2024" / "b.txt").write_text("Two!")
    assert cache_module._corpus_key(folder, None, "DMY")[0] != old
