"""Checkable claims (dates, counts, money, percentages, rankings, who-did-what) and whether sources agree.

The claims table (:data:`CLAIM_COLUMNS`), one row per claim:

============== ======================================================================
column         meaning
============== ======================================================================
claim_id       stable id: ``k`` + 12 hex digits of SHA-1 of ``article_id:start:end``
article_id     the article
start, end     offsets of the claim's expression (``23 September``, ``50 pages``)
               in the article's ``text``
expression     ``text[start:end]``
sentence       the whole sentence the claim is in
type           ``date``, ``count``, ``money``, ``percent``, ``rank`` or ``statement``
value          normalised value: ISO date ``2014-09-23``, month ``2014-09``, year
               ``2014``, range ``2014-12-22/2015-01-24``, a date without a known year
               ``--09-23``; a number ``50``; a rank ``3``; ``None`` when it cannot be
               resolved (see ``note``)
unit           what is counted (``pages``), the currency, ``%``, or what is ranked
subject        key words of the sentence (and the sentence before it in the paragraph),
               used to tell which claims are about the same thing
attributed_to  the speaker when the claim is inside a quote or reported speech
note           how a relative date was resolved, or why it was not
============== ======================================================================

Relative dates ("last week", "April last year", "Last Easter", "yesterday")
are resolved against the article's publication date (a date known only to the
month gives a range). A date without a year ("23 September", "April 17") takes
the latest year named earlier in its paragraph, else the most recent such date
before publication, else stays yearless. Absolute dates are parsed with
dateparser; Easter with dateutil.

Not covered yet: times of day, weekdays ("on Monday"), durations ("for five
years"), "N years ago", fractions and approximate numbers ("dozens"), numbers
written with more than one word ("twenty-five thousand"), comparisons
("more than last year"), and who-did-what claims whose subject is a pronoun.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from .errors import ParameterError
from .quotes import QuoteSpan, RuleAttributor, ArticleContext, quote_spans
from .text import sentences

__all__ = ["extract_claims", "compare_claims", "CLAIM_COLUMNS", "COMPARISON_COLUMNS", "CLAIM_STATUSES"]

CLAIM_COLUMNS = [
    "claim_id", "article_id", "start", "end", "expression", "sentence", "type", "value", "unit", "subject", "attributed_to", "note",
]
COMPARISON_COLUMNS = ["group_id", "type", "status", "subject", "n_sources", "sources", "values", "expressions", "claim_ids", "detail"]
CLAIM_STATUSES = ("corroborated", "more_specific", "conflicting", "single_source")

_MONTHS = {m.lower(): n for n, m in enumerate(
    "January February March April May June July August September October November December".split(), start=1)}
_MONTHS.update({k[:3]: v for k, v in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_ORD = r"(?:st|nd|rd|th)?"
_NUMBER_WORDS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty".split())}
_NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
                      "hundred": 100, "thousand": 1000, "dozen": 12})
_ORDINALS = {w: n for n, w in enumerate(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split())}
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9, "trillion": 1e12}
_STOP = set(
    "a an the and or but of to in on at by for from with as is was were be been being are this that these those it its "
    "he she they we i you his her their our my your him them us me who which what when where there here has have had "
    "do does did not no so if then than also into over under about after before since while said says say told would "
    "could should will can may might must just only very more most some any all each such other another one two three "
    "up out off last next year years week month day today yesterday new".split()
)
_SPEECH_VERBS = re.compile(r"\b(?:said|says|told|added|adds|asked|replied|claimed|insisted|stated|wrote|tweeted)\b")
_PAST_VERB = re.compile(r"\b(?:[a-z]{3,}ed|made|sent|wrote|took|gave|won|lost|paid|met|left|spent|went|came|became|began|held|kept|led|ran|sold|told)\b")

_DATE_PATTERNS = [
    ("day_month", re.compile(rf"\b(?P<day>\d{{1,2}}){_ORD}\s+(?P<month>{_MONTH})(?:,?\s+(?P<year>\d{{4}}))?\b")),
    ("month_day", re.compile(rf"\b(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}}){_ORD}(?:,?\s+(?P<year>\d{{4}}))?\b")),
    ("month_rel_year", re.compile(rf"\b(?P<month>{_MONTH})\s+(?P<rel>last|this|next)\s+year\b", re.IGNORECASE)),
    ("rel", re.compile(rf"\b(?P<rel>[Ll]ast|[Tt]his|[Nn]ext)\s+(?P<what>{_MONTH}|Easter|Christmas|week|month|year|spring|summer|autumn|winter)\b")),
    ("month_year", re.compile(rf"\b(?P<month>{_MONTH})\s+(?P<year>\d{{4}})\b")),
    ("numeric", re.compile(r"\b(?P<a>\d{1,2})[./](?P<b>\d{1,2})[./](?P<c>\d{2,4})\b")),
    ("prep_month", re.compile(rf"\b(?:in|from|since|until|by|during|early|late|mid)[- ](?P<month>{_MONTH})\b")),
    ("year", re.compile(r"\b(?:in|since|until|by|during|of|from)\s+(?P<year>(?:19|20)\d{2})\b")),
    ("deictic", re.compile(r"\b(?P<deictic>[Yy]esterday|[Tt]oday|[Tt]omorrow)\b")),
]
_MONEY_RE = re.compile(
    r"(?P<cur>[£$€])\s?(?P<num>\d[\d,]*(?:\.\d+)?)\s?(?P<scale>k|m|mn|bn|million|billion|thousand|trillion)?\b", re.IGNORECASE)
_PERCENT_RE = re.compile(r"\b(?P<num>\d+(?:\.\d+)?)\s?(?:%|per ?cent\b|percent\b)")
_RANK_RE = re.compile(
    rf"\b(?P<ord>\d+(?:st|nd|rd|th)|{'|'.join(_ORDINALS)})\s+(?P<what>(?:(?:best|worst|largest|biggest|highest|lowest|most|least|"
    r"top|fastest|slowest|richest|poorest|safest)[- ]?\w*\s+)?[\w-]+(?:\s+[\w-]+){0,3}?\s+in\s+the\s+(?:country|world|region|uk|county|city|north|south|east|west|europe|league)(?:\s+[\w-]+){0,3})",
    re.IGNORECASE,
)
_COUNT_RE = re.compile(
    rf"\b(?P<num>\d[\d,]*(?:\.\d+)?|{'|'.join(_NUMBER_WORDS)})(?:\s+(?:to|-|–)\s+(?P<num2>\d[\d,]*))?\s+(?P<unit>(?:[a-z][\w’'-]*\s+){{0,1}}[a-z][\w’'-]*)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _When:
    """A resolved date: a known interval, or a yearless month/day."""

    lo: date | None = None
    hi: date | None = None
    month: int | None = None
    day: int | None = None

    def iso(self) -> str | None:
        if self.lo is None:
            if self.month is None:
                return None
            return f"--{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")
        if self.lo == self.hi:
            return self.lo.isoformat()
        if self.lo.day == 1 and (self.hi + timedelta(days=1)).day == 1 and self.lo.month == self.hi.month and self.lo.year == self.hi.year:
            return f"{self.lo.year}-{self.lo.month:02d}"
        if self.lo == date(self.lo.year, 1, 1) and self.hi == date(self.lo.year, 12, 31):
            return str(self.lo.year)
        return f"{self.lo.isoformat()}/{self.hi.isoformat()}"


def _month_range(y: int, m: int) -> tuple[date, date]:
    nxt = date(y + (m == 12), m % 12 + 1, 1)
    return date(y, m, 1), nxt - timedelta(days=1)


def _parse_when(text: str) -> _When | None:
    """Parse an ISO-ish value string back into a _When (for comparisons)."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    t = str(text)
    if t.startswith("--"):
        parts = t[2:].split("-")
        return _When(month=int(parts[0]), day=int(parts[1]) if len(parts) > 1 else None)
    if "/" in t:
        a, b = t.split("/")
        return _When(date.fromisoformat(a), date.fromisoformat(b))
    if re.fullmatch(r"\d{4}", t):
        return _When(date(int(t), 1, 1), date(int(t), 12, 31))
    if re.fullmatch(r"\d{4}-\d{2}", t):
        return _When(*_month_range(int(t[:4]), int(t[5:])))
    d = date.fromisoformat(t)
    return _When(d, d)


