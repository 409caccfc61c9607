"""Load news articles from files into the articles table.

The articles table (:data:`ARTICLE_COLUMNS`) has one row per article:

============== ==================================================================
column         meaning
============== ==================================================================
article_id     stable id: ``"a"`` + the first 12 hex digits of the SHA-256 of
               the article's ``text`` (so the same text always gets the same id)
outlet         the publication, or ``None`` when unknown
country        the outlet's country (manifest column ``country``: ``US``,
               ``Australia``, ``AU``, ...), or ``None``; it says which dollar
               ``$`` is in :func:`quotetrace.claims.find_claims`
published      publication date (``datetime64``), ``NaT`` when unknown
published_precision  ``"day"``, ``"month"`` or ``"year"``: how exact ``published`` is
title          headline, or ``None`` (as the page or manifest gives it)
author         by-line, or ``None``
url            address of the original, or ``None``
path           the file, relative to the corpus folder (``file.jsonl#3`` for the
               fourth record of a JSONL file)
format         ``txt``, ``md``, ``html``, ``json``, ``jsonl`` or ``csv``
encoding       the encoding the bytes were decoded from
text           the article text (see *Text normalisation* below)
sha256         SHA-256 of the file's raw bytes (of the record, for JSON/CSV)
headline_end   offset in ``text`` where the headline ends when ``text`` opens
               with it (its first paragraph), else 0
body_start     offset in ``text`` where the article body starts: the text
               before it is the *lead* (headline, standfirst, story
               highlights); 0 when nothing precedes the body
============== ==================================================================

``text[:headline_end]`` is the headline, ``text[headline_end:body_start]``
(stripped) the standfirst and highlights, ``text[body_start:]`` the body.

What a reader sees above the body
---------------------------------
A web page's text opens the way the reader sees it: the headline (the
page's ``<h1>`` when it agrees with the page's title, else the title) as the
first paragraph, then the standfirst (the element whose text is the page's
own meta description, when it is shown on the page), then the story
highlights (a list labelled "Highlights", "Key points", "Takeaways", … by the
heading just before it or by a class/id name with those words, the markup
conventions common across outlets), then the body trafilatura extracts; a
copy of the headline in the body's first paragraphs moves to the top, and the
paragraphs trafilatura put above it join the lead. Other formats keep their
text as written: when its first paragraph is the ``title`` it is the headline
(``headline_end``), and ``body_start`` is where the next paragraph starts.

Text normalisation
------------------
Only what is needed to make text comparable and nothing that a quote check
depends on: bytes are decoded (UTF-8, else the encoding charset-normalizer
detects, e.g. cp1252), mojibake such as ``â€œ`` is repaired with ftfy, line
endings become ``\\n``, Unicode is put in NFC form, and NUL and other control
characters (except tab and newline) are removed. Curly quotes, apostrophes,
dashes, ellipses and paragraph breaks are kept exactly. HTML is reduced to the
main text with trafilatura (navigation, comments and other boilerplate
removed) and its paragraphs are separated by blank lines.

Errors
------
Every bad input raises a specific :class:`~quotetrace.errors.CorpusError`
naming the file (and row) and what to do; every input is tried first, so when
several are bad one error names them all (its ``errors`` attribute lists
them). With ``errors="skip"`` the loader loads the rest and lists what it
skipped or repaired in ``articles.attrs["problems"]`` (columns
:data:`PROBLEM_COLUMNS`). Input files are only ever read; pipes, devices, link
loops and links leaving the corpus folder are reported, never opened. One
article may hold at most :data:`MAX_ARTICLE_BYTES` (``max_bytes``).
"""

from __future__ import annotations

import copy
import csv
import errno
import hashlib
import io
import json
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterable, Iterator, Literal

import pandas as pd

from .text import paragraphs
from .errors import (
    BadDateError,
    BadRecordError,
    BinaryFileError,
    CorpusError,
    CorpusNotFoundError,
    DuplicateArticleError,
    EmptyArticleError,
    EncodingError,
    ManifestError,
    MissingArticleFileError,
    ParameterError,
    UnlistedArticleFileError,
    UnreadableFileError,
    UnsafePathError,
    UnsupportedFormatError,
    ArticleTooLargeError,
)

__all__ = ["load_corpus", "iter_corpus", "manifest_files", "ARTICLE_COLUMNS", "PROBLEM_COLUMNS", "MANIFEST_NAME", "TEXT_FORMATS", "MAX_ARTICLE_BYTES"]

ARTICLE_COLUMNS = [
    "article_id",
    "outlet",
    "country",
    "published",
    "published_precision",
    "title",
    "author",
    "url",
    "path",
    "format",
    "encoding",
    "text",
    "sha256",
    "headline_end",
    "body_start",
]
_OFFSET_COLUMNS = ("headline_end", "body_start")  # int64; every other column but ``published`` is str
PROBLEM_COLUMNS = ["path", "row", "problem", "action", "message"]
MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ["file", "outlet", "country", "published", "url", "title", "author", "role", "speaker", "account", "kind"]
# role "original": the file is someone's own words (a tweet archive, transcript, statement), read by
# quotetrace.originals.load_originals and left out of the articles; "report" (default): an article
ROLES = ("report", "original")
# a corpus's own originals live in this subfolder (quotetrace.originals reads them); it holds no articles
ORIGINALS_FOLDER = "originals"
TEXT_FORMATS = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html", ".json": "json", ".jsonl": "jsonl", ".csv": "csv"}
# Field names accepted for each metadata column in JSON/JSONL/CSV records, first match wins.
_FIELD_ALIASES = {
    "text": ("text", "body", "content", "article", "maintext"),
    "outlet": ("outlet", "source", "sitename", "publication", "publisher"),
    "published": ("published", "date", "published_at", "publish_date", "date_publish", "pubdate"),
    "title": ("title", "headline"),
    "url": ("url", "link", "source_url"),
    "author": ("author", "authors", "byline"),
}
_IGNORED_FILES = {MANIFEST_NAME, "readme.md", "readme.txt", "readme", "license", "license.txt"}
_BINARY_MAGIC = (
    b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b", b"BZh",
    b"\x7fELF", b"MZ", b"\xd0\xcf\x11\xe0", b"RIFF", b"OggS", b"ID3", b"SQLite format 3",
)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
MAX_ARTICLE_BYTES = 100_000_000  # per article (a file, or one record of a JSON/JSONL/CSV file)
ON_ERROR_ENV = "QUOTETRACE_ON_ERROR"  # default for ``errors`` (``quotetrace run --on-error`` sets it for its notebooks)
_MAX_LISTED = 20  # bad inputs named one by one in a combined error message
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MOJIBAKE_HINT_RE = re.compile("[\u00c2\u00c3\u00e2][\u0080-\u00bf\u20ac\u201a-\u201e\u2018-\u201d\u2020-\u2022\u2026\u2030\u2039\u203a\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u02c6\u02dc\u2122]")


