"""Every newsroom-scale target (#16) from one command: runs the benchmarks, then prints each target beside
its measured figure and whether it is met.

    python benchmarks/scale.py            # matching, clustering, claim comparison, the whole run on 1,000 articles (~15 min)
    python benchmarks/scale.py --full     # and the whole run on 10,000 articles with find on that cached folder (~30 min)
    python benchmarks/scale.py --quick    # small sizes, to check the benchmarks run (figures are not the targets')

Each benchmark runs in its own process (its own output is shown as it runs) on corpora of real English prose
(:mod:`_prose`). The machine may be shared: the table gives CPU time where the benchmark measures it, and wall
time, since the targets are about what a person waits for. Figures are whole-process figures.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


@dataclass
class Row:
    target: str
    measured: str
    met: bool | None  # None: not measured


def _run(args: list[str]) -> str:
    """Run one benchmark, echo its output as it comes, return it."""
    print(f"\n$ {' '.join(['python', *args])}", flush=True)
    proc = subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=_env())
    lines = []
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("WARNING: Location"):  # pip's index notes, not the benchmark's
            continue
        print(line, end="", flush=True)
        lines.append(line)
    if proc.wait():
        print(f"(exit {proc.returncode})")
    return "".join(lines)


def _env() -> dict:
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in [str(ROOT / "lib"), env.get("PYTHONPATH", "")] if p)
    return env


def _num(pattern: str, text: str, group: int = 1) -> float | None:
    m = re.search(pattern, text, re.S)
    return float(m.group(group).replace(",", "")) if m else None


def _missing(target: str) -> Row:
    return Row(target, "not measured (see the output above)", None)


def match_rows(out: str) -> list[Row]:
    rows = []
    kit = re.search(r"quotetrace match_quotes, (\d+) quotes x (\d+) articles:\n\s+quotetrace: wall ([\d.]+) s min.*?CPU ([\d.]+) s min.*?peak RSS (\d+) MB min", out, re.S)
    if kit:
        size = f"{int(kit.group(1)):,} quotes x {int(kit.group(2)):,} articles"
        wall, cpu, mb = float(kit.group(3)), float(kit.group(4)), int(kit.group(5))
        rows.append(Row(f"match_quotes {size}: < 10 s", f"CPU {cpu:.1f} s, wall {wall:.1f} s", cpu < 10))
        rows.append(Row(f"match_quotes {size}: < 1 GB", f"{mb / 1024:.2f} GB", mb < 1024))
    else:
        rows.append(_missing("match_quotes: < 10 s, < 1 GB"))
    ratio = _num(r"CPU: kit ([\d.]+)x faster", out)
    wall_ratio = _num(r"wall: kit ([\d.]+)x faster", out)
    if ratio is not None:
        rows.append(Row("match_quotes: >= 20x the exhaustive baseline on the same pairs", f"{ratio:.1f}x CPU, {wall_ratio}x wall", ratio >= 20))
    else:
        rows.append(_missing("match_quotes: >= 20x the exhaustive baseline"))
    same = out.split("kit against the exhaustive baseline", 1)
    if len(same) == 2:
        worse = []
        for kind, k_hit, k_all, b_hit, b_all in re.findall(r"recall (\S+)\s+[\d.]+ \((\d+)/(\d+)\)\s+[\d.]+ \((\d+)/(\d+)\)", same[1]):
            if int(k_hit) * int(b_all) < int(b_hit) * int(k_all):
                worse.append(f"{kind} {k_hit}/{k_all} vs {b_hit}/{b_all}")
        rows.append(Row("recall >= the baseline's on every planted kind", "; ".join(worse) or "yes, every kind", not worse))
    return rows


def cluster_rows(out: str) -> list[Row]:
    rows = []
    m = re.search(r"cluster_quotes, (\d+) quotes.*?: wall ([\d.]+) s min", out)
    if m:
        rows.append(Row(f"cluster_quotes {int(m.group(1)):,} quotes: < 30 s", f"{float(m.group(2)):.1f} s wall", float(m.group(2)) < 30))
    else:
        rows.append(_missing("cluster_quotes 500k quotes: < 30 s"))
    mixed = _num(r"(\d+) clusters mix quotes of different statements", out)
    if mixed is not None:
        rows.append(Row("no cluster mixes quotes of different statements", f"{int(mixed)} mixed", mixed == 0))
    big = re.search(r"real prose, (\d+) articles:.*?largest:\n\s+(\d+) quotes \(([\d.]+)% of all\), (\d+) distinct wording", out, re.S)
    if big:
        share, wordings = float(big.group(3)), int(big.group(4))
        note = f"largest {share:.2f}% of the quotes ({wordings} wording{'s' if wordings > 1 else ''})"
        rows.append(Row(f"{int(big.group(1)):,} articles of recurring real dialogue: no cluster over 1% of the quotes unless one wording",
                        note, share <= 1 or wordings == 1))
    return rows


def statement_rows(out: str, n: int) -> list[Row]:
    """The statements of the whole run's report on the real-prose corpus (bench_run's check of clusters.csv)."""
    m = re.search(r"statements: (\d+) quotes in (\d+) clusters; largest (\d+) quotes \(([\d.]+)% of all, (\d+) planted statement\(s\)\); "
                  r"(\d+) clusters mix planted statements", out)
    if not m:
        return [_missing(f"{n:,}-article real-prose corpus: no cluster over 1% of the quotes")]
    share, statements, mixed = float(m.group(4)), int(m.group(5)), int(m.group(6))
    return [
        Row(f"{n:,}-article real-prose corpus: no cluster over 1% of the quotes unless one statement",
            f"largest {int(m.group(3))} quotes, {share:.2f}% ({statements} statement{'s' if statements != 1 else ''})",
            share <= 1 or statements <= 1),
        Row(f"{n:,}-article real-prose corpus: no cluster mixes planted statements", f"{mixed} of {int(m.group(2)):,} clusters", mixed == 0),
    ]


def claims_rows(out: str) -> list[Row]:
    m = re.search(r"compare_claims\s+([\d,]+) claims:\s+([\d.]+) s \(CPU\s+([\d.]+) s\)", out)
    if not m:
        return [_missing("compare_claims 50k claims: < 30 s")]
    wall = float(m.group(2))
    return [Row(f"compare_claims {int(m.group(1).replace(',', '')):,} claims: < 30 s", f"{wall:.1f} s wall, CPU {float(m.group(3)):.1f} s", wall < 30)]


def run_rows(out: str, n: int) -> list[Row]:
    rows = []
    step = {
        name: (float(wall), float(cpu), float(gb))
        for name, wall, cpu, gb in re.findall(r"^(\w+)\s+\d+ articles:\s+([\d.]+) s\s+CPU\s+([\d.]+) s\s+peak\s+([\d.]+) GB", out, re.M)
    }
    limit_s, limit_gb = (60, 2) if n < 5000 else (600, 6)
    if "first" in step:
        wall, cpu, gb = step["first"]
        rows.append(Row(f"quotetrace run, {n:,} articles: < {limit_s} s", f"{wall:.1f} s wall, CPU {cpu:.1f} s", wall < limit_s))
        rows.append(Row(f"quotetrace run, {n:,} articles: < {limit_gb} GB", f"{gb:.2f} GB", gb < limit_gb))
    else:
        rows.append(_missing(f"quotetrace run, {n:,} articles"))
    if "first" in step and "rerun" in step:
        ratio = step["first"][0] / step["rerun"][0]
        rows.append(Row(f"re-run, unchanged {n:,}: >= 10x faster", f"{step['rerun'][0]:.1f} s, {ratio:.1f}x", ratio >= 10))
    if "first" in step and "add" in step:
        share = step["add"][0] / step["first"][0]
        rows.append(Row(f"10 articles added to {n:,}: <= 15% of the first run", f"{step['add'][0]:.1f} s, {share:.0%}", share <= 0.15))
    if "find" in step:
        rows.append(Row(f"quotetrace find on the cached {n:,}: < 2 s", f"{step['find'][0]:.1f} s", step["find"][0] < 2))
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = ap.add_mutually_exclusive_group()
    size.add_argument("--full", action="store_true", help="also the whole run on 10,000 articles (about 30 minutes in all)")
    size.add_argument("--quick", action="store_true", help="small sizes: checks the benchmarks run; the figures are not the targets'")
    args = ap.parse_args(argv)
    b = "benchmarks/"
    if args.quick:
        match = [b + "bench_match.py", "--quotes", "100", "--articles", "500", "--baseline-articles", "200", "--repeat", "1"]
        clusters = [b + "bench_match.py", "--clusters", "5000", "--articles", "200", "--repeat", "1"]
        claims = [b + "bench_claims.py", "compare", "2000"]
        runs = [100]
    else:
        match = [b + "bench_match.py"]
        # the prose step keeps the book's own dialogue marks, so its quotes recur across articles and the found pairs
        # grow with the square of the folder: 150 articles (~100 s); the 1,000-article check is bench_run's report
        clusters = [b + "bench_match.py", "--clusters", "500000", "--articles", "150", "--repeat", "1"]
        claims = [b + "bench_claims.py", "compare", "50000"]
        runs = [1000, 10000] if args.full else [1000]
    rows = match_rows(_run(match)) + cluster_rows(_run(clusters)) + claims_rows(_run(claims))
    for n in runs:
        steps = "first,rerun,add,find" if n < 5000 else "first,rerun,find"
        out = _run([b + "bench_run.py", "--articles", str(n), "--steps", steps])
        rows += run_rows(out, n) + statement_rows(out, n)
    width = max(len(r.target) for r in rows)
    print("\nTargets (#16)" + (" -- quick sizes, not the targets' sizes" if args.quick else ""))
    for r in rows:
        mark = "not measured" if r.met is None else ("met" if r.met else "NOT MET")
        print(f"  {r.target:<{width}}  {r.measured:<44}  {mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
