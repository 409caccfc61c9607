"""Checkable claims (dates, times, counts, amounts, money, percentages, ages, durations, ranks, who-did-what)
and whether sources agree.

The claims table (:data:`CLAIM_COLUMNS`), one row per claim:

============== ======================================================================
column         meaning
============== ======================================================================
claim_id       stable id: ``k`` + 12 hex digits of SHA-1 of ``article_id:start:end``
article_id     the article
start, end     offsets of the claim's expression (``23 September``, ``50``) in the
               article's ``text``
expression     ``text[start:end]``
sentence       the whole sentence the claim is in
type           ``date``, ``time``, ``count``, ``quantity`` (a measure: metres,
               tonnes, mph), ``money``, ``percent``, ``age``, ``duration``,
               ``rank`` or ``statement``
value          normalised value: ISO date ``2014-09-23``, month ``2014-09``, year
               ``2014``, range ``2014-12-22/2015-01-24`` (whole years:
               ``2011/2012``), a decade ``198X``, a century ``19XX`` (the 20th), a
               date without a known year ``--09-23``; a time
               ``12:55`` (24-hour); a number ``50`` (a range of numbers
               ``16-17``); an age or a rank ``3``; ``None`` when it cannot be
               resolved (see ``note``)
unit           what is counted, singular (``page``), the measure (``metre``),
               the currency (``GBP``; ``$`` when the dollar's country is not
               known), ``%``, the unit of a duration (``day``, ``year``), ``years``
               for an age, or what is ranked (``title``)
approximate    ``True`` for "about 300", "nearly 50", "dozens", "thousands" (a
               vague plural's value is its lower bound: "dozens" is 24)
subject        key words of the claim's own sentence, used to tell which claims
               are about the same thing
attributed_to  the speaker when the claim is inside a quote or reported speech
note           how a relative date or a currency was resolved, or why it was not
============== ======================================================================

Relative dates ("last week", "April last year", "Last Easter", "yesterday",
"on Tuesday", "last night", "three years ago") are resolved against the
article's publication date; inside a quote whose lead-in names a day ("Two
tweets from 23 September read: “… five years ago”") against that day. A
weekday is the latest such day on or before it, or the coming one when its
clause is in the future tense ("a decision will be made Thursday"). A holiday
with a relative year ("Thanksgiving weekend last year", "Christmas Day last
year") is that day or weekend (Thanksgiving by the outlet's ``country``: US
unless Canadian). When the
publication date is known only to the month or year, a relative date finer
than that ("last week", "yesterday") is left unresolved (``value`` None) and
``note`` gives the range it falls in; coarser ones ("last year") resolve. A
date without a year ("23 September", "April 17") takes a year only from its
own sentence, or from the last year named before it when the sentence ties it
("that year", "the same year"); else the most recent such date before
publication; else it stays yearless. Absolute dates are parsed with dateparser,
Easter with dateutil, numbers written in words ("five thousand", "twenty-five")
with text2num.

``$`` and "dollars" are read by the outlet's country when the articles table
has a ``country`` column (US, Australia, Canada, ...; another country: US
dollars), else the unit is ``$`` and ``note`` says the dollar is ambiguous;
``A$``, ``US$``, ``C$``, ``CHF``, "Swiss francs", "euros" name their currency.

Not counted: years used as names ("1999 canyoning", "Worlds 2023" are dates),
numbers inside names ("B-52", "F-16", "COVID-19"), scores ("2-0"), "zero"
("zero-hours", "net zero"), a sequence's "first" ("the first step"), and a bare
"today" (mostly "nowadays"). Ranges are one claim whose value is a range:
"16 to 17 year olds", "30 minutes to an hour" (``30-60`` minute), "3rd-4th"
(rank ``3-4``). Not covered yet: a count with no counted word
("the latest count showed 88"), comparisons ("more than last year"), and who-did-what claims whose
subject is a pronoun. Paragraphs over 20,000 characters (a pasted transcript)
are split into sentences by a simpler rule, so any paragraph takes linear time.
"""

from __future__ import annotations

import bisect
import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from datetime import date, timedelta

import numpy as np
import pandas as pd

from .errors import ParameterError
from .quotes import QuoteSpan, RuleAttributor, ArticleContext, quote_spans
from .text import sentences

__all__ = ["extract_claims", "compare_claims", "CLAIM_COLUMNS", "COMPARISON_COLUMNS", "CLAIM_STATUSES", "CLAIM_TYPES"]

CLAIM_COLUMNS = [
    "claim_id", "article_id", "start", "end", "expression", "sentence", "type", "value", "unit", "approximate",
    "subject", "attributed_to", "note",
]
COMPARISON_COLUMNS = ["group_id", "type", "status", "subject", "n_sources", "sources", "values", "expressions", "claim_ids", "detail"]
CLAIM_STATUSES = ("corroborated", "more_specific", "conflicting", "single_source")
CLAIM_TYPES = ("date", "time", "count", "quantity", "money", "percent", "age", "duration", "rank", "statement")

_MONTHS = {m.lower(): n for n, m in enumerate(
    "January February March April May June July August September October November December".split(), start=1)}