class _Base:
    """What an article's relative dates are resolved against: its publication date (range)."""

    def __init__(self, published, precision):
        self.lo = self.hi = None
        if published is not None and not pd.isna(published):
            d = pd.Timestamp(published).date()
            if precision == "month":
                self.lo, self.hi = _month_range(d.year, d.month)
            elif precision == "year":
                self.lo, self.hi = date(d.year, 1, 1), date(d.year, 12, 31)
            else:
                self.lo = self.hi = d

    @property
    def known(self) -> bool:
        return self.lo is not None

    def describe(self) -> str:
        if not self.known:
            return "publication date unknown"
        return f"publication date {self.lo.isoformat()}" + ("" if self.lo == self.hi else f" to {self.hi.isoformat()}")


def _latest_before(month: int, day: int | None, base: _Base) -> _When:
    """The latest month(/day) on or before publication (a range if publication is a range)."""
    def at(limit: date) -> date:
        y = limit.year
        d = date(y, month, day or 1)
        if d > limit:
            y -= 1
        return date(y, month, day or 1)

    lo_start, hi_start = at(base.lo), at(base.hi)
    if day:
        return _When(lo_start, hi_start)
    return _When(_month_range(lo_start.year, month)[0], _month_range(hi_start.year, month)[1])


def _easter(year: int) -> date:
    from dateutil.easter import easter

    return easter(year)


