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
    claim = claims[(claims["expression"] == "50") & (claims["unit"] == "page")].iloc[0]
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


# --- the history cannot be rewritten, a damaged store is not written, reads never write (#18) ---------------


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT OR REPLACE INTO verdicts (verdict_id, target_type, target_id, verdict, reviewer, recorded_at) VALUES (1, 'cluster', 'c1', 'false', 'mallory', 'x')",
        "REPLACE INTO verdicts (verdict_id, target_type, target_id, verdict, reviewer, recorded_at) VALUES (1, 'cluster', 'c1', 'false', 'mallory', 'x')",
        "INSERT INTO verdicts (verdict_id, target_type, target_id, verdict, reviewer, recorded_at) VALUES (1, 'cluster', 'c1', 'false', 'mallory', 'x') "
        "ON CONFLICT (verdict_id) DO UPDATE SET verdict = 'false'",
        "INSERT OR IGNORE INTO verdicts (verdict_id, target_type, target_id, verdict, reviewer, recorded_at) VALUES (1, 'cluster', 'c1', 'false', 'mallory', 'x')",
    ],
    ids=["insert-or-replace", "replace-into", "upsert", "insert-or-ignore"],
)
def test_an_old_verdict_cannot_be_replaced(tmp_path, sql):
    db = tmp_path / "v.sqlite"
    record_verdict(db, "cluster", "c1", "verified", reviewer="ana", note="Recording checked.")
    con = sqlite3.connect(db)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute(sql)
    con.commit()
    con.close()
    history = verdicts(db)
    assert history[["verdict", "reviewer", "note"]].values.tolist() == [["verified", "ana", "Recording checked."]]


def test_a_store_made_before_the_replace_guard_gets_it_on_its_next_write(tmp_path):
    db = tmp_path / "v.sqlite"
    record_verdict(db, "cluster", "c1", "verified", reviewer="ana")
    con = sqlite3.connect(db)
    con.execute("DROP TRIGGER verdicts_no_replace")  # as an older quotetrace made it
    con.commit()
    con.close()
    record_verdict(db, "cluster", "c2", "false", reviewer="ana")
    con = sqlite3.connect(db)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("REPLACE INTO verdicts (verdict_id, target_type, target_id, verdict, reviewer, recorded_at) VALUES (1, 'cluster', 'c1', 'false', 'm', 'x')")
    con.close()


def _damage_index(db: Path) -> None:
    """Break the target index's page so that quick_check fails while the verdicts table still reads."""
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode = DELETE")
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'verdicts_target'").fetchone()[0]
    page = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    data = bytearray(db.read_bytes())
    data[(root - 1) * page + 12 : (root - 1) * page + 20] = b"\x0f\xf0" * 4
    db.write_bytes(bytes(data))


def test_a_store_failing_its_integrity_check_is_not_written_to(tmp_path):
    db = tmp_path / "v.sqlite"
    for i in range(300):
        record_verdict(db, "cluster", f"c{i:04d}", "verified", reviewer="ana", note="x" * 50)
    _damage_index(db)
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA quick_check").fetchone()[0] != "ok"
    con.close()
    before = db.read_bytes()
    with pytest.raises(VerdictStoreError, match="damaged.*integrity check.*left untouched"):
        record_verdict(db, "cluster", "c0001", "false", reviewer="mallory")
    assert db.read_bytes() == before
    assert len(verdicts(db)) == 300  # what can still be read is shown


def test_reading_a_store_never_writes_to_it(tmp_path):
    db = tmp_path / "v.sqlite"
    record_verdict(db, "cluster", "c1", "verified", reviewer="ana")
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode = DELETE")  # as a copy restored from a backup would be
    con.close()
    before = (db.read_bytes(), db.stat().st_mtime_ns)
    assert verdicts(db)["verdict"].tolist() == ["verified"]
    assert (db.read_bytes(), db.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v.sqlite"]


def test_default_store_is_beside_the_reports_never_in_the_package(monkeypatch, tmp_path):
    import quotetrace
    from quotetrace import paths
    from quotetrace.verdicts import default_store

    assert default_store("tweetgate", tmp_path / "out") == tmp_path / "out" / "tweetgate" / "verdicts.sqlite"
    monkeypatch.delenv("QUOTETRACE_REPORTS", raising=False)
    monkeypatch.setattr(paths, "checkout", lambda: None)  # as installed from a wheel
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    store = default_store("tweetgate")
    assert store == tmp_path / "xdg" / "quotetrace" / "reports" / "tweetgate" / "verdicts.sqlite"
    assert Path(quotetrace.__file__).parent not in store.parents
    monkeypatch.setenv("QUOTETRACE_REPORTS", str(tmp_path / "r"))
    assert default_store("tweetgate") == tmp_path / "r" / "tweetgate" / "verdicts.sqlite"


def test_a_folder_given_as_the_store_is_a_clear_error(tmp_path):
    for action in (lambda: verdicts(tmp_path), lambda: record_verdict(tmp_path, "cluster", "c1", "verified", reviewer="ana")):
        with pytest.raises(VerdictStoreError, match="is a folder, not a verdict store"):
            action()
