"""Evaluate claims against the hand-labelled claims-dev set, and comparisons on planted changes of real articles.

    PYTHONPATH=lib python benchmarks/claims_eval.py [--details] [--no-planted]

The gold set (benchmarks/goldsets/claims-dev/claims.json, conventions in its README.md) labels every checkable
expression in the 8 news-dev pages (real news pages shipped as test data in two PyPI sdists; fetched and
checked by /work/shared/goldsets/news-dev/fetch.py, or ../shared/goldsets/news-dev/fetch.py from the
project root) and the 3 tweetgate articles. It was labelled by reading, before quotetrace ran on the texts.

Prints:

1. **Extraction** (statements are not labelled, so not scored): a gold claim is found when a predicted claim
   overlaps its span (one to one, largest overlap first); ``optional`` gold claims are neither credited nor
   penalised. Expression precision/recall/F1, type accuracy and value accuracy over found claims with a gold
   value (numbers equal within 0.1%; dates as ISO strings; whole years ``2011/2012``; ranges ``[16, 17]``).
   Gold claims whose context cannot be placed in the loaded text (headlines trafilatura drops) are listed
   as "not in the loaded text" and left out.
2. **Planted changes**: for each labelled claim with digits or a month name, a copy of its article with that
   one value changed (see ``_changed``: the last digit +1, a decade or academic year one step on, else the
   month six months on) is compared with the
   original as a 2-source story. Caught = the changed claim is in a ``conflicting`` group; wrongly flagged =
   any other ``conflicting`` or ``more_specific`` group.
3. **Cross-story merges**: all texts together, each as its own story (tweetgate's three are one story): a
   group whose sources come from two stories is a merge.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from quotetrace import compare_claims, extract_claims, load_corpus  # noqa: E402

GOLD = ROOT / "benchmarks/goldsets/claims-dev/claims.json"
TWEETGATE = ROOT / "data/corpora/tweetgate"
FETCH = [ROOT.parent / "shared/goldsets/news-dev/fetch.py", Path("/work/shared/goldsets/news-dev/fetch.py")]
_Q = str.maketrans({"“": '"', "”": '"', "„": '"', "″": '"', "‘": "'", "’": "'", "‚": "'", "′": "'"})
_MONTHS = "January February March April May June July August September October November December".split()


def fold(s: str) -> tuple[str, list[int]]:
    """Text with curly quotes straightened and whitespace runs as one space, and each folded char's offset."""
    out, pos, space = [], [], False
    for k, ch in enumerate(s.translate(_Q)):
        if ch.isspace():
            if not space:  # a context that starts with a space keeps it ("" + "Thousands" + " of UK")
                out.append(" ")
                pos.append(k)
            space = True
            continue
        space = False
        out.append(ch)
        pos.append(k)
    return "".join(out), pos


