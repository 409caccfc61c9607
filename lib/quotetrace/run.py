"""Headless runs: one verification run of a corpus into its own report folder.

A run writes into ``reports/<corpus>/<run-id>/`` (``run-id`` is the UTC start
time, ``YYYYMMDDTHHMMSSZ``). Everything is first written to a hidden staging
folder that is renamed into place only when the whole run succeeded, and
``reports/<corpus>/latest`` then points at it. A run that fails midway leaves
every earlier report exactly as it was.
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

from .corpus import load_corpus
from .errors import ParameterError, RunError
from .export import write_csv, write_text
from .paths import bundled_corpora, bundled_corpus, project_root

__all__ = ["RunResult", "resolve_corpus", "run_report", "default_reports_dir"]

_VERSIONS_OF = ("quotetrace", "pandas", "rapidfuzz", "matplotlib", "papermill", "trafilatura", "nbformat")


@dataclass
class RunResult:
    """What a run produced."""

    corpus: Path
    folder: Path
    files: list[Path] = field(default_factory=list)


def default_reports_dir() -> Path:
    """``reports/`` in the current folder."""
    return Path("reports")


def resolve_corpus(corpus: str | Path) -> tuple[str, Path]:
    """Turn a bundled corpus name or a folder/file path into (name, path).

    Raises ParameterError with a clear message when it is neither.
    """
    text = str(corpus)
    p = Path(text)
    if p.exists():
        name = p.stem if p.is_file() else p.resolve().name
        return name, p
    if text in bundled_corpora():
        return text, bundled_corpus(text)
    raise ParameterError(
        f"The corpus {text!r} is neither a folder or file that exists nor a bundled corpus "
        f"({', '.join(bundled_corpora()) or 'none'}). Check the path.",
        parameter="corpus",
    )


def _run_id(now: datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%SZ")


def package_versions() -> dict[str, str]:
    """Versions of quotetrace and the packages a run's results depend on."""
    out = {"python": platform.python_version()}
    for name in _VERSIONS_OF:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def run_report(corpus: str | Path, *, out: str | Path | None = None, run_id: str | None = None) -> RunResult:
    """Run the verification of ``corpus`` and write its report folder.

    Parameters
    ----------
    corpus : str or Path
        A bundled corpus name (``"tweetgate"``) or a corpus folder/file.
    out : str or Path, optional
        The reports folder (default ``reports/``); the run goes in
        ``<out>/<corpus name>/<run-id>/``.
    run_id : str, optional
        Name of the run folder (default: the UTC start time).

    Returns
    -------
    RunResult
    """
    name, corpus_path = resolve_corpus(corpus)
    started = datetime.now(timezone.utc)
    run_id = run_id or _run_id(started)
    base = Path(out) if out is not None else default_reports_dir()
    corpus_dir = base / name
    final = corpus_dir / run_id
    if final.exists():
        raise ParameterError(f"The report folder {str(final)!r} already exists; choose another run id.", parameter="run_id")
    staging = corpus_dir / f".staging-{run_id}"
    staging.mkdir(parents=True, exist_ok=True)
    try:
        articles = load_corpus(corpus_path)
        files = [write_csv(articles.drop(columns=["text"]), staging / "articles.csv")]
        problems = articles.attrs.get("problems")
        if problems is not None and len(problems):
            files.append(write_csv(problems, staging / "problems.csv"))
        record = {
            "corpus": name,
            "corpus_path": str(corpus_path),
            "run_id": run_id,
            "started": started.isoformat(timespec="seconds"),
            "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "parameters": {},
            "inputs": [{"path": p, "sha256": h} for p, h in zip(articles["path"], articles["sha256"])],
            "versions": package_versions(),
        }
        files.append(write_text(staging / "run.json", json.dumps(record, indent=2, ensure_ascii=False)))
        os.replace(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _point_latest(corpus_dir, run_id)
    return RunResult(corpus_path, final, [final / f.name for f in files])


def _point_latest(corpus_dir: Path, run_id: str) -> None:
    """Atomically make ``<corpus_dir>/latest`` a link to the run folder."""
    link = corpus_dir / "latest"
    tmp = corpus_dir / f".latest-{run_id}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(run_id, target_is_directory=True)
    os.replace(tmp, link)
