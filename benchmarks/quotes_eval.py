"""Evaluate quote extraction against hand-labelled gold sets.

Usage::

    python benchmarks/quotes_eval.py                      # the bundled gold sets
    python benchmarks/quotes_eval.py GOLD.jsonl CORPUS    # any other labelled set (repeatable pairs)

A gold set is a JSONL file, one quotation per line::

    {"path": "001_x.txt", "start": 812, "end": 930, "quote": "…", "speaker": "Michael Jones", "kind": "speech"}

``path`` is relative to CORPUS (a folder load_corpus reads), ``text[start:end]
== quote`` (content without quotation marks), ``speaker`` is the fullest name
the article gives (``null`` for nobody), ``kind`` is ``speech`` or ``term``.
benchmarks/make_quotes_gold.py turns a hand-written list of quotes into this
format.

Prints, per set and overall: precision/recall/F1 of quote spans (exact, and
overlap ≥ 50% of the longer span), speaker accuracy (over gold *speech* quotes
that were found; names compared ignoring case, apostrophe style and a leading
"a"/"the"), and kind accuracy (over all found gold quotes).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from quotetrace import extract_quotes, load_corpus  # noqa: E402

DEFAULT_SETS = [
    (ROOT / "tests/fixtures/tweetgate_quotes_gold.jsonl", ROOT / "data/corpora/tweetgate"),
    (ROOT / "tests/fixtures/quotes_handmade_gold.jsonl", ROOT / "tests/fixtures/quotes_handmade"),
]


def norm_speaker(name):
    if name is None or (isinstance(name, float)) or str(name) in ("", "nan", "None", "<NA>"):
        return None
    s = str(name).lower().replace("\u2019", "'").strip()
    for lead in ("a ", "an ", "the "):
        if s.startswith(lead):
            s = s[len(lead):]
    return s


def overlap(a, b):
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return inter / max(a[1] - a[0], b[1] - b[0])


def evaluate(gold_path: Path, corpus: Path) -> dict:
    articles = load_corpus(corpus)
    by_path = dict(zip(articles["path"], articles["article_id"]))
    quotes = extract_quotes(articles)
    gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    pred = {}
    for row in quotes.itertuples():
        pred.setdefault(row.article_id, []).append(row)
    counts = {"gold": len(gold), "pred": len(quotes), "exact": 0, "overlap": 0, "spk_n": 0, "spk_ok": 0, "kind_n": 0, "kind_ok": 0}
    errors = []
    used = set()
    for g in gold:
        aid = by_path[g["path"]]
        cands = pred.get(aid, [])
        best = max(cands, key=lambda r: overlap((g["start"], g["end"]), (r.start, r.end)), default=None)
        ov = overlap((g["start"], g["end"]), (best.start, best.end)) if best is not None else 0
        if best is not None and best.start == g["start"] and best.end == g["end"]:
            counts["exact"] += 1
        if ov >= 0.5:
            counts["overlap"] += 1
            used.add(best.quote_id)
            counts["kind_n"] += 1
            counts["kind_ok"] += best.kind == g["kind"]
            if best.kind != g["kind"]:
                errors.append(f"  kind   {g['path']}: {g['quote'][:50]!r} gold={g['kind']} got={best.kind}")
            if g["kind"] == "speech":
                counts["spk_n"] += 1
                ok = norm_speaker(best.speaker) == norm_speaker(g["speaker"])
                counts["spk_ok"] += ok
                if not ok:
                    errors.append(f"  speaker {g['path']}: {g['quote'][:50]!r} gold={g['speaker']} got={best.speaker}")
        else:
            errors.append(f"  missed {g['path']}: {g['quote'][:60]!r}")
    for row in quotes.itertuples():
        if row.quote_id not in used:
            errors.append(f"  extra  {row.article_id}: {row.quote[:60]!r}")
    counts["errors"] = errors
    return counts


def prf(hit_gold, n_gold, hit_pred, n_pred):
    p = hit_pred / n_pred if n_pred else 0.0
    r = hit_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def report(name, c):
    ex = prf(c["exact"], c["gold"], c["exact"], c["pred"])
    ov = prf(c["overlap"], c["gold"], c["overlap"], c["pred"])
    spk = c["spk_ok"] / c["spk_n"] if c["spk_n"] else float("nan")
    kind = c["kind_ok"] / c["kind_n"] if c["kind_n"] else float("nan")
    print(f"{name}: gold={c['gold']} predicted={c['pred']}")
    print(f"  spans exact     P={ex[0]:.3f} R={ex[1]:.3f} F1={ex[2]:.3f}")
    print(f"  spans overlap50 P={ov[0]:.3f} R={ov[1]:.3f} F1={ov[2]:.3f}")
    print(f"  speaker accuracy {spk:.3f} ({c['spk_ok']}/{c['spk_n']} speech quotes)")
    print(f"  kind accuracy    {kind:.3f} ({c['kind_ok']}/{c['kind_n']})")
    return ex[2], ov[2], spk, kind


def main(argv):
    sets = DEFAULT_SETS if not argv else [(Path(argv[i]), Path(argv[i + 1])) for i in range(0, len(argv), 2)]
    total = {"gold": 0, "pred": 0, "exact": 0, "overlap": 0, "spk_n": 0, "spk_ok": 0, "kind_n": 0, "kind_ok": 0}
    for gold, corpus in sets:
        c = evaluate(gold, corpus)
        report(gold.name, c)
        for line in c["errors"]:
            print(line)
        for k in total:
            total[k] += c[k]
    return report("ALL", total)


if __name__ == "__main__":
    main(sys.argv[1:])
