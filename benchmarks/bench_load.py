"""Memory and time of loading and extracting a large corpus: 20,000 articles, about 100 MB.

Writes a corpus of generated articles (seeded; realistic news paragraphs with
quotes, names, dates and numbers) to a temporary folder, then, each in its own
process so peak memory is its own:

* all at once: ``load_corpus`` then ``extract_quotes`` and ``extract_claims``
* streaming: ``iter_corpus(batch_size=...)``, extracting batch by batch and
  keeping only the quotes and claims

and prints wall time and peak memory (max RSS) of each step.

Usage::

    python benchmarks/bench_load.py                      # 20,000 articles of ~5 KB
    python benchmarks/bench_load.py --articles 2000 --claims
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import in_child  # noqa: E402

NAMES = ["Coun Ann Lee", "Dr Raj Patel", "Mr Tom Hart", "Cllr Jo Brand", "Sir Peter Hale", "Mayor Linda Park"]
ROLES = ["A council spokesman", "A police spokeswoman", "The union's general secretary, Paul Grant,"]
FILLER = (
    "The council met on Tuesday to discuss the budget, which has been under pressure since the spring. "
    "Residents have complained about potholes, bin collections and the closure of two libraries in the north of the borough. "
)


def make_article(rng: random.Random, i: int, size: int) -> str:
    paras = [f"Story {i}: {rng.choice(['Budget', 'Floods', 'Schools', 'Tweets'])} row deepens."]
    while sum(len(p) for p in paras) < size:
        who = rng.choice(NAMES + ROLES)
        n = rng.randint(2, 90)
        paras.append(FILLER)
        paras.append(f"{who} said: “We spent £{n}m on {n * 3} new homes last year and {rng.randint(1, 28)} March is the deadline.”")
        paras.append(f"“This is simply not good enough,” said {rng.choice(NAMES)}. “We will vote against it.”")
    return "\n\n".join(paras)


def write_corpus(folder: Path, n: int, size: int) -> int:
    rng = random.Random(11)
    total = 0
    for i in range(n):
        text = make_article(rng, i, size)
        (folder / f"{i:06d}.txt").write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
    return total


def all_at_once(folder: str, claims: bool, conn) -> None:
    from quotetrace import extract_claims, extract_quotes, load_corpus

    out = {}
    t = time.perf_counter()
    articles = load_corpus(folder)
    out["load"] = (time.perf_counter() - t, rss())
    t = time.perf_counter()
    quotes = extract_quotes(articles)
    out["extract_quotes"] = (time.perf_counter() - t, rss())
    if claims:
        t = time.perf_counter()
        found = extract_claims(articles)
        out["extract_claims"] = (time.perf_counter() - t, rss())
        out["n_claims"] = len(found)
    out["n_articles"], out["n_quotes"] = len(articles), len(quotes)
    conn.send(out)


def streaming(folder: str, claims: bool, batch: int, conn) -> None:
    import pandas as pd

    from quotetrace import extract_claims, extract_quotes, iter_corpus

    t = time.perf_counter()
    quotes, found, n = [], [], 0
    for articles in iter_corpus(folder, batch_size=batch):
        n += len(articles)
        quotes.append(extract_quotes(articles))
        if claims:
            found.append(extract_claims(articles))
    quotes = pd.concat(quotes, ignore_index=True)
    conn.send({"stream": (time.perf_counter() - t, rss()), "n_articles": n, "n_quotes": len(quotes),
               "n_claims": sum(len(f) for f in found)})


def rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=20000)
    ap.add_argument("--size", type=int, default=5000, help="characters per article")
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--claims", action="store_true", help="also extract claims (slower: pysbd sentence splitting)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        total = write_corpus(Path(tmp), args.articles, args.size)
        print(f"corpus: {args.articles} articles, {total / 1e6:.0f} MB, written in {time.perf_counter() - t:.1f} s")
        out = in_child(all_at_once, tmp, args.claims, start_method="spawn")
        print(f"all at once: {out['n_articles']} articles, {out['n_quotes']} quotes" + (f", {out['n_claims']} claims" if args.claims else ""))
        for step in ("load", "extract_quotes", "extract_claims"):
            if step in out:
                secs, mb = out[step]
                print(f"  {step:<15} {secs:7.1f} s   peak memory so far {mb:6.0f} MB")
        out = in_child(streaming, tmp, args.claims, args.batch, start_method="spawn")
        secs, mb = out["stream"]
        print(f"streaming (iter_corpus, batches of {args.batch}): {out['n_quotes']} quotes in {secs:.1f} s, peak memory {mb:.0f} MB")


if __name__ == "__main__":
    main()
