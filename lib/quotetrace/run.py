"""Headless runs: execute the verification notebooks with papermill into a report folder.

A run writes ``<reports>/<corpus>/<run-id>/`` (``run-id`` is the UTC start
time plus a random suffix, ``YYYYMMDDTHHMMSSZ-1a2b3c``, so two runs started in
the same second never share a folder) holding, for each notebook, the executed
notebook and a standalone HTML report (code hidden), plus the exports the
notebooks write (CSV, Excel, charts), ``articles.csv``, ``problems.csv`` (what
was skipped or repaired) and ``run.json`` (parameters, input file hashes,
package versions).

Everything is first written to a fresh, exclusive hidden staging folder that
is renamed into place only when every notebook succeeded; ``<reports>/<corpus>/latest``
then points at it. Publishing happens under a lock on the corpus's report
folder, so ``latest`` always points at the newest finished run, even when runs
overlap. A failed run leaves every earlier report as it was; its partial
output is kept in ``failed-<run-id>/`` for inspection. Staging folders left by
killed runs are removed by the next run, never reused.

A run whose inputs are all as they were for the newest finished run (the
bytes of every file of the corpus and of the originals, the parameters, the
notebooks, the verdicts shown, the package's code and the versions of what it
runs on: see :func:`inputs_key`) reuses that run's report instead of
computing it again: its files are copied into the new run folder (each checked
against the hash ``run.json`` recorded for it; a report changed or removed
since is never reused), the HTML reports and the notebooks open with a note
naming the run they come from, ``run.json`` says so under ``unchanged_since``,
and the command line prints it. ``recompute=True`` (``quotetrace run
--recompute``) always runs the notebooks.

Parameters are checked before any notebook starts: an unknown name, a value
of the wrong type, a bad run id or a missing corpus is a
:class:`~quotetrace.errors.ParameterError`, not a traceback from cell 7. A
report folder that cannot be written (read-only, disk full, another run with
the same run id) is an :class:`~quotetrace.errors.OutputError`.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import html as _html
import json
import os
import platform
import re
import secrets
import sys
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterator

from .cache import Cache, code_key, table_key
from .corpus import ON_ERROR_ENV
from .errors import CorpusError, ExportError, OutputError, ParameterError, RunError
from .export import write_csv, write_text
from .match import MatchSettings
from .paths import default_reports_dir, notebooks_dir, resolve_corpus
from .progress import relay
from .verdicts import default_store, verdicts

__all__ = ["RunResult", "run_report", "default_reports_dir", "notebook_parameters", "check_run_id", "inputs_key", "REPORT_NOTEBOOKS"]

REPORT_NOTEBOOKS = ("verify_quotes.ipynb", "verify_claims.ipynb")
_VERSIONS_OF = ("quotetrace", "pandas", "rapidfuzz", "matplotlib", "papermill", "trafilatura", "nbconvert")
_RUN_SETS = {"corpus", "output_dir", "verdicts_db", "cache_dir"}  # parameters the run itself fills in
_MATCH_SETTINGS = set(MatchSettings.__dataclass_fields__)
_RUN_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
_RESERVED_IDS = {"latest"}
_LOCK_NAME = ".quotetrace.lock"
_REUSED_MARK = ("<!-- quotetrace:unchanged -->", "<!-- /quotetrace:unchanged -->")  # around the note in a reused HTML report
_REUSED_CELL = "quotetrace-unchanged"  # id of the note's cell in a reused notebook


@dataclass
class RunResult:
    """What a run produced."""

    corpus: Path
    folder: Path
    files: list[Path] = field(default_factory=list)
    html: list[Path] = field(default_factory=list)
    summary: dict = field(default_factory=dict)
    unchanged_since: str | None = None  # the run whose report this one reuses (nothing changed since), else None


def _run_id(now: datetime) -> str:
    """The UTC start time and 6 random hex digits: sortable, and unique even within one second."""
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def check_run_id(run_id: str) -> str:
    """``run_id`` if it is a safe folder name for a run, else ParameterError.

    >>> check_run_id("2024-05-01_morning")
    '2024-05-01_morning'
    """
    if (
        not isinstance(run_id, str)
        or not _RUN_ID_RE.match(run_id)
        or run_id in _RESERVED_IDS
        or run_id.startswith("failed-")
        or ".." in run_id
    ):
        raise ParameterError(
            f"The run id {str(run_id)[:100]!r} cannot be used as a folder name. Use letters, digits, '-', '_' and '.' "
            "(up to 80, starting with a letter or digit); 'latest' and names starting with 'failed-' are taken.",
            parameter="run_id",
        )
    return run_id


def _safe_name(name: str) -> str:
    """A corpus name usable as one folder name inside the reports folder (never ``..``: ``...txt`` → ``corpus``)."""
    name = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    cleaned = re.sub(r"[^\w .-]+", "_", name).strip(" ._-")[:80]
    return cleaned or "corpus"


def package_versions() -> dict[str, str]:
    """Versions of Python, quotetrace and the packages a run's results depend on."""
    out = {"python": platform.python_version()}
    for name in _VERSIONS_OF:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def notebook_parameters(notebook: str | Path) -> dict[str, dict]:
    """The parameters a notebook declares (papermill's inspection): name → {type, default, help}."""
    import papermill

    info = papermill.inspect_notebook(str(notebook))
    return {
        name: {"type": p.get("inferred_type_name"), "default": p.get("default"), "help": p.get("help")}
        for name, p in info.items()
    }


