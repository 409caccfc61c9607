"""Speed, memory and accuracy of quote matching at newsroom scale, on real English prose.

Builds a corpus (seeded; offline once ``_prose`` has cached its public-domain text) of articles made of real
English sentences (Alice in Wonderland and the US Constitution: "of the", "said the", dialogue, names), with
quotes cut from prose held out of the filler (so each quote is its own statement) planted in some articles as
every kind of variant a fact-checker meets: exact, curly quotes, 1-2 typos, dropped words, truncation, an
ellipsis cut, combinations, and wire copy repeated in 2% of all articles. Then runs, each in its own process
so peak memory is its own:

* quotetrace: ``match_quotes`` (candidate index + word alignment), ``--repeat`` times;
* on the first ``--baseline-articles`` articles, the kit and the exhaustive baseline on the same pairs:
  ``rapidfuzz.process.cdist`` with ``fuzz.partial_ratio``, ``workers=-1``, ``score_cutoff=80``;

and prints wall and CPU time and peak memory (max RSS; min and median of the runs; on a shared machine CPU time
is the steadier figure, and the baseline's CPU time counts both its threads), recall per planted kind and
precision (pairs reported where nothing was planted are false matches).

Usage::

    python benchmarks/bench_match.py                       # 1,000 quotes x 10,000 articles; baseline on 1,000
    python benchmarks/bench_match.py --articles 2000 --baseline-articles 2000 --repeat 1
    python benchmarks/bench_match.py --text invented       # the old corpus of invented words
    python benchmarks/bench_match.py --clusters 500000 --articles 150 --repeat 1    # cluster_quotes at scale

``--clusters``' second step extracts, matches and clusters a corpus of ``--articles`` articles that keeps the
book's own dialogue marks, so its quotes (up to 1,300 words) recur across articles and the found pairs grow
with the square of the folder: 150 articles give 63,643 found pairs in about 100 s, 1,000 would take hours.
The 1,000-article check of the statements is ``bench_run``'s, on the report of the whole run.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import statistics
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
ALL_KINDS = KINDS + ["wire"]
# the status each planted kind should get
EXPECTED_STATUS = {"exact": "verbatim", "curly": "verbatim", "typo1": "variant", "typo2": "variant", "dropped": "variant",
                   "truncated": "partial", "ellipsis": "partial", "typo+truncated": "partial", "dropped+curly": "variant", "wire": "verbatim"}


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


def _prose_parts():
    """Real English prose split in two: the text quotes are taken from, and the filler articles are made
    of. Every third sentence is filler; the other two thirds, run together, are cut into quotes that do not
    overlap, so each planted quote is its own statement."""
    from _prose import sentences

    pool = sentences()
    filler = [s for n, s in enumerate(pool) if n % 3 == 0]
    held = " ".join(s for n, s in enumerate(pool) if n % 3 != 0)
    held = re.sub(r"(?<![\w])['\u2018\u2019\"\u201c\u201d]|['\u2018\u2019\"\u201c\u201d](?![\w])", "", held)
    return filler, held.split()


def _shingles(words: list[str], n: int = 5) -> set[tuple[str, ...]]:
    folded = [re.sub(r"\W+", "", w.lower()) for w in words]
    folded = [w for w in folded if w]
    return {tuple(folded[k : k + n]) for k in range(len(folded) - n + 1)}


def _prose_quotes(rng: random.Random, n: int, stream: list[str], filler: list[str]) -> list[str]:
    """``n`` quotes of 10-24 words cut from the held-out prose, none sharing five words in a row (what a partial match needs) with the
    filler or with another quote: each is identifiable, so a pair reported where it was not planted is a
    false match, not the book repeating itself."""
    taken = _shingles(" ".join(filler).split())
    quotes, k = [], 0
    while len(quotes) < n:
        size = rng.randint(10, 24)
        if k + size > len(stream):
            raise SystemExit(f"the held-out prose holds only {len(quotes)} distinct quotes; ask for fewer")
        ws = stream[k : k + size]
        sh = _shingles(ws)
        if sh & taken or sum(bool(re.search(r"\w", w)) for w in ws) < 8:
            k += 3
            continue
        taken |= sh
        k += size
        body = " ".join(ws).rstrip(",;:.!?-")
        quotes.append(body[0].upper() + body[1:] + ".")
    return quotes


def build(n_quotes: int, n_articles: int, chars: int, plants_per_quote: int, seed: int, text: str = "prose", wire: int = 0):
    """Quotes, articles and the planted truth {(quote index, article index): kind}.

    ``text="prose"``: articles of real English sentences (``_prose``), quotes from held-out prose;
    ``text="invented"``: the old generator of invented words (rare bigrams everywhere: easy on an index).
    ``wire``: that many extra quotes copied exactly into 2% of all articles (agency copy).
    """
    rng = random.Random(seed)
    if text == "prose":
        filler, stream = _prose_parts()
        quotes = _prose_quotes(rng, n_quotes + wire, stream, filler)

        def article_text() -> list[str]:
            out, size = [], 0
            while size < chars:
                out.append(rng.choice(filler))
                size += len(out[-1]) + 1
            return out
    else:
        w = Writer(seed)
        rng = w.rng
        quotes = [w.sentence_text(rng.randint(14, 30)).replace(".", "").capitalize() + "." for _ in range(n_quotes + wire)]

        def article_text() -> list[str]:
            return w.sentence_text(chars // 6).split(". ")
    # articles as lists of sentences; a planted quote goes between two filler sentences, never inside another plant
    articles = [article_text() for _ in range(n_articles)]
    truth = {}

    def put(qi: int, ai: int, kind: str) -> None:
        articles[ai].insert(rng.randint(0, len(articles[ai])), f"A spokesman said: {plant(rng, quotes[qi], kind)}")
        truth[(qi, ai)] = kind

    for qi in range(n_quotes):
        for ai in rng.sample(range(n_articles), plants_per_quote):
            if (qi, ai) not in truth:
                put(qi, ai, rng.choice(KINDS))
    for qi in range(n_quotes, n_quotes + wire):
        for ai in rng.sample(range(n_articles), max(1, n_articles // 50)):
            if (qi, ai) not in truth:
                put(qi, ai, "wire")
    sep = " " if text == "prose" else ". "
    articles = [sep.join(parts) for parts in articles]
    return quotes, articles, truth


def run_quotetrace(quotes, articles, conn):
    import pandas as pd

    from quotetrace import match_quotes

    q = pd.DataFrame({"quote_id": [f"q{i}" for i in range(len(quotes))], "article_id": "src", "quote": quotes})
    a = pd.DataFrame({"article_id": [f"a{i}" for i in range(len(articles))], "text": articles})
    t0, c0 = time.perf_counter(), time.process_time()
    m = match_quotes(q, a)
    m = m[m["status"] != "missing"]  # (a kit that lists every pair lists the missing ones too)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    found = {(int(r.quote_id[1:]), int(r.article_id[1:])): str(r.status) for r in m.itertuples()}
    conn.send((secs, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, found, cpu))


def run_baseline(quotes, articles, conn):
    from rapidfuzz import fuzz, process

    t0, c0 = time.perf_counter(), time.process_time()
    scores = process.cdist(quotes, articles, scorer=fuzz.partial_ratio, workers=-1, score_cutoff=80, dtype="uint8")
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    qi, ai = scores.nonzero()
    found = {(int(a), int(b)): "match" for a, b in zip(qi, ai)}
    conn.send((secs, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, found, cpu))


def planted_baseline(quotes, articles, truth):
    """The exhaustive baseline's decision on every planted pair: (secs, rss, cpu, found)."""
    from rapidfuzz import fuzz

    t0, c0 = time.perf_counter(), time.process_time()
    found = {k: "match" for k in truth if fuzz.partial_ratio(quotes[k[0]], articles[k[1]], score_cutoff=80)}
    return time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, time.process_time() - c0, found