_MONTHS.update({k[:3]: v for k, v in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_WEEKDAYS = {d.lower(): n for n, d in enumerate("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())}
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_ORD = r"(?:st|nd|rd|th)?"
_UNITS_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
                "seventeen eighteen nineteen").split()
_TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_SMALL_NUM = rf"(?:(?:{'|'.join(_TENS_WORDS)})(?:[- ](?:{'|'.join(_UNITS_WORDS[1:10])}))?|{'|'.join(_UNITS_WORDS)})"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9, "trillion": 1e12}
_SCALE_RE = r"(?:\s?(?:k|m|mn|bn)\b|\s(?:thousand|million|billion|trillion)\b)"
_VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000, "millions": 2_000_000, "billions": 2_000_000_000}
_VAGUE_RE = r"(?:tens\s+of\s+thousands|hundreds\s+of\s+thousands|dozens|hundreds|thousands|millions|billions)"
_APPROX_CUE = re.compile(
    r"(?:\babout|\baround|\bapproximately|\broughly|\bnearly|\balmost|\bsome|\bover|\bmore than|\bless than|\bfewer than|"
    r"\bup to|\bat least|\bestimated|\bclose to|\bjust under|\bjust over|\bunder|\bupwards of|\bas many as|\bas much as|~)\s*$",
    re.IGNORECASE)
_ORDINALS = {w: n for n, w in enumerate(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split())}
_ORDINAL = rf"(?:\d+(?:st|nd|rd|th)\b|(?:{'|'.join(list(_ORDINALS)[1:])})\b)"
_STOP = set(
    "a an the and or but of to in on at by for from with as is was were be been being are this that these those it its "
    "he she they we i you his her their our my your him them us me who which what when where there here has have had "
    "do does did not no so if then than also into over under about after before since while said says say told would "
    "could should will can may might must just only very more most some any all each such other another one two three "
    "up out off last next year years week month day today yesterday new per cent percent".split()
)
# words between a number and what it counts: "four other astronauts", "1,000 of his people"
_COUNT_FILLER = set("other more new extra additional further of the his her their its our your my these those such "
                    "young old more than fewer less different separate".split())
_DURATION_UNITS = {"second": "second", "minute": "minute", "hour": "hour", "day": "day", "night": "night", "week": "week",
                   "fortnight": "week", "month": "month", "year": "year", "decade": "year", "century": "year"}
_DURATION_FACTOR = {"decade": 10, "century": 100, "fortnight": 2}
_MEASURES = {
    "metre": "metre", "meter": "metre", "m": "metre", "km": "kilometre", "kilometre": "kilometre", "kilometer": "kilometre",
    "cm": "centimetre", "centimetre": "centimetre", "mm": "millimetre", "millimetre": "millimetre", "mile": "mile",
    "foot": "foot", "feet": "foot", "ft": "foot", "inch": "inch", "inches": "inch", "yard": "yard", "kg": "kilogram",
    "kilogram": "kilogram", "kilo": "kilogram", "gram": "gram", "g": "gram", "tonne": "tonne", "ton": "tonne",
    "metric ton": "tonne", "lb": "pound", "lbs": "pound", "hectare": "hectare", "acre": "acre", "litre": "litre",
    "liter": "litre", "gallon": "gallon", "barrel": "barrel", "mph": "mph", "km/h": "km/h", "kph": "km/h",
    "knot": "knot", "degree": "degree", "°c": "°C", "°f": "°F", "kb": "KB", "mb": "MB", "gb": "GB", "tb": "TB",
    "kwh": "kWh", "mw": "MW", "gw": "GW", "square mile": "square mile", "square kilometre": "square kilometre",
    "sq km": "square kilometre", "calorie": "calorie", "fold": "times",
}
_MEASURE_RE = (r"(?:metric tons?|square (?:miles?|kilometres?)|sq km|km/h|°[CF]|kilomet(?:re|er)s?|centimetres?|millimetres?|"
               r"met(?:re|er)s?|miles?|feet|foot|ft|inch(?:es)?|yards?|kilograms?|kilos?|grams?|tonnes?|tons?|lbs?|"
               r"hectares?|acres?|lit(?:re|er)s?|gallons?|barrels?|mph|kph|knots?|degrees?|kWh|MW|GW|KB|MB|GB|TB|"
               r"calories?|km|cm|mm|kg)\b")
_CURRENCY_PREFIX = {"£": "GBP", "€": "EUR", "¥": "JPY", "₹": "INR", "us$": "USD", "a$": "AUD", "au$": "AUD", "$a": "AUD",
                    "c$": "CAD", "ca$": "CAD", "nz$": "NZD", "hk$": "HKD", "s$": "SGD", "r$": "BRL", "chf": "CHF",
                    "usd": "USD", "eur": "EUR", "gbp": "GBP", "aud": "AUD", "cad": "CAD", "jpy": "JPY", "inr": "INR",
                    "rs": "INR", "rs.": "INR", "$": "$"}
_CURRENCY_WORDS = {"us dollars": "USD", "u.s. dollars": "USD", "australian dollars": "AUD", "canadian dollars": "CAD",
                   "swiss francs": "CHF", "francs": "CHF", "euros": "EUR", "euro": "EUR", "pounds sterling": "GBP",
                   "sterling": "GBP", "yen": "JPY", "rupees": "INR", "yuan": "CNY", "dollars": "$", "dollar": "$",
                   "pence": "GBP-p", "p": "GBP-p", "cents": "cent"}
_DOLLAR_BY_COUNTRY = {"us": "USD", "usa": "USD", "united states": "USD", "au": "AUD", "australia": "AUD", "ca": "CAD",
                      "canada": "CAD", "nz": "NZD", "new zealand": "NZD", "sg": "SGD", "singapore": "SGD",
                      "hk": "HKD", "hong kong": "HKD"}
_DOLLARS = {"$", "USD", "AUD", "CAD", "NZD", "SGD", "HKD"}
_SPEECH_VERBS = re.compile(r"\b(?:said|says|told|added|adds|asked|replied|claimed|insisted|stated|wrote|tweeted)\b")
_PAST_VERB = re.compile(r"\b(?:[a-z]{3,}ed|made|sent|wrote|took|gave|won|lost|paid|met|left|spent|went|came|became|began|held|kept|led|ran|sold|told)\b")
_YEAR_TOKEN = re.compile(r"(?<![\w$£€.,/-])(1[89]\d\d|20\d\d)(?![\w%]|[.,]\d|-\d)")
_THAT_YEAR = re.compile(r"\b(?:that|the same|that same|the following|the next|the previous) year\b", re.IGNORECASE)
_WORD_NUM = (rf"(?:(?:{_SMALL_NUM}|a)\s+dozen|(?:hundred|thousand)(?=[- ](?:years?|foot|feet|miles?|metres?|people)\b)|{_SMALL_NUM}(?:\s+(?:and\s+)?(?:hundred|thousand|million|billion|{_SMALL_NUM}))*"
             r"|a\s+(?:hundred|thousand|million|billion)(?:\s+(?:and\s+)?(?:hundred|thousand|million|billion|" + _SMALL_NUM + r"))*)")
_NUM = rf"(?<![\w£$€.,-])(?:(?:{_DIGITS}){_SCALE_RE}?|{_WORD_NUM}\b(?:\s(?:thousand|million|billion)\b)?)(?![\d,]\d)"

_DATE_PATTERNS = [
    ("academic", re.compile(r"(?<![\w.,-])(?P<y1>(?:19|20)\d\d)[-–/](?P<y2>\d\d)(?![\w%-])")),
    ("day_month", re.compile(rf"\b(?P<day>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<month>{_MONTH})(?:,?\s+(?P<year>\d{{4}}))?\b")),
    ("month_day", re.compile(rf"\b(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}}){_ORD}(?:,?\s+(?P<year>\d{{4}}))?(?![\d,]\d)\b")),
    ("holiday_rel_year", re.compile(r"\b(?P<holiday>Easter|Christmas|Thanksgiving)(?:\s+(?P<span>[Ww]eekend|Day))?\s+(?P<rel>last|this|next)\s+year\b")),
    ("month_rel_year", re.compile(rf"\b(?P<month>{_MONTH})\s+(?P<rel>last|this|next)\s+year\b", re.IGNORECASE)),
    ("rel", re.compile(rf"\b(?:(?:[Ll]ater|[Ee]arlier)\s+)?(?P<rel>[Ll]ast|[Tt]his|[Nn]ext)\s+(?P<what>{_MONTH}|Easter|Christmas|week|month|year|spring|summer|autumn|winter)\b")),
    ("month_year", re.compile(rf"\b(?P<month>{_MONTH})\s+(?P<year>\d{{4}})\b")),
    ("numeric", re.compile(r"\b(?P<a>\d{1,2})[./](?P<b>\d{1,2})[./](?P<c>\d{2,4})\b")),
    ("prep_month", re.compile(rf"\b(?i:in|from|since|until|by|during|early|late|mid|of|this|next|last)[- ](?P<month>{_MONTH})\b")),
    ("part_of_day", re.compile(r"\b(?P<part>[Ll]ast night|[Tt]his (?:morning|afternoon|evening)|[Tt]onight|[Ee]arlier today)\b")),
    ("weekday", re.compile(rf"\b(?:(?P<rel>[Ll]ast|[Nn]ext|[Tt]his)\s+)?(?P<weekday>{_WEEKDAY})(?!,?\s+(?:\d|{_MONTH}))\b")),
    ("ago", re.compile(rf"(?P<num>{_NUM}|an?)\s+(?P<what>day|week|month|year|decade)s?\s+ago\b", re.IGNORECASE)),
    ("decade", re.compile(r"\b(?:(?:[Ee]arly|[Mm]id|[Ll]ate)[- ])?(?P<decade>(?:1[5-9]|20)\d)0s\b")),
    ("century", re.compile(rf"\b(?:(?:[Ee]arly|[Mm]id|[Ll]ate)[- ])?(?P<century>\d{{1,2}}|{'|'.join(list(_ORDINALS)[10:])})(?:th|st|nd|rd)?[- ][Cc]entur(?:y|ies)\b|"
                           r"\b(?:(?:[Ee]arly|[Mm]id|[Ll]ate)[- ])?(?P<century2>\d{1,2})(?:th|st|nd|rd)\b(?=\s+and\s+(?:early|mid|late)?\s*\d+(?:th|st)\s+centuries)")),
    ("deictic", re.compile(r"\b(?P<deictic>[Yy]esterday|[Tt]omorrow)\b")),  # a bare "today" mostly means "nowadays"
    ("year", re.compile(_YEAR_TOKEN.pattern)),
]
_DATEISH = re.compile(rf"(?=[\dJFMASONDTWlLtTnNaAyYeEcC])(?:\d|{_MONTH}|{_WEEKDAY}|\b(?i:last|this|next|ago|yesterday|tomorrow|tonight|today|easter|christmas|"
                      r"centur(?:y|ies))\b)")
_TIME_RE = re.compile(
    r"(?<![\w.:])(?P<h>\d{1,2})(?:[.:](?P<m>[0-5]\d))?\s?(?P<ampm>[ap]\.?m\.?)(?![a-z])"
    r"(?:\s(?P<zone>GMT|BST|UTC|ET|EST|EDT|PT|PST|PDT|CET|CEST|AEST|AEDT))?"
    r"|(?<![\w.:])(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)(?![\d:])(?:\s(?P<zone24>GMT|BST|UTC|ET|EST|EDT|CET|AEST))?",
    re.IGNORECASE)
_AGE_RES = [
    re.compile(rf"(?P<num>{_NUM})(?:\s?(?:to|-|–)\s?(?P<num2>\d{{1,3}}))?[- ]years?[- ]olds?\b", re.IGNORECASE),
    re.compile(rf"\b(?:aged|age)\s+(?P<num>\d{{1,3}})\b"),
    re.compile(r"(?P<name>\b[A-Z][a-z]+)(?:,\s|\s\()(?P<num>\d{1,3})(?:,|\))"),
]
_MONEY_RES = [
    re.compile(rf"(?P<cur>US\$|A\$|AU\$|\$A|C\$|CA\$|NZ\$|HK\$|S\$|R\$|[£€¥₹$]|(?:CHF|USD|EUR|GBP|AUD|CAD|JPY|INR|Rs\.?)\s?)"
               rf"(?P<num>{_DIGITS})(?P<scale>{_SCALE_RE})?"),
    re.compile(rf"(?P<num>{_NUM})\s(?P<cur>US dollars|U\.S\. dollars|Australian dollars|Canadian dollars|Swiss francs|"
               rf"francs|euros?|pounds sterling|yen|rupees|yuan|dollars?|pence|cents)\b"),
    re.compile(rf"(?P<num>{_DIGITS})(?P<cur>p)\b"),
]
_PERCENT_RE = re.compile(rf"(?P<num>{_NUM})\s?(?P<unit>%|per ?cent\b|percent\b|percentage points?\b)", re.IGNORECASE)
_FRACTION_RE = re.compile(r"\b(?P<frac>(?:a|one|two|three)[- ](?:half|third|quarter|fifth|tenth)s?|half)(?=\s+(?:of|the|by|less|more|fewer|lower|higher|smaller|bigger)\b|[.,;])", re.IGNORECASE)
_FRACTIONS = {"half": 50, "third": 100 / 3, "quarter": 25, "fifth": 20, "tenth": 10}
_RANK_RE = re.compile(
    rf"\b(?P<ord>{_ORDINAL})\s+(?P<what>(?:(?:best|worst|largest|biggest|highest|lowest|most|least|"
    r"top|fastest|slowest|richest|poorest|safest)[- ]?\w*\s+)?[\w-]+(?:\s+[\w-]+){0,3}?\s+in\s+the\s+(?:country|world|region|uk|county|city|north|south|east|west|europe|league)(?:\s+[\w-]+){0,3})",
    re.IGNORECASE,
)
_RANKED_RE = re.compile(rf"\b(?P<verb>ranked|ranks|rank|placed|finished|finish|finishing|came|come|coming)\s+(?:No\.?\s*(?P<no>\d+)|(?:joint-)?(?P<ord>{_ORDINAL}))", re.IGNORECASE)
_ORDINAL_NOUN_RE = re.compile(
    rf"(?:\b(?P<det>the|its|his|her|their|our|a|for|of|in|on|\w+['’]s)\s+)?(?P<ord>{_ORDINAL})(?:[- ](?:consecutive|straight|successive|"
    r"annual|overall|straight|largest|biggest|highest|time|ever))?\s+(?P<what>[a-z][\w-]*)", re.IGNORECASE)
_NUMBERISH = re.compile(rf"(?=[\dfFzZoOtTsSeEnNaAhHdDmMbBqQcC])(?:\d|fold\b|\b(?i:{_SMALL_NUM}|an?\s+(?:decade|century|year|foot|mile)|hundreds?|thousands?|dozens?|scores|"
                        rf"millions|billions|half|third|quarter|fifth|tenth|decades|centuries|{'|'.join(_ORDINALS)})\b)")
_GAME_NUMBER_RE = re.compile(rf"\b(?P<what>[Gg]ame|[Rr]ound|[Ss]tage|[Ee]pisode|[Cc]hapter)\s+(?P<num>{_SMALL_NUM}|\d{{1,2}})\b(?![,.]\d)")
_FOLD_RE = re.compile(rf"\b(?P<num>{_SMALL_NUM}|hundred|thousand|\d+)-?fold\b", re.IGNORECASE)
_HYPHEN_RE = re.compile(rf"(?P<num>{_NUM})-(?P<word>[a-z]+)(?:-(?P<word2>old|long))?\b", re.IGNORECASE)
_DURATION_RE = re.compile(rf"(?P<num>{_NUM}|\ban?)\s+(?P<unit>seconds?|minutes?|hours?|days?|nights?|weeks?|fortnights?|months?|years?|decades?|centur(?:y|ies))\b", re.IGNORECASE)
_DURATION_UNIT_RE = r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|fortnights?|months?|years?|decades?|centur(?:y|ies))"
# "30 minutes to an hour", "two to three weeks", "five or six days": one claim whose value is a range
_DURATION_RANGE_RE = re.compile(rf"(?P<num>{_NUM})(?:\s+(?P<unit1>{_DURATION_UNIT_RE}))?\s*(?:to|or|-|–)\s*(?P<num2>{_NUM}|an?)\s+(?P<unit>{_DURATION_UNIT_RE})\b",
                                re.IGNORECASE)
