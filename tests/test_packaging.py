"""The two install routes (pip via pyproject.toml, conda via environment.yml) stay in sync, and the wheel can run reports."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _environment_pip_line() -> str:
    text = (ROOT / "environment.yml").read_text()
    lines = [ln.strip() for ln in text.splitlines() if ln.strip().startswith("- -e .")]
    assert len(lines) == 1, "environment.yml must install the package once, as '- -e .[extras]'"
    return lines[0]


def test_environment_installs_every_extra_from_pyproject():
    extras = set(_pyproject()["project"]["optional-dependencies"])
    line = _environment_pip_line()
    match = re.search(r"-e \.\[([^\]]*)\]", line)
    assert match, line
    assert set(x.strip() for x in match.group(1).split(",")) == extras


def test_environment_python_matches_requires_python():
    env = (ROOT / "environment.yml").read_text()
    version = re.search(r"- python=(\d+\.\d+)", env).group(1)
    requires = _pyproject()["project"]["requires-python"]
    low = re.search(r">=\s*(\d+\.\d+)", requires).group(1)
    high = re.search(r"<\s*(\d+\.\d+)", requires).group(1)
    as_tuple = lambda v: tuple(int(x) for x in v.split("."))  # noqa: E731
    assert as_tuple(low) <= as_tuple(version) < as_tuple(high)


def test_environment_pins_no_versions_of_its_own():
    env = (ROOT / "environment.yml").read_text()
    pinned = [ln for ln in env.splitlines() if re.search(r"^\s*-\s+(?!python=)[\w-]+\s*[=<>]", ln)]
    assert pinned == [], "versions live in pyproject.toml only"


def test_every_dependency_is_pinned_to_a_range():
    project = _pyproject()["project"]
    deps = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        deps.extend(extra)
    for dep in deps:
        assert re.search(r"(==|>=.*,\s*<)", dep), f"{dep} needs a version range (>=low,<high) or an exact pin"


def test_every_bundled_corpus_folder_is_listed_so_the_build_has_no_warning_about_it():
    # a folder with files under data/corpora looks like a package to setuptools: unlisted, the build warns that it
    # "would be ignored" (its files still come from package-data, which the wheel test checks)
    listed = set(_pyproject()["tool"]["setuptools"]["packages"])
    data = ROOT / "data"
    folders = {p.parent for p in (data / "corpora").rglob("*") if p.is_file()}
    wanted = {"quotetrace.bundled.data." + ".".join(f.relative_to(data).parts) for f in folders}
    assert wanted - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"


# --- the wheel is a package that can run reports on its own (#18) -------------------------------------


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The wheel ``pip wheel .`` builds from this checkout, unpacked (as pip would install it)."""
    out = tmp_path_factory.mktemp("wheel")
    src = out / "src"  # a copy, so that building leaves no build/ or egg-info in the checkout
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, src / name)
    for name in ("lib", "data", "notebooks"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", ".ipynb_checkpoints"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--quiet", "-w", str(out)],
        check=True, capture_output=True, timeout=600,
    )
    (built,) = out.glob("quotetrace-*.whl")
    site = out / "site"
    with zipfile.ZipFile(built) as zf:
        zf.extractall(site)
        names = set(zf.namelist())
    return site, names


def test_the_wheel_carries_notebooks_corpus_types_and_licence(wheel):
    site, names = wheel
    for nb in ("verify_quotes.ipynb", "verify_claims.ipynb", "review.ipynb"):
        assert f"quotetrace/bundled/notebooks/{nb}" in names
    data = ROOT / "data"
    every = {f"quotetrace/bundled/data/{p.relative_to(data).as_posix()}" for p in (data / "corpora").rglob("*") if p.is_file()}
    assert every - names == set()  # every bundled corpus whole, the harbourview demo's originals/ folder too
    assert "quotetrace/bundled/data/corpora/harbourview/originals/tweets.js" in every
    assert "quotetrace/py.typed" in names
    licence = [n for n in names if n.endswith("LICENSE")]
    assert licence and "MIT License" in (site / licence[0]).read_text()
    metadata = next(site.glob("quotetrace-*.dist-info")) / "METADATA"
    assert "License: MIT" in metadata.read_text() or "License-Expression: MIT" in metadata.read_text()


def test_the_installed_package_finds_its_corpus_and_notebooks_and_keeps_reports_out_of_itself(wheel, tmp_path):
    site, _ = wheel
    code = (
        "import pathlib, quotetrace as qt, quotetrace.paths as p; from quotetrace.verdicts import default_store;"
        "pkg = pathlib.Path(qt.__file__).parent;"
        "print(p.checkout());"
        "print(len(qt.load_corpus(qt.bundled_corpus('tweetgate'))));"
        "print(sorted(x.name for x in p.notebooks_dir().glob('*.ipynb')));"
        "print(pkg in default_store('tweetgate').parents, pkg == p.notebooks_dir().parents[1])"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("QUOTETRACE_DATA", "QUOTETRACE_REPORTS")}
    env.update(PYTHONPATH=str(site), XDG_DATA_HOME=str(tmp_path / "xdg"))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["None", "3", "['review.ipynb', 'verify_claims.ipynb', 'verify_quotes.ipynb']", "False True"]


def test_ci_installs_the_wheel_in_a_fresh_venv_and_runs_a_report():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip wheel" in ci and "-m venv" in ci and "quotetrace\" run tweetgate" in ci and "bundled_corpus" in ci and "review.ipynb" in ci
