"""The verdict store: append-only history, ids that survive re-runs and corpus changes, concurrency, damage."""

from __future__ import annotations

import multiprocessing as mp
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from quotetrace import ParameterError, cluster_quotes, extract_claims, extract_quotes, load_corpus, match_quotes
from quotetrace.verdicts import (
    VerdictStoreError,
    attach_verdicts,
    claim_anchor,
    cluster_anchor,
    current_verdicts,
    export_verdicts,
    orphaned_verdicts,
    record_verdict,
    verdicts,
)


def _pipeline(articles):
    quotes = extract_quotes(articles)
    matches = match_quotes(quotes, articles)
    return quotes, cluster_quotes(quotes, matches, articles)


def test_history_is_append_only_and_latest_is_current(tmp_path):
    db = tmp_path / "v.sqlite"
    first = record_verdict(db, "cluster", "c1", "needs-review", reviewer="ana")
    second = record_verdict(db, "cluster", "c1", "verified", reviewer="ben", note="Checked the recording.")
    record_verdict(db, "claim", "k1", "false", reviewer="ana")
    history = verdicts(db)
    assert history["verdict_id"].tolist() == [first, second, second + 1]
    assert history["verdict"].tolist() == ["needs-review", "verified", "false"]
    current = current_verdicts(history).set_index("target_id")
    assert current.loc["c1", "verdict"] == "verified" and current.loc["c1", "reviewer"] == "ben"
    with sqlite3.connect(db) as con:
        for sql in ("UPDATE verdicts SET verdict = 'false'", "DELETE FROM verdicts"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                con.execute(sql)
    assert len(verdicts(db)) == 3


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"target_type": "quote"}, "target_type"),
        ({"verdict": "true-ish"}, "verdict must be one of"),
        ({"reviewer": " "}, "reviewer is empty"),
        ({"target_id": ""}, "target_id is empty"),
    ],
)
def test_bad_verdicts_are_refused_and_nothing_written(tmp_path, kwargs, words):
    args = {"target_type": "cluster", "target_id": "c1", "verdict": "verified", "reviewer": "ana", **kwargs}
    with pytest.raises(ParameterError, match=words):
        record_verdict(tmp_path / "v.sqlite", args.pop("target_type"), args.pop("target_id"), args.pop("verdict"), **args)
    assert not (tmp_path / "v.sqlite").exists()


def test_verdicts_survive_a_rerun(tweetgate, tmp_path):
    db = tmp_path / "v.sqlite"
    quotes, clusters = _pipeline(tweetgate)
    target = clusters[clusters["canonical"].str.startswith("Moribound Miliband")].iloc[0]
    record_verdict(db, "cluster", target["cluster_id"], "misquoted", reviewer="ana", note="Original tweet says Moribund.",
                   anchor=cluster_anchor(clusters, target["cluster_id"]))
    claims = extract_claims(tweetgate)
    claim = claims[claims["expression"] == "50 pages"].iloc[0]
    record_verdict(db, "claim", claim["claim_id"], "verified", reviewer="ben", anchor=claim_anchor(claims, claim["claim_id"]))
    # a fresh run on the same corpus: same ids, verdicts attached
    again = load_corpus(tweetgate.attrs["root"])
    _, clusters2 = _pipeline(again)
    shown = attach_verdicts(clusters2, verdicts(db), target_type="cluster")
    row = shown[shown["canonical"].str.startswith("Moribound Miliband")].iloc[0]
    assert (row["verdict"], row["verdict_note"], row["reviewer"]) == ("misquoted", "Original tweet says Moribund.", "ana")
    assert shown["verdict"].notna().sum() == 1
    claims2 = attach_verdicts(extract_claims(again), verdicts(db), target_type="claim")
    assert claims2.set_index("claim_id").loc[claim["claim_id"], "verdict"] == "verified"
    assert orphaned_verdicts(verdicts(db), clusters=clusters2, claims=claims2).empty


def _corpus(folder: Path, files: dict[str, str]) -> pd.DataFrame:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return load_corpus(folder)


QUOTE_A = "Coun Jones said: “We will not be apologising for anything we did during the campaign.”"