# how many of the next smaller unit make one of a unit, where that is exact (a month is not a whole number of weeks)
_IN_SMALLER = {"minute": ("second", 60), "hour": ("minute", 60), "day": ("hour", 24), "week": ("day", 7),
               "year": ("month", 12), "decade": ("year", 10), "century": ("year", 100)}
_VAGUE_DURATION_RE = re.compile(r"\b(?P<num>decades|centuries)(?:-old)?\b", re.IGNORECASE)
_QUANTITY_RE = re.compile(rf"(?P<num>{_NUM}|\ban?\s)\s?(?P<unit>{_MEASURE_RE})", re.IGNORECASE)
_COUNT_RE = re.compile(rf"(?P<num>{_NUM}|{_VAGUE_RE})(?:\s?(?:to|-|–)\s?(?P<num2>{_DIGITS}))?(?=(?P<rest>(?:\s+[\w’'-]+){{1,4}}))", re.IGNORECASE)
_SCORE_RE = re.compile(r"(?<![\w.,-])\d{1,2}\s?[-–]\s?\d{1,2}(?![\w.,]|-\d)")
_NAME_NUM_RE = re.compile(r"\b[A-Z][A-Za-z]*-?\d+[A-Za-z]*\b|\b\d+[A-Z]{1,3}\b")


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
        if self.lo == date(self.lo.year, 1, 1) and self.hi == date(self.hi.year, 12, 31) and self.lo.year % 10 == 0 and self.hi.year == self.lo.year + 9:
            return f"{self.lo.year // 10}X"  # a decade, EDTF style: 198X
        if self.lo.month == self.lo.day == 1 and self.hi == date(self.hi.year, 12, 31) and self.hi.year % 100 == 0 and self.hi.year - self.lo.year == 99:
            return f"{self.hi.year // 100 - 1:02d}XX"  # a century: the 20th is 19XX
        if self.lo == date(self.lo.year, 1, 1) and self.hi == date(self.hi.year, 12, 31):
            return str(self.lo.year) if self.lo.year == self.hi.year else f"{self.lo.year}/{self.hi.year}"
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
    if re.fullmatch(r"\d{3}X", t):
        return _When(date(int(t[:3]) * 10, 1, 1), date(int(t[:3]) * 10 + 9, 12, 31))
    if re.fullmatch(r"\d{2}XX", t):
        return _When(date(max(1, int(t[:2]) * 100 + 1), 1, 1), date(int(t[:2]) * 100 + 100, 12, 31))
    if re.fullmatch(r"\d{4}/\d{4}", t):
        return _When(date(int(t[:4]), 1, 1), date(int(t[5:]), 12, 31))
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
    """What an article's relative dates are resolved against: its publication date (range).

    ``via`` names where the date comes from when it is not the publication (a quoted tweet's own date).
    """

    def __init__(self, published, precision, via: str = "", country=None):
        self.lo = self.hi = None
        self.via = via
        self.country = None if country is None or (isinstance(country, float) and math.isnan(country)) else str(country).strip().lower()
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

    @property
    def day_known(self) -> bool:
        return self.lo is not None and self.lo == self.hi

    def describe(self) -> str:
        what = self.via or "publication date"
        if not self.known:
            return f"{what} unknown"
        return f"{what} {self.lo.isoformat()}" + ("" if self.lo == self.hi else f" to {self.hi.isoformat()}")


def _unpinned(expr: str, lo: date, hi: date, base: _Base) -> tuple[None, str]:
    """A relative date finer than what is known of the publication date: unresolved, with the possible range."""
    return None, (f"'{expr}' is not resolved: it is relative to a day and only the {base.describe()} is known; "
                  f"it falls between {lo.isoformat()} and {hi.isoformat()}")


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


_CANADA = ("ca", "canada")


def _holiday(name: str, span: str, year: int, country: str | None) -> tuple[date, date] | None:
    """The day (or the weekend) of a named holiday in ``year``: Thanksgiving is US (4th Thursday of November;
    its weekend Thursday to Sunday) unless the outlet is Canadian (2nd Monday of October; Saturday to Monday);
    an Easter weekend is Good Friday to Easter Monday."""
    weekend = span == "weekend"
    if name == "Easter":
        e = _easter(year)
        return (e - timedelta(days=2), e + timedelta(days=1)) if weekend else (e, e)
    if name == "Christmas":
        return None if weekend else (date(year, 12, 25), date(year, 12, 25))
    if country in _CANADA:
        d = date(year, 10, 1) + timedelta(days=(0 - date(year, 10, 1).weekday()) % 7 + 7)
        return (d - timedelta(days=2), d) if weekend else (d, d)
    d = date(year, 11, 1) + timedelta(days=(3 - date(year, 11, 1).weekday()) % 7 + 21)
    return (d, d + timedelta(days=3)) if weekend else (d, d)