def _resolve(kind: str, m: re.Match, base: _Base, year_context: int | None, date_order: str) -> tuple[_When | None, str]:
    g = m.groupdict()
    month = _MONTHS.get(g.get("month", "") and g["month"].lower().rstrip("."), None) if g.get("month") else None
    if kind in ("day_month", "month_day", "month_year", "prep_month"):
        day = int(g["day"]) if g.get("day") else None
        if day is not None and not 1 <= day <= 31:
            return None, "not a date"
        if g.get("year"):
            y = int(g["year"])
            try:
                return (_When(date(y, month, day), date(y, month, day)) if day else _When(*_month_range(y, month))), ""
            except ValueError:
                return None, "not a valid date"
        if year_context is not None:
            try:
                w = _When(date(year_context, month, day), date(year_context, month, day)) if day else _When(*_month_range(year_context, month))
            except ValueError:
                return None, "not a valid date"
            return w, f"year {year_context} from earlier in the paragraph"
        if base.known:
            w = _latest_before(month, day, base)
            return w, f"no year given: the latest such date before publication ({base.describe()})"
        return _When(month=month, day=day), "no year given and publication date unknown"
    if kind == "month_rel_year":
        if not base.known:
            return None, f"'{m.group()}' is relative and the publication date is unknown"
        shift = {"last": -1, "this": 0, "next": 1}[g["rel"].lower()]
        lo = _month_range(base.lo.year + shift, month)[0]
        hi = _month_range(base.hi.year + shift, month)[1]
        return _When(lo, hi), f"relative to {base.describe()}"
    if kind == "rel":
        if not base.known:
            return None, f"'{m.group()}' is relative and the publication date is unknown"
        rel, what = g["rel"].lower(), g["what"].lower().rstrip(".")
        sign = {"last": -1, "this": 0, "next": 1}[rel]
        note = f"relative to {base.describe()}"
        if what in _MONTHS:
            mo = _MONTHS[what]
            if rel == "last":
                return _latest_before(mo, None, _Base(pd.Timestamp(base.lo) - pd.DateOffset(days=1), "day") if base.lo == base.hi else base), note
            return None, f"'{m.group()}' is not resolved"
        if what == "week":
            start_lo = base.lo - timedelta(days=base.lo.weekday()) + timedelta(weeks=sign)
            start_hi = base.hi - timedelta(days=base.hi.weekday()) + timedelta(weeks=sign)
            return _When(start_lo, start_hi + timedelta(days=6)), note
        if what == "month":
            lo_y, lo_m = divmod(base.lo.year * 12 + base.lo.month - 1 + sign, 12)
            hi_y, hi_m = divmod(base.hi.year * 12 + base.hi.month - 1 + sign, 12)
            return _When(_month_range(lo_y, lo_m + 1)[0], _month_range(hi_y, hi_m + 1)[1]), note
        if what == "year":
            return _When(date(base.lo.year + sign, 1, 1), date(base.hi.year + sign, 12, 31)), note
        if what == "easter":
            def easter_rel(limit: date) -> date:
                e = _easter(limit.year)
                if sign == -1:
                    return e if e < limit else _easter(limit.year - 1)
                if sign == 1:
                    return e if e > limit else _easter(limit.year + 1)
                return e
            return _When(easter_rel(base.lo), easter_rel(base.hi)), f"Easter, {note}"
        if what == "christmas":
            y_lo = base.lo.year + (sign if sign else 0) - (1 if sign == -1 and base.lo > date(base.lo.year, 12, 25) else 0)
            y_lo = base.lo.year - 1 if sign == -1 and base.lo <= date(base.lo.year, 12, 25) else y_lo
            y_hi = base.hi.year - 1 if sign == -1 and base.hi <= date(base.hi.year, 12, 25) else base.hi.year + max(sign, 0)
            return _When(date(y_lo, 12, 25), date(y_hi, 12, 25)), note
        return None, f"'{m.group()}' (a season) is not resolved"
    if kind == "numeric":
        from dateparser.date import DateDataParser

        parser = DateDataParser(languages=["en"], settings={"DATE_ORDER": date_order, "PREFER_DAY_OF_MONTH": "first"})
        data = parser.get_date_data(m.group())
        if data.date_obj is None:
            return None, "not a date"
        d = data.date_obj.date()
        return _When(d, d), f"read as {date_order}"
    if kind == "year":
        y = int(g["year"])
        return _When(date(y, 1, 1), date(y, 12, 31)), ""
    if kind == "deictic":
        if not base.known:
            return None, f"'{m.group()}' is relative and the publication date is unknown"
        shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[g["deictic"].lower()]
        return _When(base.lo + timedelta(days=shift), base.hi + timedelta(days=shift)), f"relative to {base.describe()}"
    return None, ""


