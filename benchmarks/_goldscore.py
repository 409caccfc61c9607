"""Score extract_quotes on a real-news gold set in news-dev's ``pages.json`` format.

The rules are news-dev's ``score.py`` (../shared/goldsets/news-dev/), which runs as a script and cannot be
imported; they are restated here once so that every page set is scored alike:

* each gold quote is placed in the loaded text by its words between quote marks, the occurrence whose
  labelled ``before``/``after`` context matches best first (one occurrence per gold quote);
* a gold quote is found when a prediction overlaps it by at least half of the longer span, one to one;
  pieces of a gold quote labelled ``multi`` (one quotation over several paragraphs) are not junk;
* gold quotes labelled ``optional`` are neither credited nor penalised;
* speaker: last names equal, or one name inside the other at word boundaries, or a listed alias;
  counted over found speech quotes with a named speaker.

Added here: exact span matches, and headline quotes: a gold quote with ``where`` "headline" is found by a
prediction with ``section`` "headline" in the same article whose words are the same (for headline rows whose
offsets index the ``title``; rows whose offsets index the text are matched by offsets like the rest).
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

QM = {**{c: '"' for c in "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\uff02"}, **{c: "'" for c in "\u2018\u2019\u201a\u201b\u2032`\u00b4"}}


def fold(s: str) -> tuple[str, list[int]]:
    """Quote marks to ASCII, whitespace runs to one space; the index maps back to ``s``."""
    out, idx = [], []
    for i, ch in enumerate(s or ""):
        ch = QM.get(ch, ch)
        if ch.isspace():
            if out and out[-1] == " ":
                continue
            ch = " "
        out.append(ch)
        idx.append(i)
    return "".join(out), idx


def words(s: str) -> str:
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFC", s or "").lower()))


def place(gold: list[dict], text: str) -> list[tuple[int, int] | None]:
    """Offsets of each gold quote in ``text`` (None when the text does not have it between quote marks)."""
    ntext, idx = fold(text)
    cands, qs = [], []
    for gi, g in enumerate(gold):
        q = fold(unicodedata.normalize("NFC", g["quote"]))[0].strip()
        qs.append(q)
        b, a = fold(g.get("before", ""))[0], fold(g.get("after", ""))[0]
        i = ntext.find(q) if q else -1
        while i >= 0:
            if i > 0 and ntext[i - 1] in "\"'" and ntext[i + len(q) : i + len(q) + 1] in ("\"", "'"):
                pre, post = ntext[max(0, i - len(b)) : i], ntext[i + len(q) : i + len(q) + len(a)]
                n1 = next((k for k in range(min(len(pre), len(b))) if pre[-1 - k] != b[-1 - k]), min(len(pre), len(b)))
                n2 = next((k for k in range(min(len(post), len(a))) if post[k] != a[k]), min(len(post), len(a)))
                cands.append((n1 + n2, -gi, i))
            i = ntext.find(q, i + 1)
    out: list[tuple[int, int] | None] = [None] * len(gold)
    taken = set()
    for _, mgi, i in sorted(cands, reverse=True):
        gi = -mgi
        if out[gi] is None and i not in taken:
            taken.add(i)
            out[gi] = (idx[i], idx[i + len(qs[gi]) - 1] + 1)
    return out


def overlap(x, y) -> float:
    inter = max(0, min(x[1], y[1]) - max(x[0], y[0]))
    return inter / max(1, x[1] - x[0], y[1] - y[0])


def _nm(s) -> str:
    s = unicodedata.normalize("NFC", s or "").translate(str.maketrans(QM))
    return " ".join(s.split()).strip(" ,.;:'\"").lower()


def speaker_ok(g: dict, predicted) -> bool:
    p = _nm(predicted) if isinstance(predicted, str) else ""
    if not p:
        return False
    for gs in [g["speaker"]] + g.get("aliases", []):
        gs = _nm(gs)
        if (re.search(r"(?<!\w)" + re.escape(p) + r"(?!\w)", gs) or re.search(r"(?<!\w)" + re.escape(gs) + r"(?!\w)", p)
                or gs.split()[-1] == p.split()[-1]):
            return True
    return False


def new_counts() -> dict:
    return dict(gold=0, pred=0, pred_opt=0, exact=0, found=0, tp_pred=0, spk_n=0, spk_ok=0, kind_n=0, kind_ok=0,
                head_gold=0, head_found=0, lost=0, junk_flagged=0, none_n=0, none_guessed=0)


def score_pages(pages: list[dict], articles: pd.DataFrame, quotes: pd.DataFrame, counts: dict, errors: list[str]) -> None:
    """Add one page set's figures to ``counts`` (see :func:`new_counts`); error lines go to ``errors``."""
    by_name = {str(p).replace("\\", "/").rsplit("/", 1)[-1]: (a, t) for a, p, t in zip(articles.article_id, articles.path, articles.text)}
    section = quotes["section"] if "section" in quotes else pd.Series("body", index=quotes.index)
    for page in pages:
        name, gold = page["name"], page["quotes"]
        req = [g for g in gold if not g.get("optional")]
        counts["gold"] += len(req)
        counts["head_gold"] += sum(g.get("where") == "headline" for g in req)
        if name not in by_name:
            counts["lost"] += len(req)
            errors.append(f"  LOST   [{name}] page not loaded")
            continue
        aid, text = by_name[name]
        rows = quotes[quotes.article_id == aid]
        P = [dict(span=(int(s), int(e)), speaker=sp, kind=k, bp=bool(b), section=sec, quote=q)
             for s, e, sp, k, b, sec, q in zip(rows.start, rows.end, rows.speaker, rows["kind"], rows["boilerplate"],
                                               section[rows.index], rows.quote)]
        counts["pred"] += len(P)
        # a headline row's offsets index the text (web pages open with their headline), or the title when the
        # text does not hold it: only the first are placed by offsets
        in_text = [p["section"] != "headline" or text[p["span"][0] : p["span"][1]] == p["quote"] for p in P]
        body = [pi for pi, p in enumerate(P) if in_text[pi]]
        head = [pi for pi, p in enumerate(P) if p["section"] == "headline" and not in_text[pi]]
        spans = place(gold, text)
        gm: dict[int, int] = {}
        pm: dict[int, int] = {}
        pairs = sorted(((overlap(spans[gi], P[pi]["span"]), gi, pi) for gi in range(len(gold)) if spans[gi] for pi in body), reverse=True)
        for o, gi, pi in pairs:
            if o < 0.5:
                break
            if gi not in gm and pi not in pm:
                gm[gi], pm[pi] = pi, gi
        for gi, g in enumerate(gold):  # headline quotes: same words in a headline row
            if gi in gm or g.get("where") != "headline":
                continue
            for pi in head:
                if pi not in pm and words(P[pi]["quote"]) == words(g["quote"]):
                    gm[gi], pm[pi] = pi, gi
                    break
        for gi, g in enumerate(gold):  # pieces of a multi-paragraph quotation are not junk
            if g.get("multi") and spans[gi]:
                for pi in body:
                    if pi not in pm and overlap(spans[gi], P[pi]["span"]) > 0 and spans[gi][0] <= P[pi]["span"][0] and P[pi]["span"][1] <= spans[gi][1]:
                        pm[pi] = gi
                        if gi not in gm:
                            gm[gi] = pi
        for gi, g in enumerate(gold):
            if g.get("optional"):
                continue
            if gi not in gm:
                how = "LOST  " if spans[gi] is None and g.get("where") not in ("headline",) else "MISS  "
                counts["lost"] += how == "LOST  "
                errors.append(f"  {how} [{name}] {g['quote'][:80]!r} ({g.get('where', 'body')}, {g['kind']})")
                continue
            p = P[gm[gi]]
            counts["found"] += 1
            counts["head_found"] += g.get("where") == "headline"
            exact = not in_text[gm[gi]] or p["span"] == spans[gi]  # a title-offset headline row: same words
            counts["exact"] += exact
            if not exact:
                errors.append(f"  SPAN   [{name}] {g['quote'][:60]!r}: got {p['quote'][:60]!r}")
            counts["kind_n"] += 1
            counts["kind_ok"] += p["kind"] == g["kind"]
            if p["kind"] != g["kind"]:
                errors.append(f"  KIND   [{name}] {g['quote'][:70]!r}: gold {g['kind']}, got {p['kind']}")
            if g["kind"] == "speech" and not g.get("speaker"):
                counts["none_n"] += 1
                guessed = isinstance(p["speaker"], str) and bool(p["speaker"])
                counts["none_guessed"] += guessed
                if guessed:
                    errors.append(f"  GUESS  [{name}] {g['quote'][:70]!r}: the text names nobody, got {p['speaker']!r}")
            if g["kind"] == "speech" and g.get("speaker"):
                ok = speaker_ok(g, p["speaker"])
                counts["spk_n"] += 1
                counts["spk_ok"] += ok
                if not ok:
                    errors.append(f"  SPKR   [{name}] {g['quote'][:70]!r}: gold {g['speaker']!r}, got {p['speaker']!r}")
        for pi, p in enumerate(P):
            if pi in pm and gold[pm[pi]].get("optional"):
                counts["pred_opt"] += 1
            elif pi in pm:
                counts["tp_pred"] += 1
            else:
                counts["junk_flagged"] += p["bp"]
                errors.append(f"  JUNK   [{name}] {p['quote'][:80]!r} ({p['kind']}, {p['section']}, speaker {p['speaker']!r}"
                              + (", flagged boilerplate)" if p["bp"] else ")"))