class ProblemTable(pd.DataFrame):
    """The table of skipped and repaired inputs (columns :data:`PROBLEM_COLUMNS`).

    It compares equal as a whole table, so articles tables carrying it in
    ``.attrs`` can still be combined with ``pd.concat`` (pandas compares attrs
    when it concatenates). Operations on it return ordinary DataFrames.
    """

    @property
    def _constructor(self):
        return pd.DataFrame

    def __eq__(self, other):  # type: ignore[override]
        return isinstance(other, pd.DataFrame) and self.equals(other)

    def __ne__(self, other):  # type: ignore[override]
        return not self.__eq__(other)

    __hash__ = None  # type: ignore[assignment]


@dataclass
class _Problems:
    errors: str
    rows: list[dict] = field(default_factory=list)
    failures: list[CorpusError] = field(default_factory=list)

    def fail(self, exc: CorpusError) -> None:
        """Record ``exc``: with errors="raise" it is raised by :meth:`check` once every input was tried
        (so the message names all bad files); with errors="skip" it is listed as skipped."""
        if self.errors == "raise":
            self.failures.append(exc)
            return
        self.rows.append(
            {"path": exc.path, "row": exc.row, "problem": type(exc).__name__, "action": "skipped", "message": exc.message}
        )

    def note(self, path: str, row: int | None, problem: str, message: str) -> None:
        """Record a repair made while loading (never raises)."""
        self.rows.append({"path": path, "row": row, "problem": problem, "action": "repaired", "message": message})

    def check(self) -> None:
        """Raise the bad inputs collected with errors="raise": the error itself when there is one,
        else one error (of their common class, or CorpusError) naming every bad file."""
        if not self.failures:
            return
        failures, self.failures = self.failures, []
        if len(failures) == 1:
            raise failures[0]
        kinds = {type(f) for f in failures}
        kind = kinds.pop() if len(kinds) == 1 else CorpusError
        listed = "\n".join(f"  - {f.message}" for f in failures[:_MAX_LISTED])
        more = f"\n  … and {len(failures) - _MAX_LISTED} more." if len(failures) > _MAX_LISTED else ""
        error = kind(
            f"{len(failures)} inputs cannot be loaded:\n{listed}{more}\n"
            "Fix them, or load the rest and list these as skipped with errors='skip' (quotetrace run --on-error skip).",
            path=failures[0].path,
            row=failures[0].row,
        )
        error.errors = failures
        raise error

    def frame(self) -> pd.DataFrame:
        return ProblemTable(self.rows, columns=PROBLEM_COLUMNS)


@dataclass
class _Source:
    """One file to read, with the metadata the manifest gives it."""

    path: Path
    label: str
    meta: dict = field(default_factory=dict)
    manifest_row: int | None = None
    listed: str = ""  # the name as the manifest gives it, normalised (``./a.txt`` → ``a.txt``)


def load_corpus(
    path: str | Path | Iterable[str | Path],
    *,
    errors: Literal["raise", "skip"] | None = None,
    date_order: str = "DMY",
    max_bytes: int = MAX_ARTICLE_BYTES,
) -> pd.DataFrame:
    """Load articles from a folder, one file, or a list of files.

    Parameters
    ----------
    path : str, Path or list of them
        A corpus folder (optionally with a ``manifest.csv`` whose columns are
        ``file, outlet, published, url, title[, author]``), a single article
        file, or a list of files. Readable formats: ``.txt``, ``.md``,
        ``.html``/``.htm``, ``.json`` (one record or a list), ``.jsonl`` and
        ``.csv`` (one record per row, with a ``text`` column). Files in
        subfolders are read too (their ``path`` is ``subfolder/file.txt``);
        hidden files and folders (``.name``) are not. Links are followed only
        to files inside the corpus folder.
    errors : {"raise", "skip"}, optional
        ``"raise"`` tries every input, then raises a specific error naming
        every bad one; ``"skip"`` loads the rest and lists what was skipped,
        and why, in ``articles.attrs["problems"]``. Default: the
        ``QUOTETRACE_ON_ERROR`` environment variable (``quotetrace run
        --on-error`` sets it for its notebooks), else ``"raise"``.
    date_order : str
        How to read ambiguous numeric dates such as ``07.01.15``: ``"DMY"``
        (default, British) or ``"MDY"``.
    max_bytes : int
        The largest article read, in bytes (a file, or one record's text);
        a larger one is an :class:`~quotetrace.errors.ArticleTooLargeError`.

    Returns
    -------
    pandas.DataFrame
        The articles table, columns :data:`ARTICLE_COLUMNS`, sorted by ``path``.
        ``attrs["problems"]`` lists skipped inputs and repairs;
        ``attrs["root"]`` is the corpus folder.

    Raises
    ------
    CorpusNotFoundError
        The path does not exist (raised whatever ``errors`` says).
    CorpusError
        A subclass naming the file and row, for any bad input, when
        ``errors="raise"``.

    Examples
    --------
    >>> from quotetrace import load_corpus, bundled_corpus
    >>> articles = load_corpus(bundled_corpus("tweetgate"))
    >>> len(articles)
    3
    """
    problems = _Problems(_check_options(errors, date_order, max_bytes))
    root, sources = _collect_sources(path, problems)
    rows = list(_rows(sources, problems, date_order, {}, max_bytes))
    problems.check()
    return _frame(rows, problems, root)


