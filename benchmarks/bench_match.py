"""Speed, memory and accuracy of quote matching at newsroom scale.

Generates a corpus (seeded, offline) of articles of unrelated text with
quotes planted in some of them as every kind of variant a fact-checker meets
(exact, curly quotes, 1-2 typos, dropped words, truncation, ellipsis cut, and
combinations), then runs, each in its own process so peak memory is its own:

* quotetrace: ``match_quotes`` (candidate index + word alignment)
* the exhaustive baseline: ``rapidfuzz.process.cdist`` with ``fuzz.partial_ratio``,
  ``workers=-1``, ``score_cutoff=80``

and prints wall time, peak memory (max RSS), and recall per variant kind and
precision on the planted truth.

Usage::

    python benchmarks/bench_match.py                       # 1,000 quotes x 10,000 articles; baseline on 2,000
    python benchmarks/bench_match.py --articles 2000 --baseline-articles 2000
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import in_child  # noqa: E402

FUNCTION_WORDS = (
    "the of and to a in that is was he for it with as his on be at by i this had not are but from or have an they "
    "which one you were her all she there would their we him been has when who will more no if out so said what up "
    "its about into than them can only other new some could time these two may then do first any my now such like "
    "our over man me even most made after also did many before must through back years where much your way well down "
    "should because each just those people how too little state good very make world still own see men work long get "
    "here between both life being under never day same another know while last might us great old year off come since"
).split()
KINDS = ["exact", "curly", "typo1", "typo2", "dropped", "truncated", "ellipsis", "typo+truncated", "dropped+curly"]
# the status each planted kind should get
EXPECTED_STATUS = {"exact": "verbatim", "curly": "verbatim", "typo1": "variant", "typo2": "variant", "dropped": "variant",
                   "truncated": "partial", "ellipsis": "partial", "typo+truncated": "partial", "dropped+curly": "variant"}


def make_vocab(rng: random.Random, n: int = 30000) -> list[str]:
    syll = ["ba", "ko", "ri", "tan", "mel", "so", "vik", "ul", "den", "pra", "qui", "zor", "ha", "ne", "lo", "mis", "tre", "gu", "fa", "ye"]
    words = set()
    while len(words) < n:
        words.add("".join(rng.choice(syll) for _ in range(rng.randint(2, 4))))
    return sorted(words)


class Writer:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.vocab = make_vocab(self.rng)
        # Zipf-like weights for content words
        self.weights = [1.0 / (r + 1) ** 0.9 for r in range(len(self.vocab))]

    def words(self, n: int) -> list[str]:
        out = []
        content = self.rng.choices(self.vocab, weights=self.weights, k=n)
        for w in content:
            out.append(self.rng.choice(FUNCTION_WORDS) if self.rng.random() < 0.45 else w)
        return out

    def sentence_text(self, n_words: int) -> str:
        ws = self.words(n_words)
        out, k = [], 0
        while k < len(ws):
            n = self.rng.randint(8, 20)
            chunk = ws[k : k + n]
            out.append(" ".join(chunk).capitalize() + ".")
            k += n
        return " ".join(out)


def typo(rng: random.Random, word: str) -> str:
    """Swap two neighbouring letters (or add an s to a short word); never a no-op."""
    swaps = [i for i in range(1, len(word) - 1) if word[i] != word[i + 1]] if len(word) >= 4 else []
    if not swaps:
        return word + "s"
    i = rng.choice(swaps)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def plant(rng: random.Random, quote: str, kind: str) -> str:
    ws = quote.rstrip(".").split()
    n = len(ws)
    if "typo" in kind:
        k = 2 if kind == "typo2" else 1
        for i in rng.sample(range(1, n - 1), k):
            ws[i] = typo(rng, ws[i])
    if "dropped" in kind:
        for i in sorted(rng.sample(range(1, n - 1), rng.randint(1, 2)), reverse=True):
            del ws[i]
    if "truncated" in kind:
        ws = ws[: max(6, int(len(ws) * rng.uniform(0.5, 0.8)))]
    if kind == "ellipsis":
        a = int(n * 0.35)
        b = a + max(3, int(n * rng.uniform(0.2, 0.35)))
        ws = ws[:a] + ["\u2026"] + ws[b:]
    body = " ".join(ws).replace(" \u2026", " \u2026")
    if "curly" in kind:
        return f"\u201c{body}.\u201d"
    return f'"{body}."'


def build(n_quotes: int, n_articles: int, chars: int, plants_per_quote: int, seed: int):
    w = Writer(seed)
    rng = w.rng
    quotes = [w.sentence_text(rng.randint(14, 30)).replace(".", "").capitalize() + "." for _ in range(n_quotes)]
    words_per_article = chars // 6
    articles = [w.sentence_text(words_per_article) for _ in range(n_articles)]
    truth = {}
    for qi, q in enumerate(quotes):
        for ai in rng.sample(range(n_articles), plants_per_quote):
            if (qi, ai) in truth:
                continue
            kind = rng.choice(KINDS)
            text = articles[ai]
            cut = rng.randint(0, len(text))
            cut = text.rfind(". ", 0, cut) + 2 if text.rfind(". ", 0, cut) > 0 else 0
            articles[ai] = text[:cut] + f"A spokesman said: {plant(rng, q, kind)} " + text[cut:]
            truth[(qi, ai)] = kind
    return quotes, articles, truth


def run_quotetrace(quotes, articles, conn):
    import pandas as pd

    from quotetrace import match_quotes

    q = pd.DataFrame({"quote_id": [f"q{i}" for i in range(len(quotes))], "article_id": "src", "quote": quotes})
    a = pd.DataFrame({"article_id": [f"a{i}" for i in range(len(articles))], "text": articles})
    t0 = time.perf_counter()
    m = match_quotes(q, a, include_missing=False)
    secs = time.perf_counter() - t0
    found = {(int(r.quote_id[1:]), int(r.article_id[1:])): str(r.status) for r in m.itertuples()}
    conn.send((secs, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, found))


def run_baseline(quotes, articles, conn):
    from rapidfuzz import fuzz, process

    t0 = time.perf_counter()
    scores = process.cdist(quotes, articles, scorer=fuzz.partial_ratio, workers=-1, score_cutoff=80, dtype="uint8")
    secs = time.perf_counter() - t0
    qi, ai = scores.nonzero()
    found = {(int(a), int(b)): "match" for a, b in zip(qi, ai)}
    conn.send((secs, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, found))


def summarise(name, secs, rss_kb, found, truth, n_articles):
    truth = {k: v for k, v in truth.items() if k[1] < n_articles}
    print(f"\n{name}: {secs:.2f} s wall, peak memory {rss_kb / 1024:.0f} MB (max RSS of its process)")
    for kind in KINDS:
        pairs = [k for k, v in truth.items() if v == kind]
        hit = sum(1 for k in pairs if k in found)
        print(f"  recall {kind:<15} {hit / len(pairs) if pairs else float('nan'):.3f}  ({hit}/{len(pairs)})")
    reported = len(found)
    unrelated = sum(1 for k in found if k not in truth)
    hits = reported - unrelated
    print(f"  precision {hits / reported if reported else float('nan'):.4f}  ({unrelated} unrelated pairs reported of {reported})")
    if name == "quotetrace":
        from collections import Counter

        agree = Counter(found.get(k) == EXPECTED_STATUS[v] for k, v in truth.items() if k in found)
        print(f"  status as planted: {agree[True]}/{agree[True] + agree[False]}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quotes", type=int, default=1000)
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--chars", type=int, default=5000)
    ap.add_argument("--plants", type=int, default=3, help="articles each quote is planted in")
    ap.add_argument("--baseline-articles", type=int, default=2000, help="articles the exhaustive baseline searches (0 to skip)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    quotes, articles, truth = build(args.quotes, args.articles, args.chars, args.plants, args.seed)
    print(f"corpus: {len(quotes)} quotes x {len(articles)} articles of ~{args.chars} chars, "
          f"{len(truth)} planted pairs; built in {time.perf_counter() - t0:.1f} s; "
          f"parent RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB (inherited by each child)")
    secs, rss, found = in_child(run_quotetrace, quotes, articles)
    summarise("quotetrace", secs, rss, found, truth, len(articles))
    if args.baseline_articles:
        n = min(args.baseline_articles, len(articles))
        secs, rss, found = in_child(run_quotetrace, quotes, articles[:n])
        summarise(f"quotetrace on the baseline's {n} articles", secs, rss, found, truth, n)
        secs, rss, found = in_child(run_baseline, quotes, articles[:n])
        summarise(f"baseline cdist(partial_ratio) on {n} articles", secs, rss, found, truth, n)


if __name__ == "__main__":
    main()