def _coerce(name: str, value, type_name: str | None):
    """Convert a parameter value to the type the notebook declares, or raise ParameterError."""
    if type_name in ("float", "int"):
        if isinstance(value, bool):
            raise ParameterError(f"Parameter {name!r} must be a number, not {value!r}.", parameter=name)
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ParameterError(f"Parameter {name!r} must be a number, not {value!r}.", parameter=name) from None
        if type_name == "int":
            if number != int(number):
                raise ParameterError(f"Parameter {name!r} must be a whole number, not {value!r}.", parameter=name)
            return int(number)
        return number
    if type_name == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "yes", "1"):
            return True
        if text in ("false", "no", "0"):
            return False
        raise ParameterError(f"Parameter {name!r} must be true or false, not {value!r}.", parameter=name)
    return str(value)


def _validate(notebooks: list[Path], parameters: dict) -> tuple[dict[str, dict], dict[str, dict]]:
    """Check every given parameter against every notebook; return the coerced values per notebook,
    and what each notebook declares."""
    declared = {nb.name: notebook_parameters(nb) for nb in notebooks}
    known = set().union(*(set(d) for d in declared.values())) - _RUN_SETS
    unknown = sorted(set(parameters) - known)
    if unknown:
        raise ParameterError(
            f"Unknown parameter(s) {', '.join(unknown)}. The notebooks take: {', '.join(sorted(known)) or 'none'}.",
            parameter=unknown[0],
        )
    out = {}
    for nb, params in declared.items():
        out[nb] = {k: _coerce(k, v, params[k]["type"]) for k, v in parameters.items() if k in params}
    # the matcher's settings given as notebook parameters are checked by the matcher's own rules
    given = {k: v for values in out.values() for k, v in values.items() if k in _MATCH_SETTINGS}
    if given:
        MatchSettings.from_parameters(**given).validate()
    return out, declared