def iter_corpus(
    path: str | Path | Iterable[str | Path],
    *,
    batch_size: int = 1000,
    errors: Literal["raise", "skip"] | None = None,
    date_order: str = "DMY",
    max_bytes: int = MAX_ARTICLE_BYTES,
) -> Iterator[pd.DataFrame]:
    """Load a corpus in batches of ``batch_size`` articles, for corpora too large to hold at once.

    Each batch is an articles table exactly as :func:`load_corpus` returns
    (``attrs["problems"]`` holds that batch's problems). Files are read in
    path order; a duplicate of an article in an earlier batch is still caught.
    Only one batch of text is in memory at a time.
    """
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ParameterError(f"batch_size must be a whole number of at least 1, not {batch_size!r}.", parameter="batch_size")
    errors = _check_options(errors, date_order, max_bytes)
    scan = _Problems(errors)
    root, sources = _collect_sources(path, scan)
    scan.check()
    sources = sorted(sources, key=lambda s: s.label)
    seen: dict[str, str] = {}
    pending_problems = scan
    if not sources:
        yield _frame([], scan, root)
    for k in range(0, len(sources), batch_size):
        problems = pending_problems if k == 0 else _Problems(errors)
        rows = list(_rows(sources[k : k + batch_size], problems, date_order, seen, max_bytes))
        problems.check()
        yield _frame(rows, problems, root)


def _check_options(errors: str | None, date_order: str, max_bytes: int = MAX_ARTICLE_BYTES) -> str:
    if errors is None:
        errors = os.environ.get(ON_ERROR_ENV, "").strip().lower() or "raise"
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        raise ParameterError(f"max_bytes must be a whole number of bytes, at least 1, not {max_bytes!r}.", parameter="max_bytes")
    if errors not in ("raise", "skip"):
        raise ParameterError(f'errors must be "raise" or "skip", not {errors!r}.', parameter="errors")
    if date_order not in ("DMY", "MDY", "YMD"):
        raise ParameterError(f'date_order must be "DMY", "MDY" or "YMD", not {date_order!r}.', parameter="date_order")
    return errors


def _rows(sources: list[_Source], problems: _Problems, date_order: str, seen: dict[str, str], max_bytes: int) -> Iterator[dict]:
    """One row per article in ``sources``; bad inputs go to ``problems``; ``seen`` catches duplicates."""
    for source in sources:
        try:
            records = _read_source(source, problems, max_bytes)
        except CorpusError as exc:
            problems.fail(exc)
            continue
        for record in records:
            try:
                row = _build_row(record, source, date_order)
            except CorpusError as exc:
                problems.fail(exc)
                continue
            if row["article_id"] in seen:
                problems.fail(
                    DuplicateArticleError(
                        f"{row['path']} has exactly the same text as {seen[row['article_id']]}. "
                        "Remove one of the two copies (or use errors='skip' to load the first only).",
                        path=row["path"],
                    )
                )
                continue
            seen[row["article_id"]] = row["path"]
            yield row


def _frame(rows: list[dict], problems: _Problems, root: Path | None) -> pd.DataFrame:
    articles = pd.DataFrame(rows, columns=ARTICLE_COLUMNS)
    for column in ARTICLE_COLUMNS:
        if column in _OFFSET_COLUMNS:
            articles[column] = articles[column].astype("int64")
        elif column != "published":
            articles[column] = articles[column].astype("str")
    articles["published"] = pd.to_datetime(articles["published"]).astype("datetime64[ns]")
    articles = articles.sort_values("path", kind="stable").reset_index(drop=True)
    articles.attrs["problems"] = problems.frame()
    articles.attrs["root"] = str(root) if root is not None else None
    return articles


# --- finding the files -----------------------------------------------------------------


def _collect_sources(path, problems: _Problems) -> tuple[Path | None, list[_Source]]:
    if isinstance(path, (str, Path)):
        p = Path(path)
        if not p.exists():
            raise CorpusNotFoundError(
                f"The corpus {str(p)!r} does not exist. Check the path, or point at a folder of article files.",
                path=p,
            )
        if p.is_dir():
            return p, _folder_sources(p, problems)
        return p.parent, [_Source(p, _display(p.name))]
    paths = [Path(x) for x in path]
    if not paths:
        raise ParameterError("No article files were given. Pass a folder, a file, or a non-empty list of files.", parameter="path")
    sources = []
    for p in paths:
        if not p.exists():
            problems.fail(CorpusNotFoundError(f"The article file {str(p)!r} does not exist. Check the path.", path=p))
            continue
        if p.is_dir():
            problems.fail(CorpusError(f"{str(p)!r} is a folder, not an article file. Pass folders on their own.", path=p))
            continue
        sources.append(_Source(p, _display(str(p))))
    return None, sources


