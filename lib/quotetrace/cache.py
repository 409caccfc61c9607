"""A per-corpus cache of a run's work, so a re-run does only what is new.

``quotetrace run`` keeps it in ``<reports>/<corpus>/.cache/cache.sqlite``, beside the run folders. It
holds:

* the loaded articles table, keyed by the corpus path and the name, size and modification time of
  every file in it (the manifest too);
* the quotes and the claims of each article, keyed by the SHA-256 of the article's text (and, for
  claims, its publication date, which resolves "last week");
* the matches found, with the quotes and articles they were matched between. A re-run matches the
  new articles against all quotes and the new quotes against the other articles, and reuses the rest.

Everything is also keyed by the package's code and the versions of the libraries its results depend
on (a new version of quotetrace empties the cache), and the matches by the matcher's settings (a
new ``score_cutoff`` redoes the matching, not the extraction). Results are identical with and without
the cache.

Safety: SQLite in WAL mode with immediate transactions, so two runs at once (a scheduled run and a
notebook) each get correct results and never a half-written cache; when both matched at the same
time, the first to finish updates the cache and the other leaves it. A cache that cannot be read
(damaged, not a database, rows that do not decode) is never trusted: it is moved aside to
``cache.sqlite.damaged``, a :class:`CacheWarning` says so, and it is rebuilt. Deleting the folder is
always safe.

>>> cache = Cache(None)          # no folder: runs every stage, stores nothing
>>> articles = cache.articles(bundled_corpus("tweetgate"))
>>> len(cache.quotes(articles))
36
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import json
import os
import sqlite3
import time
import warnings
from dataclasses import asdict
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import pandas as pd

from .claims import CLAIM_COLUMNS, compare_claims, extract_claims
from .clusters import cluster_quotes
from .corpus import MANIFEST_NAME, load_corpus
from .match import MatchSettings, match_quotes
from .paths import bundled_corpus  # noqa: F401  (used by the doctest)
from .progress import Progress
from .quotes import extract_quotes

__all__ = ["Cache", "CacheWarning", "CACHE_FILE", "open_cache", "match_found", "table_key"]

CACHE_FILE = "cache.sqlite"
_SCHEMA = 1
_CHUNK = 500  # articles per call of an extraction, so progress moves and memory stays bounded
_MATCH_CHUNK = 1000  # articles per call of the matcher (each call indexes the quotes again)
_LIBRARIES = ("pandas", "rapidfuzz", "wordfreq", "pysbd", "dateparser", "trafilatura", "ftfy", "charset-normalizer")
_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS corpus (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS extracted (stage TEXT NOT NULL, key TEXT NOT NULL, rows TEXT NOT NULL, PRIMARY KEY (stage, key));
CREATE TABLE IF NOT EXISTS matched (kind TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (kind, id));
CREATE TABLE IF NOT EXISTS matches (quote_id TEXT NOT NULL, article_id TEXT NOT NULL, row TEXT NOT NULL, PRIMARY KEY (quote_id, article_id));
CREATE TABLE IF NOT EXISTS derived (stage TEXT PRIMARY KEY, key TEXT NOT NULL, rows TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS article_rows (article_id TEXT PRIMARY KEY, row TEXT NOT NULL);
"""
# a full-text index of the articles' words, so ``quotetrace find`` reads only the articles that may hold a quote
_WORDS = "CREATE VIRTUAL TABLE IF NOT EXISTS words USING fts5(article_id UNINDEXED, text)"


class CacheWarning(UserWarning):
    """The cache could not be used as it was (damaged, or busy for too long) and was rebuilt or skipped."""


class _Damaged(Exception):
    """A cache read found something it cannot trust."""


@lru_cache(maxsize=1)
def code_key() -> str:
    """SHA-256 of the package's code and the versions of the libraries its results depend on."""
    h = hashlib.sha256(f"schema {_SCHEMA}".encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    for name in _LIBRARIES:
        try:
            h.update(f"{name} {metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name} -".encode())
    return h.hexdigest()


def match_found(quotes: pd.DataFrame, articles: pd.DataFrame, *, settings: MatchSettings, scheduler: str | None = None) -> pd.DataFrame:
    """:func:`quotetrace.match_quotes`, keeping only the pairs found (a pair absent from the table is missing)."""
    options = {"settings": settings, "scheduler": scheduler}
    if "include_missing" in inspect.signature(match_quotes).parameters:
        options["include_missing"] = False
    table = match_quotes(quotes, articles, **options)
    return table[table["status"] != "missing"].reset_index(drop=True)


# --- tables as JSON ------------------------------------------------------------------------------


def _json_default(value):
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"cannot store {type(value).__name__} in the cache")