def _resolve(kind: str, m: re.Match, base: _Base, year_context: tuple[int, str] | None, date_order: str,
             future: bool = False) -> tuple[_When | None, str]:
    """The date a matched expression names, and a note on how it was resolved.

    ``year_context`` is (year, why) when the claim's sentence gives or ties a year for a yearless date;
    ``future`` says the clause before a weekday is in the future tense ("will be made Thursday").
    """
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
            y, why = year_context
            try:
                w = _When(date(y, month, day), date(y, month, day)) if day else _When(*_month_range(y, month))
            except ValueError:
                return None, "not a valid date"
            return w, f"year {y} {why}"
        if base.known:
            w = _latest_before(month, day, base)
            return w, f"no year given: the latest such date before publication ({base.describe()})"
        return _When(month=month, day=day), "no year given and publication date unknown"
    if kind == "holiday_rel_year":
        if not base.known:
            return None, f"'{m.group()}' is relative and the publication date is unknown"
        shift = {"last": -1, "this": 0, "next": 1}[g["rel"]]
        span = (g.get("span") or "").lower()
        first = _holiday(g["holiday"], span, base.lo.year + shift, base.country)
        last = _holiday(g["holiday"], span, base.hi.year + shift, base.country)
        if first is None or last is None:
            return None, f"'{m.group()}' is not resolved"
        return _When(first[0], last[1]), f"{g['holiday']}{' ' + span if span else ''} {base.lo.year + shift}, relative to {base.describe()}"
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
            if start_lo != start_hi:  # publication known only to the month or year: which week is not pinned down
                return _unpinned(m.group(), start_lo, start_hi + timedelta(days=6), base)
            return _When(start_lo, start_hi + timedelta(days=6)), note
        if what == "month":
            lo_y, lo_m = divmod(base.lo.year * 12 + base.lo.month - 1 + sign, 12)
            hi_y, hi_m = divmod(base.hi.year * 12 + base.hi.month - 1 + sign, 12)
            if (lo_y, lo_m) != (hi_y, hi_m):
                return _unpinned(m.group(), _month_range(lo_y, lo_m + 1)[0], _month_range(hi_y, hi_m + 1)[1], base)
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
        y = int(m.group(1))
        return _When(date(y, 1, 1), date(y, 12, 31)), ""
    if kind == "decade":
        return _When(date(int(g["decade"]) * 10, 1, 1), date(int(g["decade"]) * 10 + 9, 12, 31)), "a decade"
    if kind == "century":
        c = g["century"] or g["century2"]
        n = int(c) if c.isdigit() else _ORDINALS[c.lower()]
        return _When(date((n - 1) * 100 + 1 if n > 1 else 1, 1, 1), date(n * 100, 12, 31)), "a century"
    if kind == "academic":
        y1, y2 = int(g["y1"]), int(g["y2"])
        if y2 != (y1 + 1) % 100:
            return None, "not a date"
        return _When(date(y1, 1, 1), date(y1 + 1, 12, 31)), f"the years {y1} and {y1 + 1} (a season or academic year)"
    if kind in ("weekday", "part_of_day", "ago"):
        if not base.known or (kind != "ago" and base.lo != base.hi):
            return None, f"'{m.group()}' is relative and the publication day is unknown"
        if kind == "part_of_day":
            shift = -1 if g["part"].lower() == "last night" else 0
            d = base.lo + timedelta(days=shift)
            return _When(d, d), f"relative to {base.describe()}"
        if kind == "weekday":
            want, rel = _WEEKDAYS[g["weekday"].lower()], (g["rel"] or "").lower()
            if rel == "next":
                d = base.lo + timedelta(days=(want - base.lo.weekday() - 1) % 7 + 1)
                return _When(d, d), f"the {g['weekday']} after {base.describe()}"
            if not rel and future:  # "a decision will be made Thursday": the coming Thursday
                d = base.lo + timedelta(days=(want - base.lo.weekday()) % 7)
                return _When(d, d), f"the {g['weekday']} on or after {base.describe()} (future tense)"
            back = (base.lo.weekday() - want) % 7
            if rel == "last" and back == 0:
                back = 7
            d = base.lo - timedelta(days=back)
            return _When(d, d), f"the {g['weekday']} on or before {base.describe()}"
        n = 1 if g["num"].lower() in ("a", "an") else _number(g["num"])
        if n is None or n != int(n):
            return None, "not resolved"
        what, n = g["what"].lower(), int(n)
        if what == "decade":
            what, n = "year", n * 10
        if what == "year":
            return _When(date(base.lo.year - n, 1, 1), date(base.hi.year - n, 12, 31)), f"{n} years before {base.describe()}"
        if what == "month":
            lo_y, lo_m = divmod(base.lo.year * 12 + base.lo.month - 1 - n, 12)
            hi_y, hi_m = divmod(base.hi.year * 12 + base.hi.month - 1 - n, 12)
            if (lo_y, lo_m) != (hi_y, hi_m):
                return _unpinned(m.group(), _month_range(lo_y, lo_m + 1)[0], _month_range(hi_y, hi_m + 1)[1], base)
            return _When(_month_range(lo_y, lo_m + 1)[0], _month_range(hi_y, hi_m + 1)[1]), f"{n} months before {base.describe()}"
        days = n * (7 if what == "week" else 1)
        if not base.day_known:
            return _unpinned(m.group(), base.lo - timedelta(days=days), base.hi - timedelta(days=days), base)
        return _When(base.lo - timedelta(days=days), base.hi - timedelta(days=days)), f"{m.group()} from {base.describe()}"
    if kind == "deictic":
        if not base.known:
            return None, f"'{m.group()}' is relative and the publication date is unknown"
        shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[g["deictic"].lower()]
        if not base.day_known:
            return _unpinned(m.group(), base.lo + timedelta(days=shift), base.hi + timedelta(days=shift), base)
        return _When(base.lo + timedelta(days=shift), base.hi + timedelta(days=shift)), f"relative to {base.describe()}"
    return None, ""



def _words_value(t: str) -> float | None:
    from text_to_num import text2num

    try:
        return float(text2num(t, "en"))
    except (ValueError, TypeError):
        return None


def _number(text: str) -> float | None:
    """The value of a number in digits (``4.5 million``, ``£12m``'s ``12m``) or words (``two dozen``, ``five thousand``)."""
    t = " ".join(text.lower().replace(",", "").split())
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s?(k|m|mn|bn|thousand|million|billion|trillion)?", t)
    if m:
        return float(m.group(1)) * _SCALE.get(m.group(2) or "", 1)
    dozen = re.fullmatch(r"(.+?)\s+dozen", t)
    if dozen:
        n = 1.0 if dozen.group(1) == "a" else _words_value(dozen.group(1))
        return None if n is None else n * 12
    t = re.sub(r"^an?\s+", "one ", t)
    scale = re.fullmatch(r"(.+?)\s+(thousand|million|billion)", t)
    value = _words_value(t)
    if value is None and scale:  # "twenty-five million" when text2num does not take the whole phrase
        n = _words_value(scale.group(1))
        value = None if n is None else n * _SCALE[scale.group(2)]
    return value


def _vague(text: str) -> float | None:
    t = " ".join(text.lower().split())
    if t.startswith("tens of"):
        return 20_000.0
    if t.startswith("hundreds of"):
        return 200_000.0
    return float(_VAGUE[t]) if t in _VAGUE else None


def _keywords(text: str) -> list[str]:
    out = []
    for w in re.findall(r"[A-Za-z][\w’'-]+", text):
        k = w.lower().replace("’", "'")
        k = re.sub(r"'s$", "", k)
        if k in _STOP or k in _MONTHS or k in _WEEKDAYS or len(k) < 3:
            continue
        out.append(_singular(k))
    return list(dict.fromkeys(out))


@lru_cache(maxsize=65536)
def _singular(word: str) -> str:
    w = word.lower()
    if w in ("people", "persons"):
        return "person"
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and re.search(r"(?:ss|sh|ch|x)es$", w):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{round(value, 4):g}"


def claim_id(article_id: str, start: int, end: int) -> str:
    """Stable claim id: ``k`` + 12 hex digits.

    >>> claim_id("a1", 0, 5)
    'kfa23f7ec9ae3'
    """
    return "k" + hashlib.sha1(f"{article_id}:{start}:{end}".encode()).hexdigest()[:12]


def _row(article_id, text, start, end, sent, ctype, value, unit, approximate, subject, speaker, note) -> dict:
    """The one place a claims row is built."""
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
        "approximate": bool(approximate),
        "subject": subject,
        "attributed_to": speaker,
        "note": note,
    }