def run_report(
    corpus: str | Path,
    *,
    out: str | Path | None = None,
    run_id: str | None = None,
    parameters: dict | None = None,
    notebooks: list[str | Path] | None = None,
    kernel_name: str = "python3",
    verdicts_db: str | Path | None = None,
    on_error: str = "raise",
    progress: Callable[[str], None] | None = None,
    recompute: bool = False,
) -> RunResult:
    """Run the verification notebooks on ``corpus`` and write its report folder.

    Parameters
    ----------
    corpus : str or Path
        A bundled corpus name (``"tweetgate"``) or a corpus folder/file.
    out : str or Path, optional
        The reports folder (default :func:`~quotetrace.paths.default_reports_dir`);
        the run goes in ``<out>/<corpus name>/<run-id>/``. It must not be
        inside the corpus folder (the run would read its own reports).
    run_id : str, optional
        Name of the run folder (default: the UTC start time and a random
        suffix); letters, digits, ``-``, ``_``, ``.``.
    parameters : dict, optional
        Notebook parameters (``{"score_cutoff": 85}``); checked against what
        the notebooks declare before anything runs.
    notebooks : list of paths, optional
        The notebooks to run (default: :data:`REPORT_NOTEBOOKS`).
    verdicts_db : path, optional
        The fact-checkers' verdict store whose current verdicts the report shows
        (default ``<out>/<corpus>/verdicts.sqlite``, the store the review
        notebook uses for the same reports folder; the run only reads it).
    on_error : {"raise", "skip"}
        ``"skip"`` loads the articles that can be read and lists the others in
        ``problems.csv``; ``"raise"`` stops, naming every bad file.
    progress : callable, optional
        Called with one line of text per stage (the command line prints them);
        when given, the notebooks' progress lines (stage, count, rate) are
        printed too. The work of each run is cached in
        ``<out>/<corpus>/.cache`` (see :mod:`quotetrace.cache`) for notebooks
        that take a ``cache_dir``.
    recompute : bool
        Run the notebooks even when no input changed since the newest finished
        run (by default its report is reused, see the module docstring).

    Returns
    -------
    RunResult

    Raises
    ------
    ParameterError
        Missing corpus, unknown parameter, bad value, bad or existing run id.
    CorpusError
        The corpus cannot be loaded, or holds no article.
    OutputError
        The report folder cannot be written (read-only, disk full, another
        run with this run id is writing there).
    RunError
        A notebook failed; the message names the cell and the error.
    """
    say = progress or (lambda line: None)
    clock = time.monotonic()
    name, corpus_path = resolve_corpus(corpus)
    corpus_path = corpus_path.resolve()
    name = _safe_name(name)
    nb_paths = [Path(n) for n in notebooks] if notebooks else [notebooks_dir() / n for n in REPORT_NOTEBOOKS]
    for nb in nb_paths:
        if not nb.is_file():
            raise ParameterError(f"The notebook {str(nb)!r} does not exist.", parameter="notebooks")
    if on_error not in ("raise", "skip"):
        raise ParameterError(f'on_error must be "raise" or "skip", not {on_error!r}.', parameter="on_error")
    per_notebook, declared = _validate(nb_paths, dict(parameters or {}))
    for values in per_notebook.values():  # a folder of originals, as the notebook (run in its own folder) will find it
        if values.get("originals"):
            folder = Path(values["originals"]).expanduser()
            if not folder.exists():
                raise ParameterError(f"The originals {values['originals']!r} do not exist. Give a folder of tweets, transcripts or statements (--originals).",
                                     parameter="originals")
            values["originals"] = str(folder.resolve())
    started = datetime.now(timezone.utc)
    run_id = check_run_id(run_id) if run_id is not None else _run_id(started)
    base = Path(out) if out is not None else default_reports_dir()
    if corpus_path.is_dir() and (base.resolve() == corpus_path or corpus_path in base.resolve().parents):
        raise ParameterError(
            f"The reports folder {str(base)!r} is inside the corpus folder, so the next run would read its reports as articles. "
            "Choose a reports folder outside the corpus (--out).",
            parameter="out",
        )
    corpus_dir = base / name
    final = corpus_dir / run_id
    if final.exists() or final.is_symlink():
        raise ParameterError(f"The report folder {str(final)!r} already exists; choose another run id.", parameter="run_id")
    # fail fast, before any kernel starts, on a corpus that cannot load
    cache_dir = (corpus_dir / ".cache").resolve()
    articles = Cache(cache_dir).articles(corpus_path, errors=on_error)  # the notebooks' loads reuse it
    problems = articles.attrs.get("problems")
    skipped = problems[problems["action"] == "skipped"] if problems is not None and len(problems) else None
    if articles.empty:
        why = f" {len(skipped)} input(s) could not be read: {', '.join(map(str, skipped['path'].head(5)))}." if skipped is not None and len(skipped) else ""
        raise CorpusError(f"No articles found in {str(corpus_path)!r}.{why} Put .txt, .md, .html, .json, .jsonl or .csv articles in it.", path=corpus_path)
    say(f"Corpus {name}: {len(articles)} article(s) from {corpus_path}" + (f"; {len(skipped)} input(s) skipped (see problems.csv)" if skipped is not None and len(skipped) else ""))
    store, history = None, None
    if any("verdicts_db" in declared[nb.name] for nb in nb_paths):
        store = Path(verdicts_db) if verdicts_db else default_store(name, base)
        store = store.resolve()
        history = verdicts(store)
        n_verdicts = len(history)
        say(f"Verdict store: {store} ({n_verdicts} verdict{'s' if n_verdicts != 1 else ''}{'' if store.exists() else ', not created yet'})")
    with _output_errors(corpus_dir):
        corpus_dir.mkdir(parents=True, exist_ok=True)
        staging, owner = _reserve(corpus_dir, run_id)
    try:
        used: dict[str, dict] = {}
        for nb in nb_paths:
            params = {**per_notebook[nb.name], "corpus": str(corpus_path)}
            if "verdicts_db" in declared[nb.name]:
                params["verdicts_db"] = str(store)
            if "cache_dir" in declared[nb.name]:
                params["cache_dir"] = str(cache_dir)
            used[nb.name] = params
        key = inputs_key(corpus_path, articles, nb_paths, used, on_error=on_error, kernel_name=kernel_name,
                         verdicts_table=history)
        for params in used.values():
            params["output_dir"] = str(staging.resolve())
        unchanged = None if recompute else _unchanged_run(corpus_dir, key)
        with _output_errors(corpus_dir):
            files = [write_csv(articles.drop(columns=["text"]), staging / "articles.csv")]
            if problems is not None and len(problems):
                files.append(write_csv(problems, staging / "problems.csv"))
        if unchanged is not None:
            with _output_errors(corpus_dir):
                unchanged = _reuse(unchanged, staging, [nb.name for nb in nb_paths])
        if unchanged is not None:
            say(f"Nothing changed since run {unchanged['run_id']} (articles, originals, parameters, verdicts, notebooks and code "
                f"are the same): its report is reused, not computed again (quotetrace run --recompute computes it anew).")
        if unchanged is None:
            with relay(corpus_dir / f".progress-{run_id}", sys.stdout, enabled=progress is not None):
                files += _execute_all(nb_paths, staging, used, kernel_name, on_error, say)
        record = {
            "corpus": name,
            "corpus_path": str(corpus_path),
            "run_id": run_id,
            "started": started.isoformat(timespec="seconds"),
            "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "notebooks": [nb.name for nb in nb_paths],
            "parameters": used,
            "on_error": on_error,
            "skipped": [] if skipped is None else [{"path": p, "problem": k} for p, k in zip(skipped["path"], skipped["problem"])],
            "verdicts_db": str(store) if store is not None else None,
            "inputs": [{"path": p, "sha256": h} for p, h in zip(articles["path"], articles["sha256"])],
            "versions": package_versions(),
            "inputs_key": key,
            "unchanged_since": None if unchanged is None else {k: unchanged[k] for k in ("run_id", "started", "finished")},
        }
        with _output_errors(corpus_dir):
            record["files"] = _file_hashes(staging)
            files.append(write_text(staging / "run.json", json.dumps(record, indent=2, ensure_ascii=False)))
            _publish(corpus_dir, staging, owner, run_id)
    except BaseException:
        _keep_failed(corpus_dir, staging, owner, run_id)
        raise
    written = sorted(p for p in final.rglob("*") if p.is_file())
    html = [final / (nb.stem + ".html") for nb in nb_paths]
    result = RunResult(corpus_path, final, written, html, _summary(final, len(articles), skipped),
                       None if unchanged is None else unchanged["run_id"])
    say(
        f"Done in {time.monotonic() - clock:.0f} s: "
        + ", ".join(f"{v} {k}" for k, v in result.summary.items())
        + f". Report folder: {final}"
    )
    return result