def score(found, truth, n_articles) -> dict:
    """Recall per planted kind, precision, and (for the kit) statuses as planted, on articles [0, n_articles)."""
    truth = {k: v for k, v in truth.items() if k[1] < n_articles}
    recall = {}
    for kind in ALL_KINDS:
        pairs = [k for k, v in truth.items() if v == kind]
        recall[kind] = (sum(1 for k in pairs if k in found), len(pairs))
    unrelated = sum(1 for k in found if k not in truth)
    agree = sum(1 for k, v in truth.items() if found.get(k) == EXPECTED_STATUS[v])
    return {"recall": recall, "reported": len(found), "unrelated": unrelated, "as_planted": agree,
            "found_planted": sum(1 for k in truth if k in found)}


def _times(runs) -> str:
    secs = sorted(r[0] for r in runs)
    cpu = sorted(r[3] for r in runs)
    rss = sorted(r[1] / 1024 for r in runs)
    med = statistics.median
    return (f"wall {secs[0]:.2f} s min, {med(secs):.2f} s median of {len(runs)}; CPU {cpu[0]:.2f} s min, {med(cpu):.2f} s median; "
            f"peak RSS {rss[0]:.0f} MB min, {med(rss):.0f} MB median")


def report(columns: list[tuple[str, list, dict]]) -> None:
    """Print the runs side by side: time and memory, then recall per kind and precision."""
    for name, runs, sc in columns:
        print(f"  {name}: {_times(runs)}")
    head = "".join(f"{name[:26]:>28}" for name, _, _ in columns)
    print(f"  {'':<16}{head}")
    for kind in ALL_KINDS:
        cells = []
        for _, _, sc in columns:
            hit, n = sc["recall"][kind]
            cells.append(f"{hit / n:.3f} ({hit}/{n})" if n else "-")
        if any(c != "-" for c in cells):
            print(f"  recall {kind:<9}" + "".join(f"{c:>28}" for c in cells))
    cells = []
    for _, _, sc in columns:
        rep, bad = sc["reported"], sc["unrelated"]
        cells.append("not measured" if rep is None else f"{(rep - bad) / rep if rep else float('nan'):.4f} ({bad} false)")
    print(f"  {'precision':<16}" + "".join(f"{c:>28}" for c in cells))
    sc = columns[0][2]
    print(f"  {columns[0][0]}: status as planted for {sc['as_planted']} of {sc['found_planted']} planted pairs found")