def _number(text: str) -> float | None:
    t = text.lower().replace(",", "")
    if t in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[t])
    try:
        return float(t)
    except ValueError:
        return None


def _keywords(text: str) -> list[str]:
    out = []
    for w in re.findall(r"[A-Za-z][\w’'-]+", text):
        k = w.lower().replace("’", "'")
        k = re.sub(r"'s$", "", k)
        if k in _STOP or k in _MONTHS or len(k) < 3:
            continue
        if k.endswith("s") and len(k) > 4 and not k.endswith("ss"):
            k = k[:-1]
        out.append(k)
    return list(dict.fromkeys(out))


def claim_id(article_id: str, start: int, end: int) -> str:
    """Stable claim id: ``k`` + 12 hex digits.

    >>> claim_id("a1", 0, 5)
    'kfa23f7ec9ae3'
    """
    return "k" + hashlib.sha1(f"{article_id}:{start}:{end}".encode()).hexdigest()[:12]


def _row(article_id, text, start, end, sent, ctype, value, unit, subject, speaker, note) -> dict:
    return {
        "claim_id": claim_id(article_id, start, end),
        "article_id": article_id,
        "start": start,
        "end": end,
        "expression": text[start:end],
        "sentence": text[sent[0] : sent[1]],
        "type": ctype,
        "value": value,
        "unit": unit,
        "subject": subject,
        "attributed_to": speaker,
        "note": note,
    }


class _Speakers:
    """Who is speaking at a position: the quote's speaker, or the subject of a reported-speech verb."""

    def __init__(self, text: str):
        self.text = text
        self.spans: list[QuoteSpan] = quote_spans(text)
        self.atts = RuleAttributor().attribute(text, self.spans) if self.spans else []
        self.ctx = ArticleContext(text, self.spans)

    def at(self, pos: int, sent: tuple[int, int]) -> str | None:
        for span, att in zip(self.spans, self.atts):
            if span.start <= pos < span.end:
                return att.speaker
        masked = self.ctx.mask_quotes(sent[0], pos)
        cues = list(_SPEECH_VERBS.finditer(masked))
        if not cues:
            return None
        subject = self.ctx.subject_in(sent[0], sent[0] + cues[0].start())
        if subject is None:
            return None
        return self.ctx.resolve(subject, sent[0] + cues[0].start())[0]