class _Speakers:
    """Who is speaking at a position: the quote's speaker, or the subject of a reported-speech verb."""

    def __init__(self, text: str):
        self.text = text
        self.spans: list[QuoteSpan] = quote_spans(text)
        self.ctx = ArticleContext(text, self.spans)  # built once: the attributor reads the same one
        self.atts = RuleAttributor().attribute(text, self.spans, context=self.ctx.fork()) if self.spans else []
        order = sorted(range(len(self.spans)), key=lambda k: self.spans[k].start)
        self._starts = [self.spans[k].start for k in order]
        self._order = order

    def at(self, pos: int, sent: tuple[int, int]) -> str | None:
        k = bisect.bisect_right(self._starts, pos) - 1
        for j in range(k, max(-1, k - 8), -1):  # the nearest quotes that start before pos (quotes rarely nest)
            span = self.spans[self._order[j]]
            if span.start <= pos < span.end:
                return self.atts[self._order[j]].speaker
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
        and ``published_precision`` resolve relative dates; an optional
        ``country`` tells which dollar ``$`` is).
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
    [['50', 'count', '50', 'page'], ['last week', 'date', '2014-12-29/2015-01-04', nan]]
    """
    missing = [c for c in ("article_id", "text") if c not in articles.columns]
    if missing:
        raise ParameterError(f"extract_claims needs an articles table with columns article_id and text; missing {missing}.", parameter="articles")
    rows: list[dict] = []
    for r in articles.itertuples(index=False):
        text = r.text
        if not isinstance(text, str) or not text.strip():
            continue
        base = _Base(getattr(r, "published", None), getattr(r, "published_precision", "day"), country=getattr(r, "country", None))
        rows.extend(_article_claims(str(r.article_id), text, base, date_order, _dollar_of(getattr(r, "country", None))))
    table = pd.DataFrame(rows, columns=CLAIM_COLUMNS)
    table["start"] = table["start"].astype("int64")
    table["end"] = table["end"].astype("int64")
    table["approximate"] = table["approximate"].astype("bool")
    for c in ("claim_id", "article_id", "expression", "sentence", "type", "value", "unit", "subject", "attributed_to", "note"):
        table[c] = table[c].astype("str")
    return table


def _dollar_of(country) -> tuple[str, str]:
    """What ``$`` means for an outlet in ``country``: (currency, note)."""
    if country is None or (isinstance(country, float) and math.isnan(country)) or not str(country).strip():
        return "$", "'$' could be US, Australian, Canadian or another dollar: the outlet's country is not known"
    c = str(country).strip().lower()
    cur = _DOLLAR_BY_COUNTRY.get(c, "USD")
    return cur, f"'$' read as {cur} (outlet in {country})"


class _Sentence:
    """Claims found in one sentence: non-overlapping spans, first finder wins."""

    def __init__(self, text: str, start: int):
        self.text, self.start = text, start
        self.taken: list[tuple[int, int]] = []
        self.found: list[tuple] = []

    def free(self, a: int, b: int) -> bool:
        return not any(a < y and x < b for x, y in self.taken)

    def block(self, a: int, b: int) -> None:
        self.taken.append((a, b))

    def add(self, a: int, b: int, ctype: str, value, unit=None, approximate=False, note="") -> bool:
        """Add a claim at sentence offsets a:b unless it overlaps one already found."""
        if not self.free(a, b):
            return False
        self.taken.append((a, b))
        self.found.append((self.start + a, self.start + b, ctype, value, unit, approximate, note))
        return True

    def approximate(self, a: int) -> bool:
        return bool(_APPROX_CUE.search(self.text[max(0, a - 20) : a]))


def _sentence_years(s_text: str) -> list[tuple[int, int]]:
    return [(m.start(), int(m.group(1))) for m in _YEAR_TOKEN.finditer(s_text)]


def _year_for(pos: int, years: list[tuple[int, int]], s_text: str, last_year: int | None) -> tuple[int, str] | None:
    """The year a yearless date in this sentence takes: one named in the sentence, or 'that year'."""
    before = [y for p, y in years if pos - 60 <= p < pos]  # "In 2019, the council met in March"
    if before:
        return before[-1], "from the same sentence"
    after = [y for p, y in years if pos < p <= pos + 20]  # "on March 3 and 4, 2024"
    if after:
        return after[0], "from the same sentence"
    if last_year is not None and _THAT_YEAR.search(s_text):
        return last_year, f"from '{_THAT_YEAR.search(s_text).group()}' (the year named before it)"
    return None


class _Utterances:
    """The date a quote was said or posted, when the words that introduce it give one.

    "Two examples from 23 September read: “… five years ago.”": a relative date inside the quote is
    read against the quote's own date (the last single day named before the opening mark, in the
    sentence that opens the quote), not against the article's publication date.
    """

    def __init__(self, spans: list[QuoteSpan], base: _Base):
        self.spans = sorted(spans, key=lambda q: q.start)
        self.starts = [q.start for q in self.spans]
        self.base = base
        self.dated: dict[int, _Base | None] = {}

    def quote_at(self, pos: int) -> int | None:
        k = bisect.bisect_right(self.starts, pos) - 1
        for j in range(k, max(-1, k - 8), -1):  # quotes rarely nest
            if self.spans[j].start <= pos < self.spans[j].end:
                return j
        return None

    def settle(self, found: _Sentence, sent: tuple[int, int]) -> None:
        """Record the date of every quote that opens in this sentence (call once the sentence is read)."""
        k = bisect.bisect_left(self.starts, sent[0])
        while k < len(self.spans) and self.spans[k].open_mark < sent[1]:
            if k not in self.dated:
                self.dated[k] = self._lead_in_date(found, k)
            k += 1

    def _lead_in_date(self, found: _Sentence, k: int) -> _Base | None:
        mark = self.spans[k].open_mark
        days = [(a, b, v) for a, b, ctype, v, *_ in found.found if ctype == "date" and b <= mark]
        for a, b, v in reversed(days):
            w = _parse_when(v) if _known(v) else None
            if w is not None and w.lo is not None and w.lo == w.hi:
                return _Base(pd.Timestamp(w.lo), "day", via=f"date of the quote ({found.text[a - found.start : b - found.start]!r})",
                             country=self.base.country)
        return None

    def base_for(self, found: _Sentence, sent: tuple[int, int]):
        """A function of a sentence offset: the _Base that dates at that offset are read against."""
        if not self.spans:
            return self.base

        def at(a: int) -> _Base:
            k = self.quote_at(found.start + a)
            if k is None:
                return self.base
            if k not in self.dated:  # the quote opens in this sentence: its lead-in dates are found already
                if self.spans[k].open_mark < sent[0]:
                    return self.base
                return self._lead_in_date(found, k) or self.base
            return self.dated[k] or self.base
        return at


def _article_claims(article_id: str, text: str, base: _Base, date_order: str, dollar: tuple[str, str]) -> list[dict]:
    speakers = _Speakers(text)
    utterances = _Utterances(speakers.spans, base)
    rows: list[dict] = []
    last_year: int | None = None
    for sent in sentences(text):
        s_text = text[sent[0] : sent[1]]
        found = _Sentence(s_text, sent[0])
        years = _sentence_years(s_text)
        _find_dates(found, utterances.base_for(found, sent), years, last_year, date_order)
        utterances.settle(found, sent)
        _find_numbers(found, dollar)
        if years:
            last_year = years[-1][1]
        masked = speakers.ctx.mask_quotes(sent[0], sent[1])
        # who did what (when): a sentence whose only claims are dates is also a statement
        if all(f[2] == "date" for f in found.found) and not _SPEECH_VERBS.search(masked) and _PAST_VERB.search(masked):
            subj = speakers.ctx.subject_in(sent[0], sent[1])
            if subj is not None and subj.name.lower() not in ("he", "she", "they", "it", "we", "i"):
                found.found.append((sent[0], sent[1], "statement", None, None, False, f"about {subj.name}"))
        if not found.found:
            continue
        subject = " ".join(_keywords(s_text))
        for a, b, ctype, value, unit, approx, note in sorted(found.found):
            rows.append(_row(article_id, text, a, b, sent, ctype, value, unit, approx, subject, speakers.at(a, sent), note or None))
    return rows


# "could not be reached on Monday" and "was expected to vote on Monday" are past
_FUTURE_CUE = re.compile(r"\b(?:[Ww]ill|shall|won't|won’t|(?<!was )(?<!were )(?:going to|expected to|set to|due to|scheduled to)|"
                         r"plans? to|could(?!\s+not\b|n['’]t)|may|might)\b|['’]ll\b")
_PAST_CUE = re.compile(r"\b(?:was|were|had|did|said|told|added|tweeted|wrote|announced|reported|arrived|left)\b")
_CLAUSE_START = re.compile(r".*[.;:!?“”\"(),—–]", re.DOTALL)
_TENSE_WINDOW = 80  # characters of the clause before a weekday read for its tense


def _future_tense(s_text: str, a: int) -> bool:
    """Whether the clause just before offset ``a`` is in the future tense ("will be made", "could continue")."""
    before = s_text[max(0, a - _TENSE_WINDOW) : a]
    cut = _CLAUSE_START.match(before)
    clause = before[cut.end() :] if cut else before
    fut = [m.end() for m in _FUTURE_CUE.finditer(clause)]
    past = [m.end() for m in _PAST_CUE.finditer(clause)]
    return bool(fut) and (not past or fut[-1] > past[-1])


def _find_dates(found: _Sentence, base, years, last_year, date_order: str) -> None:
    """Dates in one sentence; ``base`` is a _Base, or a function of a sentence offset giving the _Base there."""
    base_at = base if callable(base) else (lambda a, _b=base: _b)
    s_text = found.text
    if not _DATEISH.search(s_text):  # no digit, month, weekday or relative word: no date to look for
        return
    lower = None
    for kind, pattern in _DATE_PATTERNS:
        if kind in _DATE_CUES:  # a word the pattern cannot match without
            lower = lower if lower is not None else s_text.lower()
            if not any(w in lower for w in _DATE_CUES[kind]):
                continue
        for m in pattern.finditer(s_text):
            a, b = m.start(), m.end()
            if kind == "prep_month":
                a = m.start("month")
                if m.group("month").lower().startswith("may") and not m.group("month")[0].isupper():
                    continue
            if kind == "year":
                nxt = _NEXT_WORD.match(s_text, b)
                if nxt and nxt.group(1).endswith("s"):
                    prev = _LAST_WORD.search(s_text, max(0, a - _TAIL), a)
                    if not (prev and (prev.group(1).lower() in _YEAR_PREPS or prev.group(1)[0].isupper())):
                        continue  # "2000 people": a count
            if not found.free(a, b):
                continue
            when, note = _resolve(kind, m, base_at(a), _year_for(a, years, s_text, last_year), date_order,
                                  kind == "weekday" and _future_tense(s_text, a))
            if when is None and note in ("not a date", "not a valid date"):
                continue
            found.add(a, b, "date", when.iso() if when else None, None, kind == "ago", note)


_NEXT_WORD = re.compile(r"\s+([a-z]+)")
_LAST_WORD = re.compile(r"(\w+)\s+$")
_TAIL = 64  # how far back a "word just before" test reads (a search over the whole prefix is quadratic)
_DURATION_LEAD = re.compile(r"\b(?:for|in|within|after|over|than|about|around|nearly|almost|past|last|spent|took|lasted|taking|up to)\s+$",
                            re.IGNORECASE)
_DATE_CUES = {  # words (lower case) a date pattern cannot match without: no such word, no scan
    "ago": ("ago",), "holiday_rel_year": ("year",), "month_rel_year": ("year",), "century": ("centur",), "decade": ("0s",),
    "rel": ("last", "this", "next"), "part_of_day": ("night", "morning", "afternoon", "evening", "today"),
    "weekday": ("day",), "deictic": ("yesterday", "tomorrow"),
}
_YEAR_PREPS = set("in since until by during of from the before after between early late mid and".split())


def _find_numbers(found: _Sentence, dollar: tuple[str, str]) -> None:
    s = found.text
    if not _NUMBERISH.search(s):  # most sentences have no number: skip a dozen scans of them
        return
    at = _anchors(s)  # number-led patterns are tried only where a number can start
    for m in _scan(_TIME_RE, s):
        if m.group("h") is not None:
            h, mi = int(m.group("h")), int(m.group("m") or 0)
            if not 1 <= h <= 12:
                continue
            h = (h % 12) + (12 if m.group("ampm").lower().startswith("p") else 0)
            zone = m.group("zone")
        else:
            h, mi, zone = int(m.group("h24")), int(m.group("m24")), m.group("zone24")
        found.add(m.start(), m.end(), "time", f"{h:02d}:{mi:02d}", None, False, f"time zone {zone}" if zone else "")
    money = _MONEY_CUE.search(s) is not None  # one cue test for the three money patterns
    for k, pattern in enumerate(_MONEY_RES if money else ()):
        for m in _scan(pattern, s, None, at if k == 1 else None):
            cur = m.group("cur").strip()
            unit = _CURRENCY_PREFIX.get(cur.lower()) if k == 0 else _CURRENCY_WORDS.get(cur.lower())
            num = m.group("num") + (m.group("scale") or "") if k == 0 else m.group("num")
            value = _number(num)
            if unit is None or value is None:
                continue
            note = ""
            if unit == "GBP-p":
                unit, value = "GBP", value / 100
            elif unit == "cent":
                unit, value = "$", value / 100
            if unit == "$":
                unit, note = dollar
            found.add(m.start(), m.end(), "money", _fmt(value), unit, found.approximate(m.start()), note)
    for m in _scan(_PERCENT_RE, s, anchors=at):
        value = _number(m.group("num"))
        if value is not None:
            unit = "percentage points" if m.group("unit").lower().startswith("percentage") else "%"
            found.add(m.start(), m.end(), "percent", _fmt(value), unit, found.approximate(m.start()))
    for pattern in (_SCORE_RE, _NAME_NUM_RE):  # "2-0", "B-52", "COVID-19": numbers that are not claims
        for m in pattern.finditer(s):
            if found.free(m.start(), m.end()):
                found.block(m.start(), m.end())
    for k, pattern in enumerate(_AGE_RES if _AGE_CUE.search(s) else ()):
        for m in _scan(pattern, s, None, at if k == 0 else None):
            value = _number(m.group("num"))
            if value is None or not 0 < value < 130:
                continue
            if k == 2 and m.group("name").lower() in _MONTHS:
                continue
            a, b = (m.start(), m.end()) if k == 0 else (m.start("num"), m.end("num"))
            v = _fmt(value) + (f"-{int(m.group('num2'))}" if k == 0 and m.group("num2") else "")
            found.add(a, b, "age", v, "years", found.approximate(a))
    for m in _scan(_FRACTION_RE, s):
        frac = m.group("frac").lower().replace("-", " ").split()
        n = 1 if len(frac) == 1 or frac[0] in ("a", "one") else _UNITS_WORDS.index(frac[0])
        value = n * _FRACTIONS[_singular(frac[-1]) if frac[-1] != "half" else "half"]
        found.add(m.start(), m.end(), "percent", _fmt(round(value, 1)), "%", False, f"the fraction '{m.group('frac')}'")
    for m in _scan(_FOLD_RE, s, anchors=at):
        value = _number(m.group("num"))
        if value is not None:
            found.add(m.start(), m.end(), "quantity", _fmt(value), "times", found.approximate(m.start()))
    for m in _scan(_HYPHEN_RE, s, anchors=at):
        _hyphen_compound(found, m)
    for m in _scan(_DURATION_RANGE_RE, s, anchors=at):
        _duration_range(found, m)
    for m in _scan(_DURATION_RE, s, anchors=at):
        num, unit = m.group("num").lower(), _singular(m.group("unit"))
        if num in ("a", "an") and unit not in ("decade", "century") and not _DURATION_LEAD.search(s, max(0, m.start() - _TAIL), m.start()):
            continue
        value = 1.0 if num in ("a", "an") else _number(num)
        if value is not None:
            found.add(m.start(), m.end(), "duration", _fmt(value * _DURATION_FACTOR.get(unit, 1)), _DURATION_UNITS[unit], found.approximate(m.start()))
    for m in _scan(_VAGUE_DURATION_RE, s):
        n = 20 if m.group("num").lower() == "decades" else 200
        found.add(m.start(), m.end(), "duration", str(n), "year", True, "vague plural: its lower bound")
    for m in _scan(_QUANTITY_RE, s, anchors=at):
        single = m.group("num").strip().lower() in ("a", "an")
        if single and not found.approximate(m.start()):
            continue  # "a foot" only as a bound: "up to a foot of snow"
        value = 1.0 if single else _number(m.group("num"))
        unit = _MEASURES.get(m.group("unit").lower()) or _MEASURES.get(_singular(m.group("unit")))
        if value is not None and unit:
            found.add(m.start(), m.end(), "quantity", _fmt(value), unit, found.approximate(m.start()))
    _find_ranks(found)
    for m in _scan(_COUNT_RE, s, anchors=at):
        _count(found, m)


_CUES = {  # a cheap test before each costly pattern: no cue in the sentence, no scan
    "_TIME_RE": re.compile(r"[ap]\.?m\b|\d:\d", re.IGNORECASE),
    "_PERCENT_RE": re.compile(r"%|per ?cent|percentage", re.IGNORECASE),
    "_FRACTION_RE": re.compile(r"half|third|quarter|fifth|tenth", re.IGNORECASE),
    "_FOLD_RE": re.compile(r"fold\b", re.IGNORECASE),
    "_HYPHEN_RE": re.compile(r"\w-[A-Za-z]"),
    "_DURATION_RE": re.compile(r"second|minute|hour|day|night|week|fortnight|month|year|decade|centur", re.IGNORECASE),
    "_VAGUE_DURATION_RE": re.compile(r"decades|centuries", re.IGNORECASE),
    "_QUANTITY_RE": re.compile(_MEASURE_RE, re.IGNORECASE),
}
_CUE_OF = {id(globals()[name]): cue for name, cue in _CUES.items()}
_MONEY_CUE = re.compile(r"(?=[£$€¥₹CcUuEeGgAaJjIiRrDdFfPpSsYy\d])(?:[£$€¥₹]|CHF|USD|EUR|GBP|AUD|CAD|JPY|INR|Rs\b|dollar|franc|euro|pound|sterling|yen|rupee|yuan|pence|cent|\dp\b)",
                        re.IGNORECASE)
_AGE_CUE = re.compile(r"year|aged?\b|,\s\d|\(\d", re.IGNORECASE)


def _scan(pattern: re.Pattern, s: str, cue: re.Pattern | None = None, anchors: list[int] | None = None):
    """pattern.finditer(s), skipped when the sentence lacks the pattern's cue word or sign.

    With ``anchors`` (the places a number can start, from :func:`_anchors`), the pattern is tried only
    there: the same matches as finditer for a pattern that starts with a number, without running the
    pattern's long alternation at every character of the sentence.
    """
    if anchors is not None:
        return _anchored(pattern, s, anchors)
    cue = cue or _CUE_OF.get(id(pattern))
    return pattern.finditer(s) if cue is None or cue.search(s) else ()


# Every place where a number-led pattern (_NUM, a vague plural, "a"/"an") can start: not after a word
# character, a digit or a number word (a superset: "ten" also starts "tenant"); vague plurals anywhere.
# Zero-width, so that no place is skipped. The leading class of first letters lets the regex engine skip
# the other characters quickly (it does not work that out from an ignore-case alternation); so in
# _NUMBERISH, _DATEISH and _ORDINAL_CUE.
_ANCHOR_RE = re.compile(
    r"(?=[\dzZoOtTfFsSeEnNhHaAdDmMbB])(?:(?<!\w)(?=\d|(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand)|an?\b)"
    r"|(?=tens\s+of|hundreds|dozens|thousands|millions|billions))",
    re.IGNORECASE)


def _anchors(s: str) -> list[int]:
    return [m.start() for m in _ANCHOR_RE.finditer(s)]


def _anchored(pattern: re.Pattern, s: str, anchors: list[int]):
    """What ``pattern.finditer(s)`` gives when every match starts at one of ``anchors`` (sorted)."""
    end = 0
    for a in anchors:
        if a < end:
            continue
        m = pattern.match(s, a)
        if m is not None:
            yield m
            end = max(m.end(), a + 1)


def _in_unit(n: float, unit: str, target: str) -> float | None:
    """``n`` of ``unit`` in ``target`` units, when the two convert exactly (hours to minutes, years to months)."""
    while unit != target:
        if unit not in _IN_SMALLER:
            return None
        unit, factor = _IN_SMALLER[unit]
        n *= factor
    return n


def _duration_range(found: _Sentence, m: re.Match) -> None:
    """'30 minutes to an hour' (30-60 minute), 'two to three weeks' (2-3 week)."""
    u2 = _singular(m.group("unit").lower())
    u1 = _singular(m.group("unit1").lower()) if m.group("unit1") else u2
    lo = _number(m.group("num"))
    hi = 1.0 if m.group("num2").lower() in ("a", "an") else _number(m.group("num2"))
    if lo is None or hi is None or u1 not in _DURATION_UNITS or u2 not in _DURATION_UNITS:
        return
    unit = u1
    if u1 != u2:  # the smaller of the two units, when the larger converts into it exactly
        a, b = _in_unit(hi, u2, u1), _in_unit(lo, u1, u2)
        if a is not None:
            hi = a
        elif b is not None:
            lo, unit = b, u2
        else:
            return
    lo, hi = lo * _DURATION_FACTOR.get(unit, 1), hi * _DURATION_FACTOR.get(unit, 1)
    if not lo < hi:
        return  # "one to one", or not a range
    found.add(m.start(), m.end(), "duration", f"{_fmt(lo)}-{_fmt(hi)}", _DURATION_UNITS[unit], found.approximate(m.start()), "range")


def _hyphen_compound(found: _Sentence, m: re.Match) -> None:
    """'3,000-strong', '15-member', 'six-month', 'hundred-foot', '28-year-old'."""
    word, value = m.group("word").lower(), _number(m.group("num"))
    if value is None:
        return
    a, b = m.start(), m.end()
    approx = found.approximate(a)
    if word == "year" and m.group("word2") and m.group("word2").lower() == "old":
        found.add(a, b, "age", _fmt(value), "years", approx)
    elif word in _DURATION_UNITS:
        found.add(a, b, "duration", _fmt(value * _DURATION_FACTOR.get(word, 1)), _DURATION_UNITS[word], approx)
    elif word in _MEASURES:
        found.add(a, b, "quantity", _fmt(value), _MEASURES[word], approx)
    elif m.group("num").lower() not in ("one", "a", "an", "zero") and word not in _STOP and len(word) >= 3:
        unit = word
        if word == "strong":  # "a 3,000-strong crowd": what is counted is the next word
            nxt = re.match(r"\s+([a-z]+)", found.text[b:])
            unit = nxt.group(1) if nxt else "person"
        found.add(a, m.end("num"), "count", _fmt(value), _singular(unit), approx)


_RANK_RANGE_RE = re.compile(rf"(?<![\w-])(?P<ord>\d+(?:st|nd|rd|th))\s?[-–/]\s?(?P<ord2>\d+(?:st|nd|rd|th))\b(?:\s+(?P<what>[a-z]+))?")


_ORDINAL_CUE = re.compile(rf"\d(?:st|nd|rd|th)\b|(?=[fFsStTeEnN])(?i:{'|'.join(list(_ORDINALS)[1:])})")


def _find_ranks(found: _Sentence) -> None:
    s = found.text
    ordinal = _ORDINAL_CUE.search(s) is not None  # _RANK_RE, _ORDINAL_NOUN_RE and _RANK_RANGE_RE need an ordinal
    for m in (_RANK_RANGE_RE.finditer(s) if ordinal else ()):  # "finish in 3rd-4th place": a shared place, a range of ranks
        lo, hi = _ordinal(m.group("ord")), _ordinal(m.group("ord2"))
        if lo < hi:
            found.add(m.start(), m.end("ord2"), "rank", f"{lo}-{hi}", _singular(m.group("what") or "place"), False, "range")
    for m in (_RANK_RE.finditer(s) if ordinal else ()):
        found.add(m.start(), m.end(), "rank", str(_ordinal(m.group("ord"))), " ".join(m.group("what").split()))
    for m in _RANKED_RE.finditer(s):
        g = "no" if m.group("no") else "ord"
        found.add(m.start(g), m.end(g), "rank", str(int(m.group("no")) if m.group("no") else _ordinal(m.group("ord"))), "place")
    for m in _GAME_NUMBER_RE.finditer(s):  # "game four", "round 3": a place in a sequence
        value = _number(m.group("num"))
        if value is not None:
            found.add(m.start("num"), m.end("num"), "rank", _fmt(value), m.group("what").lower())
    for m in (_ORDINAL_NOUN_RE.finditer(s) if ordinal else ()):
        what = m.group("what").lower()
        digits = m.group("ord")[0].isdigit()
        if what in _STOP or what in _MONTHS or (not digits and not m.group("det")) or m.group("ord").lower() == "first":
            continue  # "the first step", "first cousin": a sequence's first is rarely a checkable rank
        found.add(m.start("ord"), m.end("ord"), "rank", str(_ordinal(m.group("ord"))), _singular(what))


def _ordinal(text: str) -> int:
    t = text.lower()
    return _ORDINALS[t] if t in _ORDINALS else int(re.match(r"\d+", t).group())


def _count(found: _Sentence, m: re.Match) -> None:
    num = m.group("num")
    vague = _vague(num)
    value = vague if vague is not None else _number(num)
    if value is None or num.lower() in ("one", "a", "an", "zero"):  # "one of", "zero-hours", "net zero"
        return
    words = m.group("rest").split()
    head = None
    for w in words:
        lw = w.lower().strip("’'")
        if lw in _COUNT_FILLER or _NAME_NUM_RE.fullmatch(w):  # "four other astronauts", "two F-16 jets"
            continue
        head = lw
        break
    if head is None or head in _STOP or head in _MONTHS or head in _WEEKDAYS or not re.fullmatch(r"[a-z][a-z-]*", head):
        return
    if re.fullmatch(r"\d{4}", num) and 1800 <= value <= 2099 and not head.endswith("s"):
        return  # "1999 canyoning": a year, not a count
    b = m.end("num2") if m.group("num2") else m.end("num")
    v = _fmt(value) if not m.group("num2") else f"{_fmt(value)}-{_fmt(_number(m.group('num2')) or 0)}"
    approx = vague is not None or found.approximate(m.start())
    found.add(m.start(), b, "count", v, _singular(head), approx, "vague plural: its lower bound" if vague is not None else "")


# --- comparing across sources -------------------------------------------------------------


def _numbers(v) -> tuple[float, float] | None:
    """A number or a range of numbers ``16-17`` as (low, high)."""
    m = re.fullmatch(r"(-?[\d.]+)(?:-([\d.]+))?", str(v))
    if not m:
        return None
    lo = float(m.group(1))
    return lo, float(m.group(2)) if m.group(2) else lo


def _relation(v1, v2, ctype: str, approx1: bool = False, approx2: bool = False) -> str:
    """'same', 'narrower' (v1 inside or more exact than v2), 'wider', 'different' or 'unknown'."""
    if not _known(v1) or not _known(v2):
        return "unknown"
    if ctype == "date":
        return _date_relation(v1, v2)
    if v1 == v2:
        return "same" if approx1 == approx2 else ("wider" if approx1 else "narrower")
    a, b = _numbers(v1), _numbers(v2)
    if a is None or b is None:
        return "different"
    if approx1 != approx2:  # "about 300" and "312" agree, the exact one is more specific
        x, y = (a[0] + a[1]) / 2, (b[0] + b[1]) / 2
        if abs(x - y) <= 0.25 * max(abs(x), abs(y)):
            return "wider" if approx1 else "narrower"
        return "different"
    return "different"  # exact figures (or ranges, "16 to 17") that differ


def _date_relation(v1, v2) -> str:
    a, b = _parse_when(v1), _parse_when(v2)
    if a is None or b is None:
        return "unknown"
    if a.lo is None or b.lo is None:
        ma = a.month if a.lo is None else (a.lo.month if a.lo.month == a.hi.month and a.lo.year == a.hi.year else None)
        mb = b.month if b.lo is None else (b.lo.month if b.lo.month == b.hi.month and b.lo.year == b.hi.year else None)
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
    if a.hi < b.lo or b.hi < a.lo or (a.hi - a.lo) == (b.hi - b.lo):  # apart, or the same span shifted (2011-12, 2012-13)
        return "different"
    return "unknown"


def _known(value) -> bool:
    return isinstance(value, str) and value not in ("None", "nan", "")


def _unit_key(ctype: str, unit) -> str:
    """What a claim's unit must share with another's for the two to be compared (the block key)."""
    if ctype in ("date", "time", "statement"):
        return ""
    if ctype == "money" and unit in _DOLLARS:
        return "dollar"
    return str(unit)


def _units_agree(ctype: str, u1, u2) -> bool:
    """Same unit; an ambiguous '$' agrees with any dollar, so a '$' never conflicts on currency alone."""
    return u1 == u2 or (ctype == "money" and "$" in (u1, u2) and u1 in _DOLLARS and u2 in _DOLLARS)


_NAME_RE = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-Z][a-z]+(?:[-\s][A-Z][a-z]+)*")
_MAX_POSTING = 300  # a key word shared by more claims than this is not scanned in full (keeps blocking linear)


@dataclass
class _Evidence:
    """What a claim's own sentence says it is about: key words, names, and the words right around it."""

    words: frozenset
    names: frozenset
    near: frozenset
    where: float