def _display(name: str) -> str:
    """A file name as printable, UTF-8-safe text (bytes that are not UTF-8 shown as ``\\xe9``)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _folder_files(folder: Path, problems: _Problems) -> list[tuple[Path, str]]:
    """Every candidate article file under ``folder``, subfolders included, as (path, label).

    Hidden files and folders are left out; links to folders are not followed
    (that could loop) and are reported; links, loops and special files
    (pipes, devices) are reported rather than silently ignored.
    """
    found: list[tuple[Path, str]] = []

    def unreadable(err: OSError) -> None:
        where = _display(os.path.relpath(err.filename, folder)) if err.filename else str(folder)
        problems.fail(UnreadableFileError(f"The folder {where} cannot be read ({err.strerror}); its files were not loaded.", path=where))

    for dirpath, dirnames, filenames in os.walk(folder, onerror=unreadable):
        here = Path(dirpath)
        for d in sorted(dirnames):
            if d.startswith(".") or d == "__pycache__" or (here == folder and d == ORIGINALS_FOLDER):
                dirnames.remove(d)
            elif (here / d).is_symlink():
                dirnames.remove(d)
                label = _display((here / d).relative_to(folder).as_posix())
                problems.fail(
                    UnsafePathError(
                        f"{label} is a link to a folder; links to folders are not followed. Copy the articles into the corpus folder.",
                        path=label,
                    )
                )
        dirnames.sort()
        for name in sorted(filenames):
            if name.startswith(".") or name.lower() in _IGNORED_FILES:
                continue
            f = here / name
            found.append((f, _display(f.relative_to(folder).as_posix())))
    return sorted(found, key=lambda item: item[1])


def _contained(root: Path, f: Path, label: str) -> CorpusError | None:
    """Why ``f`` cannot be read as an article of the corpus ``root`` (resolved), or None when it can."""
    try:
        target = f.resolve(strict=True)
        mode = target.stat().st_mode
    except (RuntimeError, OSError) as exc:
        if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP:
            return UnreadableFileError(f"{label} is a link that loops back on itself; it was not read. Delete the link.", path=label)
        if f.is_symlink():
            return UnreadableFileError(f"{label} is a link to a file that does not exist; it was not read. Delete the link.", path=label)
        return UnreadableFileError(f"{label} cannot be read ({getattr(exc, 'strerror', None) or exc}).", path=label)
    if target != root and root not in target.parents:
        return UnsafePathError(
            f"{label} is a link to a file outside the corpus folder; it was not read. "
            "Copy the article into the corpus folder instead of linking to it.",
            path=label,
        )
    if not stat.S_ISREG(mode):
        return UnreadableFileError(
            f"{label} is not an ordinary file (a pipe, socket or device); it was not read. Move it out of the corpus folder.", path=label
        )
    return None


def _inside(folder: Path, files: list[tuple[Path, str]], problems: _Problems) -> list[tuple[Path, str]]:
    """Drop (and report) links to outside the corpus folder, link loops and special files."""
    root = folder.resolve()
    kept = []
    for f, label in files:
        error = _contained(root, f, label)
        if error is not None:
            problems.fail(error)
            continue
        kept.append((f, label))
    return kept


def _folder_sources(folder: Path, problems: _Problems) -> list[_Source]:
    manifest = folder / MANIFEST_NAME
    files = _inside(folder, _folder_files(folder, problems), problems)
    if not (manifest.exists() or manifest.is_symlink()):
        return [_Source(f, label) for f, label in files]
    listed = _read_manifest(manifest, folder, problems)
    listed_names = {s.label for s in listed} | {_display(s.listed) for s in listed}
    for f, label in files:
        if label not in listed_names:
            problems.fail(
                UnlistedArticleFileError(
                    f"{label} is in the corpus folder but not in {MANIFEST_NAME}. "
                    f"Add a row for it to {MANIFEST_NAME} (file, outlet, published, url, title) or move it out of the folder.",
                    path=label,
                )
            )
    return [s for s in listed if s.meta.get("role", "report") != "original"]


def manifest_files(folder: str | Path, *, errors: Literal["raise", "skip"] = "raise") -> tuple[list[dict], pd.DataFrame]:
    """The files a corpus folder's ``manifest.csv`` lists, checked as :func:`load_corpus` checks them.

    Returns ``([{"path": Path, "file": name, "row": manifest line, **non-empty cells}, ...], problems)``;
    no manifest gives an empty list. Bad rows raise, or with ``errors="skip"`` go to the problems table.
    """
    problems = _Problems(_check_options(errors, "DMY"))
    folder = Path(folder)
    manifest = folder / MANIFEST_NAME
    sources = _read_manifest(manifest, folder, problems) if manifest.is_file() else []
    return [{"path": s.path, "file": s.label, "row": s.manifest_row, **s.meta} for s in sources], problems.frame()


def _short(names: list[str]) -> str:
    """Column names for a message: a few, each cut short (never a whole line of a foreign file)."""
    shown = [repr(n[:30] + ("…" if len(n) > 30 else "")) for n in names[:5]]
    return ", ".join(shown) + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def _read_manifest(manifest: Path, folder: Path, problems: _Problems) -> list[_Source]:
    root = folder.resolve()
    error = _contained(root, manifest, MANIFEST_NAME)
    if error is not None:
        raise type(error)(error.message.replace(" it was not read.", " the corpus was not read."), path=MANIFEST_NAME)
    try:
        raw = manifest.read_bytes()
    except OSError as exc:
        raise ManifestError(f"{MANIFEST_NAME} cannot be read ({exc.strerror}).", path=MANIFEST_NAME) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ManifestError(
            f"{MANIFEST_NAME} is not UTF-8 text (byte {exc.start}). Save it as UTF-8 CSV and try again.", path=manifest
        ) from None
    reader = csv.DictReader(io.StringIO(text))
    try:
        fieldnames = reader.fieldnames
    except csv.Error as exc:
        raise ManifestError(f"{MANIFEST_NAME} is not a readable CSV file ({exc}).", path=manifest) from None
    if fieldnames is None or "file" not in [c.strip() for c in fieldnames]:
        raise ManifestError(
            f"{MANIFEST_NAME} needs a header row with a 'file' column (and optionally {', '.join(MANIFEST_COLUMNS[1:])}).",
            path=manifest,
        )
    unknown = [c for c in fieldnames if c and c.strip() not in MANIFEST_COLUMNS]
    if unknown:
        raise ManifestError(
            f"{MANIFEST_NAME} has unknown column(s) {_short(unknown)}; the columns are {', '.join(MANIFEST_COLUMNS)}.",
            path=manifest,
        )
    sources: list[_Source] = []
    seen: set[str] = set()
    line_no = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ManifestError(f"{MANIFEST_NAME} line {reader.line_num} cannot be read as CSV ({exc}). Fix that line.", path=manifest, row=reader.line_num) from None
        line_no += 1
        if None in record:
            problems.fail(ManifestError(f"{MANIFEST_NAME} row {line_no} has more cells than the header has columns. Fix that row.", path=manifest, row=line_no))
            continue
        record = {(k or "").strip(): (v or "").strip() for k, v in record.items()}
        name = record.get("file", "")
        if not name:
            problems.fail(ManifestError(f"{MANIFEST_NAME} row {line_no} has an empty 'file' cell. Fill it in or delete the row.", path=manifest, row=line_no))
            continue
        if "\x00" in name:
            problems.fail(ManifestError(f"{MANIFEST_NAME} row {line_no} names a file with a NUL character in it. Fix the file name.", path=manifest, row=line_no))
            continue
        shown = _display(Path(name).as_posix())
        try:
            target = (folder / name).resolve()
        except (RuntimeError, OSError):
            target = None
        if Path(name).is_absolute() or (target is not None and target != root and root not in target.parents):
            problems.fail(
                UnsafePathError(
                    f"{MANIFEST_NAME} row {line_no} names {shown!r}, which is outside the corpus folder. "
                    "Only files inside the corpus folder are read: copy the file into it and name it relative to the folder.",
                    path=manifest,
                    row=line_no,
                )
            )
            continue
        if name in seen:
            problems.fail(ManifestError(f"{MANIFEST_NAME} row {line_no} lists {shown} a second time. Delete the repeated row.", path=manifest, row=line_no))
            continue
        seen.add(name)
        error = _contained(root, folder / name, f"{MANIFEST_NAME} row {line_no}: {shown}")
        if error is not None and not (folder / name).is_symlink() and not (folder / name).exists():
            error = MissingArticleFileError(
                f"{MANIFEST_NAME} row {line_no} names {shown}, but there is no such file in the corpus folder. "
                "Fix the file name in the manifest or add the file.",
                path=manifest,
                row=line_no,
            )
        if error is not None:
            error.row = line_no
            problems.fail(error)
            continue
        if record.get("role", "report") not in ("", *ROLES):
            problems.fail(ManifestError(f"{MANIFEST_NAME} row {line_no}: role must be 'original' or 'report' (or empty), not {record['role']!r}.", path=manifest, row=line_no))
            continue
        meta = {k: v for k, v in record.items() if k != "file" and v != ""}
        sources.append(_Source(folder / name, shown, meta, line_no, Path(name).as_posix()))
    return sources


# --- reading one file -------------------------------------------------------------------


def _too_large(label: str, size: int, max_bytes: int) -> ArticleTooLargeError:
    return ArticleTooLargeError(
        f"{label} is {size / 1e6:,.0f} MB, more than the {max_bytes / 1e6:,.0f} MB one article may have; it was not read. "
        "Split it into one file per article (or raise max_bytes if it really is one article).",
        path=label,
    )


def _read_source(source: _Source, problems: _Problems, max_bytes: int = MAX_ARTICLE_BYTES) -> list[dict]:
    """Read one file into a list of records with ``text`` and metadata keys."""
    p = source.path
    label = source.label
    fmt = TEXT_FORMATS.get(p.suffix.lower())
    try:
        size = p.stat().st_size
        if fmt in ("txt", "md", "html") and size > max_bytes:
            raise _too_large(label, size, max_bytes)
        raw = p.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(
            f"{label} cannot be read ({exc.strerror or exc}). Check that the file is there and that you may open it.", path=label
        ) from None
    utf16 = _utf16_without_bom(raw)
    if utf16 is not None:
        problems.note(label, None, "NoByteOrderMark", f"{label} is UTF-16 text without a byte-order mark; decoded as {utf16}.")
        text = raw.decode(utf16)
        if fmt == "html":
            return [_read_html(text.encode("utf-8"), source, sha_of=raw)]
        if fmt is not None:
            text = _clean_text(text, label, problems)
            if fmt in ("txt", "md"):
                return [{"text": text, "encoding": utf16, "sha256": hashlib.sha256(raw).hexdigest(), "format": fmt, "path": label, **source.meta}]
            return _read_records(text, utf16, fmt, source, max_bytes)
    if fmt is None:
        if _looks_binary(raw):
            raise BinaryFileError(f"{label} is a binary file (not text). Remove it from the corpus folder.", path=label)
        raise UnsupportedFormatError(
            f"{label} has an extension quotetrace does not read ({p.suffix or 'none'}). "
            f"Save it as one of {', '.join(sorted(TEXT_FORMATS))}, or move it out of the corpus folder.",
            path=label,
        )
    if not raw.strip():
        raise EmptyArticleError(f"{label} is empty. Delete it, or paste the article text into it.", path=label)
    if _looks_binary(raw):
        raise BinaryFileError(
            f"{label} looks like a binary file (an image, PDF or archive), not {fmt} text. "
            "Export the article as plain text or HTML and try again.",
            path=label,
        )
    if fmt == "html":
        return [_read_html(raw, source)]
    text, encoding = _decode(raw, label, problems)
    if fmt in ("txt", "md"):
        return [{"text": text, "encoding": encoding, "sha256": hashlib.sha256(raw).hexdigest(), "format": fmt, "path": label, **source.meta}]
    return _read_records(text, encoding, fmt, source, max_bytes)


def _utf16_without_bom(raw: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` when ``raw`` is UTF-16 text without a byte-order mark, else None.

    Text in a Latin script stored as UTF-16 has a zero in every other byte;
    the bytes must also decode, and to printable text.
    """
    head = raw[:8192]
    if len(head) < 8 or any(head.startswith(bom) for bom, _ in _BOMS):
        return None
    head = head[: len(head) // 2 * 2]
    pairs = len(head) // 2
    even_zeros = head[0::2].count(0) / pairs
    odd_zeros = head[1::2].count(0) / pairs
    if odd_zeros > 0.6 and even_zeros < 0.05:
        encoding = "utf-16-le"
    elif even_zeros > 0.6 and odd_zeros < 0.05:
        encoding = "utf-16-be"
    else:
        return None
    try:
        sample = head.decode(encoding)
    except UnicodeDecodeError:
        return None
    printable = sum(1 for c in sample if c.isprintable() or c in "\n\r\t")
    if printable / max(len(sample), 1) < 0.95:
        return None
    try:
        raw[: len(raw) // 2 * 2].decode(encoding)
    except UnicodeDecodeError:
        return None
    return encoding


def _looks_binary(raw: bytes) -> bool:
    head = raw[:8192]
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    if any(head.startswith(m) for m in _BINARY_MAGIC):
        return True
    if not head:
        return False
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 13, 12))
    return control / len(head) > 0.10


