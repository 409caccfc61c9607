"""The one-command target table (benchmarks/scale.py) reads each benchmark's own output: these tests hold its
parsers to the benchmarks' printed formats (captured from real runs), so a changed format shows up here, not as
a silent "not measured" in a hand run."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _scale():
    spec = importlib.util.spec_from_file_location("quotetrace_bench_scale", BENCH / "scale.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["quotetrace_bench_scale"] = module  # its dataclass looks its module up
    spec.loader.exec_module(module)
    return module


MATCH = """quotetrace match_quotes, 1010 quotes x 10000 articles:
  quotetrace: wall 13.80 s min, 14.10 s median of 3; CPU 10.90 s min, 11.00 s median; peak RSS 339 MB min, 340 MB median
  baseline, planted pairs only: wall 0.05 s min, 0.05 s median of 1; CPU 0.02 s min, 0.02 s median; peak RSS 33 MB min, 33 MB median

the same 1010 quotes x first 1000 articles, kit against the exhaustive baseline (rapidfuzz cdist, partial_ratio, workers=-1, score_cutoff=80):
  quotetrace: wall 2.67 s min, 2.67 s median of 1; CPU 1.30 s min, 1.30 s median; peak RSS 166 MB min, 166 MB median
  baseline: wall 46.18 s min, 46.18 s median of 1; CPU 29.54 s min, 29.54 s median; peak RSS 41 MB min, 41 MB median
                                    quotetrace                    baseline
  recall exact                     1.000 (8/8)                 1.000 (8/8)
  recall typo2                   1.000 (11/11)               1.000 (11/11)
  recall typo+truncated               0.833 (10/12)                0.167 (2/12)
  recall dropped                   0.857 (6/7)                 1.000 (7/7)
  wall: kit 17.3x faster than the baseline on the same pairs (min times); the baseline scaled linearly
  CPU: kit 22.7x faster than the baseline on the same pairs (min times); the baseline scaled linearly
"""


def test_match_figures_and_a_kind_where_the_kit_finds_less_are_read():
    rows = {r.target: r for r in _scale().match_rows(MATCH)}
    speed = rows["match_quotes 1,010 quotes x 10,000 articles: < 10 s"]
    assert (speed.measured, speed.met) == ("CPU 10.9 s, wall 13.8 s", False)
    assert rows["match_quotes 1,010 quotes x 10,000 articles: < 1 GB"].met is True
    assert rows["match_quotes: >= 20x the exhaustive baseline on the same pairs"].met is True
    recall = rows["recall >= the baseline's on every planted kind"]
    assert (recall.measured, recall.met) == ("dropped 6/7 vs 7/7", False)


def test_run_steps_give_the_ratios_of_the_targets():
    out = """first    1000 articles:    62.5 s  CPU   73.8 s  peak  0.85 GB  load 2.3/1.8/1.1  exit 0
rerun    1000 articles:     3.9 s  CPU    3.7 s  peak  0.19 GB  load 2.3/1.8/1.1  exit 0  (6% of the first run, 15.9x faster)
add      1000 articles:    24.3 s  CPU   26.3 s  peak  0.83 GB  load 2.4/1.9/1.1  exit 0  (39% of the first run, 2.6x faster)
find     1000 articles:     1.7 s  CPU    1.7 s  peak  0.16 GB  load 2.4/1.9/1.1  exit 0
"""
    rows = [(r.measured, r.met) for r in _scale().run_rows(out, 1000)]
    assert rows == [
        ("62.5 s wall, CPU 73.8 s", False),
        ("0.85 GB", True),
        ("3.9 s, 16.0x", True),
        ("24.3 s, 39%", False),
        ("1.7 s", True),
    ]


def test_cluster_and_claims_figures_are_read_and_a_missing_one_says_so():
    scale = _scale()
    clusters = """cluster_quotes, 500000 quotes, 1187400 found pairs, 205100 statements: wall 18.30 s min, 18.30 s median of 1; CPU 17.10 s min
  205100 clusters; 0 clusters mix quotes of different statements
real prose, 1000 articles: 30000 quotes, 500000 found pairs, 12000 clusters in 3.2 s; largest:
  310 quotes (1.03% of all), 1 distinct wording(s): 'the same statement'
"""
    rows = [(r.measured, r.met) for r in scale.cluster_rows(clusters)]
    assert rows == [("18.3 s wall", True), ("0 mixed", True), ("largest 1.03% of the quotes (1 wording)", True)]
    two = clusters.replace("1 distinct wording(s)", "2 distinct wording(s)")
    assert [r.met for r in scale.cluster_rows(two)][-1] is False
    claims = scale.claims_rows("compare_claims  50,000 claims:   17.35 s (CPU  16.23 s)   777 groups, 48 conflicting")
    assert [(r.target, r.met) for r in claims] == [("compare_claims 50,000 claims: < 30 s", True)]
    assert scale.claims_rows("Traceback (most recent call last):")[0].met is None


def test_the_run_reports_statements_are_read_and_a_mixed_cluster_is_not_met():
    out = """first    1000 articles:    16.5 s  CPU   27.0 s  peak  0.71 GB  load 0.7/0.4/0.2  exit 0
       statements: 4304 quotes in 3699 clusters; largest 7 quotes (0.16% of all, 2 planted statement(s)); 1 clusters mix planted statements; 0 quotes are no planted wording
"""
    scale = _scale()
    rows = [(r.measured, r.met) for r in scale.statement_rows(out, 1000)]
    assert rows == [("largest 7 quotes, 0.16% (2 statements)", True), ("1 of 3,699 clusters", False)]
    assert scale.statement_rows("first 1000 articles: exit 1", 1000)[0].met is None