def inputs_key(
    corpus: Path, articles, notebooks: list[Path], parameters: dict[str, dict], *, on_error: str, kernel_name: str, verdicts_table=None
) -> str:
    """SHA-256 of everything a run's report depends on, so a run with the same key may reuse a report.

    The bytes of every file of the corpus (articles, manifest, its own originals) and of every
    folder of originals the parameters name; the loaded articles table without the text (the
    SHA-256 of each article stands for it); each notebook's bytes and the parameters it gets; the
    verdicts the report shows; ``on_error`` and the kernel; and the package's code and the versions
    of the libraries its results depend on (:func:`quotetrace.cache.code_key`, :func:`package_versions`).
    """
    h = hashlib.sha256(b"quotetrace run inputs 1\0")

    def part(label: str, value: str) -> None:
        h.update(label.encode() + b"\0" + value.encode("utf-8", "surrogateescape") + b"\0")

    part("code", code_key())
    part("versions", json.dumps(package_versions(), sort_keys=True))
    part("corpus", _folder_digest(Path(corpus)))
    part("articles", table_key(articles.drop(columns=[c for c in ("text",) if c in articles.columns])))
    problems = articles.attrs.get("problems")
    part("problems", table_key(problems) if problems is not None else "")
    part("verdicts", table_key(verdicts_table) if verdicts_table is not None else "")
    part("run", json.dumps({"on_error": on_error, "kernel": kernel_name}, sort_keys=True))
    for nb in notebooks:
        part("notebook", nb.name + "\0" + hashlib.sha256(nb.read_bytes()).hexdigest())
        params = parameters.get(nb.name, {})
        part("parameters", json.dumps(params, sort_keys=True, default=str))
        if params.get("originals"):
            part("originals", _folder_digest(Path(params["originals"])))
    return h.hexdigest()