def _decode(raw: bytes, label: str, problems: _Problems) -> tuple[str, str]:
    """Decode bytes to clean text; returns (text, encoding name)."""
    encoding = None
    for bom, name in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(name)
                encoding = name
            except UnicodeDecodeError:
                raise EncodingError(f"{label} starts with a {name} byte-order mark but is not valid {name}. Re-save it as UTF-8.", path=label) from None
            break
    else:
        try:
            text = raw.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            from charset_normalizer import from_bytes

            best = from_bytes(raw, cp_isolation=None).best()
            if best is None:
                raise EncodingError(
                    f"{label} is not readable text in any encoding quotetrace can recognise. "
                    "Open it in a text editor and save it as UTF-8.",
                    path=label,
                ) from None
            encoding = _prefer_windows_1252(raw, best.encoding)
            text = raw.decode(encoding)
            problems.note(label, None, "NotUtf8", f"{label} was not UTF-8; decoded as {encoding}.")
    return _clean_text(text, label, problems), encoding


def _prefer_windows_1252(raw: bytes, guess: str) -> str:
    """Western news text in a legacy encoding is nearly always cp1252; prefer it when it decodes.

    charset-normalizer's guess among single-byte code pages is unreliable on
    short texts; cp1252 is a superset of latin-1's printable range and holds
    the curly quotes (0x91-0x94) that latin-1 lacks.
    """
    single_byte = {"latin_1", "iso8859_15", "cp1250", "cp1252", "iso8859_2", "mac_roman", "cp1254", "iso8859_9", "cp1257", "cp1253", "cp1251", "koi8_r", "mac_cyrillic", "iso8859_5", "cp850"}
    if guess in single_byte and guess not in ("cp1251", "koi8_r", "mac_cyrillic", "iso8859_5"):
        try:
            raw.decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            return guess
    return guess