def _cells(table: pd.DataFrame) -> list[list]:
    """The table's rows as lists of JSON-able values (missing values as None)."""
    columns = []
    for name in table.columns:
        col = table[name]
        values = col.astype(object).tolist()
        columns.append([None if (not isinstance(v, (list, tuple, dict)) and pd.isna(v)) else v for v in values])
    return [list(row) for row in zip(*columns)] if columns else []


def _dump(rows) -> str:
    return json.dumps(rows, default=_json_default, ensure_ascii=False, separators=(",", ":"))


def _tuples(value):
    return [tuple(v) if isinstance(v, list) else v for v in value] if isinstance(value, list) else value


def _frame(rows: list[list], template: pd.DataFrame) -> pd.DataFrame:
    """Rows read back from the cache as a table with the template's columns and types."""
    if any(len(r) != len(template.columns) for r in rows):
        raise _Damaged("a cached row has the wrong number of cells")
    table = pd.DataFrame(rows, columns=template.columns) if rows else template.iloc[:0].copy()
    try:
        for name, dtype in template.dtypes.items():
            if dtype == object:
                table[name] = table[name].map(_tuples).astype(object)
            elif isinstance(dtype, pd.CategoricalDtype):
                table[name] = pd.Categorical(table[name], categories=dtype.categories, ordered=dtype.ordered)
            elif str(dtype).startswith("datetime64"):
                table[name] = pd.to_datetime(table[name]).astype(dtype)
            else:
                table[name] = table[name].astype(dtype)
    except (TypeError, ValueError) as exc:
        raise _Damaged(f"a cached column does not decode: {exc}") from None
    return table


def _loads(text: str):
    try:
        return json.loads(text)
    except (TypeError, ValueError) as exc:
        raise _Damaged(f"a cached value does not decode: {exc}") from None


def table_key(table: pd.DataFrame) -> str:
    """SHA-256 of a table's columns and cells (as the cache stores them): equal tables, equal keys."""
    return _text_key(_dump(list(map(str, table.columns))), _dump(_cells(table)))


