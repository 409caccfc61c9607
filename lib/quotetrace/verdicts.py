"""Fact-checkers' verdicts, kept in an append-only SQLite file that survives every re-run.

One file per corpus and report folder: ``<reports>/<corpus>/verdicts.sqlite``,
beside the reports, never inside a run folder (see :func:`default_store`).
Each verdict is a new row: nothing is ever updated, deleted or replaced (the
database refuses ``UPDATE``, ``DELETE``, ``INSERT OR REPLACE`` and
``REPLACE INTO``), so the history is complete and the latest verdict for a
target is the current one.

Targets are quote clusters (``cluster``, by ``cluster_id``) and claims
(``claim``, by ``claim_id``). Both ids are derived from article text and
positions, so re-running on the same corpus gives the same ids. A cluster's id
can change when a grown corpus adds an earlier member to it; each verdict
therefore also stores its *anchor* (the member quote ids, or the claim's
article and expression), and :func:`attach_verdicts` follows a verdict to the
cluster that now holds its quotes. A verdict whose quote or claim is gone is
reported as *orphaned* (:func:`orphaned_verdicts`), never dropped.

Safety: WAL journal and ``BEGIN IMMEDIATE`` transactions, so a scheduled run
and an open notebook can write at the same time; a busy database is retried
for ``timeout`` seconds, then a clear :class:`VerdictStoreError`. A corrupt or
foreign file, or one failing SQLite's ``quick_check``, is never written to:
opening it for a write raises and leaves it untouched. Reading opens the file
read-only (it works on a read-only file or folder and never changes the file).

The verdicts table (:data:`VERDICT_COLUMNS`): ``verdict_id``, ``target_type``,
``target_id``, ``verdict``, ``note``, ``reviewer``, ``recorded_at`` (UTC ISO
8601), ``anchor`` (JSON).
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pandas as pd

from .errors import ParameterError, QuotetraceError
from .export import write_csv

__all__ = [
    "VERDICTS",
    "TARGET_TYPES",
    "VERDICT_COLUMNS",
    "VerdictStoreError",
    "default_store",
    "record_verdict",
    "verdicts",
    "current_verdicts",
    "attach_verdicts",
    "orphaned_verdicts",
    "export_verdicts",
    "cluster_anchor",
    "claim_anchor",
]

VERDICTS = ("verified", "misquoted", "disputed", "false", "unverifiable", "needs-review")
TARGET_TYPES = ("cluster", "claim")
VERDICT_COLUMNS = ["verdict_id", "target_type", "target_id", "verdict", "note", "reviewer", "recorded_at", "anchor"]
_APP_ID = 0x71747663  # "qtvc": marks a quotetrace verdict store
_SCHEMA = f"""
PRAGMA application_id = {_APP_ID};
CREATE TABLE IF NOT EXISTS verdicts (
    verdict_id INTEGER PRIMARY KEY AUTOINCREMENT,
    target_type TEXT NOT NULL CHECK (target_type IN ({", ".join(repr(t) for t in TARGET_TYPES)})),
    target_id TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ({", ".join(repr(v) for v in VERDICTS)})),
    note TEXT NOT NULL DEFAULT '',
    reviewer TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    anchor TEXT NOT NULL DEFAULT '{{}}'
);
CREATE INDEX IF NOT EXISTS verdicts_target ON verdicts (target_type, target_id);
CREATE TRIGGER IF NOT EXISTS verdicts_no_update BEFORE UPDATE ON verdicts
BEGIN SELECT RAISE(ABORT, 'verdicts are append-only: record a new verdict instead'); END;
CREATE TRIGGER IF NOT EXISTS verdicts_no_delete BEFORE DELETE ON verdicts
BEGIN SELECT RAISE(ABORT, 'verdicts are append-only: they are never deleted'); END;
"""
# REPLACE deletes the old row without firing delete triggers; refusing an insert onto an existing id stops
# INSERT OR REPLACE, REPLACE INTO and upserts (added to existing stores on their next write).
_NO_REPLACE = """
CREATE TRIGGER IF NOT EXISTS verdicts_no_replace BEFORE INSERT ON verdicts
WHEN NEW.verdict_id IS NOT NULL AND EXISTS (SELECT 1 FROM verdicts WHERE verdict_id = NEW.verdict_id)
BEGIN SELECT RAISE(ABORT, 'verdicts are append-only: an existing verdict is never replaced'); END;
"""


class VerdictStoreError(QuotetraceError):
    """The verdict store cannot be read or written (corrupt, locked, not a verdict store)."""


def default_store(corpus_name: str, reports: str | Path | None = None) -> Path:
    """Where a corpus's verdicts live: ``<reports>/<corpus>/verdicts.sqlite``, beside its reports.

    ``reports`` is the reports folder (``quotetrace run --out``); by default
    :func:`quotetrace.paths.default_reports_dir` (``reports/`` in a quotetrace
    checkout, else a per-user data folder; ``QUOTETRACE_REPORTS`` overrides
    both), the folder ``quotetrace run`` writes to when given no ``--out``, so
    the review notebook and the run use the same store. Never inside an
    installed package.
    """
    if reports is None:
        from .paths import default_reports_dir

        reports = default_reports_dir()
    return Path(reports) / corpus_name / "verdicts.sqlite"


def _damaged(path: Path, detail) -> VerdictStoreError:
    return VerdictStoreError(
        f"The verdict store {str(path)!r} is damaged ({detail}). It was left untouched; restore it from a backup "
        "(export_verdicts makes CSV backups) or point quotetrace at a new file.",
        path=path,
    )


def _open_read_only(path: Path, timeout: float) -> sqlite3.Connection:
    """A read-only connection; falls back to ``immutable`` when the file's folder cannot be written
    (a read-only copy of a WAL store has no -shm file to share)."""
    uri = path.resolve().as_uri()
    con = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=timeout, isolation_level=None)
    try:
        con.execute("SELECT name FROM sqlite_master LIMIT 1").fetchall()
        return con
    except sqlite3.OperationalError as exc:
        con.close()
        if "locked" in str(exc) or "busy" in str(exc):
            raise _busy(path) from None
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, timeout=timeout, isolation_level=None)


@contextmanager
def _connect(path: str | Path, *, create: bool, timeout: float) -> Iterator[sqlite3.Connection]:
    """A connection for writing (``create=True``: schema made or upgraded, WAL) or reading (read-only)."""
    path = Path(path)
    if path.is_dir():
        raise VerdictStoreError(f"{str(path)!r} is a folder, not a verdict store. Give the path of the .sqlite file.", path=path)
    if not path.exists():
        if not create:
            raise VerdictStoreError(f"There is no verdict store at {str(path)!r} yet: record a verdict first.", path=path)
        path.parent.mkdir(parents=True, exist_ok=True)
    elif path.stat().st_size > 0:
        with open(path, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise VerdictStoreError(
                    f"{str(path)!r} is not a verdict store (not an SQLite database). It was left untouched; "
                    "point quotetrace at another file, or restore it from a backup (export_verdicts makes CSV backups).",
                    path=path,
                )
    try:
        con = sqlite3.connect(str(path), timeout=timeout, isolation_level=None) if create else _open_read_only(path, timeout)
    except sqlite3.Error as exc:
        raise VerdictStoreError(f"The verdict store {str(path)!r} cannot be opened ({exc}).", path=path) from None
    try:
        try:
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            check = [r[0] for r in con.execute("PRAGMA quick_check").fetchall()] if create else ["ok"]
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise _busy(path) from None
            raise _damaged(path, exc) from None
        except sqlite3.DatabaseError as exc:
            raise _damaged(path, exc) from None
        if tables and (app_id != _APP_ID or "verdicts" not in tables):
            raise VerdictStoreError(
                f"{str(path)!r} is an SQLite database but not a quotetrace verdict store. It was left untouched.", path=path
            )
        if check != ["ok"]:
            raise _damaged(path, f"SQLite's integrity check says: {'; '.join(' '.join(str(c).replace('*** in database main ***', '').split()) for c in check[:3])}")
        if not tables:
            if not create:
                raise VerdictStoreError(f"The verdict store {str(path)!r} is empty: record a verdict first.", path=path)
            _retrying(lambda: con.executescript(_SCHEMA), path)
        if create:
            _retrying(lambda: con.executescript(_NO_REPLACE), path)
            _retrying(lambda: con.execute("PRAGMA journal_mode = WAL"), path)
            con.execute("PRAGMA synchronous = NORMAL")
        yield con
    finally:
        con.close()


def _busy(path) -> VerdictStoreError:
    return VerdictStoreError(
        f"The verdict store {str(path)!r} is busy (another run or notebook is writing). Nothing was lost; try again.",
        path=path,
    )


def _retrying(action, path):
    try:
        return action()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise _busy(path) from None
        raise VerdictStoreError(f"The verdict store {str(path)!r} cannot be used: {exc}.", path=path) from None


def cluster_anchor(clusters: pd.DataFrame, cluster_id: str) -> dict:
    """What identifies a cluster beyond its id: its member quote ids and canonical wording."""
    row = clusters.loc[clusters["cluster_id"] == cluster_id]
    if row.empty:
        raise ParameterError(f"There is no quote cluster {cluster_id!r} in this table.", parameter="target_id")
    r = row.iloc[0]
    return {"quote_ids": list(r["quote_ids"]), "canonical": str(r["canonical"])}


def claim_anchor(claims: pd.DataFrame, claim_id: str) -> dict:
    """What identifies a claim beyond its id: its article, expression and sentence."""
    row = claims.loc[claims["claim_id"] == claim_id]
    if row.empty:
        raise ParameterError(f"There is no claim {claim_id!r} in this table.", parameter="target_id")
    r = row.iloc[0]
    return {"article_id": str(r["article_id"]), "expression": str(r["expression"]), "sentence": str(r["sentence"])}


def record_verdict(
    store: str | Path,
    target_type: str,
    target_id: str,
    verdict: str,
    *,
    reviewer: str,
    note: str = "",
    anchor: dict | None = None,
    timeout: float = 30.0,
) -> int:
    """Append a verdict; returns its ``verdict_id``. Earlier verdicts are kept.

    Parameters
    ----------
    store : path
        The SQLite file (created if missing).
    target_type : {"cluster", "claim"}
    target_id : str
        A ``cluster_id`` or ``claim_id``.
    verdict : str
        One of :data:`VERDICTS`.
    reviewer : str
        Who decided (required).
    note : str
        Why: sources, calls made, links.
    anchor : dict, optional
        :func:`cluster_anchor` / :func:`claim_anchor`, so the verdict can follow
        its quotes if the cluster id changes when the corpus grows.
    """
    if target_type not in TARGET_TYPES:
        raise ParameterError(f"target_type must be one of {', '.join(TARGET_TYPES)}, not {target_type!r}.", parameter="target_type")
    if verdict not in VERDICTS:
        raise ParameterError(f"verdict must be one of {', '.join(VERDICTS)}, not {verdict!r}.", parameter="verdict")
    if not isinstance(target_id, str) or not target_id.strip():
        raise ParameterError("target_id is empty: pick a cluster or claim.", parameter="target_id")
    if not isinstance(reviewer, str) or not reviewer.strip():
        raise ParameterError("reviewer is empty: say who is recording this verdict.", parameter="reviewer")
    now = datetime.now(timezone.utc).isoformat(timespec="microseconds")
    with _connect(store, create=True, timeout=timeout) as con:
        def insert():
            con.execute("BEGIN IMMEDIATE")
            try:
                cur = con.execute(
                    "INSERT INTO verdicts (target_type, target_id, verdict, note, reviewer, recorded_at, anchor) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (target_type, target_id.strip(), verdict, note or "", reviewer.strip(), now, json.dumps(anchor or {}, ensure_ascii=False)),
                )
                con.execute("COMMIT")
                return cur.lastrowid
            except BaseException:
                con.execute("ROLLBACK")
                raise

        return int(_retrying(insert, store))


def verdicts(store: str | Path, *, timeout: float = 30.0) -> pd.DataFrame:
    """The whole history, oldest first (columns :data:`VERDICT_COLUMNS`). An absent store gives an empty table."""
    if not Path(store).exists():
        return _empty()
    with _connect(store, create=False, timeout=timeout) as con:
        try:
            rows = _retrying(lambda: con.execute(f"SELECT {', '.join(VERDICT_COLUMNS)} FROM verdicts ORDER BY verdict_id").fetchall(), store)
        except sqlite3.DatabaseError as exc:
            raise _damaged(Path(store), exc) from None
    table = pd.DataFrame(rows, columns=VERDICT_COLUMNS)
    table["verdict_id"] = table["verdict_id"].astype("int64")
    return table


def _empty() -> pd.DataFrame:
    table = pd.DataFrame(columns=VERDICT_COLUMNS)
    table["verdict_id"] = table["verdict_id"].astype("int64")
    return table


def current_verdicts(history: pd.DataFrame) -> pd.DataFrame:
    """The latest verdict per target (a newer verdict supersedes, never erases, an older one)."""
    if history.empty:
        return history.copy()
    latest = history.sort_values("verdict_id").groupby(["target_type", "target_id"], as_index=False).tail(1)
    return latest.sort_values("verdict_id").reset_index(drop=True)


def _cluster_target(v, clusters: pd.DataFrame, by_quote: dict[str, str]) -> str | None:
    if v["target_id"] in set(clusters["cluster_id"]):
        return v["target_id"]
    anchor = json.loads(v["anchor"] or "{}")
    for qid in anchor.get("quote_ids", []):
        if qid in by_quote:
            return by_quote[qid]
    return None


def attach_verdicts(table: pd.DataFrame, history: pd.DataFrame, *, target_type: str, clusters: pd.DataFrame | None = None) -> pd.DataFrame:
    """A copy of ``table`` (verification table, clusters or claims) with the current verdict of each row.

    Adds ``verdict``, ``verdict_note``, ``reviewer``, ``verdict_at``. For
    clusters, a verdict recorded under an older cluster id follows its quotes
    (pass the current ``clusters`` table when ``table`` is the verification
    table, which has ``cluster_id`` but no ``quote_ids``).
    """
    if target_type not in TARGET_TYPES:
        raise ParameterError(f"target_type must be one of {', '.join(TARGET_TYPES)}.", parameter="target_type")
    key = "cluster_id" if target_type == "cluster" else "claim_id"
    out = table.copy()
    for c in ("verdict", "verdict_note", "reviewer", "verdict_at"):
        out[c] = pd.Series([None] * len(out), index=out.index, dtype="str")
    mine = history[history["target_type"] == target_type] if len(history) else history
    if mine.empty:
        return out
    resolved = mine.copy()
    if target_type == "cluster":
        source = clusters if clusters is not None else table
        by_quote = {q: c for c, qs in zip(source["cluster_id"], source["quote_ids"]) for q in qs} if "quote_ids" in source else {}
        resolved["target_id"] = [_cluster_target(v, source, by_quote) for _, v in resolved.iterrows()]
        resolved = resolved.dropna(subset=["target_id"])
    current = current_verdicts(resolved).set_index("target_id")
    for column, source_col in (("verdict", "verdict"), ("verdict_note", "note"), ("reviewer", "reviewer"), ("verdict_at", "recorded_at")):
        out[column] = out[key].map(current[source_col]).astype("str")
    return out


def orphaned_verdicts(history: pd.DataFrame, *, clusters: pd.DataFrame | None = None, claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """Current verdicts whose quote cluster or claim is no longer in the corpus (kept, reported, never dropped)."""
    current = current_verdicts(history)
    if current.empty:
        return current
    keep = []
    by_quote = {q: c for c, qs in zip(clusters["cluster_id"], clusters["quote_ids"]) for q in qs} if clusters is not None else {}
    claim_ids = set(claims["claim_id"]) if claims is not None else set()
    for _, v in current.iterrows():
        if v["target_type"] == "cluster" and clusters is not None:
            keep.append(_cluster_target(v, clusters, by_quote) is None)
        elif v["target_type"] == "claim" and claims is not None:
            keep.append(v["target_id"] not in claim_ids)
        else:
            keep.append(False)
    return current[keep].reset_index(drop=True)


def export_verdicts(store: str | Path, csv_path: str | Path) -> Path:
    """Back up the whole history to CSV (atomically; formula-safe)."""
    return write_csv(verdicts(store), csv_path)