def _clean_text(text: str, label: str, problems: _Problems, *, html_escapes: bool = False) -> str:
    import ftfy

    if _MOJIBAKE_HINT_RE.search(text):
        fixed = ftfy.fix_text(
            text,
            unescape_html=html_escapes,
            uncurl_quotes=False,
            fix_latin_ligatures=False,
            fix_character_width=False,
            fix_line_breaks=False,
            remove_terminal_escapes=False,
            normalization=None,
        )
        if fixed != text:
            problems.note(label, None, "Mojibake", f"{label} had garbled characters (mojibake such as â€œ); repaired with ftfy.")
            text = fixed
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL_RE.search(text):
        problems.note(label, None, "ControlCharacters", f"{label} contained NUL or other control characters; they were removed.")
        text = _CONTROL_RE.sub("", text)
    return unicodedata.normalize("NFC", text)


def _read_html(raw: bytes, source: _Source, *, sha_of: bytes | None = None) -> dict:
    import trafilatura

    label = source.label
    tree = trafilatura.load_html(raw)  # parsed once: trafilatura cleans a copy, the lead is read from the page as is
    doc = trafilatura.bare_extraction(
        copy.deepcopy(tree) if tree is not None else raw,
        with_metadata=True, include_comments=False, include_tables=False, favor_precision=False, deduplicate=False,
    )
    body = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not body:
        raise EmptyArticleError(
            f"{label} is HTML but no article text could be found in it (only navigation or scripts?). "
            "Save the article's own page, or paste its text into a .txt file.",
            path=label,
        )
    scratch = _Problems("skip")
    body = _clean_text(body, label, scratch)
    paras = [line.strip() for line in body.split("\n") if line.strip()]
    title = getattr(doc, "title", None)
    headline, lead, paras = _page_lead(tree, title, getattr(doc, "description", None), paras)
    lead = [" ".join(_clean_text(p, label, scratch).split()) for p in lead]
    lead = [p for p in lead if p]
    if lead and not paras:  # nothing but a lead: it is the body
        paras, lead, headline = lead, [], None
    text = "\n\n".join(lead + paras)
    has_headline = bool(headline) and bool(lead) and lead[0] == " ".join(_clean_text(headline, label, scratch).split())
    record = {
        "text": text,
        "encoding": "html",
        "sha256": hashlib.sha256(raw if sha_of is None else sha_of).hexdigest(),
        "format": "html",
        "path": label,
        "title": title,
        "author": getattr(doc, "author", None),
        "outlet": getattr(doc, "sitename", None),
        "url": getattr(doc, "url", None),
        "published": getattr(doc, "date", None),
    }
    record = {k: v for k, v in record.items() if v not in (None, "")}
    record["headline_end"] = len(lead[0]) if has_headline else 0
    record["body_start"] = len("\n\n".join(lead)) + 2 if lead else 0
    record.update(source.meta)  # the manifest wins over what the page says
    return record


# --- what a reader sees above the body of a web page -----------------------------------------

# the visible label of a highlights list ("STORY HIGHLIGHTS", "Key points:") and class/id names for one;
# both are conventions common across outlets (CNN, BBC, Reuters, the Guardian, news CMS themes)
_LEAD_LABEL_RE = re.compile(
    r"^\W*(?:story\s+|article\s+|the\s+)?(?:highlights|key\s+points|key\s+takeaways|takeaways|at\s+a\s+glance|in\s+brief|"
    r"summary|what\s+you\s+need\s+to\s+know)\W*$",
    re.IGNORECASE,
)
_LEAD_CLASS_RE = re.compile(r"highlights?\b|key[-_ ]?points|takeaways|story[-_]?summary|article[-_]?summary", re.IGNORECASE)
_HEADLINE_SHARE = 0.5  # of the title's words an <h1> inside the title must hold to be the headline
_MAX_LABEL_CHARS = 60  # a highlights label ("STORY HIGHLIGHTS") is short
_LEAD_SCAN = 3  # the headline is looked for among the body's first paragraphs (a copy there moves to the top)
_MAX_HIGHLIGHTS = 8  # items in a highlights list
_MIN_HIGHLIGHT_WORDS = 3  # words in each item (shorter items are navigation)
_MAX_LINK_SHARE = 0.5  # of an item's characters in links (more: teasers of other stories)


def _fold_words(s: str) -> str:
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFC", s).lower()))


def _visible(el) -> str:
    return " ".join(el.text_content().split())