def _evidence(claims: pd.DataFrame, texts: dict) -> list[_Evidence]:
    out = []
    names_of: dict[str, frozenset] = {}
    cols = [claims[c].tolist() for c in ("article_id", "start", "end", "sentence", "subject")]
    for art, start, end, sentence, subject in zip(*cols):
        words = frozenset(str(subject).split())
        if sentence not in names_of:
            names_of[sentence] = frozenset(_singular(w) for n in _NAME_RE.findall(str(sentence)) for w in n.lower().split())
        text = texts.get(art)
        if isinstance(text, str):
            near_text, where = text[max(0, start - 50) : start] + " " + text[end : end + 50], start / max(1, len(text))
        else:
            near_text, where = str(sentence), 0.0
        out.append(_Evidence(words, names_of[sentence] & words, frozenset(_NEAR_RE.findall(near_text.lower())), where))
    return out


_NEAR_RE = re.compile(r"[a-z0-9][a-z0-9'’-]+")


def compare_claims(claims: pd.DataFrame, articles: pd.DataFrame, *, min_shared_words: int = 3, min_overlap: float = 0.6) -> pd.DataFrame:
    """Group claims about the same thing across sources and say whether the sources agree.

    Two claims are compared only when they are about the same thing: the same
    type, the same unit (what is counted, the measure, the currency; an
    ambiguous ``$`` goes with any dollar), and the same subject or event by
    the evidence of their own sentences: at least ``min_shared_words`` key
    words in common (what is counted, names, verbs and event words), making up
    at least ``min_overlap`` of the shorter sentence's key words. Candidates
    are found by blocking on type, unit and rare key words (never all pairs).
    Each claim is paired with its best counterpart in each other source
    (mutually best: most shared evidence, then the words right around the
    claim, then the same value and position), and a group holds at most one
    claim per source, every two of which pass the test: groups never chain,
    and claims in one article never conflict with each other. Identical text
    never conflicts, nor do the same relative words ("yesterday") read against
    different publication dates: both are ``corroborated``, and ``detail``
    gives the date each reads as.

    Parameters
    ----------
    claims : pandas.DataFrame
        From :func:`extract_claims`.
    articles : pandas.DataFrame
        The articles (``article_id``; ``outlet``/``path`` name the sources, ``text`` sharpens the pairing).
    min_shared_words, min_overlap
        How much of their sentences' key words two claims must share to be about the same thing.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COMPARISON_COLUMNS`, one row per group: ``status`` is
        ``corroborated`` (the same value in two or more sources),
        ``more_specific`` (consistent, one source narrower: "September" vs
        "23 September", "about 300" vs "312"), ``conflicting`` (different values
        for the same thing) or ``single_source``; ``values`` and
        ``expressions`` map each source to what it says; ``detail`` says in
        words why the claims are about the same thing and what each source
        says.
    """
    missing = [c for c in CLAIM_COLUMNS if c not in claims.columns and c != "approximate"]
    if missing:
        raise ParameterError(f"compare_claims: the claims table lacks column(s) {missing}.", parameter="claims")
    rows = claims.reset_index(drop=True).copy()
    if "approximate" not in rows:
        rows["approximate"] = False
    rows = rows[CLAIM_COLUMNS]
    rows["value"] = [_fmt(v) if isinstance(v, (int, float)) and not math.isnan(v) else v for v in rows["value"]]  # read back from CSV
    from .tables import source_labels

    # one label per article, unique: two articles of one outlet (a story and its update) are two sources, never merged
    labels = source_labels(articles) if "article_id" in articles else {}
    texts = dict(zip(articles["article_id"], articles["text"])) if "text" in articles else {}
    ev = _evidence(rows, texts)
    types, units, arts = rows["type"].tolist(), rows["unit"].tolist(), rows["article_id"].tolist()
    values, approx, exprs = rows["value"].tolist(), rows["approximate"].astype(bool).tolist(), rows["expression"].tolist()

    def rank(i: int, j: int, overlap: float) -> tuple:
        near = len(ev[i].near & ev[j].near) / max(1, len(ev[i].near | ev[j].near))
        # position before value: preferring the counterpart that agrees would hide a changed figure
        return (overlap, near, -abs(ev[i].where - ev[j].where), values[i] == values[j], exprs[i] == exprs[j])

    # blocking: claims of one type and unit, found through their rarer key words
    blocks: dict[tuple, list[int]] = {}
    for i, (t, u) in enumerate(zip(types, units)):
        blocks.setdefault((t, _unit_key(t, u)), []).append(i)
    passed: dict[tuple[int, int], tuple] = {}
    art_code = np.unique(np.asarray(arts, dtype=object), return_inverse=True)[1] if arts else np.zeros(0, dtype=np.int64)
    sizes = np.array([len(e.words) for e in ev], dtype=np.int64)
    sizes_l = sizes.tolist()
    for (ctype, _), members in blocks.items():
        check_units = ctype == "money"
        lists: dict[str, list[int]] = {}
        for i in members:
            for w in ev[i].words:
                lists.setdefault(w, []).append(i)
        postings = {w: np.array(js[:_MAX_POSTING], dtype=np.int64) for w, js in lists.items()}
        for i in members:
            if sizes[i] < min_shared_words:
                continue
            hits = np.concatenate([postings[w] for w in ev[i].words])
            cand, shared = np.unique(hits, return_counts=True)
            keep = (cand > i) & (art_code[cand] != art_code[i]) & (shared >= min_shared_words) \
                & (shared >= min_overlap * np.minimum(sizes[cand], sizes[i]))
            for j, n in zip(cand[keep].tolist(), shared[keep].tolist()):
                if check_units and not _units_agree(types[i], units[i], units[j]):
                    continue
                passed[(i, j)] = rank(i, j, n / min(sizes_l[i], sizes_l[j]))
    # each claim's best counterpart in each other source; keep the pairs that are best both ways
    best: dict[tuple[int, str], tuple[tuple, int]] = {}
    for (i, j), key in passed.items():
        for x, y in ((i, j), (j, i)):
            k = (x, arts[y])
            if k not in best or key > best[k][0]:
                best[k] = (key, y)
    mutual = sorted(((key, i, j) for (i, j), key in passed.items() if best[(i, arts[j])][1] == j and best[(j, arts[i])][1] == i), reverse=True)
    # the claims each claim passed the test with: whether every two members of two groups passed is then one
    # subset test per member of the smaller group (a sentence repeated in many sources makes groups of hundreds)
    partners: dict[int, set[int]] = {}
    for i, j in passed:
        partners.setdefault(i, set()).add(j)
        partners.setdefault(j, set()).add(i)
    group_of = list(range(len(rows)))
    members_of: dict[int, set[int]] = {i: {i} for i in range(len(rows))}
    sources_of: dict[int, set[str]] = {}  # made when a group first grows past one claim
    for _, i, j in mutual:
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        a, b = members_of[gi], members_of[gj]
        sa, sb = sources_of.get(gi) or {arts[gi]}, sources_of.get(gj) or {arts[gj]}
        if not sa.isdisjoint(sb):
            continue  # one claim per source per group
        big, small = (a, b) if len(a) > len(b) else (b, a)
        if not all(len(partners.get(y, ())) >= len(big) and big <= partners[y] for y in small):
            continue  # every two members must be about the same thing: no chains
        for y in b:
            group_of[y] = gi
        a.update(b)
        sources_of[gi] = sa
        sa.update(sb)
        sources_of.pop(gj, None)
        del members_of[gj]
    records = rows.to_dict("records")
    out = []
    for group in members_of.values():
        members = sorted(group, key=lambda k: (arts[k], records[k]["start"]))
        g = [records[k] for k in members]
        sources = list(dict.fromkeys(r["article_id"] for r in g))
        status, detail = _status(g, sources, labels, [ev[k] for k in members])
        common = frozenset.intersection(*(ev[k].words for k in members))
        out.append({
            "group_id": "g" + hashlib.sha1(min(r["claim_id"] for r in g).encode()).hexdigest()[:12],
            "type": g[0]["type"],
            "status": status,
            "subject": " ".join(w for w in str(g[0]["subject"]).split() if w in common)[:120],
            "n_sources": len(sources),
            "sources": [labels.get(a, a) for a in sources],
            "values": {labels.get(a, a): [r["value"] for r in g if r["article_id"] == a and _known(r["value"])] for a in sources},
            "expressions": {labels.get(a, a): [r["expression"] for r in g if r["article_id"] == a] for a in sources},
            "claim_ids": [r["claim_id"] for r in g],
            "detail": detail,
        })
    table = pd.DataFrame(out, columns=COMPARISON_COLUMNS)
    table["status"] = pd.Categorical(table["status"], categories=list(CLAIM_STATUSES))
    return table