def extract_claims(articles: pd.DataFrame, *, date_order: str = "DMY") -> pd.DataFrame:
    """Find checkable claims in every article.

    Parameters
    ----------
    articles : pandas.DataFrame
        From :func:`quotetrace.load_corpus` (``article_id``, ``text``; ``published``
        and ``published_precision`` resolve relative dates).
    date_order : str
        How to read numeric dates like ``07.01.15``: ``"DMY"`` or ``"MDY"``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CLAIM_COLUMNS`, in article then text order.

    Examples
    --------
    >>> import pandas as pd
    >>> arts = pd.DataFrame({"article_id": ["a1"], "text": ["Staff wrote 50 pages of emails last week."],
    ...                      "published": [pd.Timestamp("2015-01-07")], "published_precision": ["day"]})
    >>> extract_claims(arts)[["expression", "type", "value", "unit"]].values.tolist()
    [['50 pages', 'count', '50', 'pages'], ['last week', 'date', '2014-12-29/2015-01-04', nan]]
    """
    missing = [c for c in ("article_id", "text") if c not in articles.columns]
    if missing:
        raise ParameterError(f"extract_claims needs an articles table with columns article_id and text; missing {missing}.", parameter="articles")
    rows: list[dict] = []
    for r in articles.itertuples(index=False):
        text = r.text
        if not isinstance(text, str) or not text.strip():
            continue
        base = _Base(getattr(r, "published", None), getattr(r, "published_precision", "day"))
        rows.extend(_article_claims(str(r.article_id), text, base, date_order))
    table = pd.DataFrame(rows, columns=CLAIM_COLUMNS)
    table["start"] = table["start"].astype("int64")
    table["end"] = table["end"].astype("int64")
    for c in ("claim_id", "article_id", "expression", "sentence", "type", "value", "unit", "subject", "attributed_to", "note"):
        table[c] = table[c].astype("str")
    return table


def _article_claims(article_id: str, text: str, base: _Base, date_order: str) -> list[dict]:
    speakers = _Speakers(text)
    sents = sentences(text)
    paras = speakers.ctx.paras
    rows: list[dict] = []
    taken: list[tuple[int, int]] = []
    para_years: dict[int, list[tuple[int, int]]] = {}

    def para_of(pos: int) -> int:
        for n, (a, b) in enumerate(paras):
            if a <= pos <= b:
                return n
        return -1

    for n, sent in enumerate(sents):
        s_text = text[sent[0] : sent[1]]
        prev = sents[n - 1] if n and para_of(sents[n - 1][0]) == para_of(sent[0]) else None
        context = (text[prev[0] : prev[1]] + " " if prev else "") + s_text
        found: list[tuple[int, int, str, object, str | None, str]] = []

        def free(a: int, b: int) -> bool:
            return not any(a < y and x < b for x, y in taken)

        p = para_of(sent[0])
        for kind, pattern in _DATE_PATTERNS:
            for m in pattern.finditer(s_text):
                a, b = sent[0] + m.start(), sent[0] + m.end()
                if kind == "prep_month":
                    a = sent[0] + m.start("month")
                if kind == "year":
                    a = sent[0] + m.start("year")
                if not free(a, b):
                    continue
                if kind == "prep_month" and m.group("month").lower().startswith("may") and not m.group("month")[0].isupper():
                    continue
                years = [y for pos, y in para_years.get(p, []) if pos < a]
                when, note = _resolve(kind, m, base, years[-1] if years else None, date_order)
                if when is None and note in ("not a date", "not a valid date"):
                    continue
                taken.append((a, b))
                if when is not None and when.lo is not None and kind in ("day_month", "month_day", "month_year", "year") and m.groupdict().get("year"):
                    para_years.setdefault(p, []).append((a, when.lo.year))
                found.append((a, b, "date", when.iso() if when else None, None, note))
        for m in _MONEY_RE.finditer(s_text):
            a, b = sent[0] + m.start(), sent[0] + m.end()
            if free(a, b):
                taken.append((a, b))
                value = float(m.group("num").replace(",", "")) * _SCALE.get((m.group("scale") or "").lower(), 1)
                found.append((a, b, "money", _fmt(value), {"£": "GBP", "$": "USD", "€": "EUR"}[m.group("cur")], ""))
        for m in _PERCENT_RE.finditer(s_text):
            a, b = sent[0] + m.start(), sent[0] + m.end()
            if free(a, b):
                taken.append((a, b))
                found.append((a, b, "percent", _fmt(float(m.group("num"))), "%", ""))
        for m in _RANK_RE.finditer(s_text):
            a, b = sent[0] + m.start(), sent[0] + m.end()
            if free(a, b):
                taken.append((a, b))
                o = m.group("ord").lower()
                rank = _ORDINALS.get(o) or int(re.match(r"\d+", o).group())
                found.append((a, b, "rank", str(rank), " ".join(m.group("what").split()), ""))
        for m in _COUNT_RE.finditer(s_text):
            a, b = sent[0] + m.start(), sent[0] + m.end()
            unit = m.group("unit").split()
            if unit[0].lower() in _STOP or unit[0].lower() in _MONTHS:
                continue
            head = unit[0]
            b = sent[0] + m.start("unit") + len(head)
            if not free(a, b):
                continue
            value = _number(m.group("num"))
            if value is None or (m.group("num").lower() in ("one",) and head.lower() not in ("page", "tweet", "person", "day")):
                continue
            taken.append((a, b))
            v = _fmt(value) if not m.group("num2") else f"{_fmt(value)}-{_fmt(_number(m.group('num2')) or 0)}"
            found.append((a, b, "count", v, head.lower(), ""))
        masked = speakers.ctx.mask_quotes(sent[0], sent[1])
        if not found and not _SPEECH_VERBS.search(masked) and _PAST_VERB.search(masked):
            subj = speakers.ctx.subject_in(sent[0], sent[1])
            if subj is not None and subj.name.lower() not in ("he", "she", "they", "it", "we", "i"):
                found.append((sent[0], sent[1], "statement", None, None, f"about {subj.name}"))
        subject = " ".join(_keywords(context))
        for a, b, ctype, value, unit, note in sorted(found):
            rows.append(_row(article_id, text, a, b, sent, ctype, value, unit, subject, speakers.at(a, sent), note or None))
    return rows


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# --- comparing across sources -------------------------------------------------------------


