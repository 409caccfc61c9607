"""The two install routes (pip via pyproject.toml, conda via environment.yml) stay in sync."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

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