def _why_same(g: list[dict], ev: list[_Evidence]) -> str:
    """In words: why these claims are about the same thing."""
    ctype, unit = g[0]["type"], g[0]["unit"]
    common = frozenset.intersection(*(e.words for e in ev))
    names = sorted(frozenset.intersection(*(e.names for e in ev)))
    currencies = "/".join(dict.fromkeys(str(r["unit"]) for r in g))
    what = {"count": f"a count of '{unit}'", "quantity": f"a measure in {unit}", "money": f"an amount in {currencies}",
            "percent": f"a percentage ({unit})", "duration": f"a duration in {unit}s", "rank": f"a rank ({unit})",
            "age": "an age", "date": "a date", "time": "a time of day", "statement": "a statement"}.get(ctype, ctype)
    why = f"each is {what}"
    if names:
        why += "; their sentences name " + ", ".join(names)
    others = sorted(common - set(names))
    if others:
        why += ("; and" if names else "; their sentences") + " share the words " + ", ".join(others[:8])
    return why


def _read_against_publication(claim: dict) -> bool:
    """Whether a date claim's value was read against a date of its article (``_Base.describe``: the publication date,
    or the date of the quote): a relative date, a weekday, a day or month without a year, as its note says."""
    note = claim.get("note")
    return claim.get("type") == "date" and isinstance(note, str) and ("publication date" in note or "date of the quote" in note)