def test_verdict_follows_its_quotes_when_the_corpus_grows_and_orphans_are_reported(tmp_path):
    db = tmp_path / "v.sqlite"
    small = _corpus(tmp_path / "c1", {"x.txt": QUOTE_A, "y.txt": "Unrelated: the bins are collected on Tuesdays."})
    _, clusters = _pipeline(small)
    cid = clusters.iloc[0]["cluster_id"]
    record_verdict(db, "cluster", cid, "verified", reviewer="ana", anchor=cluster_anchor(clusters, cid))
    # grow the corpus until the cluster gains a member whose quote id sorts first, so its cluster id changes
    for n in range(50):
        grown = _corpus(tmp_path / "c1", {f"z{n}.txt": f"Report {n}. " + QUOTE_A.replace("Coun Jones", "Mr Jones")})
        _, clusters2 = _pipeline(grown)
        row = clusters2[clusters2["quote_ids"].map(lambda q: clusters.iloc[0]["quote_ids"][0] in q)].iloc[0]
        if row["cluster_id"] != cid:
            break
    assert row["cluster_id"] != cid, "the test needs a corpus change that changes the cluster id"
    shown = attach_verdicts(clusters2, verdicts(db), target_type="cluster")
    assert shown.set_index("cluster_id").loc[row["cluster_id"], "verdict"] == "verified"
    assert orphaned_verdicts(verdicts(db), clusters=clusters2).empty
    # the quote's article is removed: the verdict is orphaned, reported, and still in the store
    shrunk = _corpus(tmp_path / "c2", {"y.txt": "Unrelated: the bins are collected on Tuesdays."})
    _, clusters3 = _pipeline(shrunk)
    orphans = orphaned_verdicts(verdicts(db), clusters=clusters3)
    assert orphans["target_id"].tolist() == [cid]
    assert len(verdicts(db)) == 1


def _writer(db: str, name: str, n: int) -> None:
    for i in range(n):
        record_verdict(db, "claim", f"k{name}{i}", "needs-review", reviewer=name, note=str(i))


def test_two_processes_writing_1000_verdicts_each_lose_nothing(tmp_path):
    db = str(tmp_path / "v.sqlite")
    record_verdict(db, "claim", "k0", "verified", reviewer="setup")
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(db, name, 1000)) for name in ("ana", "ben")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
        assert p.exitcode == 0
    history = verdicts(db)
    assert len(history) == 2001
    assert history["verdict_id"].is_unique
    for name in ("ana", "ben"):
        mine = history[history["reviewer"] == name]
        assert sorted(mine["note"].astype(int)) == list(range(1000))


def test_corrupt_foreign_and_damaged_files_are_refused_and_untouched(tmp_path):
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"this is not a database at all" * 10)
    foreign = tmp_path / "foreign.sqlite"
    with sqlite3.connect(foreign) as con:
        con.execute("CREATE TABLE notes (x)")
    damaged = tmp_path / "damaged.sqlite"
    record_verdict(damaged, "claim", "k1", "verified", reviewer="ana")
    raw = bytearray(damaged.read_bytes())
    raw[100:4096] = b"\xff" * (4096 - 100)
    damaged.write_bytes(bytes(raw))
    for path, words in ((garbage, "not a verdict store"), (foreign, "not a quotetrace verdict store"), (damaged, "damaged|not a quotetrace")):
        before = path.read_bytes()
        with pytest.raises(VerdictStoreError, match=words):
            record_verdict(path, "claim", "k2", "verified", reviewer="ana")
        with pytest.raises(VerdictStoreError):
            verdicts(path)
        assert path.read_bytes() == before


def test_locked_store_gives_a_clear_error(tmp_path):
    db = tmp_path / "v.sqlite"
    record_verdict(db, "claim", "k1", "verified", reviewer="ana")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(VerdictStoreError, match="busy"):
            record_verdict(db, "claim", "k2", "verified", reviewer="ben", timeout=0.2)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert len(verdicts(db)) == 1


def test_export_to_csv(tmp_path):
    db = tmp_path / "v.sqlite"
    record_verdict(db, "claim", "k1", "disputed", reviewer="ana", note="=cmd|' /C calc'!A0")
    path = export_verdicts(db, tmp_path / "backup.csv")
    back = pd.read_csv(path)
    assert back["verdict"].tolist() == ["disputed"] and back["note"].iloc[0].startswith("'=")
    assert verdicts(tmp_path / "absent.sqlite").empty