def _page_lead(tree, title: str | None, description: str | None, paras: list[str]) -> tuple[str | None, list[str], list[str]]:
    """(headline, lead paragraphs, body paragraphs): the headline, standfirst and highlights a reader sees
    above the body (in the parsed page ``tree``), and trafilatura's body paragraphs without a copy of the headline."""
    if tree is None:
        return None, [], paras
    headline = _headline(tree, title)
    lead: list[str] = []
    if headline:
        fh = _fold_words(headline)
        at = next((i for i, p in enumerate(paras[:_LEAD_SCAN]) if _fold_words(p) == fh), None)
        if at is not None:  # trafilatura kept the headline: it and what it put above it are the lead
            lead, paras = paras[:at], paras[at + 1 :]
        lead.insert(0, headline)
    standfirst = _standfirst(tree, description)
    fs = _fold_words(standfirst or "") or None

    def lead_like(p: str) -> bool:  # what trafilatura may keep of the lead: the standfirst, a label, bullets
        return _fold_words(p) == fs or bool(_LEAD_LABEL_RE.match(p)) or p.startswith("- ")

    items = _highlights(tree, next((p for p in paras if not lead_like(p)), None))
    kept = {_fold_words(i) for i in items} | {fs}
    while paras and (_fold_words(paras[0]) in kept or _LEAD_LABEL_RE.match(paras[0])):
        paras = paras[1:]  # trafilatura kept it at the top of the body: it is the lead's
    opening = " " + " ".join(_fold_words(p) for p in lead + paras[:_LEAD_SCAN]) + " "
    body_words = " " + " ".join(_fold_words(p) for p in paras) + " "
    if standfirst and " " + fs + " " not in opening:
        lead.append(standfirst)
    for item in items:
        if " " + _fold_words(item) + " " not in body_words + opening:
            lead.append(item)
    return headline, lead, paras


def _headline(tree, title: str | None) -> str | None:
    """The page's ``<h1>`` when its words agree with the title (the title may add the site's name: the
    ``<h1>`` must then hold most of its words, so a site logo in an ``<h1>`` is not the headline), else the title."""
    ft = _fold_words(title or "")
    best = None
    for h1 in tree.iter("h1"):
        text = _visible(h1)
        fh = _fold_words(text)
        if not fh or not ft:
            continue
        inside = f" {fh} " in f" {ft} " and len(fh.split()) >= _HEADLINE_SHARE * len(ft.split())
        if (inside or f" {ft} " in f" {fh} ") and (best is None or len(fh) > len(_fold_words(best))):
            best = text
    if best:
        return best
    return " ".join(title.split()) if title and title.strip() else None


def _standfirst(tree, description: str | None) -> str | None:
    """The element showing the page's own description (its standfirst), when the page shows it."""
    fd = _fold_words(description or "")
    if len(fd.split()) < _MIN_HIGHLIGHT_WORDS:
        return None
    first = " ".join(fd.split()[:_MIN_HIGHLIGHT_WORDS])
    body = tree.find(".//body")
    for el in (body if body is not None else tree).iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style") or not el.text or first not in _fold_words(el.text):
            continue
        for _ in range(_LEAD_SCAN):  # the text may be split by inline markup: look a few levels up
            if el is None:
                break
            if _fold_words(_visible(el)) == fd:
                return _visible(el)
            el = el.getparent()
    return None


def _highlights(tree, first_body_paragraph: str | None) -> list[str]:
    """The items of the first list labelled as story highlights (by the heading just before it or its
    class/id) that comes before the body: each a few words of text, not links."""
    order = {el: i for i, el in enumerate(tree.iter())}
    body_at = None
    if first_body_paragraph:
        head = " ".join(first_body_paragraph.split()[:_LEAD_SCAN * 2])
        body_at = next((order[el] for el in order if isinstance(el.tag, str) and el.text and head in " ".join(el.text.split())), None)
    for lst in tree.iter("ul", "ol"):
        if body_at is not None and order.get(lst, 0) > body_at:
            break
        if not _labelled_highlights(lst):
            continue
        items = []
        for li in lst.iter("li"):
            text = _visible(li)
            links = sum(len(_visible(a)) for a in li.iter("a"))
            if len(text.split()) < _MIN_HIGHLIGHT_WORDS or links > _MAX_LINK_SHARE * len(text):
                items = []
                break
            items.append(text)
        if 0 < len(items) <= _MAX_HIGHLIGHTS:
            return items
    return []


def _labelled_highlights(lst) -> bool:
    for el in (lst, lst.getparent()):
        if el is not None and _LEAD_CLASS_RE.search(f"{el.get('class', '')} {el.get('id', '')}"):
            return True
    prev = lst.getprevious()
    while prev is not None and not isinstance(prev.tag, str):  # comments
        prev = prev.getprevious()
    if prev is None:
        return False
    label = ""
    for piece in prev.itertext():  # a label is a few words: never read a long element whole
        label += piece
        if len(label) > _MAX_LABEL_CHARS:
            return False
    return bool(_LEAD_LABEL_RE.match(" ".join(label.split())))