def _relation(v1, v2, ctype: str) -> str:
    """'same', 'narrower' (v1 inside v2), 'wider', 'different' or 'unknown'."""
    if v1 in (None, "nan") or v2 in (None, "nan") or pd.isna(v1) or pd.isna(v2):
        return "unknown"
    if ctype != "date":
        return "same" if v1 == v2 else "different"
    a, b = _parse_when(v1), _parse_when(v2)
    if a.lo is None or b.lo is None:
        ma = a.month if a.lo is None else (a.lo.month if a.lo.month == a.hi.month else None)
        mb = b.month if b.lo is None else (b.lo.month if b.lo.month == b.hi.month else None)
        da = a.day if a.lo is None else (a.lo.day if a.lo == a.hi else None)
        db = b.day if b.lo is None else (b.lo.day if b.lo == b.hi else None)
        if ma is None or mb is None or ma != mb:
            return "different" if (ma and mb) else "unknown"
        if da == db:
            return "same" if (a.lo is None) == (b.lo is None) else ("wider" if a.lo is None else "narrower")
        if da is None:
            return "wider"
        if db is None:
            return "narrower"
        return "different"
    if (a.lo, a.hi) == (b.lo, b.hi):
        return "same"
    if b.lo <= a.lo and a.hi <= b.hi:
        return "narrower"
    if a.lo <= b.lo and b.hi <= a.hi:
        return "wider"
    if a.hi < b.lo or b.hi < a.lo:
        return "different"
    return "unknown"


