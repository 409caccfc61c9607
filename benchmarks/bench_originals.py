"""Accuracy and speed of checking quotes against the originals (``check_originals``), on real prose.

The originals are ~1 million words of speaker turns (a year of council transcripts, say) built from
real English sentences (``_prose``: Alice in Wonderland and the US Constitution). Planted in them,
each exactly once, are the sentences that the "articles" then report, altered the ways reporters
alter quotes:

* ``accurate``: the words as said;
* ``typo``: one word misspelt (two letters swapped or one doubled) → expected ``misquoted``, with that
  word as the difference;
* ``dropped``: one word in the middle left out → expected ``cut``, showing that word;
* ``cut``: 3-6 words in the middle left out, half of them marked with an ellipsis → expected ``cut``,
  showing the words;
* ``misattributed``: the words as said, but the article names another speaker → ``misattributed``;
* ``absent``: a real sentence that is in no original → ``not_in_originals``.

The rest of the originals is the other sentences of the same prose, shuffled and repeated to reach
the size asked for (a sentence that is quoted is never in the filler). Prints the recall per kind
(the verdict, and the verdict with the right evidence), the share of altered or absent quotes called
``accurate`` (false accurate), and the wall time of ``check_originals``.

Usage::

    python benchmarks/bench_originals.py                    # 1,000 quotes x 1,000,000 words
    python benchmarks/bench_originals.py --quotes 200 --words 100000
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import pandas as pd  # noqa: E402

from _prose import sentences  # noqa: E402
from quotetrace import check_originals  # noqa: E402

KINDS = {"accurate": 0.25, "typo": 0.2, "dropped": 0.2, "cut": 0.2, "misattributed": 0.05, "absent": 0.1}
EXPECTED = {"accurate": "accurate", "typo": "misquoted", "dropped": "cut", "cut": "cut", "misattributed": "misattributed", "absent": "not_in_originals"}


def _typo(word: str, rng: random.Random) -> str:
    """Swap two inner letters (when they differ) or double one."""
    inner = [i for i in range(1, len(word) - 2) if word[i] != word[i + 1] and word[i].isalpha() and word[i + 1].isalpha()]
    if inner and rng.random() < 0.6:
        i = rng.choice(inner)
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i] + word[i:]


def _alter(kind: str, sentence: str, rng: random.Random):
    """The reported quote and the evidence expected: (quote, expected words)."""
    words = sentence.split()
    if kind in ("accurate", "misattributed", "absent"):
        return sentence, None
    if kind == "typo":
        choices = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
        i = rng.choice(choices)
        bad = _typo(words[i], rng)
        return " ".join(words[:i] + [bad] + words[i + 1 :]), (bad, words[i])
    if kind == "dropped":
        i = rng.randrange(2, len(words) - 2)
        return " ".join(words[:i] + words[i + 1 :]), words[i]
    n = rng.randint(3, 6)
    i = rng.randrange(4, len(words) - 4 - n + 1)
    mark = ["…"] if rng.random() < 0.5 else []
    return " ".join(words[:i] + mark + words[i + n :]), " ".join(words[i : i + n])


def _plain(text: str) -> str:
    return " ".join(w.strip(".,;:!?'\"‘’“”()-—").lower() for w in text.split())


def build(n_quotes: int, n_words: int, seed: int = 19, sizes: tuple[int, int] = (120, 260)):
    rng = random.Random(seed)
    pool = list(dict.fromkeys(sentences()))
    quotable = [s for s in pool if 14 <= len(s.split()) <= 60 and any(len(w) >= 5 and w.isalpha() for w in s.split())]
    rng.shuffle(quotable)
    # about one planted sentence per 1.6 reports (an original is often reported more than once)
    kinds = [k for k, share in KINDS.items() for _ in range(round(share * n_quotes))][:n_quotes]
    rng.shuffle(kinds)
    n_absent = kinds.count("absent")
    n_planted = min(len(quotable) - n_absent, max(1, int((n_quotes - n_absent) / 1.6)))
    planted, absent = quotable[:n_planted], quotable[n_planted : n_planted + n_absent]
    used = set(planted) | set(absent)
    filler = [s for s in pool if s not in used]
    speakers = [f"Speaker {chr(65 + k // 26)}{chr(65 + k % 26)} Person{k}" for k in range(40)]
    # the stream of sentences: filler repeated in shuffled rounds, each planted sentence once
    stream, words = [], 0
    target = n_words - sum(len(s.split()) for s in planted)
    while words < target:
        round_ = filler[:]
        rng.shuffle(round_)
        for s in round_:
            stream.append(s)
            words += len(s.split())
            if words >= target:
                break
    for s in planted:
        stream.insert(rng.randrange(len(stream) + 1), s)
    planted_set = set(planted)
    originals, where = [], {}
    turn: list[str] = []
    size = rng.randint(*sizes)
    for k, sentence in enumerate(stream):
        turn.append(sentence)
        if sentence in planted_set:
            where[sentence] = len(originals)  # the turn being built
        if sum(len(x.split()) for x in turn) >= size or k == len(stream) - 1:
            originals.append({"original_id": f"o{len(originals)}", "speaker": rng.choice(speakers), "text": " ".join(turn)})
            turn, size = [], rng.randint(*sizes)
    where = {sentence: originals[i] for sentence, i in where.items()}
    quotes, truth = [], []
    cursor = 0
    for k, kind in enumerate(kinds):
        if kind == "absent":
            sentence = absent[kinds[:k].count("absent")]
            speaker = rng.choice(speakers)
        else:
            sentence = planted[cursor % len(planted)]
            cursor += 1
            true = where[sentence]["speaker"]
            speaker = true if kind != "misattributed" else rng.choice([s for s in speakers if s != true])
        if kind == "typo" and not any(len(w) >= 5 and w.isalpha() for w in sentence.split()):
            kind = "accurate"
        quote, expect = _alter(kind, sentence, rng)
        quotes.append({"quote_id": f"q{k}", "article_id": f"a{k}", "quote": quote, "speaker": speaker})
        truth.append((kind, expect, where.get(sentence, {}).get("original_id")))
    total = sum(len(o["text"].split()) for o in originals)
    return pd.DataFrame(quotes), pd.DataFrame(originals), truth, total


def evaluate(checks: pd.DataFrame, truth) -> dict:
    verdict_ok, evidence_ok, total = Counter(), Counter(), Counter()
    false_accurate = altered = 0
    for row, (kind, expect, oid) in zip(checks.to_dict("records"), truth):
        total[kind] += 1
        got = str(row["verdict"])
        if got == EXPECTED[kind]:
            verdict_ok[kind] += 1
            if kind in ("accurate", "misattributed"):
                good = row["original_id"] == oid
            elif kind == "typo":
                good = any(_plain(a) == _plain(expect[0]) and _plain(b) == _plain(expect[1]) for a, b in row["differences"])
            elif kind in ("dropped", "cut"):
                shown = " ".join(row["left_out"] + row["hidden_by_ellipsis"])
                good = _plain(expect) in _plain(shown) and row["original_id"] == oid
            else:
                good = True
            evidence_ok[kind] += good
        if kind != "accurate" and kind != "misattributed" and got == "accurate":
            false_accurate += 1
        altered += kind not in ("accurate", "misattributed")
    return {"verdict": verdict_ok, "evidence": evidence_ok, "total": total, "false_accurate": false_accurate, "altered": altered}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quotes", type=int, default=1000)
    ap.add_argument("--words", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--sizes", default="120,260", help="min,max words per original (speaker turn); 20,50 for tweets")
    ap.add_argument("--show-errors", type=int, default=0, help="print this many wrong verdicts")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    lo, hi = (int(x) for x in args.sizes.split(","))
    quotes, originals, truth, words = build(args.quotes, args.words, args.seed, (lo, hi))
    built = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    checks = check_originals(quotes, originals)
    took, cpu = time.perf_counter() - t0, time.process_time() - c0
    r = evaluate(checks, truth)
    print(f"{len(quotes)} quotes against {len(originals)} originals ({words:,} words; built in {built:.1f} s)")
    print(f"check_originals: {took:.2f} s wall, {cpu:.2f} s CPU (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"{'kind':<14}{'n':>6}{'verdict':>10}{'+evidence':>11}")
    for kind in KINDS:
        n = r["total"][kind]
        if n:
            print(f"{kind:<14}{n:>6}{r['verdict'][kind] / n:>10.3f}{r['evidence'][kind] / n:>11.3f}")
    print(f"false accurate: {r['false_accurate']} of {r['altered']} altered or absent quotes ({r['false_accurate'] / max(1, r['altered']):.2%})")
    shown = 0
    for row, (kind, expect, oid) in zip(checks.to_dict("records"), truth):
        if shown >= args.show_errors:
            break
        if str(row["verdict"]) != EXPECTED[kind]:
            shown += 1
            print(f"\n[{kind}] expected {EXPECTED[kind]}, got {row['verdict']} ({row['status']}); planted in {oid}, found in {row['original_id']}")
            print("  quote:   ", row["quote"][:200])
            print("  original:", str(row["original_text"])[:200])
            print("  evidence:", row["evidence"][:300])
            print("  expect:  ", expect)


if __name__ == "__main__":
    main()