def cluster_corpus(n_quotes: int, seed: int):
    """Quotes, sparse matches and articles for timing ``cluster_quotes`` at scale (no article text needed):
    statements of real prose quoted in 1-5 sources each (20 quotes per article), every copy found at every
    other copy (verbatim, or variant for a copy with a typo), plus short quotes ("Yes.") and quoted terms
    found verbatim at each other across many articles. Returns quotes, matches, articles and the statement
    number of each quote."""
    import numpy as np
    import pandas as pd

    from _prose import sentences

    rng = np.random.default_rng(seed)
    pool = [x for x in sentences() if 8 <= len(x.split()) <= 40]
    n_articles = max(2, n_quotes // 20)
    copies = rng.choice([1, 1, 2, 3, 5], size=n_quotes)
    copies = copies[np.cumsum(copies) <= n_quotes]
    statement = np.repeat(np.arange(len(copies)), copies)
    extra = n_quotes - len(statement)  # short quotes and terms, in groups of 10 with the same wording
    statement = np.concatenate([statement, len(copies) + np.arange(extra) // 10])
    n_st = int(statement.max()) + 1
    text = [pool[k % len(pool)] + f" ({k})" for k in range(len(copies))] + [("Yes.", "a scandal")[k % 2] for k in range(n_st - len(copies))]
    article = rng.integers(0, n_articles, size=n_quotes)
    order = np.lexsort((np.arange(n_quotes), article))
    slot = np.empty(n_quotes, dtype=np.int64)
    slot[order] = np.arange(n_quotes) - np.searchsorted(article[order], article[order])
    start = slot * 400
    q_text = [text[s] for s in statement.tolist()]
    quotes = pd.DataFrame({
        "quote_id": [f"q{i:07d}" for i in range(n_quotes)], "article_id": [f"a{x:06d}" for x in article],
        "start": start, "end": start + np.array([len(t) for t in q_text]), "quote": q_text,
        "speaker": ["Jones"] * n_quotes, "kind": ["term" if t == "a scandal" else "speech" for t in q_text],
    })
    # every copy found at every other copy of its statement
    by = np.argsort(statement, kind="stable")
    bounds = np.searchsorted(statement[by], np.arange(n_st + 1))
    qi, qj = [], []
    for st in range(n_st):
        members = by[bounds[st] : bounds[st + 1]]
        if len(members) > 1:
            a, b = np.meshgrid(members, members)
            keep = a != b
            qi.append(a[keep])
            qj.append(b[keep])
    qi, qj = np.concatenate(qi), np.concatenate(qj)
    keep = article[qi] != article[qj]
    qi, qj = qi[keep], qj[keep]
    matches = pd.DataFrame({
        "quote_id": quotes["quote_id"].to_numpy()[qi], "article_id": quotes["article_id"].to_numpy()[qj],
        "status": np.where(rng.random(len(qi)) < 0.8, "verbatim", "variant"), "coverage": 1.0,
        "start": start[qj], "end": quotes["end"].to_numpy()[qj],
    })
    articles = pd.DataFrame({"article_id": [f"a{x:06d}" for x in range(n_articles)], "outlet": "Outlet",
                             "published": pd.NaT, "published_precision": "day"})
    return quotes, matches, articles, statement


def run_clusters(n_quotes: int, seed: int, conn):
    from quotetrace import cluster_quotes

    quotes, matches, articles, statement = cluster_corpus(n_quotes, seed)
    t0, c0 = time.perf_counter(), time.process_time()
    clusters = cluster_quotes(quotes, matches, articles)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    st = dict(zip(quotes["quote_id"], statement.tolist()))
    mixed = sum(1 for ids in clusters["quote_ids"] if len({st[q] for q in ids}) > 1)
    conn.send((secs, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, len(matches), cpu, len(clusters), int(statement.max()) + 1, mixed))


def run_prose_clusters(n_articles: int, seed: int, conn):
    """extract, match and cluster the real-prose corpus: how large is the largest cluster, and is it one statement?"""
    import pandas as pd

    from quotetrace import cluster_quotes, extract_quotes, match_quotes
    from quotetrace.text import fold

    _, articles, _ = build(1000, n_articles, 5000, 3, seed, "prose", 10)
    a = pd.DataFrame({"article_id": [f"a{i:05d}" for i in range(len(articles))], "text": articles,
                      "outlet": "Outlet", "published": pd.NaT, "published_precision": "day"})
    quotes = extract_quotes(a)
    matches = match_quotes(quotes, a)
    t0 = time.perf_counter()
    clusters = cluster_quotes(quotes, matches, a)
    secs = time.perf_counter() - t0
    text = dict(zip(quotes["quote_id"], quotes["quote"]))
    big = clusters.sort_values("n_quotes", ascending=False).head(5)
    top = [(int(r.n_quotes), len({fold(text[q]) for q in r.quote_ids}), r.canonical[:60]) for r in big.itertuples()]
    conn.send((len(quotes), len(matches), len(clusters), secs, top))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quotes", type=int, default=1000)
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--chars", type=int, default=5000)
    ap.add_argument("--plants", type=int, default=3, help="articles each quote is planted in")
    ap.add_argument("--wire", type=int, default=10, help="extra quotes copied exactly into 2%% of all articles")
    ap.add_argument("--baseline-articles", type=int, default=1000,
                    help="articles both the kit and the exhaustive baseline search, to compare on the same pairs (0 to skip)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of the kit (min and median are printed)")
    ap.add_argument("--text", choices=("prose", "invented"), default="prose", help="real English prose, or the old invented words")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--clusters", type=int, default=0, metavar="N",
                    help="instead: time cluster_quotes on N quotes (e.g. 500000), and cluster the real-prose corpus of --articles")
    args = ap.parse_args(argv)
    if args.clusters:
        runs = [in_child(run_clusters, args.clusters, args.seed) for _ in range(max(1, args.repeat))]
        r = runs[0]
        print(f"cluster_quotes, {args.clusters} quotes, {r[2]} found pairs, {r[5]} statements: {_times(runs)}")
        print(f"  {r[4]} clusters; {r[6]} clusters mix quotes of different statements")
        n_q, n_m, n_c, secs, top = in_child(run_prose_clusters, args.articles, args.seed)
        print(f"real prose, {args.articles} articles: {n_q} quotes, {n_m} found pairs, {n_c} clusters in {secs:.1f} s; largest:")
        for size, wordings, canonical in top:
            print(f"  {size} quotes ({100 * size / n_q:.2f}% of all), {wordings} distinct wording(s): {canonical!r}")
        return
    t0 = time.perf_counter()
    quotes, articles, truth = build(args.quotes, args.articles, args.chars, args.plants, args.seed, args.text, args.wire)
    print(f"corpus ({args.text}): {len(quotes)} quotes x {len(articles)} articles of ~{args.chars} chars, "
          f"{len(truth)} planted pairs; built in {time.perf_counter() - t0:.1f} s; "
          f"parent RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB (inherited by each child)")
    runs = [in_child(run_quotetrace, quotes, articles) for _ in range(max(1, args.repeat))]
    print(f"\nquotetrace match_quotes, {len(quotes)} quotes x {len(articles)} articles:")
    planted = planted_baseline(quotes, articles, truth)
    report([("quotetrace", runs, score(runs[0][2], truth, len(articles))), ("baseline, planted pairs only", [planted[:2] + (None, planted[2])], score(planted[3], truth, len(articles)) | {"reported": None})])
    print("  (the baseline's recall on the whole corpus: partial_ratio >= 80 on each planted pair, which is what cdist decides "
          "for that pair; its time here is for those pairs only, and its precision is not measured)")
    if args.baseline_articles:
        n = min(args.baseline_articles, len(articles))
        kit = [in_child(run_quotetrace, quotes, articles[:n]) for _ in range(max(1, args.repeat))]
        base = [in_child(run_baseline, quotes, articles[:n])]
        print(f"\nthe same {len(quotes)} quotes x first {n} articles, kit against the exhaustive baseline "
              "(rapidfuzz cdist, partial_ratio, workers=-1, score_cutoff=80):")
        report([("quotetrace", kit, score(kit[0][2], truth, n)), ("baseline", base, score(base[0][2], truth, n))])
        for what, x in (("wall", 0), ("CPU", 3)):
            ratio = min(b[x] for b in base) / min(k[x] for k in kit)
            scaled = min(b[x] for b in base) * len(articles) / n
            print(f"  {what}: kit {ratio:.1f}x faster than the baseline on the same pairs (min times); the baseline scaled "
                  f"linearly to {len(articles)} articles: ~{scaled:.0f} s, {scaled / min(r[x] for r in runs):.0f}x the kit's full run")


if __name__ == "__main__":
    main()
