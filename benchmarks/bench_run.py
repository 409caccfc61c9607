"""The whole job at newsroom scale: ``quotetrace run`` on a folder of real-prose articles.

Builds a corpus folder (``manifest.csv`` with outlets and dates) of articles made of real English prose
(:mod:`_prose`: Alice and the US Constitution; filler sentences recombined, and statements made of
held-out prose, as ``bench_match`` does, so no statement is found in the filler or in another statement by
chance) with planted statements quoted across articles: the same words in several outlets, altered copies
(one word changed) and cut copies (the start of the statement only). Then, each step a
``quotetrace run`` in its own process tree, timed and with its peak memory (sum of the RSS of the run and
its notebook kernels, sampled every 0.1 s):

1. ``first``: the first run (empty cache);
2. ``rerun``: the same folder again, unchanged (target: at least 10x faster than the first);
3. ``add``: 10 new articles added (target: at most 15% of the first run);
4. ``find``: ``quotetrace find "QUOTE" FOLDER`` on the cached folder (target: under 2 s).

After the first run, the report's statements (``clusters.csv``) are checked against what was planted: the
largest cluster's share of the quotes and how many statements it holds (target: no cluster over 1% of the
quotes unless it is one statement), and how many clusters mix quotes of different planted statements.

Usage::

    python benchmarks/bench_run.py --articles 1000            # targets: < 60 s, < 2 GB
    python benchmarks/bench_run.py --articles 10000           # targets: < 10 min, < 6 GB
    python benchmarks/bench_run.py --articles 300 --steps first
    python benchmarks/bench_run.py --articles 100 --keep /tmp/qt100   # keep the corpus and reports
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from _prose import sentences  # noqa: E402

OUTLETS = [
    "The Gazette", "Daily Herald", "Evening Bulletin", "The Courier", "Morning Post", "The Chronicle",
    "The Observer", "Weekly Echo", "The Tribune", "The Standard", "The Examiner", "Northern Star",
]
SPEAKERS = [
    "Ann Lee", "Raj Patel", "Tom Hart", "Jo Brand", "Peter Hale", "Linda Park", "Omar Said", "Grace Holt",
    "Ivan Petrov", "Maria Costa", "Chen Wei", "Fiona Blake",
]
START = date(2025, 1, 1)


_DOUBLE_MARKS = re.compile("[\"\u201c\u201d]")
_SINGLE_MARKS = re.compile("(?<![A-Za-z])['\u2018\u2019]|['\u2018\u2019](?![A-Za-z])")


def _clean(sentence: str, *, filler_marks: bool = False) -> str:
    """A prose sentence without its own dialogue marks (so the only quotes are the planted ones),
    apostrophes between letters kept. Every mark goes, not only those at a word's edges: Alice's
    '--"Be what you would seem to be"--' kept its marks inside the dashes, so spliced filler held
    unpaired quotation marks and the kit found "quotes" of filler, which repeats across the corpus.
    ``filler_marks``: the earlier cleaning (marks at a word's edges only), for the corpus of earlier figures."""
    if filler_marks:
        return " ".join(w for w in (w.strip("'\"\u2018\u2019\u201c\u201d") for w in sentence.split()) if w)
    text = _SINGLE_MARKS.sub("", _DOUBLE_MARKS.sub("", sentence))
    return " ".join(text.split())


def _pools(filler_marks: bool = False) -> tuple[list[str], list[str]]:
    """Real English prose split in two: filler sentences (every third) and the held-out words that
    quotes are made of, as ``bench_match`` splits it, so no quote is found in the filler."""
    pool = [_clean(s, filler_marks=filler_marks) for s in sentences()]
    filler = [s for n, s in enumerate(pool) if n % 3 == 0 and len(s.split()) >= 6]
    held = " ".join(s for n, s in enumerate(pool) if n % 3 != 0).split()
    return filler, held


def _spliced(rng: random.Random, pool: list[str]) -> str:
    """A filler sentence of real English: the first half of one sentence and the second half of another."""
    a, b = rng.choice(pool).split(), rng.choice(pool).split()
    words = a[: max(2, len(a) // 2)] + b[len(b) // 2 :]
    text = " ".join(words)
    return text[0].upper() + text[1:].rstrip(",;:") + ("" if text[-1] in ".!?" else ".")


def _statement(rng: random.Random, held: list[str]) -> str:
    """A quote of 12-20 words of real English: three to five runs of four held-out words from random
    places. A partial match needs five words in a row, so two statements never match by chance."""
    runs = []
    for _ in range(rng.randint(3, 5)):
        k = rng.randrange(len(held) - 4)
        runs.extend(held[k : k + 4])
    text = " ".join(runs).rstrip(",;:.!?")
    return text[0].upper() + text[1:] + "."


def _altered(rng: random.Random, statement: str) -> str:
    """One word changed (a typo: two letters swapped) — a variant."""
    words = statement.split()
    long = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
    if not long:
        return statement
    i = rng.choice(long)
    w = words[i]
    words[i] = w[:1] + w[2] + w[1] + w[3:]
    return " ".join(words)


def _cut(statement: str) -> str:
    """The start of the statement only, marked with an ellipsis — a partial copy."""
    words = statement.split()
    return " ".join(words[: max(6, len(words) * 2 // 3)]) + " …"


def make_corpus(folder: Path, n: int, *, seed: int = 7, first: int = 0, filler_marks: bool = False,
                truth: dict[str, str] | None = None) -> list[str]:
    """Write articles ``first`` … ``first + n - 1`` (and their manifest rows) into ``folder``: 6-10
    paragraphs of filler, 2-5 statements of the article's own, and the shared statements planted in it
    (about one for every five articles, each quoted in 2-6 articles: verbatim, a typo, or cut short).
    Returns the planted quotes; ``truth``, when given, gets each quoted wording (:func:`wording`) → the
    statement it is a form of, for :func:`cluster_check`."""
    rng = random.Random(seed * 1_000_003 + first)
    filler, held = _pools(filler_marks)
    folder.mkdir(parents=True, exist_ok=True)
    truth = {} if truth is None else truth
    plan: dict[int, list[str]] = {}
    for s in range(max(1, n // 5)):
        statement, speaker = _statement(rng, held), rng.choice(SPEAKERS)
        for k, i in enumerate(rng.sample(range(n), min(n, rng.randint(2, 6)))):
            form = statement if k == 0 else rng.choice([statement, statement, _altered(rng, statement), _cut(statement)])
            truth[wording(form)] = f"{seed}-{first}-shared-{s}"
            plan.setdefault(i, []).append(f"\u201c{form}\u201d said {speaker}.")
    rows = []
    for i in range(n):
        paras = []
        own = []
        for k in range(rng.randint(2, 5)):
            statement = _statement(rng, held)
            truth[wording(statement)] = f"{seed}-{first + i}-own-{k}"
            own.append(f"\u201c{statement}\u201d said {rng.choice(SPEAKERS)}.")
        inserts = plan.get(i, []) + own
        rng.shuffle(inserts)
        for p in range(rng.randint(6, 10)):
            para = " ".join(_spliced(rng, filler) for _ in range(rng.randint(2, 4)))
            if inserts and p % 2 == 1:
                para += " " + inserts.pop()
            paras.append(para)
        paras.extend(inserts)
        name = f"{first + i:06d}.txt"
        (folder / name).write_text("\n\n".join(paras) + "\n", encoding="utf-8")
        day = START + timedelta(days=rng.randint(0, 59))
        rows.append({"file": name, "outlet": rng.choice(OUTLETS), "published": day.isoformat(), "url": "", "title": f"Story {first + i}"})
    manifest = folder / "manifest.csv"
    new = not manifest.exists()
    with manifest.open("a", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=["file", "outlet", "published", "url", "title"])
        if new:
            writer.writeheader()
        writer.writerows(rows)
    return [p for stmts in plan.values() for p in stmts]


def wording(quote: str) -> str:
    """A quote's words in lower case, without punctuation (the key of ``make_corpus``'s truth)."""
    return " ".join(re.findall(r"[^\W_]+(?:'[^\W_]+)*", quote.lower()))


def cluster_check(report: Path, truth: dict[str, str]) -> str:
    """One line on the report's statements (``clusters.csv``, ``quotes.csv``): how large is the largest,
    and does any mix quotes of different planted statements (the target: none over 1% of the quotes
    unless they are one statement). A quote whose words are no planted wording counts as unplanted."""
    import pandas as pd

    quotes = pd.read_csv(report / "quotes.csv", usecols=["quote_id", "quote"], dtype=str, keep_default_na=False)
    clusters = pd.read_csv(report / "clusters.csv", usecols=["cluster_id", "n_quotes", "quote_ids"], dtype={"quote_ids": str})
    of = {q: truth.get(wording(t)) for q, t in zip(quotes["quote_id"], quotes["quote"])}
    mixed, big, big_statements = 0, 0, 0
    for n, ids in zip(clusters["n_quotes"], clusters["quote_ids"]):
        statements = {of.get(q.strip()) for q in str(ids).split(";")} - {None}
        mixed += len(statements) > 1
        if n > big:
            big, big_statements = int(n), len(statements)
    unplanted = sum(v is None for v in of.values())
    return (f"statements: {len(quotes)} quotes in {len(clusters)} clusters; largest {big} quotes "
            f"({100 * big / max(1, len(quotes)):.2f}% of all, {big_statements} planted statement(s)); "
            f"{mixed} clusters mix planted statements; {unplanted} quotes are no planted wording")


def breakdown(report: Path, seconds: float) -> str:
    """Where a run's time went, from the executed notebooks' own cell timings (papermill's metadata): for each
    notebook, the cell that imports and computes (the one calling ``verify_*``), the exports cell, the other cells, and the
    rest of its time (kernel start, imports before the first cell); then what the command line spent around them."""
    import json

    parts, longest = [], 0.0
    for nb in sorted(report.glob("verify_*.ipynb")):
        try:
            cells = json.loads(nb.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        total = float(cells["metadata"].get("papermill", {}).get("duration") or 0.0)
        compute = exports = other = 0.0
        for cell in cells["cells"]:
            took = float(cell.get("metadata", {}).get("papermill", {}).get("duration") or 0.0)
            source = "".join(cell.get("source", ""))
            if "qt.verify_" in source:
                compute += took
            elif "write_" in source and "_exports" in source:
                exports += took
            else:
                other += took
        longest = max(longest, total)
        parts.append(f"{nb.stem}: {total:.1f} s (imports and verify_* cell {compute:.1f}, exports {exports:.1f}, other cells {other:.1f}, "
                     f"kernel and papermill {max(0.0, total - compute - exports - other):.1f})")
    if not parts:
        return ""
    return "; ".join(parts) + f"; outside the notebooks (side by side) {max(0.0, seconds - longest):.1f} s"


_QUOTES_CELLS = [
    "from IPython.display import Markdown\nimport quotetrace as qt\nfrom quotetrace import charts, tables\nMarkdown(tables.heading(title))",
    "settings = qt.MatchSettings.from_parameters(score_cutoff=score_cutoff, language=language)\n"
    "report = qt.verify_quotes(corpus, settings=settings, verdicts_db=verdicts_db, cache=cache_dir)\nreport.summary",
    "tables.found_elsewhere(report.quotes, report.matches, report.articles).head(200)",
    "tables.style_verification(report.verification)",
    "heatmap, _ = charts.coverage_heatmap(report.verification)\ntimeline, _ = charts.first_appearance_timeline(report.clusters, report.articles)\n"
    "distribution, _ = charts.match_distribution(report.matches)",
    "if output_dir:\n    print(len(qt.write_quote_exports(report, output_dir)), 'files written')",
]
_CLAIMS_CELLS = [
    "from IPython.display import Markdown\nimport quotetrace as qt\nfrom quotetrace import charts, tables\nMarkdown(tables.heading(title))",
    "report = qt.verify_claims(corpus, verdicts_db=verdicts_db, cache=cache_dir)\nreport.table",
    "chart, _ = charts.claim_agreement(report.agreement)",
    "if output_dir:\n    print(len(qt.write_claim_exports(report, output_dir)), 'files written')",
]


def pipeline_notebooks(folder: Path) -> list[Path]:
    """Notebooks that run the report through ``qt.verify_quotes``/``qt.verify_claims`` with a
    ``cache_dir`` parameter, for as long as the committed notebooks call the stages one by one."""
    import nbformat

    params = {
        "verify_quotes.ipynb": 'corpus: str = "tweetgate"\nscore_cutoff: float = 80.0\nlanguage: str = "en"\noutput_dir: str = ""\n'
        'verdicts_db: str = ""\ncache_dir: str = ""\ntitle: str = "Quote verification"',
        "verify_claims.ipynb": 'corpus: str = "tweetgate"\noutput_dir: str = ""\nverdicts_db: str = ""\ncache_dir: str = ""\ntitle: str = "Claims check"',
    }
    out = []
    for name, cells in (("verify_quotes.ipynb", _QUOTES_CELLS), ("verify_claims.ipynb", _CLAIMS_CELLS)):
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        first = nbformat.v4.new_code_cell(params[name])
        first.metadata["tags"] = ["parameters"]
        nb.cells = [first, *(nbformat.v4.new_code_cell(c) for c in cells)]
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / name)
        out.append(folder / name)
    return out


def _takes_cache_dir() -> bool:
    sys.path.insert(0, str(ROOT / "lib"))
    from quotetrace.run import notebook_parameters

    return "cache_dir" in notebook_parameters(ROOT / "notebooks" / "verify_quotes.ipynb")


def _tree_rss(pid: int) -> int:
    import psutil

    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def timed(cmd: list[str], env: dict) -> tuple[float, float, int, str, float]:
    """Run ``cmd``; return (seconds, peak RSS of its process tree in GB, exit code, last lines of output,
    CPU seconds of the process tree: user + system of every waited-for descendant, kernels included)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0]

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    seconds = time.perf_counter() - start
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, peak[0] / 1e9, proc.returncode, "\n".join(out.strip().splitlines()[-6:]), cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--steps", default="first,rerun,add,find", help="comma-separated: first, rerun, add, find")
    parser.add_argument("--keep", default=None, help="build the corpus and reports here and keep them")
    parser.add_argument("--quotes-only", action="store_true", help="run the quote report only (not the claims check)")
    parser.add_argument(
        "--notebooks", choices=("auto", "committed", "pipeline"), default="auto",
        help="committed: quotetrace run as is; pipeline: notebooks calling qt.verify_* with the cache; "
        "auto (default): the committed ones once they take cache_dir",
    )
    parser.add_argument(
        "--filler-marks", action="store_true",
        help="the corpus of figures before 2026-12-02: filler keeps quotation marks inside words, so spliced filler holds "
        "unpaired marks and the kit finds 'quotes' of filler that repeat across the corpus (matches grow with N^2)",
    )
    args = parser.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="qt-bench-run-"))
    corpus, out = work / "corpus", work / "reports"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "lib") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    qt = [sys.executable, "-m", "quotetrace.cli"]
    notebooks = None if args.notebooks == "committed" or (args.notebooks == "auto" and _takes_cache_dir()) else pipeline_notebooks(work / "notebooks")
    print("notebooks:", "the committed ones" if notebooks is None else "verify_quotes/verify_claims through qt.verify_* with cache_dir (bench copies)")
    if args.quotes_only:
        notebooks = [p for p in (notebooks or [ROOT / "notebooks" / "verify_quotes.ipynb"]) if p.name == "verify_quotes.ipynb"]
        print("only the quote report (verify_quotes.ipynb)")
    truth: dict[str, str] = {}
    try:
        if not (corpus / "manifest.csv").exists():
            t = time.perf_counter()
            planted = make_corpus(corpus, args.articles, filler_marks=args.filler_marks, truth=truth)
            size = sum(f.stat().st_size for f in corpus.iterdir()) / 1e6
            print(f"corpus: {args.articles} articles, {size:.1f} MB, {len(planted)} planted quotes, built in {time.perf_counter() - t:.1f} s")
        first = None
        if not truth:  # a kept corpus: its wordings, made again (make_corpus is deterministic)
            make_corpus(work / "truth-scratch", args.articles, filler_marks=args.filler_marks, truth=truth)
            shutil.rmtree(work / "truth-scratch", ignore_errors=True)
        for n, step in enumerate(args.steps.split(",")):
            if step == "add":
                make_corpus(corpus, 10, seed=99, first=10**6, filler_marks=args.filler_marks)
            if step == "find":
                text = (corpus / "000000.txt").read_text(encoding="utf-8")
                words = text.split("\u201c", 1)[1].split("\u201d", 1)[0]  # the first quote of the first article
                cmd = [*qt, "find", words, str(corpus), "--out", str(out)]
            elif notebooks is None:
                cmd = [*qt, "run", str(corpus), "--out", str(out), "--run-id", f"{n}-{step}"]
            else:
                call = (
                    "import sys; from quotetrace.run import run_report; "
                    f"r = run_report({str(corpus)!r}, out={str(out)!r}, run_id={f'{n}-{step}'!r}, "
                    f"notebooks={[str(p) for p in notebooks]!r}, progress=True); print(r.folder)"
                )
                cmd = [sys.executable, "-c", call]
            seconds, gb, code, tail, cpu = timed(cmd, env)
            extra = ""
            if step == "first":
                first = seconds
            elif first and step in ("rerun", "add"):
                extra = f"  ({seconds / first:.0%} of the first run, {first / seconds:.1f}x faster)"
            load = "/".join(f"{x:.1f}" for x in os.getloadavg())
            print(f"{step:6s} {args.articles:>6} articles: {seconds:7.1f} s  CPU {cpu:6.1f} s  peak {gb:5.2f} GB  load {load}  exit {code}{extra}")
            if code:
                print("   " + tail.replace("\n", "\n   "))
            else:
                report = out / "corpus" / f"{n}-{step}"
                went = breakdown(report, seconds) if step in ("first", "add") and report.is_dir() else ""
                if went:
                    print(f"       time: {went}")
                if step == "first" and (report / "clusters.csv").is_file():
                    print(f"       {cluster_check(report, truth)}")
            sys.stdout.flush()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