def _folder_digest(path: Path) -> str:
    """SHA-256 of every file under ``path`` (names and bytes, subfolders included), or of the file ``path``."""
    h = hashlib.sha256()
    if path.is_file():
        h.update(path.read_bytes())
        return h.hexdigest()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        h.update(file.relative_to(path).as_posix().encode("utf-8", "surrogateescape") + b"\0")
        h.update(hashlib.sha256(file.read_bytes()).digest())
    return h.hexdigest()


def _file_hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file of a run folder (but ``run.json``), by its path in the folder."""
    out = {}
    for file in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")):
        name = file.relative_to(folder).as_posix()
        if name != "run.json":
            out[name] = hashlib.sha256(file.read_bytes()).hexdigest()
    return out


def _unchanged_run(corpus_dir: Path, key: str) -> dict | None:
    """The ``run.json`` record of the newest finished run (``latest``) when its inputs key is ``key``, else None."""
    try:
        folder = corpus_dir / os.readlink(corpus_dir / "latest")  # read once: another run may move latest meanwhile
        record = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("inputs_key") != key or not isinstance(record.get("files"), dict):
        return None
    since = record.get("unchanged_since")
    first = since if isinstance(since, dict) and since.get("run_id") else record
    return {"folder": folder, "files": record["files"],
            "run_id": str(first.get("run_id")), "started": first.get("started"), "finished": first.get("finished")}


def _reuse(unchanged: dict, staging: Path, notebooks: list[str]) -> dict | None:
    """Copy the unchanged run's report into ``staging``, each file checked against its recorded hash, and
    mark its HTML reports and notebooks as reused. Returns ``unchanged``, or None (and copies nothing)
    when a file is missing or differs from what that run wrote."""
    source: Path = unchanged["folder"]
    files: dict[str, str] = unchanged["files"]
    if any(f"{Path(nb).stem}.html" not in files or nb not in files for nb in notebooks):
        return None
    copied = []
    try:
        for name, digest in files.items():
            if name in ("articles.csv", "problems.csv"):
                continue  # written by this run from the articles it loaded
            target = staging / name
            if not target.resolve().is_relative_to(staging.resolve()):
                raise ValueError(name)
            data = (source / name).read_bytes()
            if hashlib.sha256(data).hexdigest() != digest:
                raise ValueError(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            copied.append(target)
    except (OSError, ValueError):
        for target in copied:
            target.unlink(missing_ok=True)
        return None
    note = (f"Nothing changed since run {unchanged['run_id']} (finished {unchanged['finished']}): the same articles, originals, "
            "parameters, verdicts, notebooks and code. This report is that run's, reused without computing it again.")
    for nb in notebooks:
        _mark_html(staging / f"{Path(nb).stem}.html", note)
        _mark_notebook(staging / nb, note)
    return unchanged


def _mark_html(path: Path, note: str) -> None:
    """Put ``note`` at the top of an HTML report (replacing an earlier such note)."""
    text = path.read_text(encoding="utf-8")
    start, end = _REUSED_MARK
    if start in text and end in text:
        text = text[: text.index(start)] + text[text.index(end) + len(end) :]
    banner = (f'{start}<div class="qt-unchanged" style="margin:1em;padding:.6em 1em;border:1px solid #c9a400;background:#fff8d6;'
              f'font-family:sans-serif">{_html.escape(note)}</div>{end}')
    body = text.find("<body")
    at = text.find(">", body) + 1 if body >= 0 else 0
    write_text(path, text[:at] + banner + text[at:])


def _mark_notebook(path: Path, note: str) -> None:
    """Put ``note`` in a first Markdown cell of an executed notebook (replacing an earlier such note)."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        cells = [c for c in nb["cells"] if c.get("id") != _REUSED_CELL]
    except (ValueError, KeyError, TypeError):
        return  # not a notebook we can read: left as it was
    cells.insert(0, {"cell_type": "markdown", "id": _REUSED_CELL, "metadata": {}, "source": f"**{note}**"})
    nb["cells"] = cells
    write_text(path, json.dumps(nb, indent=1, ensure_ascii=False) + "\n")


