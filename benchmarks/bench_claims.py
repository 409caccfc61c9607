"""Speed of extract_claims and compare_claims on real English prose with planted numbers and dates.

    PYTHONPATH=lib python benchmarks/bench_claims.py compare 500 2000 50000   # compare_claims on N claims
    PYTHONPATH=lib python benchmarks/bench_claims.py paragraph 100 500 1000   # extract_claims on one K-KB paragraph

Prints wall and CPU time (the machine may be shared: CPU time is the steadier figure). The first paragraph's
time includes one-off loads (the sentence splitter, the first-name list for speakers' genders).

Stories are built from real sentences (benchmarks/_prose.py: Alice and the US Constitution) with a planted
number, amount, percentage or date in some of them; each story is carried by two or three outlets, the way a
real corpus repeats a story. ``compare`` extracts the claims once (not timed) and times compare_claims on the
first N; ``paragraph`` times extract_claims on one paragraph with no line breaks (a pasted transcript).
"""

from __future__ import annotations

import random
import sys
import time

sys.path.insert(0, "benchmarks")
import pandas as pd  # noqa: E402
from _prose import sentences  # noqa: E402

from quotetrace import compare_claims, extract_claims  # noqa: E402

NOUNS = ["soldiers", "gardeners", "houses", "pages", "votes", "boats", "tarts", "jurors", "miles", "members"]
MONTHS = "January February March April May June July August September October November December".split()


def _planted(rng: random.Random) -> str:
    k = rng.randrange(5)
    if k == 0:
        return f"{rng.randrange(2, 5000):,} {rng.choice(NOUNS)} were counted"
    if k == 1:
        return f"on {rng.randrange(1, 29)} {rng.choice(MONTHS)} {rng.randrange(1990, 2025)}"
    if k == 2:
        return f"the cost was £{rng.randrange(1, 900)}m"
    if k == 3:
        return f"turnout was {rng.randrange(1, 99)} per cent"
    return f"in {rng.choice(MONTHS)}"


def story(rng: random.Random, pool: tuple[str, ...], n_sentences: int = 8) -> str:
    start = rng.randrange(len(pool) - n_sentences)
    out = []
    for s in pool[start : start + n_sentences]:
        if rng.random() < 0.6:
            s = s.rstrip(".!?;:") + ", and " + _planted(rng) + "."
        out.append(s)
    return "\n\n".join(out)


def corpus(n_claims: int, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = random.Random(seed)
    pool = sentences()
    rows, claims, got, n = [], [], 0, 0
    while got < n_claims:
        text = story(rng, pool)
        arts = []
        for copy in range(rng.choice((2, 3))):
            arts.append({"article_id": f"a{n}", "outlet": f"Outlet {copy}", "path": f"a{n}.txt", "text": text,
                         "published": pd.Timestamp("2024-06-01"), "published_precision": "day"})
            n += 1
        batch = pd.DataFrame(arts)
        c = extract_claims(batch)
        rows.extend(arts)
        claims.append(c)
        got += len(c)
    return pd.DataFrame(rows), pd.concat(claims, ignore_index=True)


def bench_compare(sizes: list[int]) -> None:
    articles, claims = corpus(max(sizes))
    for n in sizes:
        part = claims.iloc[:n]
        t, cpu = time.perf_counter(), time.process_time()
        out = compare_claims(part, articles)
        dt = time.perf_counter() - t
        print(f"compare_claims {n:>7,} claims: {dt:7.2f} s (CPU {time.process_time() - cpu:6.2f} s)   {len(out):,} groups, "
              f"{(out['status'] == 'conflicting').sum()} conflicting")


def bench_paragraph(sizes_kb: list[int]) -> None:
    rng = random.Random(2)
    pool = sentences()
    for kb in sizes_kb:
        parts, size = [], 0
        while size < kb * 1000:
            s = rng.choice(pool)
            if rng.random() < 0.3:
                s = s.rstrip(".!?;:") + ", and " + _planted(rng) + "."
            parts.append(s)
            size += len(s) + 1
        text = " ".join(parts)
        arts = pd.DataFrame({"article_id": ["p"], "text": [text], "published": [pd.Timestamp("2024-06-01")],
                             "published_precision": ["day"]})
        t, cpu = time.perf_counter(), time.process_time()
        out = extract_claims(arts)
        print(f"extract_claims one {len(text) / 1000:,.0f} KB paragraph: {time.perf_counter() - t:7.2f} s "
              f"(CPU {time.process_time() - cpu:6.2f} s)   {len(out):,} claims")


if __name__ == "__main__":
    what, *sizes = sys.argv[1:]
    {"compare": bench_compare, "paragraph": bench_paragraph}[what]([int(s) for s in sizes])
