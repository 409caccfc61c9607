"""Quote matching on Dask: time for 1, 2 and 4 local workers on a generated archive.

Builds the bench_match corpus (seeded; planted variants in unrelated text),
measures the in-process path and its cost per partition, then runs the same
``match_quotes`` on a ``distributed.LocalCluster`` of 1, 2 and 4 worker
processes (one thread each), checks each result equals the in-process one,
and prints wall times.

Usage::

    python benchmarks/bench_dask.py                       # 1,000 quotes x 50,000 articles of ~2,000 chars
    python benchmarks/bench_dask.py --articles 10000 --workers 1 2
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import pandas as pd  # noqa: E402

from bench_match import build  # noqa: E402
from quotetrace import MatchSettings, match_quotes  # noqa: E402
from quotetrace.index import CandidateIndex  # noqa: E402
from quotetrace.match import match_partition  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quotes", type=int, default=1000)
    ap.add_argument("--articles", type=int, default=50000)
    ap.add_argument("--chars", type=int, default=2000)
    ap.add_argument("--partition", type=int, default=2500)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    args = ap.parse_args(argv)
    from distributed import LocalCluster

    t = time.perf_counter()
    quotes, articles, truth = build(args.quotes, args.articles, args.chars, 3, 7)
    q = pd.DataFrame({"quote_id": [f"q{i}" for i in range(len(quotes))], "article_id": "src", "quote": quotes})
    a = pd.DataFrame({"article_id": [f"a{i}" for i in range(len(articles))], "text": articles})
    print(f"corpus: {len(quotes)} quotes x {len(articles)} articles of ~{args.chars} chars "
          f"({sum(map(len, articles)) / 1e6:.0f} MB), built in {time.perf_counter() - t:.0f} s; {os.cpu_count()} cores")
    t = time.perf_counter()
    index = CandidateIndex(quotes)
    t_index = time.perf_counter() - t
    t = time.perf_counter()
    match_partition(index=index, quote_articles=["src"] * len(quotes), article_ids=a["article_id"][: args.partition].tolist(),
                    article_texts=articles[: args.partition], offset=0, settings=MatchSettings())
    per_part = time.perf_counter() - t
    print(f"index of the quotes: {t_index:.2f} s; one partition of {args.partition} articles: {per_part:.2f} s "
          f"({per_part / args.partition * 1e3:.2f} ms per article)")
    t = time.perf_counter()
    here = match_quotes(q, a, include_missing=False)
    print(f"in process: {time.perf_counter() - t:.1f} s, {len(here)} matches")
    for n in args.workers:
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            t = time.perf_counter()
            there = match_quotes(q, a, include_missing=False, scheduler=cluster.scheduler_address, partition_size=args.partition)
            secs = time.perf_counter() - t
        same = there.equals(here)
        print(f"LocalCluster, {n} worker(s): {secs:.1f} s, identical to in-process: {same}")


if __name__ == "__main__":
    main()