def _summary(folder: Path, n_articles: int, skipped) -> dict:
    """Counts for the closing line: articles, skipped inputs, and the rows of the main exports."""
    out = {"articles": n_articles}
    if skipped is not None and len(skipped):
        out["inputs skipped"] = len(skipped)
    for label, file in (("quotes", "quotes.csv"), ("statements", "clusters.csv"), ("claims", "claims.csv")):
        path = folder / file
        if path.is_file():
            import pandas as pd

            with contextlib.suppress(Exception):
                out[label] = len(pd.read_csv(path, usecols=[0]))
    return out


@contextlib.contextmanager
def _output_errors(folder: Path) -> Iterator[None]:
    """Turn a folder that cannot be written (read-only, full disk) into an OutputError."""
    try:
        yield
    except ExportError as exc:
        raise OutputError(f"The report cannot be written to {str(folder)!r}: {exc.message} Earlier reports are unchanged.", path=folder) from None
    except OSError as exc:
        reason = {errno.ENOSPC: "the disk is full", errno.EROFS: "it is on a read-only disk", errno.EACCES: "you may not write there",
                  errno.EPERM: "you may not write there", errno.EDQUOT: "the disk quota is used up"}.get(exc.errno, exc.strerror or str(exc))
        raise OutputError(
            f"The report cannot be written to {str(folder)!r}: {reason}. Earlier reports are unchanged; "
            "free some space or choose another reports folder (--out).",
            path=folder,
        ) from None


def _lock(folder: Path, *, wait: bool = True) -> int | None:
    """An exclusive lock on a folder itself (flock on its descriptor: no lock file is left behind);
    the descriptor, or None when ``wait`` is False and another process holds it."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


@contextlib.contextmanager
def _folder_lock(corpus_dir: Path) -> Iterator[None]:
    """Hold the corpus report folder's lock (short sections only: reserving, publishing)."""
    fd = _lock(corpus_dir)
    try:
        yield
    finally:
        os.close(fd)


def _reserve(corpus_dir: Path, run_id: str) -> tuple[Path, int]:
    """A fresh staging folder of this run's own, locked for the run's lifetime; stale ones
    (left by killed runs: nobody holds their lock) are removed, never reused.
    Returns (folder, lock descriptor)."""
    with _folder_lock(corpus_dir):
        for old in corpus_dir.glob(".staging-*"):
            fd = _lock(old, wait=False) if old.is_dir() and not old.is_symlink() else None
            if fd is not None:
                shutil.rmtree(old, ignore_errors=True)
                os.close(fd)
            elif old.name.startswith(f".staging-{run_id}-"):
                raise OutputError(
                    f"Another quotetrace run is writing the report {run_id!r} in {str(corpus_dir)!r}. "
                    "Wait for it to finish, or choose another run id.",
                    path=corpus_dir,
                )
        staging = Path(tempfile.mkdtemp(prefix=f".staging-{run_id}-", dir=corpus_dir))
        mask = os.umask(0)
        os.umask(mask)
        staging.chmod(0o777 & ~mask)  # mkdtemp makes it private; a report folder is as readable as any other
        owner = _lock(staging)
    return staging, owner