def _text_key(*parts) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(str(p).encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()


# --- the cache -----------------------------------------------------------------------------------


class Cache:
    """The work of a run on one corpus, kept in ``folder`` (``None``: keep nothing, run every stage).

    Each method returns exactly what the stage function it stands for returns
    (:func:`~quotetrace.load_corpus`, :func:`~quotetrace.extract_quotes`,
    :func:`~quotetrace.extract_claims`, and :func:`match_found`, the found rows of
    :func:`~quotetrace.match_quotes`), reusing what an earlier run did on the same input.

    Parameters
    ----------
    folder : str or Path or None
        Where the cache lives (created if needed); ``None`` or ``""`` keeps nothing.
    progress : bool, str or None
        How long stages report progress (see :mod:`quotetrace.progress`).
    """

    def __init__(self, folder: str | Path | None, *, progress=None):
        self.folder = Path(folder) if folder else None
        self.path = self.folder / CACHE_FILE if self.folder else None
        self.progress = Progress(progress)
        self._db: sqlite3.Connection | None = None

    def __repr__(self) -> str:
        return f"Cache({str(self.folder) if self.folder else None!r})"

    # -- storage ----------------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=120, isolation_level=None)
            try:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                with _transaction(db):
                    for statement in _TABLES.split(";"):
                        if statement.strip():
                            db.execute(statement)
                    try:
                        db.execute(_WORDS)
                    except sqlite3.OperationalError:  # an SQLite built without FTS5: find reads every article
                        pass
                    row = db.execute("SELECT value FROM meta WHERE key='code'").fetchone()
                    if row is None or row[0] != code_key():
                        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
                        for table in ("meta", "corpus", "extracted", "matched", "matches", "derived", "article_rows", "words"):
                            if table in tables:
                                db.execute(f"DELETE FROM {table}")
                        db.execute("INSERT INTO meta VALUES ('code', ?)", (code_key(),))
                        db.execute("INSERT INTO meta VALUES ('generation', '0')")
            except BaseException:
                db.close()
                raise
            self._db = db
        return self._db

    def close(self) -> None:
        """Close the database (reopened on next use)."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def _rebuild(self, exc: Exception) -> None:
        """Move a damaged cache aside and start an empty one."""
        self.close()
        warnings.warn(
            f"The cache {str(self.path)!r} could not be read ({exc}); it was moved to {self.path.name}.damaged and is rebuilt. "
            "This run redoes all its work.",
            CacheWarning,
            stacklevel=4,
        )
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(str(self.path) + suffix).unlink()
        with contextlib.suppress(OSError):
            os.replace(self.path, str(self.path) + ".damaged")

    def _safely(self, operation: Callable, *args):
        """Run a read or write of the cache; a damaged cache is rebuilt and the operation tried again."""
        for attempt in (1, 2):
            try:
                return operation(self._connect(), *args)
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    warnings.warn(f"The cache {str(self.path)!r} stayed busy ({exc}); this run does not use it.", CacheWarning, stacklevel=3)
                    return None
                if attempt == 2:
                    raise
                self._rebuild(exc)
            except (sqlite3.DatabaseError, _Damaged) as exc:
                if attempt == 2:
                    raise
                self._rebuild(exc)
            except OSError as exc:  # a folder that cannot be made or written: the run goes on without the cache
                warnings.warn(f"The cache {str(self.path)!r} cannot be used ({exc.strerror or exc}); this run does not use it.", CacheWarning, stacklevel=3)
                return None
        return None

    # -- articles ---------------------------------------------------------------------------------

    def articles(self, corpus: str | Path, *, errors: str | None = None, date_order: str = "DMY") -> pd.DataFrame:
        """:func:`quotetrace.load_corpus` of a folder or file, reused while no file in it changed
        (name, size, modification time; files changed in the last two seconds are not trusted)."""
        options = {"date_order": date_order, **({"errors": errors} if errors is not None else {})}
        if self.folder is None or not isinstance(corpus, (str, Path)):
            return load_corpus(corpus, **options)
        key, settled = _corpus_key(Path(corpus), errors, date_order)
        cached = self._safely(_read_corpus, key) if self.path.exists() else None  # nothing is made before a load succeeds
        if cached is not None:
            return cached
        articles = load_corpus(corpus, **options)
        if settled and len(articles):
            self._safely(_write_corpus, key, articles)
        return articles

    def articles_with(self, corpus: str | Path, words: list[str], need: int) -> pd.DataFrame | None:
        """The cached articles of ``corpus`` whose text holds at least ``need`` of ``words`` (whole
        words, case folded), read without the others; None when the corpus is not cached as it now is.
        ``attrs["published"]`` lists every article's date (for counts)."""
        if self.folder is None or not isinstance(corpus, (str, Path)) or not self.path.exists():
            return None
        key, _ = _corpus_key(Path(corpus), None, "DMY")
        ids = self._safely(_with_words, key, words, need)
        return None if ids is None else self._safely(_read_corpus, key, ids)

    # -- extraction -------------------------------------------------------------------------------

    def quotes(self, articles: pd.DataFrame, *, scheduler: str | None = None) -> pd.DataFrame:
        """:func:`quotetrace.extract_quotes`, each article's quotes reused while its text (and where its body
        starts) is the same."""
        heads = articles["headline_end"] if "headline_end" in articles else [0] * len(articles)
        starts = articles["body_start"] if "body_start" in articles else [0] * len(articles)
        keys = [_text_key(t, h, b) for t, h, b in zip(articles["text"], heads, starts)]
        return self._extracted("quotes", "finding quotes", articles, keys, lambda part: extract_quotes(part, scheduler=scheduler))

    def claims(self, articles: pd.DataFrame, *, date_order: str = "DMY") -> pd.DataFrame:
        """:func:`quotetrace.extract_claims`, each article's claims reused while its text and date are the same."""
        published = articles["published"] if "published" in articles else [None] * len(articles)
        precision = articles["published_precision"] if "published_precision" in articles else [None] * len(articles)
        keys = [_text_key(t, p, pr, date_order) for t, p, pr in zip(articles["text"], published, precision)]
        return self._extracted("claims", "finding claims", articles, keys, lambda part: extract_claims(part, date_order=date_order))

    def _extracted(self, stage: str, label: str, articles: pd.DataFrame, keys: list[str], extract) -> pd.DataFrame:
        try:
            return self._extract(stage, label, articles, keys, extract)
        except _Damaged as exc:  # cached rows that read but do not decode
            self._rebuild(exc)
            return self._extract(stage, label, articles, keys, extract)

    def _extract(self, stage: str, label: str, articles: pd.DataFrame, keys: list[str], extract) -> pd.DataFrame:
        template = extract(articles.iloc[:0])
        cached = {} if self.folder is None else (self._safely(_read_extracted, stage, set(keys), len(template.columns)) or {})
        todo = [i for i, k in enumerate(keys) if k not in cached]
        per_article: dict[str, list[list]] = {}
        with self.progress.stage(label, len(todo)) as bar:
            for k in range(0, len(todo), _CHUNK):
                part = articles.iloc[todo[k : k + _CHUNK]]
                table = extract(part)
                rows = _cells(table)
                by_id: dict[str, list[list]] = {aid: [] for aid in part["article_id"]}
                for aid, row in zip(table["article_id"], rows):
                    by_id[aid].append(row)
                for i, aid in zip(todo[k : k + _CHUNK], part["article_id"]):
                    per_article[keys[i]] = by_id[aid]
                bar.update(len(part))
        if self.folder is not None:
            self._safely(_write_extracted, stage, {k: per_article[k] for k in per_article}, set(keys))
        rows = []
        for key, aid in zip(keys, articles["article_id"]):
            got = per_article[key] if key in per_article else cached[key]
            rows.extend(_with_article(got, template, aid))
        return _frame(rows, template).reset_index(drop=True)

    # -- matching ---------------------------------------------------------------------------------

    def matches(
        self, quotes: pd.DataFrame, articles: pd.DataFrame, *, settings: MatchSettings | None = None, scheduler: str | None = None
    ) -> pd.DataFrame:
        """:func:`match_found`: every quote in every other article, the pairs found only.

        A re-run matches the new articles against all quotes and the new quotes
        against the other articles; the pairs matched before are reused.
        """
        s = (settings or MatchSettings()).validate()
        template = match_found(quotes.iloc[:0], articles.iloc[:0], settings=s)
        settings_key = json.dumps(asdict(s), sort_keys=True)
        state = None if self.folder is None else self._safely(_read_matches, settings_key, template)
        generation, done_q, done_a, cached = state if state is not None else (None, set(), set(), template)
        quote_ids, article_ids = set(quotes["quote_id"]), set(articles["article_id"])
        new_articles = articles[~articles["article_id"].isin(done_a)]
        old_articles = articles[articles["article_id"].isin(done_a)]
        new_quotes = quotes[~quotes["quote_id"].isin(done_q)]
        work = [(quotes, new_articles)]
        if len(new_quotes) and len(old_articles):
            work.append((new_quotes, old_articles))
        parts = []
        with self.progress.stage("matching", sum(len(a) for q, a in work if len(q))) as bar:
            for q, a in work:
                if not len(q):
                    continue
                for k in range(0, len(a), _MATCH_CHUNK):
                    chunk = a.iloc[k : k + _MATCH_CHUNK]
                    parts.append(match_found(q, chunk, settings=s, scheduler=scheduler))
                    bar.update(len(chunk))
        keep = cached["quote_id"].isin(quote_ids) & cached["article_id"].isin(article_ids)
        fresh = pd.concat(parts, ignore_index=True) if parts else template.iloc[:0]
        if self.folder is not None and generation is not None:
            stale = list(zip(cached.loc[~keep, "quote_id"], cached.loc[~keep, "article_id"]))
            self._safely(_write_matches, generation, settings_key, fresh, stale, quote_ids, article_ids, done_q, done_a)
        table = pd.concat([cached[keep], fresh], ignore_index=True) if len(fresh) else cached[keep]
        return _ordered(_frame(_cells(table), template), quotes, articles)


    # -- whole-corpus stages ----------------------------------------------------------------------

    def clusters(self, quotes: pd.DataFrame, matches: pd.DataFrame, articles: pd.DataFrame, *, settings: MatchSettings | None = None) -> pd.DataFrame:
        """:func:`quotetrace.cluster_quotes`, reused while its three input tables are the same
        (``settings`` gives it the language's common words, where it takes them)."""
        taken = inspect.signature(cluster_quotes).parameters
        options = {k: getattr(settings or MatchSettings(), k) for k in ("language", "common_zipf") if k in taken}
        compute = lambda q, m, a: cluster_quotes(q, m, a, **options)  # noqa: E731
        return self._derived(f"clusters {json.dumps(options)}", compute, (quotes, matches, _bare(articles)), (quotes, matches, _meta(articles)))

    def agreement(self, claims: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
        """:func:`quotetrace.compare_claims`, reused while the claims and the articles are the same."""
        return self._derived("agreement", compare_claims, (claims, _bare(articles)), (claims[CLAIM_COLUMNS], _meta(articles)))

    def _derived(self, stage: str, compute, inputs: tuple, key_inputs: tuple) -> pd.DataFrame:
        if self.folder is None:
            return compute(*inputs)
        key = _text_key(stage, *(_dump(list(t.columns)) + _dump(_cells(t)) for t in key_inputs))
        stage = stage.split()[0]  # one cached table per stage
        try:
            value = self._safely(_read_derived, stage, key)
            if value is not None:
                return _table_from(value)
        except _Damaged as exc:
            self._rebuild(exc)
        table = compute(*inputs)
        self._safely(_write_derived, stage, key, _table_value(table))
        return table


def _bare(articles: pd.DataFrame) -> pd.DataFrame:
    """The articles table without its ``attrs`` (the loader's problems table), which pandas copies on
    every row lookup: half the time of clustering a 100-article corpus."""
    bare = articles.copy(deep=False)
    bare.attrs = {}
    return bare


def _meta(articles: pd.DataFrame) -> pd.DataFrame:
    """What a whole-corpus stage's cache key takes of the articles: all but the text, which
    ``article_id`` (a hash of it) stands for."""
    return _bare(articles.drop(columns=[c for c in ("text",) if c in articles.columns]))


def open_cache(cache: "Cache | str | Path | None", *, progress=None) -> Cache:
    """A :class:`Cache` from a folder path (``None``/``""``: no cache), or ``cache`` itself."""
    return cache if isinstance(cache, Cache) else Cache(cache or None, progress=progress)


def _ordered(table: pd.DataFrame, quotes: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Sorted by quote then article, in the order given (as :func:`match_quotes` sorts)."""
    q_order = table["quote_id"].map(pd.Series(range(len(quotes)), index=quotes["quote_id"].to_numpy())).to_numpy()
    a_order = table["article_id"].map(pd.Series(range(len(articles)), index=articles["article_id"].to_numpy())).to_numpy()
    return table.iloc[np.lexsort((a_order, q_order))].reset_index(drop=True)


def _with_article(rows: list[list], template: pd.DataFrame, article_id: str) -> list[list]:
    """Cached rows of an article, with its id (the same text may have been cached under another id)."""
    if "article_id" not in template.columns:
        return rows
    col = list(template.columns).index("article_id")
    return [r if r[col] == article_id else [*r[:col], article_id, *r[col + 1 :]] for r in rows]


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection, mode: str = "IMMEDIATE") -> Iterator[None]:
    db.execute(f"BEGIN {mode}")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _corpus_key(path: Path, errors: str | None, date_order: str) -> tuple[str, bool]:
    """What the loaded articles depend on: every file's name, size and modification time (subfolders
    too); and whether that can be trusted: not when a file changed in the last two seconds, since a
    second change within the file system's clock tick would leave its time as it was (as git does)."""
    path = path.resolve()
    listing = []
    if path.is_dir():
        folders = [(str(path), "")]
        while folders:  # os.scandir: one stat per file, no Path objects (10,000 files: 1.4 s -> 0.2 s)
            folder, prefix = folders.pop()
            with os.scandir(folder) as entries:
                for e in entries:
                    if e.is_dir(follow_symlinks=False):
                        folders.append((e.path, prefix + e.name + "/"))
                        continue
                    with contextlib.suppress(OSError):
                        st = e.stat()
                        listing.append((prefix + e.name, st.st_size, st.st_mtime_ns, st.st_ino))
        listing.sort()
    else:
        st = path.stat()
        listing.append((path.name, st.st_size, st.st_mtime_ns, st.st_ino))
    newest = max((m for _, _, m, _ in listing), default=0)
    settled = newest < time.time_ns() - 2_000_000_000
    errors = errors or os.environ.get("QUOTETRACE_ON_ERROR", "") or "raise"
    return _text_key(path, errors, date_order, MANIFEST_NAME, json.dumps(listing)), settled


def _read_corpus(db: sqlite3.Connection, key: str, ids: set[str] | None = None) -> pd.DataFrame | None:
    """The cached articles table (only the articles ``ids`` when given), or None if ``key`` is not cached."""
    with _transaction(db, "DEFERRED"):
        row = db.execute("SELECT value FROM corpus WHERE key=?", (key,)).fetchone()
        if row is None:
            return None
        value = _loads(row[0])
        if not isinstance(value, dict) or not isinstance(value.get("problems"), dict) or not isinstance(value.get("ids"), list):
            raise _Damaged("the cached articles are not a table")
        if ids is None:
            stored = dict(db.execute("SELECT article_id, row FROM article_rows"))
        else:
            stored = {}
            wanted = sorted(ids)
            for k in range(0, len(wanted), 500):
                part = wanted[k : k + 500]
                stored.update(db.execute(f"SELECT article_id, row FROM article_rows WHERE article_id IN ({','.join('?' * len(part))})", part))
    order = [i for i in value["ids"] if ids is None or i in ids]
    if any(i not in stored for i in order):
        raise _Damaged("an article of the cached table is missing")
    articles = _table_from({**value, "rows": [_loads(stored[i]) for i in order]})
    articles.attrs["problems"] = _table_from(value["problems"])
    articles.attrs["root"] = value.get("root")
    if ids is not None:
        articles.attrs["published"] = value.get("published")
    return articles


def _with_words(db: sqlite3.Connection, key: str, words: list[str], need: int) -> set[str] | None:
    """The ids of the cached articles (under ``key``) whose text holds at least ``need`` of ``words``
    (whole words, case and accents folded: a superset of what a substring test finds is not promised,
    so callers test again), or None when ``key`` is not the cached corpus."""
    if db.execute("SELECT 1 FROM corpus WHERE key=?", (key,)).fetchone() is None:
        return None
    if db.execute("SELECT 1 FROM sqlite_master WHERE name='words'").fetchone() is None:
        return None
    counts: dict[str, int] = {}
    for w in words:
        phrase = '"' + w.replace('"', '""') + '"'
        for (aid,) in db.execute("SELECT article_id FROM words WHERE words MATCH ?", (phrase,)):
            counts[aid] = counts.get(aid, 0) + 1
    return {aid for aid, n in counts.items() if n >= need}


def _dtype_spec(dtype):
    if isinstance(dtype, pd.CategoricalDtype):
        return {"categories": list(dtype.categories), "ordered": bool(dtype.ordered)}
    return str(dtype)


def _typed_template(columns: list[str], dtypes: list) -> pd.DataFrame:
    def make(spec):
        if isinstance(spec, dict):
            return pd.CategoricalDtype(spec["categories"], ordered=spec["ordered"])
        return object if spec == "object" else spec

    return pd.DataFrame({c: pd.Series([], dtype=make(d)) for c, d in zip(columns, dtypes)})


def _table_value(table: pd.DataFrame) -> dict:
    return {"columns": list(table.columns), "dtypes": [_dtype_spec(d) for d in table.dtypes], "rows": _cells(table)}


def _table_from(value) -> pd.DataFrame:
    try:
        return _frame(value["rows"], _typed_template(value["columns"], value["dtypes"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise _Damaged(f"a cached table does not decode: {exc}") from None


def _write_corpus(db: sqlite3.Connection, key: str, articles: pd.DataFrame) -> None:
    problems = articles.attrs.get("problems")
    value = _table_value(articles)
    rows = value.pop("rows")
    ids = [str(i) for i in articles["article_id"]]
    value.update(
        ids=ids,
        root=articles.attrs.get("root"),
        problems=_table_value(problems if problems is not None else pd.DataFrame()),
        published=[None if pd.isna(p) else pd.Timestamp(p).isoformat() for p in articles["published"]] if "published" in articles else None,
    )
    texts = dict(zip(ids, articles["text"]))
    with _transaction(db):
        db.execute("DELETE FROM corpus")  # one corpus per cache: keep only its latest state
        db.execute("INSERT INTO corpus VALUES (?, ?)", (key, _dump(value)))
        db.execute("DELETE FROM article_rows")
        db.executemany("INSERT INTO article_rows VALUES (?, ?)", [(i, _dump(r)) for i, r in zip(ids, rows)])
        if db.execute("SELECT 1 FROM sqlite_master WHERE name='words'").fetchone() is None:
            return
        indexed = dict((aid, rowid) for rowid, aid in db.execute("SELECT rowid, article_id FROM words"))
        db.executemany("DELETE FROM words WHERE rowid=?", [(r,) for aid, r in indexed.items() if aid not in texts])
        db.executemany("INSERT INTO words VALUES (?, ?)", [(aid, t) for aid, t in texts.items() if aid not in indexed and isinstance(t, str)])


def _read_extracted(db: sqlite3.Connection, stage: str, keys: set[str], width: int) -> dict[str, list]:
    out = {}
    for key, rows in db.execute("SELECT key, rows FROM extracted WHERE stage=?", (stage,)):
        if key in keys:
            got = _loads(rows)
            if not isinstance(got, list) or any(not isinstance(r, list) or len(r) != width for r in got):
                raise _Damaged(f"cached {stage} rows have the wrong shape")
            out[key] = got
    return out


def _write_extracted(db: sqlite3.Connection, stage: str, new: dict[str, list], current: set[str]) -> None:
    with _transaction(db):
        db.executemany("INSERT OR REPLACE INTO extracted VALUES (?, ?, ?)", [(stage, k, _dump(v)) for k, v in new.items()])
        stale = [k for (k,) in db.execute("SELECT key FROM extracted WHERE stage=?", (stage,)) if k not in current]
        db.executemany("DELETE FROM extracted WHERE stage=? AND key=?", [(stage, k) for k in stale])


def _read_matches(db: sqlite3.Connection, settings_key: str, template: pd.DataFrame):
    with _transaction(db, "DEFERRED"):  # one consistent snapshot
        meta = dict(db.execute("SELECT key, value FROM meta"))
        generation = int(meta.get("generation", "0"))
        if meta.get("match_settings") != settings_key:
            return generation, set(), set(), template.iloc[:0]
        done = {"quote": set(), "article": set()}
        for kind, id_ in db.execute("SELECT kind, id FROM matched"):
            done[kind].add(id_)
        rows = [_loads(r) for (r,) in db.execute("SELECT row FROM matches")]
    return generation, done["quote"], done["article"], _frame(rows, template)


def _read_derived(db: sqlite3.Connection, stage: str, key: str):
    row = db.execute("SELECT key, rows FROM derived WHERE stage=?", (stage,)).fetchone()
    if row is None or row[0] != key:
        return None
    value = _loads(row[1])
    if not isinstance(value, dict):
        raise _Damaged(f"the cached {stage} table is not a table")
    return value


def _write_derived(db: sqlite3.Connection, stage: str, key: str, value: dict) -> None:
    with _transaction(db):
        db.execute("INSERT OR REPLACE INTO derived VALUES (?, ?, ?)", (stage, key, _dump(value)))


def _write_matches(db, generation, settings_key, fresh, stale, quote_ids, article_ids, done_q, done_a) -> None:
    with _transaction(db):
        meta = dict(db.execute("SELECT key, value FROM meta"))
        if int(meta.get("generation", "0")) != generation:
            return  # another run updated the cache since we read it: leave its state
        if meta.get("match_settings") != settings_key:
            db.execute("DELETE FROM matches")
            db.execute("DELETE FROM matched")
            done_q, done_a = set(), set()
            db.execute("INSERT OR REPLACE INTO meta VALUES ('match_settings', ?)", (settings_key,))
        db.executemany("DELETE FROM matches WHERE quote_id=? AND article_id=?", stale)
        db.executemany(
            "INSERT OR REPLACE INTO matches VALUES (?, ?, ?)",
            [(q, a, _dump(r)) for q, a, r in zip(fresh["quote_id"], fresh["article_id"], _cells(fresh))],
        )
        for kind, now, before in (("quote", quote_ids, done_q), ("article", article_ids, done_a)):
            db.executemany("DELETE FROM matched WHERE kind=? AND id=?", [(kind, i) for i in before - now])
            db.executemany("INSERT OR REPLACE INTO matched VALUES (?, ?)", [(kind, i) for i in now - before])
        db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (str(generation + 1),))