def compare_claims(claims: pd.DataFrame, articles: pd.DataFrame, *, min_shared_words: int = 2) -> pd.DataFrame:
    """Group claims about the same thing across sources and say whether the sources agree.

    Two claims of the same type from different sources are about the same
    thing when their subjects share one key word and their values are
    consistent (equal, or one inside the other), or ``min_shared_words + 1``
    key words, one of them rare among the claims, when their values differ (a
    conflict needs clearer evidence; unresolved values are never grouped).
    Within one source, only repeats of the same value are grouped. Counts,
    money, percentages and ranks must also count the same unit.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COMPARISON_COLUMNS`, one row per group: ``status`` is
        ``corroborated`` (the same value in two or more sources),
        ``more_specific`` (consistent, one source narrower: "September" vs
        "23 September"), ``conflicting`` (different values for the same
        subject) or ``single_source``; ``values`` and ``expressions`` map each
        source to what it says; ``detail`` explains.
    """
    missing = [c for c in CLAIM_COLUMNS if c not in claims.columns]
    if missing:
        raise ParameterError(f"compare_claims: the claims table lacks column(s) {missing}.", parameter="claims")
    claims = claims[CLAIM_COLUMNS]
    labels = dict(zip(articles["article_id"], articles["outlet"].where(articles["outlet"].notna(), articles["path"]))) if "path" in articles else {}
    rows = claims.reset_index(drop=True)
    parent = list(range(len(rows)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    words = [set(str(s).split()) for s in rows["subject"]]
    df: dict[str, dict[str, int]] = {}  # per claim type: in how many claims' subjects a word appears
    for t, w in zip(rows["type"], words):
        for x in w:
            df.setdefault(t, {}).setdefault(x, 0)
            df[t][x] += 1
    rare = max(3, len(rows) // 10)
    for i in range(len(rows)):
        for j in range(i + 1, len(rows)):
            ri, rj = rows.iloc[i], rows.iloc[j]
            if ri["type"] != rj["type"]:
                continue
            if ri["type"] in ("count", "money", "percent", "rank") and ri["unit"] != rj["unit"]:
                continue
            shared = len(words[i] & words[j])
            if ri["type"] == "statement":
                union = len(words[i] | words[j]) or 1
                joined = ri["article_id"] != rj["article_id"] and shared >= 3 and shared / union >= 0.3
            else:
                rel = _relation(ri["value"], rj["value"], ri["type"])
                if ri["article_id"] == rj["article_id"]:  # the same value repeated in one article
                    joined = rel == "same" and shared >= min_shared_words
                elif rel in ("same", "narrower", "wider"):
                    joined = shared >= 1
                elif rel == "different":  # a conflict needs clearer evidence: more words, one of them rare
                    common = words[i] & words[j]
                    joined = len(common) >= min_shared_words + 1 and any(df[ri["type"]].get(w, 0) <= rare for w in common)
                else:
                    joined = False
            if joined:
                parent[find(j)] = find(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(rows)):
        groups.setdefault(find(i), []).append(i)
    out = []
    for members in groups.values():
        g = rows.iloc[members]
        sources = list(dict.fromkeys(g["article_id"]))
        values = {labels.get(a, a): list(dict.fromkeys(g[g["article_id"] == a]["value"].dropna())) for a in sources}
        expressions = {labels.get(a, a): list(dict.fromkeys(g[g["article_id"] == a]["expression"])) for a in sources}
        status, detail = _status(g, sources, labels)
        common = set.intersection(*(words[i] for i in members)) if len(members) > 1 else words[members[0]]
        out.append({
            "group_id": "g" + hashlib.sha1(min(g["claim_id"]).encode()).hexdigest()[:12],
            "type": g["type"].iloc[0],
            "status": status,
            "subject": " ".join(w for w in str(g["subject"].iloc[0]).split() if w in common)[:120],
            "n_sources": len(sources),
            "sources": [labels.get(a, a) for a in sources],
            "values": values,
            "expressions": expressions,
            "claim_ids": list(g["claim_id"]),
            "detail": detail,
        })
    table = pd.DataFrame(out, columns=COMPARISON_COLUMNS)
    table["status"] = pd.Categorical(table["status"], categories=list(CLAIM_STATUSES))
    return table


def _status(g: pd.DataFrame, sources: list[str], labels: dict) -> tuple[str, str]:
    ctype = g["type"].iloc[0]
    if len(sources) < 2:
        return "single_source", f"only in {labels.get(sources[0], sources[0])}"
    if ctype == "statement":
        return "corroborated", "similar statements in " + ", ".join(labels.get(a, a) for a in sources)
    by_source = {a: [v for v in g[g["article_id"] == a]["value"] if v is not None and not pd.isna(v) and v != "nan"] for a in sources}
    pairs_rel = []
    for i, a in enumerate(sources):
        for b in sources[i + 1 :]:
            for va in by_source[a]:
                for vb in by_source[b]:
                    pairs_rel.append((a, va, b, vb, _relation(va, vb, ctype)))
    if any(r == "different" for *_, r in pairs_rel):
        a, va, b, vb, _ = next(p for p in pairs_rel if p[-1] == "different")
        return "conflicting", f"{labels.get(a, a)} says {va}; {labels.get(b, b)} says {vb}"
    narrower = [p for p in pairs_rel if p[-1] in ("narrower", "wider")]
    if narrower:
        a, va, b, vb, r = narrower[0]
        specific, general = ((a, va), (b, vb)) if r == "narrower" else ((b, vb), (a, va))
        return "more_specific", f"{labels.get(specific[0], specific[0])} is more specific ({specific[1]}) than {labels.get(general[0], general[0])} ({general[1]})"
    if any(r == "same" for *_, r in pairs_rel):
        return "corroborated", "the same value in " + ", ".join(labels.get(a, a) for a in sources)
    return "single_source", "sources mention it but the values cannot be compared"