def _status(g: list[dict], sources: list[str], labels: dict, ev: list[_Evidence]) -> tuple[str, str]:
    ctype = g[0]["type"]
    if len(sources) < 2:
        return "single_source", f"only in {labels.get(sources[0], sources[0])}"
    why = _why_same(g, ev)
    if ctype == "statement":
        return "corroborated", f"similar statements in {', '.join(labels.get(a, a) for a in sources)} ({why})"
    same_words = len({" ".join(str(r["expression"]).split()).casefold() for r in g}) == 1
    same_sentence = same_words and len({" ".join(str(r["sentence"]).split()) for r in g}) == 1
    if same_sentence or (same_words and all(_read_against_publication(r) for r in g)):
        # identical text never conflicts, nor do the same relative words ("yesterday", "in March") in sentences worded
        # differently: printed on different days they read as different dates, which says when each was published
        values = ", ".join(dict.fromkeys(str(r["value"]) for r in g if _known(r["value"])))
        read = f"; read against each article's publication date it gives {values}" if len({r["value"] for r in g}) > 1 else ""
        where = ", in the same sentence" if same_sentence else ""
        return "corroborated", f"the same words ({g[0]['expression']!r}{where}) in {', '.join(labels.get(a, a) for a in sources)}{read}: {why}"
    says = list({(r["value"], bool(r["approximate"])): (labels.get(r["article_id"], r["article_id"]), r["value"], bool(r["approximate"]))
                 for r in reversed(g)}.values())[::-1]  # each distinct value once, with the first source that says it
    if len(says) == 1 and _relation(says[0][1], says[0][1], ctype) == "same":
        return "corroborated", f"the same value in {', '.join(labels.get(a, a) for a in sources)}: {why}"
    pairs_rel = []
    for k, (a, va, xa) in enumerate(says):
        for b, vb, xb in says[k + 1 :]:
            pairs_rel.append((a, va, b, vb, _relation(va, vb, ctype, xa, xb)))
    ambiguous = ctype == "money" and len({r["unit"] for r in g}) > 1
    note = " ('$' is ambiguous: the currencies are taken to agree)" if ambiguous else ""
    if any(r == "different" for *_, r in pairs_rel):
        a, va, b, vb, _ = next(p for p in pairs_rel if p[-1] == "different")
        return "conflicting", f"{a} says {va}; {b} says {vb}. Why these are about the same thing: {why}{note}"
    narrower = [p for p in pairs_rel if p[-1] in ("narrower", "wider")]
    if narrower:
        a, va, b, vb, r = narrower[0]
        specific, general = ((a, va), (b, vb)) if r == "narrower" else ((b, vb), (a, va))
        return "more_specific", (f"{specific[0]} is more specific ({specific[1]}) than {general[0]} ({general[1]}). "
                                 f"Why these are about the same thing: {why}{note}")
    if any(r == "same" for *_, r in pairs_rel):
        return "corroborated", f"the same value in {', '.join(labels.get(a, a) for a in sources)}: {why}{note}"
    return "single_source", f"sources mention it but the values cannot be compared: {why}"