def _json(text: str, label: str, where: str, row: int | None):
    """``json.loads`` with every way it can fail turned into a BadRecordError naming the place."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        line = f" at line {exc.lineno}" if row is None else ""
        raise BadRecordError(f"{where} is not valid JSON ({exc.msg}{line}). Fix or delete it.", path=label, row=row if row is not None else exc.lineno) from None
    except RecursionError:
        raise BadRecordError(f"{where} is JSON nested too deeply to read (lists or objects inside each other thousands of times).", path=label, row=row) from None
    except ValueError as exc:  # e.g. an integer with more than 4,300 digits
        raise BadRecordError(f"{where} holds JSON that cannot be read ({str(exc)[:120]}).", path=label, row=row) from None


def _csv_items(text: str, label: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text), strict=True)
    items = []
    try:
        for item in reader:
            if None in item:
                raise BadRecordError(
                    f"{label} row {reader.line_num} has more cells than the header has columns "
                    "(a comma in the text without quotes around it?). Fix that row.",
                    path=label,
                    row=reader.line_num,
                )
            items.append(item)
    except csv.Error as exc:
        raise BadRecordError(
            f"{label} is not a readable CSV file at line {reader.line_num} ({exc}); a quote mark may be left open. Fix that line.",
            path=label,
            row=reader.line_num,
        ) from None
    return items


def _read_records(text: str, encoding: str, fmt: str, source: _Source, max_bytes: int = MAX_ARTICLE_BYTES) -> list[dict]:
    label = source.label
    if fmt == "csv":
        items = _csv_items(text, label)
        first_row = 2
    elif fmt == "jsonl":
        items = []
        for i, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            items.append((i, _json(line, label, f"{label} line {i}", i)))
        first_row = None
    else:
        data = _json(text, label, label, None)
        if isinstance(data, dict) and isinstance(data.get("articles"), list):
            data = data["articles"]
        items = data if isinstance(data, list) else [data]
        first_row = 1
    out = []
    numbered = items if first_row is None else list(enumerate(items, start=first_row))
    for row_no, item in numbered:
        where = f"{label} {'line' if fmt == 'jsonl' else 'row' if fmt == 'csv' else 'record'} {row_no}"
        if not isinstance(item, dict):
            raise BadRecordError(f"{where} is not an object with a 'text' field.", path=label, row=row_no)
        record = _pick_fields(item)
        body = record.get("text")
        if not isinstance(body, str) or not body.strip():
            raise BadRecordError(
                f"{where} has no article text. Put the text in a column named 'text' (or body/content).",
                path=label,
                row=row_no,
            )
        if len(body) > max_bytes:
            raise _too_large(where, len(body.encode("utf-8")), max_bytes)
        scratch = _Problems("skip")
        record["text"] = _clean_text(body, label, scratch)
        try:
            digest = hashlib.sha256(json.dumps(item, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")).hexdigest()
        except (RecursionError, ValueError, TypeError):
            digest = hashlib.sha256(repr(sorted(item.items(), key=lambda kv: str(kv[0]))).encode("utf-8", "surrogatepass")).hexdigest()
        record.update(
            {
                "encoding": encoding,
                "format": fmt,
                "path": f"{label}#{row_no}",
                "sha256": digest,
                "row": row_no,
                "where": where,
            }
        )
        record.update(source.meta)
        out.append(record)
    if not out:
        raise EmptyArticleError(f"{label} holds no records. Add articles to it or delete it.", path=label)
    return out


def _pick_fields(item: dict) -> dict:
    lowered = {str(k).strip().lower(): v for k, v in item.items()}
    record = {}
    for column, aliases in _FIELD_ALIASES.items():
        for alias in aliases:
            value = lowered.get(alias)
            if value not in (None, ""):
                if isinstance(value, list):
                    value = "; ".join(str(v) for v in value)
                record[column] = value if column == "text" else str(value)
                break
    return record


# --- one row ----------------------------------------------------------------------------


def _build_row(record: dict, source: _Source, date_order: str) -> dict:
    text = record["text"]
    if not text.strip():
        raise EmptyArticleError(f"{record['path']} has no text after cleaning. Delete it or fix its contents.", path=record["path"])
    if "published" in source.meta and source.manifest_row is not None:
        where, row = f"{MANIFEST_NAME} row {source.manifest_row}", source.manifest_row
    else:
        where, row = record.get("where", record["path"]), record.get("row")
    published, precision = _parse_date(record.get("published"), record["path"], row, date_order, where)
    return {
        "article_id": article_id(text),
        "outlet": _clean_meta(record.get("outlet")),
        "country": _clean_meta(record.get("country")),
        "published": published,
        "published_precision": precision,
        "title": _clean_meta(record.get("title")),
        "author": _clean_meta(record.get("author")),
        "url": _clean_meta(record.get("url")),
        "path": record["path"],
        "format": record["format"],
        "encoding": record["encoding"],
        "text": text,
        "sha256": record["sha256"],
        **_lead_offsets(text, record),
    }


def _lead_offsets(text: str, record: dict) -> dict:
    """``headline_end`` and ``body_start``: as the HTML reader laid the text out, else the first paragraph
    when it is the title."""
    if "body_start" in record:
        return {"headline_end": record["headline_end"], "body_start": record["body_start"]}
    title = _fold_words(record.get("title") or "")
    paras = paragraphs(text)
    if title and len(paras) > 1 and _fold_words(text[paras[0][0] : paras[0][1]]) == title:
        return {"headline_end": paras[0][1], "body_start": paras[1][0]}
    return {"headline_end": 0, "body_start": 0}


def article_id(text: str) -> str:
    """The stable id of an article: ``"a"`` + 12 hex digits of the SHA-256 of its text.

    >>> article_id("Hello")
    'a185f8db32271'
    """
    return "a" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _clean_meta(value) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


_ISO_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$")


_FIRST_DAY, _LAST_DAY = pd.Timestamp.min.ceil("D").to_pydatetime(), pd.Timestamp.max.floor("D").to_pydatetime()


def _parse_date(value, path: str, row: int | None, date_order: str, where: str | None = None) -> tuple[datetime | None, str | None]:
    """Parse a publication date; returns (naive datetime, precision)."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == "":
        return None, None
    where = where or (f"{MANIFEST_NAME} row {row}" if row is not None else path)
    s = str(value).strip()
    parsed = _read_date(s, date_order)
    if parsed is not None:
        if not _FIRST_DAY <= parsed[0] <= _LAST_DAY:
            raise BadDateError(
                f"{where}: the publication date {s[:40]!r} for {path} is outside the years {_FIRST_DAY.year + 1}–{_LAST_DAY.year - 1} "
                "quotetrace can compare. Check it (a typo in the year?), or leave it empty.",
                path=path,
                row=row,
            )
        return parsed
    raise BadDateError(
        f"{where}: the publication date {s[:40]!r} for {path} cannot be read. Write it as YYYY-MM-DD (or YYYY-MM if only the month is known), or leave it empty.",
        path=path,
        row=row,
    )


def _read_date(s: str, date_order: str) -> tuple[datetime, str] | None:
    """(naive datetime, precision) for a date string, or None when it cannot be read."""
    if len(s) > 200:
        return None
    if _ISO_RE.match(s):
        parts = s[:10].split("-")
        try:
            if len(parts) == 1:
                return datetime(int(parts[0]), 1, 1), "year"
            if len(parts) == 2:
                return datetime(int(parts[0]), int(parts[1]), 1), "month"
            return datetime(int(parts[0]), int(parts[1]), int(parts[2])), "day"
        except ValueError:
            pass
    else:
        from dateparser.date import DateDataParser

        parser = DateDataParser(
            languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first", "DATE_ORDER": date_order, "RETURN_AS_TIMEZONE_AWARE": False}
        )
        data = parser.get_date_data(s)
        if data.date_obj is not None:
            d = data.date_obj.replace(tzinfo=None)
            period = data.period or "day"
            if period == "year":
                return datetime(d.year, 1, 1), "year"
            if period == "month":
                return datetime(d.year, d.month, 1), "month"
            return datetime(d.year, d.month, d.day), "day"
    return None
