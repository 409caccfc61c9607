"""Headless runs: execute the verification notebooks with papermill into a report folder.

A run writes ``<reports>/<corpus>/<run-id>/`` (``run-id`` is the UTC start
time, ``YYYYMMDDTHHMMSSZ``) holding, for each notebook, the executed notebook
and a standalone HTML report (code hidden), plus the exports the notebooks
write (CSV, Excel, charts), ``articles.csv``, and ``run.json`` (parameters,
input file hashes, package versions).

Everything is first written to a hidden staging folder that is renamed into
place only when every notebook succeeded; ``<reports>/<corpus>/latest`` then
points at it. A failed run leaves every earlier report as it was; its
partial output is kept in ``failed-<run-id>/`` for inspection.

Parameters are checked before any notebook starts: an unknown name, a value
of the wrong type or a missing corpus is a :class:`~quotetrace.errors.ParameterError`,
not a traceback from cell 7.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from .cache import Cache
from .errors import ParameterError, RunError
from .export import write_csv, write_text
from .match import MatchSettings
from .paths import project_root, resolve_corpus
from .progress import relay
from .verdicts import default_store

__all__ = ["RunResult", "run_report", "default_reports_dir", "notebook_parameters", "REPORT_NOTEBOOKS"]

REPORT_NOTEBOOKS = ("verify_quotes.ipynb", "verify_claims.ipynb")
_VERSIONS_OF = ("quotetrace", "pandas", "rapidfuzz", "matplotlib", "papermill", "trafilatura", "nbconvert")
_RUN_SETS = {"corpus", "output_dir", "verdicts_db", "cache_dir"}  # parameters the run itself fills in
_MATCH_SETTINGS = set(MatchSettings.__dataclass_fields__)


@dataclass
class RunResult:
    """What a run produced."""

    corpus: Path
    folder: Path
    files: list[Path] = field(default_factory=list)


def default_reports_dir() -> Path:
    """``reports/`` in the current folder (``make report`` runs from the quotetrace folder)."""
    return Path("reports")


def _run_id(now: datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%SZ")


def package_versions() -> dict[str, str]:
    """Versions of Python, quotetrace and the packages a run's results depend on."""
    out = {"python": platform.python_version()}
    for name in _VERSIONS_OF:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _notebooks_dir() -> Path:
    return project_root() / "notebooks"


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
    progress: bool = False,
) -> RunResult:
    """Run the verification notebooks on ``corpus`` and write its report folder.

    Parameters
    ----------
    corpus : str or Path
        A bundled corpus name (``"tweetgate"``) or a corpus folder/file.
    out : str or Path, optional
        The reports folder (default ``reports/``); the run goes in
        ``<out>/<corpus name>/<run-id>/``.
    run_id : str, optional
        Name of the run folder (default: the UTC start time).
    parameters : dict, optional
        Notebook parameters (``{"score_cutoff": 85}``); checked against what
        the notebooks declare before anything runs.
    notebooks : list of paths, optional
        The notebooks to run (default: :data:`REPORT_NOTEBOOKS` in ``notebooks/``).
    verdicts_db : path, optional
        The fact-checkers' verdict store whose current verdicts the report shows
        (default ``<out>/<corpus>/verdicts.sqlite``; the run only reads it).
    progress : bool
        Copy the notebooks' progress lines (stage, count, rate) to stderr.
        The work of each run is cached in ``<out>/<corpus>/.cache`` (see
        :mod:`quotetrace.cache`) for notebooks that take a ``cache_dir``.

    Returns
    -------
    RunResult

    Raises
    ------
    ParameterError
        Missing corpus, unknown parameter, bad value, existing run folder.
    RunError
        A notebook failed; the message names the cell and the error.
    """
    name, corpus_path = resolve_corpus(corpus)
    corpus_path = corpus_path.resolve()
    nb_paths = [Path(n) for n in notebooks] if notebooks else [_notebooks_dir() / n for n in REPORT_NOTEBOOKS]
    for nb in nb_paths:
        if not nb.is_file():
            raise ParameterError(f"The notebook {str(nb)!r} does not exist.", parameter="notebooks")
    per_notebook, declared = _validate(nb_paths, dict(parameters or {}))
    started = datetime.now(timezone.utc)
    run_id = run_id or _run_id(started)
    base = Path(out) if out is not None else default_reports_dir()
    corpus_dir = base / name
    final = corpus_dir / run_id
    if final.exists():
        raise ParameterError(f"The report folder {str(final)!r} already exists; choose another run id.", parameter="run_id")
    cache_dir = (corpus_dir / ".cache").resolve()
    articles = Cache(cache_dir).articles(corpus_path)  # fail fast, before any kernel starts, on a corpus that cannot load
    staging = corpus_dir / f".staging-{run_id}"
    staging.mkdir(parents=True, exist_ok=True)
    try:
        used: dict[str, dict] = {}
        files = [write_csv(articles.drop(columns=["text"]), staging / "articles.csv")]
        problems = articles.attrs.get("problems")
        if problems is not None and len(problems):
            files.append(write_csv(problems, staging / "problems.csv"))
        for nb in nb_paths:
            params = {**per_notebook[nb.name], "corpus": str(corpus_path), "output_dir": str(staging.resolve())}
            if "verdicts_db" in declared[nb.name]:
                params["verdicts_db"] = str(Path(verdicts_db or default_store(name, base)).resolve())
            if "cache_dir" in declared[nb.name]:
                params["cache_dir"] = str(cache_dir)
            used[nb.name] = params
            executed = staging / nb.name
            with relay(corpus_dir / f".progress-{run_id}", enabled=progress):
                _execute(nb, executed, params, kernel_name)
            files.append(executed)
            files.append(_to_html(executed, staging / (nb.stem + ".html")))
        record = {
            "corpus": name,
            "corpus_path": str(corpus_path),
            "run_id": run_id,
            "started": started.isoformat(timespec="seconds"),
            "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "notebooks": [nb.name for nb in nb_paths],
            "parameters": used,
            "inputs": [{"path": p, "sha256": h} for p, h in zip(articles["path"], articles["sha256"])],
            "versions": package_versions(),
        }
        files.append(write_text(staging / "run.json", json.dumps(record, indent=2, ensure_ascii=False)))
        os.replace(staging, final)
    except BaseException:
        failed = corpus_dir / f"failed-{run_id}"
        shutil.rmtree(failed, ignore_errors=True)
        if staging.exists():
            os.replace(staging, failed)
        raise
    _point_latest(corpus_dir, run_id)
    written = sorted(p for p in final.rglob("*") if p.is_file())
    return RunResult(corpus_path, final, written)


def _execute(notebook: Path, output: Path, parameters: dict, kernel_name: str) -> None:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    try:
        papermill.execute_notebook(
            str(notebook),
            str(output),
            parameters=parameters,
            kernel_name=kernel_name,
            progress_bar=False,
            cwd=str(notebook.parent),
        )
    except PapermillExecutionError as exc:
        first_line = (exc.source or "").strip().splitlines()[0] if (exc.source or "").strip() else ""
        raise RunError(
            f"{notebook.name} failed at cell [{exc.exec_count}] of the executed notebook ({first_line!r}): {exc.ename}: {exc.evalue}. "
            f"The executed notebook, with the error, is in the run's failed-… folder.",
            path=notebook,
        ) from None


def _to_html(notebook: Path, html_path: Path) -> Path:
    """A standalone HTML report of an executed notebook, code hidden."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nbformat.read(notebook, as_version=4))
    return write_text(html_path, body)


def _point_latest(corpus_dir: Path, run_id: str) -> None:
    """Atomically make ``<corpus_dir>/latest`` a link to the run folder."""
    link = corpus_dir / "latest"
    tmp = corpus_dir / f".latest-{run_id}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(run_id, target_is_directory=True)
    os.replace(tmp, link)