def _publish(corpus_dir: Path, staging: Path, owner: int, run_id: str) -> None:
    """Rename the staging folder to the run folder and point ``latest`` at it, under the folder lock
    (so ``latest`` ends at the run that finished last)."""
    final = corpus_dir / run_id
    with _folder_lock(corpus_dir):
        if final.exists() or final.is_symlink():
            raise OutputError(
                f"Another run published a report called {run_id!r} in {str(corpus_dir)!r} while this one ran; "
                f"this run's output is kept in failed-{run_id}.",
                path=corpus_dir,
            )
        latest = corpus_dir / "latest"
        if latest.exists() and not latest.is_symlink():
            raise OutputError(
                f"{str(latest)!r} is a folder, not the link to the newest report (an older quotetrace allowed --run-id latest). "
                f"Rename it; this run's output is kept in failed-{run_id}.",
                path=latest,
            )
        os.replace(staging, final)
        _point_latest(corpus_dir, run_id)
    os.close(owner)


def _keep_failed(corpus_dir: Path, staging: Path, owner: int, run_id: str) -> None:
    """Move a failed run's staging folder to ``failed-<run-id>`` (best effort: the disk may be full)."""
    failed = corpus_dir / f"failed-{run_id}"
    with contextlib.suppress(OSError):
        with _folder_lock(corpus_dir):
            if staging.exists():
                shutil.rmtree(failed, ignore_errors=True)
                try:
                    os.replace(staging, failed)
                except OSError:
                    shutil.rmtree(staging, ignore_errors=True)
    with contextlib.suppress(OSError):
        os.close(owner)


def _quiet_kernel_manager(log, env: dict[str, str], cwd: Path | None = None):
    """A kernel manager class whose kernels write their own console messages (transport
    warnings, "KeyboardInterrupt caught in kernel" at shutdown) to ``log``, not the console,
    get ``env`` added to their environment and start in ``cwd``.

    The kernel's folder is set on the kernel's own process: papermill's ``cwd=`` changes the
    folder of this whole process (``os.chdir``), which two notebooks run side by side would
    race on, leaving the caller in another folder."""
    from jupyter_client.manager import AsyncKernelManager

    class QuietKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd, **kw):
            kw["stdout"] = log
            kw["stderr"] = log
            kw["env"] = {**(kw.get("env") or os.environ), **env}
            if cwd is not None:
                kw["cwd"] = str(cwd)
            return await super()._async_launch_kernel(kernel_cmd, **kw)

    return QuietKernelManager


def _workers(n_notebooks: int) -> int:
    """How many notebooks run at once: one per core the process may use, at most one per notebook."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(n_notebooks, cores))


def _execute_all(nb_paths: list[Path], staging: Path, used: dict[str, dict], kernel_name: str, on_error: str, say) -> list[Path]:
    """Execute the notebooks (each in its own kernel, a process of its own) and write their HTML reports.

    The report notebooks do not depend on each other (their shared work goes through the cache, which is
    safe under concurrent use), so they run side by side, one per core: on two cores the claims report is
    made while the quotes report is. Returns the files written, in the notebooks' order. When a notebook
    fails, the others are finished (or not started) and the first failure, in the notebooks' order, is raised.
    """
    import logging
    from concurrent.futures import ThreadPoolExecutor

    finished = [0]
    lock = threading.Lock()

    def one(nb: Path) -> list[Path]:
        tick = time.monotonic()
        executed = staging / nb.name
        _execute(nb, executed, used[nb.name], kernel_name, on_error)
        html = _to_html(executed, staging / (nb.stem + ".html"))
        with lock:
            finished[0] += 1
            say(f"[{finished[0]}/{len(nb_paths)}] {nb.stem}: done in {time.monotonic() - tick:.0f} s")
        return [executed, html]

    papermill_log = logging.getLogger("papermill")
    level = papermill_log.level
    papermill_log.setLevel(logging.ERROR)
    # papermill keeps one folder for all its local reads and writes (its local handler's ``_cwd``, which it
    # os.chdir()s to around each), set and restored by every execute_notebook: two notebooks side by side can
    # restore each other's value and leave it set to this run's folder, so a later run in this process (a test,
    # a notebook user's) would move the whole process there around each write. Put back what it was.
    local = _papermill_local_handler()
    before = getattr(local, "_cwd", None)
    try:
        with ThreadPoolExecutor(max_workers=_workers(len(nb_paths)), thread_name_prefix="quotetrace-notebook") as pool:
            futures = [pool.submit(one, nb) for nb in nb_paths]
            failed = next((f.exception() for f in futures if f.exception() is not None), None)
            if failed is not None:
                raise failed
            return [path for f in futures for path in f.result()]
    finally:
        papermill_log.setLevel(level)
        if local is not None and hasattr(local, "_cwd"):
            local._cwd = before


def _papermill_local_handler():
    """papermill's handler of local files (the one its ``local_file_io_cwd`` sets the folder of), or None."""
    try:
        from papermill.iorw import papermill_io

        return papermill_io.get_handler("local")
    except Exception:  # another papermill: nothing to put back
        return None