def texts() -> pd.DataFrame:
    """The labelled texts as an articles table (news-dev pages loaded from raw HTML, tweetgate as bundled)."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    fetch = next(p for p in FETCH if p.exists())
    spec = importlib.util.spec_from_file_location("newsdev_fetch", fetch)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    tmp = Path(tempfile.mkdtemp(prefix="claims-dev-"))
    mod.write(str(tmp), str(Path.home() / ".cache" / "quotetrace-goldsets"))
    news = load_corpus(tmp)
    news["story"] = news["path"]
    tg = load_corpus(TWEETGATE)
    tg["story"] = "tweetgate"
    arts = pd.concat([news, tg], ignore_index=True)
    labels = {**{("news-dev", k): v for k, v in gold["news-dev"].items()}, **{("tweetgate", k): v for k, v in gold["tweetgate"].items()}}
    arts["group"] = ["tweetgate" if s == "tweetgate" else "news-dev" for s in arts["story"]]
    arts["gold"] = [labels.get((g, p)) for g, p in zip(arts["group"], arts["path"])]
    arts = arts[arts["gold"].notna()].reset_index(drop=True)
    for k, r in arts.iterrows():  # what a manifest would give: the labelled publication date and country
        if r["gold"].get("published"):
            arts.at[k, "published"] = pd.Timestamp(r["gold"]["published"])
            arts.at[k, "published_precision"] = {4: "year", 7: "month"}.get(len(r["gold"]["published"]), "day")
    arts["country"] = [g.get("country") for g in arts["gold"]]
    arts["outlet"] = arts["outlet"].where(arts["outlet"].notna(), arts["path"])
    return arts


def place(text: str, claims: list[dict]) -> tuple[list[tuple[int, int, dict]], list[dict]]:
    """Gold claims as (start, end) in ``text``, found by their folded context; and those not found."""
    folded, pos = fold(text)
    placed, lost = [], []
    for c in claims:
        expr = fold(c["expression"])[0]
        hit = None
        for before, after in ((c["before"], c["after"]), (c["before"][-20:], c["after"][:20]), ("", c["after"][:20]), (c["before"][-20:], "")):
            b, a = fold(before)[0], fold(after)[0]
            k = folded.find(b + expr + a)
            if k >= 0 and (before or after):
                k += len(b)
                hit = (pos[k], pos[k + len(expr) - 1] + 1)
                break
        (placed.append((*hit, c)) if hit else lost.append(c))
    return placed, lost


def value_ok(pred: str, gold) -> bool:
    missing = pred is None or (not isinstance(pred, str) and pd.isna(pred)) or pred in ("None", "nan")
    if gold is None or missing:
        return gold is None and missing  # both say: not resolvable from the text
    week = re.fullmatch(r"(\d{4})-W(\d\d)", str(gold))
    if week:  # an ISO week is the range Monday/Sunday
        monday = date.fromisocalendar(int(week.group(1)), int(week.group(2)), 1)
        gold = f"{monday.isoformat()}/{(monday + timedelta(days=6)).isoformat()}"
    if isinstance(gold, list):
        gold = "-".join(str(int(x)) if float(x).is_integer() else str(x) for x in gold)
    if isinstance(gold, (int, float)):
        try:
            return abs(float(pred) - gold) <= 0.001 * max(1.0, abs(gold)) or abs(float(pred) - gold) < 0.05
        except ValueError:
            return False
    return str(pred) == str(gold)


def extraction(arts: pd.DataFrame, claims: pd.DataFrame, details: bool) -> dict:
    tp = fp = fn = type_ok = val_ok = val_n = 0
    lost_all = []
    for r in arts.itertuples():
        placed, lost = place(r.text, r.gold["claims"])
        lost_all += [(r.path, c["expression"]) for c in lost]
        pred = claims[(claims["article_id"] == r.article_id) & (claims["type"] != "statement")]
        preds = list(zip(pred["start"], pred["end"], pred["type"], pred["value"], pred["expression"]))
        pairs = sorted(((min(e, pe) - max(s, ps), gi, pi) for gi, (s, e, _) in enumerate(placed) for pi, (ps, pe, *_) in enumerate(preds)
                        if min(e, pe) > max(s, ps)), reverse=True)
        used_g, used_p = {}, set()
        for _, gi, pi in pairs:
            if gi not in used_g and pi not in used_p:
                used_g[gi] = pi
                used_p.add(pi)
        for gi, (s, e, g) in enumerate(placed):
            if gi not in used_g:
                if not g.get("optional"):
                    fn += 1
                    if details:
                        print(f"  MISS  {r.path}: {g['expression']!r} ({g['type']}) …{g['before'][-30:]}[{g['expression']}]{g['after'][:30]}…")
                continue
            if g.get("optional"):
                continue
            tp += 1
            _, _, ptype, pval, pexpr = preds[used_g[gi]]
            type_ok += ptype == g["type"]
            gv = g.get("value") if g.get("value") is not None else g.get("resolved")
            if gv is not None:  # the literal value (null: not resolvable), or the one the labeller inferred ("resolved")
                val_n += 1
                ok = value_ok(pval, g.get("value")) or value_ok(pval, g.get("resolved"))
                val_ok += ok
                if details and not (ok and ptype == g["type"]):
                    print(f"  WRONG {r.path}: {g['expression']!r} gold {g['type']} {gv!r}; got {pexpr!r} {ptype} {pval!r}")
        for pi, (ps, pe, ptype, pval, pexpr) in enumerate(preds):
            if pi not in used_p:
                fp += 1
                if details:
                    print(f"  JUNK  {r.path}: {pexpr!r} {ptype} {pval!r} …{r.text[max(0, ps - 30):ps]}[{pexpr}]{r.text[pe:pe + 30]}…".replace("\n", " "))
    p = tp / max(1, tp + fp)
    rc = tp / max(1, tp + fn)
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": rc, "f1": 2 * p * rc / max(1e-9, p + rc),
            "type_accuracy": type_ok / max(1, tp), "value_accuracy": val_ok / max(1, val_n), "valued": val_n, "lost": lost_all}


def _changed(expression: str) -> str | None:
    """The expression with one value changed, still well formed; None if it has no digit or month.

    The last digit goes up by one ("67,000" -> "67,001", "1900" -> "1901"; a 9 goes down), an ordinal by one
    ("21st" -> "22nd"); a decade or an academic year
    moves by one step ("1980s" -> "1990s", "2011-12" -> "2012-13"); else the month moves by six.
    """
    academic = re.fullmatch(r"(\d{4})([-–/])(\d\d)", expression)
    if academic:
        y = int(academic.group(1)) + 1
        return f"{y}{academic.group(2)}{(y + 1) % 100:02d}"
    decade = re.search(r"(\d{3})0s", expression)
    if decade:
        return expression[: decade.start(1)] + str(int(decade.group(1)) + 1) + expression[decade.end(1):]
    ordinal = re.search(r"(\d+)(st|nd|rd|th)\b", expression)
    if ordinal:
        n = int(ordinal.group(1)) + 1
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return expression[: ordinal.start()] + f"{n}{suffix}" + expression[ordinal.end():]
    digits = list(re.finditer(r"\d", expression))
    if digits:
        d = digits[-1]
        n = int(d.group())
        return expression[: d.start()] + str(n + 1 if n < 9 else n - 1) + expression[d.end():]
    for k, month in enumerate(_MONTHS):
        if month in expression:
            return expression.replace(month, _MONTHS[(k + 6) % 12], 1)
    return None


def planted(arts: pd.DataFrame, details: bool) -> dict:
    trials = caught = flagged = 0
    missed = []
    for r in arts.itertuples():
        placed, _ = place(r.text, r.gold["claims"])
        original = pd.DataFrame([r._asdict()]).drop(columns=["Index"])
        base_claims = extract_claims(original)
        for s, e, g in placed:
            new = _changed(r.text[s:e])
            if new is None or g.get("optional"):
                continue
            copy = original.assign(article_id=r.article_id + "-copy", outlet="Copy", path="copy.txt",
                                   text=r.text[:s] + new + r.text[e:])
            claims = pd.concat([base_claims, extract_claims(copy)], ignore_index=True)
            pair = pd.concat([original, copy], ignore_index=True)
            agreement = compare_claims(claims, pair)
            cid = claims[(claims["article_id"] == r.article_id + "-copy") & (claims["start"] < s + len(new)) & (claims["end"] > s)
                         & (claims["type"] != "statement")]["claim_id"]
            hit = agreement[agreement["claim_ids"].map(lambda ids: any(c in ids for c in cid))]
            trials += 1
            if (hit["status"] == "conflicting").any():
                caught += 1
            else:
                missed.append((r.path, r.text[s:e], new, list(hit["status"].astype(str))))
            others = agreement[~agreement.index.isin(hit.index) & agreement["status"].isin(["conflicting", "more_specific"])]
            flagged += len(others)
            if details and len(others):
                for o in others.itertuples():
                    print(f"  FLAGGED {r.path} (after changing {r.text[s:e]!r}): {o.status} {o.expressions} {o.detail}")
    if details:
        for m in missed:
            print(f"  NOT CAUGHT {m[0]}: {m[1]!r} -> {m[2]!r} (groups: {m[3]})")
    return {"trials": trials, "caught": caught, "flagged": flagged}


def merges(arts: pd.DataFrame, claims: pd.DataFrame, details: bool) -> int:
    agreement = compare_claims(claims, arts)
    story = dict(zip(arts["article_id"], arts["story"]))
    by_id = dict(zip(claims["claim_id"], claims["article_id"]))
    n = 0
    for g in agreement.itertuples():
        stories = {story[by_id[c]] for c in g.claim_ids}
        if len(stories) > 1:
            n += 1
            if details:
                print(f"  MERGE {g.status}: {g.expressions} {g.detail}")
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--details", action="store_true", help="print every miss, wrong value, junk row, flag and merge")
    ap.add_argument("--no-planted", action="store_true", help="skip the planted-change trials (the slow part)")
    a = ap.parse_args()
    arts = texts()
    claims = extract_claims(arts)
    for group in ("news-dev", "tweetgate", None):
        part = arts if group is None else arts[arts["group"] == group]
        m = extraction(part, claims, a.details and group is None)
        name = group or "all"
        print(f"{name:>10}: expressions P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f} "
              f"(tp {m['tp']}, fp {m['fp']}, fn {m['fn']}); type accuracy {m['type_accuracy']:.3f}; "
              f"value accuracy {m['value_accuracy']:.3f} (of {m['valued']})")
    if m["lost"]:
        print(f"  {len(m['lost'])} gold claims not in the loaded text: {m['lost']}")
    print(f"cross-story merges among {arts['story'].nunique()} unrelated stories: {merges(arts, claims, a.details)}")
    if not a.no_planted:
        p = planted(arts, a.details)
        print(f"planted one-value changes: {p['caught']}/{p['trials']} caught ({p['caught'] / max(1, p['trials']):.1%}); "
              f"unchanged claims wrongly flagged: {p['flagged']}")


if __name__ == "__main__":
    main()