def _execute(notebook: Path, output: Path, parameters: dict, kernel_name: str, on_error: str = "raise") -> None:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    log_path = output.parent / f".{output.stem}.kernel.log"
    try:
        with open(log_path, "wb") as log:
            papermill.execute_notebook(
                str(notebook),
                str(output),
                parameters=parameters,
                kernel_name=kernel_name,
                progress_bar=False,
                kernel_manager_class=_quiet_kernel_manager(log, {ON_ERROR_ENV: on_error}, cwd=notebook.parent),
            )
    except PapermillExecutionError as exc:
        first_line = (exc.source or "").strip().splitlines()[0] if (exc.source or "").strip() else ""
        kind = OutputError if exc.ename in ("OSError", "PermissionError", "ExportError") else RunError
        raise kind(
            f"{notebook.name} failed at cell [{exc.exec_count}] of the executed notebook ({first_line!r}): {exc.ename}: {exc.evalue}. "
            f"The executed notebook, with the error, is in the run's failed-… folder.",
            path=notebook,
        ) from None
    log_path.unlink(missing_ok=True)  # kept (in failed-…) only when the notebook failed


_REPORT_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
"""
NOTEBOOK_ONLY_TAG = "notebook-only"  # cells with this tag (how-to notes) are left out of the HTML report


def _report_title(nb) -> str:
    """The page title: the report's first heading (it names the corpus and the run date)."""
    import html as _html

    for cell in nb.cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/markdown", "")
            text = "".join(text) if isinstance(text, list) else text
            if text.lstrip().startswith("#"):
                return _html.unescape(text.lstrip().lstrip("#").strip().splitlines()[0])
    return ""


_IMG_WITHOUT_ALT = re.compile(r"<img\b(?![^>]*\balt=)")
_FOCUSABLE_DIV = re.compile(r'<div\b(?=[^>]*\bclass="(?:[^"]*\s)?(?:jp-Cell-inputWrapper|jp-OutputArea-output)[\s"])(?![^>]*\btabindex=)')


def _report_exporter():
    """nbconvert's HTMLExporter without its closing BeautifulSoup pass over the whole page (parse, select,
    serialise: three quarters of the time on a 1,000-article report). What that pass adds, alternative
    text on images and focusable cells and outputs, is set on the template's own markup instead (the
    notebook's own HTML is escaped text in the report's tables, so it cannot hold that markup)."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class ReportExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            self.register_filter("highlight_code", self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            page = _IMG_WITHOUT_ALT.sub('<img alt="No description has been provided for this image"', page)
            return _FOCUSABLE_DIV.sub('<div tabindex="0"', page), resources

    return ReportExporter


def _to_html(notebook: Path, html_path: Path) -> Path:
    """A standalone HTML report of an executed notebook: code and notebook-only notes hidden, the
    first heading as the page title, and nothing loaded from the network (no require.js, MathJax,
    Mermaid or widget scripts from a CDN), so it opens offline."""
    import nbformat
    from jinja2 import DictLoader
    from nbconvert.preprocessors import TagRemovePreprocessor

    nb = nbformat.read(notebook, as_version=4)
    nb.metadata["title"] = _report_title(nb) or notebook.stem.replace("_", " ")
    nb.metadata.pop("widgets", None)
    exporter = _report_exporter()(
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        extra_loaders=[DictLoader({"quotetrace_report.html.j2": _REPORT_TEMPLATE})],
        template_file="quotetrace_report.html.j2",
    )
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={NOTEBOOK_ONLY_TAG}, enabled=True), enabled=True)
    body, _ = exporter.from_notebook_node(nb)
    return write_text(html_path, body)


def _point_latest(corpus_dir: Path, run_id: str) -> None:
    """Atomically make ``<corpus_dir>/latest`` a link to the run folder."""
    link = corpus_dir / "latest"
    tmp = corpus_dir / f".latest-{run_id}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(run_id, target_is_directory=True)
    os.replace(tmp, link)
