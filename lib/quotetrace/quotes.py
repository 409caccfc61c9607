"""Find direct quotations in articles and who said them.

The quotes table (:data:`QUOTE_COLUMNS`), one row per quotation:

============== =====================================================================
column         meaning
============== =====================================================================
quote_id       stable id: ``"q"`` + 12 hex digits of SHA-1 of ``article_id:start:end``
article_id     the article (see :func:`quotetrace.load_corpus`)
start, end     character offsets of the quoted words, without the quotation marks:
               ``text[start:end] == quote``
quote          the quoted words exactly as printed
speaker        fullest name the article gives the speaker (titles such as Coun,
               Cllr, Mr, Dr dropped), a role ("council spokesman"), or ``None``
               when the article names nobody
speaker_start, speaker_end  offsets of the mention the speaker was taken from (for
               "He said", the earlier mention "He" refers to); ``<NA>`` if none
cue            the attribution cue: ``said``, ``told``, ``added``, ``according to``,
               ``colon`` (``X: “…”``), ``continued`` (a quote that carries on into
               the next paragraph), … or ``None``
kind           ``speech`` (words someone said or wrote) or ``term`` (a quoted word
               or short label, e.g. ‘Tweetgate’, a headline phrase, a title)
paragraph      0-based paragraph number in the article
boilerplate    ``True`` when the quote sits in site furniture (navigation, "Read
               more", comment widgets) rather than in the reporting
============== =====================================================================

How it works (rules, no statistical model)
------------------------------------------
1. :func:`quote_spans` scans each paragraph for quotation marks: curly and
   straight double quotes, British single quotes ‘…’ (apostrophes in
   council’s, don’t, councillors’ never open or close a quote), guillemets.
   Quotes nested inside a quote stay inside it. A mark left open closes at the
   end of its paragraph, so a stray mark never swallows the rest of the
   article; this is also how news marks a quote that continues into the next
   paragraph (which reopens with a mark).
2. Each quote is classed ``speech`` or ``term``: a short fragment (four words
   or fewer) run into a sentence with no cue of its own is a term.
3. The default attributor, :class:`RuleAttributor`, looks for a cue after the
   quote (``“…,” he said`` / ``“…,” said Coun Corcoran``), before it
   (``Coun Jones told the Express: “…”``, ``According to X, “…”``), then, for
   speech only, in the rest of the sentence; a quote that follows a speech
   quote in its paragraph, or opens the next paragraph, carries on its
   speaker. A term gets a speaker only from a cue right beside it. Pronouns resolve to the most recent subject of
   an attribution verb (so "A council spokesman said that … He said: “…”" is
   the spokesman). Names are expanded to the fullest form the article gives
   ("Cllr Jones" → "Michael Jones").

Any object with an ``attribute(text, spans) -> list[Attribution]`` method can
replace the attributor (for example a statistical model), via
``extract_quotes(articles, attributor=...)``.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass
from typing import NamedTuple, Protocol, Sequence

import pandas as pd

from .errors import ParameterError
from .text import paragraphs

__all__ = [
    "QUOTE_COLUMNS",
    "ArticleContext",
    "QuoteSpan",
    "Attribution",
    "Attributor",
    "RuleAttributor",
    "extract_quotes",
    "quote_spans",
    "quote_id",
]

QUOTE_COLUMNS = [
    "quote_id",
    "article_id",
    "start",
    "end",
    "quote",
    "speaker",
    "speaker_start",
    "speaker_end",
    "cue",
    "kind",
    "paragraph",
    "boilerplate",
]

_OPEN_DOUBLE = "\u201c\u201e\u00ab"
_CLOSE_DOUBLE = "\u201d\u00bb"
_OPEN_SINGLE = "\u2018\u201a\u2039"
_CLOSE_SINGLE = "\u2019\u203a"
_MARKS = set(_OPEN_DOUBLE + _CLOSE_DOUBLE + _OPEN_SINGLE + _CLOSE_SINGLE + "\"'")
_MARK_RE = re.compile("[" + re.escape("".join(sorted(_MARKS))) + "]")
_OPENING_CONTEXT = set(" \t\n([{\u2014\u2013-/:;,") | set(_OPEN_DOUBLE + _OPEN_SINGLE + "\"'")
TERM_MAX_WORDS = 4
_MAX_SENTENCE = 2000  # characters; attribution never looks further back or ahead than this


class QuoteSpan(NamedTuple):
    """One quotation: content offsets and how it is marked."""

    start: int  # first character of the quoted words
    end: int  # one past the last quoted word character
    open_mark: int  # offset of the opening mark
    close_mark: int | None  # offset of the closing mark, None if closed by the paragraph end
    paragraph: int


class Attribution(NamedTuple):
    """Who said a quote: the speaker, the mention it came from, the cue, and the kind."""

    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    cue: str | None
    kind: str


class Attributor(Protocol):
    """The seam for attribution models: rules today, a statistical model later."""

    def attribute(self, text: str, spans: Sequence[QuoteSpan]) -> list[Attribution]:
        """One :class:`Attribution` per span, in order."""


# --- 1. finding quotation marks -------------------------------------------------------------


def _is_letter(ch: str) -> bool:
    return ch.isalnum()


def _kind_of(ch: str) -> str:
    if ch in _OPEN_DOUBLE or ch in _CLOSE_DOUBLE or ch == '"':
        return "double"
    return "single"


def _scan_paragraph(text: str, start: int, end: int, ignore: frozenset[int] = frozenset()) -> tuple[list[tuple[int, int | None]], int | None]:
    """Top-level quotations in text[start:end] as (open_mark, close_mark or None).

    Returns the spans and, if an opening *single* mark was left open at the
    paragraph end, its offset (the caller retries without it: an unclosed
    single mark is far more often an apostrophe than a quote).
    """
    stack: list[tuple[str, int, str]] = []  # (kind, offset, mark)
    found: list[tuple[int, int | None]] = []
    n_single = 0  # open single marks on the stack
    n_straight = 0  # open straight double marks on the stack
    for found_mark in _MARK_RE.finditer(text, start, end):
        i = found_mark.start()
        ch = text[i]
        if i in ignore:
            continue
        prev = text[i - 1] if i > start else " "
        nxt = text[i + 1] if i + 1 < end else " "
        opener_ok = (prev in _OPENING_CONTEXT or prev.isspace()) and not nxt.isspace()
        closer_ok = not prev.isspace() or i == start
        action = None  # "open" or "close"
        if ch in _OPEN_DOUBLE or ch in _OPEN_SINGLE:
            if ch in _OPEN_SINGLE and _is_letter(prev):
                action = None  # a misused ‘ as an apostrophe inside a word
            else:
                action = "open"
        elif ch in _CLOSE_DOUBLE:
            action = "close"
        elif ch in _CLOSE_SINGLE or ch == "'":
            if _is_letter(prev) and _is_letter(nxt):
                action = None  # apostrophe: council’s, don’t
            elif ch == "'" and opener_ok and not n_single:
                action = "open"
            elif n_single and closer_ok and not _is_letter(nxt):
                action = "close" if not _possessive_not_closing(text, i, end) else None
            elif ch == "\u2019" and opener_ok and _looks_like_misused_opener(text, i, end):
                action = "open"
            else:
                action = None
        elif ch == '"':
            if n_straight and closer_ok and not (opener_ok and stack and stack[-1][2] != '"'):
                action = "close"
            elif opener_ok:
                action = "open"
            elif closer_ok and not stack and not _is_letter(nxt):
                action = None  # a stray closing mark
        if action == "open":
            stack.append((_kind_of(ch), i, ch))
            n_single += stack[-1][0] == "single"
            n_straight += ch == '"'
        elif action == "close":
            kind = _kind_of(ch)
            want = '"' if ch == '"' else None
            for depth in range(len(stack) - 1, -1, -1):
                k, off, mark = stack[depth]
                if k == kind and (want is None or mark == want) and (want is not None or mark != '"'):
                    if depth == 0:
                        found.append((off, i))
                    for k2, _, m2 in stack[depth:]:
                        n_single -= k2 == "single"
                        n_straight -= m2 == '"'
                    del stack[depth:]
                    break
    if stack:
        k, off, mark = stack[0]
        if k == "single" and not _introduces_quote(text, off, start):
            return found, off
        found.append((off, None))
    return found, None


def _introduces_quote(text: str, mark: int, para_start: int) -> bool:
    """An unclosed curly ‘ that opens its paragraph or follows a colon or comma is a real
    quote running on (British style), not a stray apostrophe."""
    if text[mark] not in _OPEN_SINGLE:
        return False
    before = text[para_start:mark].rstrip()
    return before == "" or before.endswith((":", ","))


def _possessive_not_closing(text: str, i: int, end: int) -> bool:
    """A ’ after an s followed by a lower-case word (councillors’ tweets) is a possessive
    when another closing candidate follows later in the paragraph."""
    if i == 0 or text[i - 1] not in "sS":
        return False
    m = re.match(r"\s+[a-z]", text[i + 1 : min(end, i + 4)])
    if not m:
        return False
    rest = text[i + 1 : min(end, i + 400)]  # a bounded look ahead: no quadratic scans of huge paragraphs
    return bool(re.search(r"[^\s][\u2019'](?![\w])", rest))


def _looks_like_misused_opener(text: str, i: int, end: int) -> bool:
    """A ’ used as an opening mark (a common typing error): only if a closing ’ follows soon."""
    return bool(re.match(r"[A-Z][^\u2019\u2018\n]{0,80}[^\s][\u2019](?!\w)", text[i + 1 : min(end, i + 90)]))


def quote_spans(text: str) -> list[QuoteSpan]:
    """All top-level quotations in ``text``, in order.

    >>> [text[s.start:s.end] for text in ["He said: “It’s ‘blurred’.” Fine."] for s in quote_spans(text)]
    ['It’s ‘blurred’.']
    >>> [s.close_mark for s in quote_spans("“Unclosed to the end\\n\\nNext para.")]
    [None]
    """
    spans: list[QuoteSpan] = []
    for p_no, (p_start, p_end) in enumerate(paragraphs(text)):
        ignore: set[int] = set()
        for _ in range(20):
            found, stray = _scan_paragraph(text, p_start, p_end, frozenset(ignore))
            if stray is None:
                break
            ignore.add(stray)
        for open_mark, close_mark in found:
            s = open_mark + 1
            e = close_mark if close_mark is not None else p_end
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s and any(ch.isalnum() for ch in text[s:e]):
                spans.append(QuoteSpan(s, e, open_mark, close_mark, p_no))
    return spans


# --- 2-3. attribution ----------------------------------------------------------------------

_TITLES = (
    r"Councillor|Coun|Cllr|Mr|Mrs|Ms|Miss|Mx|Dr|Professor|Prof|Sir|Dame|Lord|Lady|Baroness|Baron|Reverend|Rev|"
    r"Senator|Sen|Rep|Governor|Gov|Mayor|President|Judge|Justice|Inspector|Insp|Det|Sgt|Capt|Gen|Col|Supt|Chief Constable|PC|DC|DCI|DI"
)
_TITLE_RE = re.compile(rf"^(?:(?:{_TITLES})\.?\s+)+")
_CAP = r"(?:Mc|Mac|O[’']|D[’'])?[A-Z][A-Za-z]*(?:[’'-][A-Za-z]+)*"
_PARTICLE = r"(?:de|van|von|der|den|da|di|le|la|du|bin|al|dos|del)"
_NAME_RE = re.compile(rf"(?:(?:{_TITLES})\.?\s+)*{_CAP}(?:[ \t]+(?:{_CAP}|{_PARTICLE}(?=[ \t]+[A-Z])))*")
_POSSESSIVE_RE = re.compile(r"[’']s?$")
_STOP = {
    w.lower()
    for w in (
        "The A An And But Or So If In On At Of For From To By With As When While Where After Before Since Although Though "
        "However Meanwhile Also Yet Then Now This That These Those There Here It Its He She They We I You His Her Their Our "
        "My Your Speaking Responding Asked Writing Asked Last Next Earlier Later Today Yesterday Tomorrow Tonight "
        "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August "
        "September October November December Read More Share Comments Comment Home News Sport Weather Tweets Two One "
        "Three Several Many Some Questions Campaigners Ministers Officials Critics Residents Police Staff Not No Yes "
        "Why What Who How Given According Following Despite During Under Over Chief"
    ).split()
}
_ORG_WORDS = {
    w.lower()
    for w in (
        "Council Group Party Government Department Ministry Office Committee Association Institute Trust Network News "
        "Express Times Post Mail Guardian Telegraph Radio BBC ITV Sky Act Agency Authority Commission Company Ltd Limited "
        "Inc Corp Corporation University College School Police Service Services Board Union Federation Foundation Bank "
        "Club Court Parliament Assembly Senate House Executive Labour Conservatives Conservative Tories Democrats UKIP "
        "Ukip Greens Independents Twitter Facebook constitution"
    ).split()
}
_PRONOUNS = {"he", "she", "they", "it", "i", "we"}
_CUE_WORDS = (
    "said|says|say|told|tells|tell|added|adds|add|explained|explains|stated|states|wrote|writes|tweeted|tweets|"
    "posted|continued|continues|insisted|insists|claimed|claims|argued|argues|warned|warns|asked|asks|replied|replies|"
    "responded|admitted|admits|commented|comments|declared|declares|noted|notes|announced|announces|remarked|urged|"
    "urges|stressed|stresses|conceded|concedes|acknowledged|acknowledges|maintained|maintains|suggested|suggests|"
    "specified|specifies|read|reads|recalled|recalls|confirmed|confirms|denied|denies|joked|jokes|pleaded|added|"
    "calling|called|calls|described|describes|promised|promises|vowed|vows|agreed|agrees|revealed|reveals"
)
_CUE_RE = re.compile(rf"\b(?:{_CUE_WORDS})\b")
_ROLE_NOUNS = r"spokesman|spokeswoman|spokesperson|spokespeople|representative|source|statement|official|officials|insider|aide|friend"
_ROLE_RE = re.compile(
    rf"\b(?:an?|the)\s+(?P<role>(?:[\w’'-]+\s+){{0,3}}?(?:{_ROLE_NOUNS})(?:\s+for\s+(?:the\s+)?(?:{_CAP})(?:\s+{_CAP})*)?)\b",
    re.IGNORECASE,
)
_PRONOUN_RE = re.compile(r"\b(he|she|they|it|we)\b", re.IGNORECASE)
_SENTENCE_END_RE = re.compile(r"[.!?][\u201d\u2019\"')\]]*\s+(?=[\u201c\u2018\"'(A-Z0-9])")
_ABBREV_END_RE = re.compile(rf"(?:\b(?:{_TITLES}|St|No|Co|Inc|Ltd|vs|etc|e\.g|i\.e|[A-Z]))$")
_BOILERPLATE_RE = re.compile(
    r"^(?:home\b|read more|share\b|comments?\b|add your comment|related\b|advertisement|sign up|subscribe|"
    r"tell us what you think|more videos|view all|follow us|click here|most read|latest\b)|\||more >|\d{2}/\d{2}/\d{4}\S",
    re.IGNORECASE,
)


def _is_boilerplate(paragraph: str) -> bool:
    """Site furniture (navigation bars, "Read more", comment widgets, dated link lists), not reporting."""
    return bool(_BOILERPLATE_RE.search(paragraph))


class _Mention(NamedTuple):
    name: str  # without title or possessive
    start: int
    end: int
    titled: bool
    org: bool


@dataclass
class RuleAttributor:
    """Rule-based speaker attribution (the default)."""

    term_max_words: int = TERM_MAX_WORDS

    def attribute(self, text: str, spans: Sequence[QuoteSpan]) -> list[Attribution]:
        """One :class:`Attribution` per span, in order."""
        ctx = ArticleContext(text, spans)
        out: list[Attribution] = []
        last_speech: tuple[int, Attribution] | None = None  # (paragraph, attribution) of the last speech quote
        for n, span in enumerate(spans):
            boiler = ctx.is_boilerplate(span.paragraph)
            if boiler:
                out.append(Attribution(None, None, None, None, "term"))
                continue
            found = ctx.after_cue(n) or ctx.before_cue(n)
            introduced = found is not None and found[2]
            # a follow-on quote: opens its paragraph right after a speech quote, or follows one in the same paragraph
            continues = (
                found is None
                and last_speech is not None
                and (
                    last_speech[0] == span.paragraph
                    or (
                        last_speech[0] == span.paragraph - 1
                        and text[ctx.paragraph_start(span.paragraph) : span.open_mark].strip() == ""
                    )
                )
            )
            kind = self._kind(text, span, ctx, introduced or continues)
            if found is None and not continues and kind == "speech":
                # a cue elsewhere in the sentence attributes speech, never a bare term (‘Tweetgate’)
                found = ctx.sentence_cue(n)
            if continues:
                prev = last_speech[1]
                att = Attribution(prev.speaker, prev.speaker_start, prev.speaker_end, "continued", kind)
            elif found is not None:
                mention, cue, _ = found
                att = Attribution(*ctx.resolve(mention, span.open_mark), cue, kind)
            else:
                att = Attribution(None, None, None, None, kind)
            if att.kind == "speech":
                last_speech = (span.paragraph, att)
            out.append(att)
            ctx.note_quote(n, att)
        return out

    def _kind(self, text: str, span: QuoteSpan, ctx: "ArticleContext", introduced: bool) -> str:
        words = re.findall(r"\w+", text[span.start : span.end])
        if len(words) > self.term_max_words:
            return "speech"
        if introduced:
            return "speech"
        quote = text[span.start : span.end].rstrip()
        full_sentence = quote[:1].isupper() and quote[-1:] in ".!?" and len(words) >= 2
        return "speech" if full_sentence else "term"


class ArticleContext:
    """Per-article lookups for the rule attributor: paragraphs, sentences, names, subjects.

    Other stages that need to know who is speaking (claims: the subject of
    reported speech) use its public methods, :meth:`mask_quotes`,
    :meth:`subject_in` and :meth:`resolve`; the rest is the attributor's own.
    """

    def __init__(self, text: str, spans: Sequence[QuoteSpan]):
        self.text = text
        self.spans = spans
        self.paras = paragraphs(text)
        self._boiler: dict[int, bool] = {}
        self._quote_ranges = [(s.open_mark, (s.close_mark + 1) if s.close_mark is not None else s.end) for s in spans]
        self._range_starts = [a for a, _ in self._quote_ranges]  # sorted: spans come in text order
        self.mentions = self._find_mentions()
        self._mention_starts = [m.start for m in self.mentions]
        self.full_names = self._full_names()
        # subjects of attribution verbs outside quotes, in text order: (offset, mention or role) for pronoun resolution
        self.subjects: list[tuple[int, _Mention]] = self._find_subjects()

    # paragraphs and sentences
    def paragraph_start(self, p: int) -> int:
        return self.paras[p][0]

    def is_boilerplate(self, p: int) -> bool:
        if p not in self._boiler:
            s, e = self.paras[p]
            self._boiler[p] = _is_boilerplate(self.text[s:e])
        return self._boiler[p]

    def sentence_start(self, pos: int, p: int) -> int:
        p_start = self.paras[p][0]
        window = max(p_start, pos - _MAX_SENTENCE)  # no sentence is longer: keeps huge paragraphs linear
        start = window
        for m in _SENTENCE_END_RE.finditer(self.text, window, pos):
            if self._inside_quote(m.start()):
                continue
            if _ABBREV_END_RE.search(self.text[max(p_start, m.start() - 12) : m.start()]):
                continue
            start = m.end()
        return start

    def sentence_end(self, pos: int, p: int) -> int:
        p_end = min(self.paras[p][1], pos + _MAX_SENTENCE)
        for m in _SENTENCE_END_RE.finditer(self.text, pos, p_end):
            if self._inside_quote(m.start()):
                continue
            if _ABBREV_END_RE.search(self.text[max(pos, m.start() - 12) : m.start()]):
                continue
            return m.start() + 1
        return p_end

    def _inside_quote(self, pos: int) -> bool:
        k = bisect.bisect_right(self._range_starts, pos) - 1
        return k >= 0 and pos < self._quote_ranges[k][1]

    def _ranges_overlapping(self, a: int, b: int):
        k = max(0, bisect.bisect_right(self._range_starts, a) - 1)
        while k < len(self._quote_ranges) and self._quote_ranges[k][0] < b:
            yield self._quote_ranges[k]
            k += 1

    def mask_quotes(self, a: int, b: int) -> str:
        """text[a:b] with quoted passages blanked out (same length, offsets preserved)."""
        pieces, pos = [], a
        for qa, qb in self._ranges_overlapping(a, b):
            lo, hi = max(qa, a), min(qb, b)
            if hi <= lo:
                continue
            pieces.append(self.text[pos:lo])
            pieces.append(" " * (hi - lo))
            pos = hi
        pieces.append(self.text[pos:b])
        return "".join(pieces)

    def _mentions_in(self, a: int, b: int) -> list[_Mention]:
        k = bisect.bisect_left(self._mention_starts, a)
        out = []
        while k < len(self.mentions) and self.mentions[k].start < b:
            if self.mentions[k].end <= b:
                out.append(self.mentions[k])
            k += 1
        return out

    # names
    def _find_mentions(self) -> list[_Mention]:
        out = []
        text = self.text
        mid_sentence_caps = set()
        for m in re.finditer(r"(?<=[a-z,;] )([A-Z][a-z]+)", text):
            mid_sentence_caps.add(m.group(1))
        for m in _NAME_RE.finditer(text):
            raw = m.group()
            s = m.start()
            titled = bool(_TITLE_RE.match(raw))
            body = _TITLE_RE.sub("", raw)
            offset = len(raw) - len(body)
            tokens = body.split()
            # drop capitalised function words at the front (sentence-initial "But", "Responding")
            while tokens and tokens[0].lower() in _STOP and not titled:
                offset += len(tokens[0])
                rest = body[len(tokens[0]) :]
                offset += len(rest) - len(rest.lstrip())
                body = rest.lstrip()
                tokens = tokens[1:]
            if not tokens:
                continue
            if not titled and _TITLE_RE.match(body):
                titled = True
                stripped = _TITLE_RE.sub("", body)
                offset += len(body) - len(stripped)
                body = stripped
                tokens = body.split()
                if not tokens:
                    continue
            body = _POSSESSIVE_RE.sub("", body) if body.endswith(("’s", "'s", "s’", "s'")) else body
            tokens = body.split()
            if not tokens or all(t.lower() in _STOP for t in tokens):
                continue
            if len(tokens) == 1 and not titled and tokens[0] not in mid_sentence_caps and s == self._line_or_sentence_start(s):
                continue
            org = tokens[-1].lower() in _ORG_WORDS or any(t.lower() in _ORG_WORDS for t in tokens[1:])
            out.append(_Mention(body, s + offset, s + offset + len(body), titled, org))
        return [m for m in out if not self._inside_quote(m.start)]

    def _line_or_sentence_start(self, pos: int) -> int:
        k = pos
        while k > 0 and self.text[k - 1] in " \t":
            k -= 1
        if k == 0 or self.text[k - 1] in "\n.!?:\u201c\u2018\"":
            return pos
        return -1

    def _full_names(self) -> dict[str, str]:
        """Surname (and any single token) -> the fullest person name the article uses."""
        best: dict[str, str] = {}
        for m in self.mentions:
            if m.org:
                continue
            tokens = m.name.split()
            key = tokens[-1]
            if len(m.name) > len(best.get(key, "")):
                best[key] = m.name
        return best

    def _person_score(self, m: _Mention, clause_start: int) -> int:
        score = 0
        if m.titled:
            score += 2
        if not m.org:
            score += 1
            if len(self.full_names.get(m.name.split()[-1], "").split()) >= 2:
                score += 2
        before = self.text[max(clause_start, m.start - 6) : m.start].lower()
        if re.search(r"\b(of|in|at|for|to|on|into|by)\s+$", before):
            score -= 3
        return score

    # subjects
    def subject_in(self, a: int, b: int) -> _Mention | None:
        """The subject of an attribution verb in text[a:b] (outside quotes): a person, role, org or pronoun."""
        masked = self.mask_quotes(a, b)
        people = self._mentions_in(a, b)
        roles = [
            _Mention(self._clean_role(r.group("role")), a + r.start("role"), a + r.end("role"), False, False)
            for r in _ROLE_RE.finditer(masked)
        ]
        pronouns = [
            _Mention(p.group(1).lower(), a + p.start(1), a + p.end(1), False, False)
            for p in _PRONOUN_RE.finditer(masked)
        ]
        candidates = people + roles
        if candidates:
            # best person-like mention; on a tie, the one nearest the verb ("Cheshire East leader Michael Jones told")
            scored = sorted(candidates, key=lambda m: (-self._person_score(m, a) - (1 if m in roles else 0), -m.start))
            best = scored[0]
            if pronouns and pronouns[0].start < best.start and self._person_score(best, a) < 2:
                return pronouns[0]
            return self._with_possessed_noun(best, b)
        if pronouns:
            return pronouns[0]
        return None

    def _with_possessed_noun(self, m: _Mention, b: int) -> _Mention:
        """“Labour’s manifesto says”, “the council’s constitution specifies”: the subject is the
        thing possessed, when it stands right before the verb."""
        tail = self.text[m.end : b]
        g = re.match(r"[’']s\s+([a-z]+)\s*$", tail)
        if not g:
            return m
        end = m.end + g.end(1)
        return _Mention(self.text[m.start : end], m.start, end, False, True)

    @staticmethod
    def _clean_role(role: str) -> str:
        return re.sub(r"\s+", " ", role.strip())

    def _find_subjects(self) -> list[tuple[int, _Mention]]:
        out = []
        text = self.text
        for p_no, (ps, pe) in enumerate(self.paras):
            masked = self.mask_quotes(ps, pe)
            for cue in _CUE_RE.finditer(masked):
                cue_pos = ps + cue.start()
                sent_start = self.sentence_start(cue_pos, p_no)
                subject = self.subject_in(sent_start, cue_pos)
                if subject is not None:
                    out.append((cue_pos, subject))
        del text
        return out

    def note_quote(self, n: int, att: Attribution) -> None:
        """Remember a resolved speaker as the latest subject (for later pronouns)."""
        if att.speaker and att.speaker_start is not None:
            pos = self.spans[n].open_mark
            bisect.insort(self.subjects, (pos, _Mention(att.speaker, att.speaker_start, att.speaker_end, False, False)), key=lambda x: x[0])

    def resolve(self, mention: _Mention, before: int) -> tuple[str | None, int | None, int | None]:
        """Turn a mention into (speaker, start, end): pronouns to the latest earlier subject, names to full names."""
        if mention.name in _PRONOUNS:
            if mention.name == "we":
                return None, None, None
            # "it" refers back to a body or document; he/she/they to a person or role
            want_org = mention.name == "it"
            k = bisect.bisect_left(self.subjects, mention.start, key=lambda x: x[0])
            for _, subj in reversed(self.subjects[max(0, k - 200) : k]):  # the latest earlier subjects
                if subj.name not in _PRONOUNS and subj.org == want_org:
                    return self._full(subj.name), subj.start, subj.end
            return None, None, None
        return self._full(mention.name), mention.start, mention.end

    def _full(self, name: str) -> str:
        tokens = name.split()
        if not tokens:
            return name
        full = self.full_names.get(tokens[-1])
        if full and len(full) > len(name) and full.endswith(name.split()[-1]) and (len(tokens) == 1 or full.endswith(name)):
            return full
        return name

    # cues around a quote
    def after_cue(self, n: int) -> tuple[_Mention, str, bool] | None:
        span = self.spans[n]
        if span.close_mark is None:
            return None
        a = span.close_mark + 1
        p_end = self.paras[span.paragraph][1]
        b = min(p_end, a + 90)
        if n + 1 < len(self.spans) and self.spans[n + 1].open_mark < b:
            b = self.spans[n + 1].open_mark
        tail = self.text[a:b]
        quote_end = self.text[span.start : span.end].rstrip()[-1:]
        if quote_end not in ",!?…-—–" and not re.match(r"\s*[,\u2014\u2013]", tail):
            return None  # ‘blurred’ after it was revealed … : the words after are not an attribution
        m = re.match(rf"\s*[,\u2014\u2013-]?\s*(?P<cue>{_CUE_WORDS}|according to)\b", tail)
        if m:  # “…,” said Coun Corcoran / “…,” according to Dr Walsh
            rest_start = a + m.end()
            sent_end = self.sentence_end(rest_start, span.paragraph)
            subj = self.subject_in(rest_start, min(sent_end, rest_start + 80))
            if subj is not None:
                return subj, m.group("cue").lower(), True
        m = re.match(rf"\s*[,\u2014\u2013-]?\s*(?P<subj>[^.!?\u201c\u2018\"]{{1,70}}?)\s+(?P<cue>{_CUE_WORDS})\b", tail)
        if m and not re.search(r"[.!?]", m.group("subj")):
            subj = self.subject_in(a + m.start("subj"), a + m.end("subj"))
            if subj is not None and (subj.start - a) < 60:
                return subj, m.group("cue").lower(), True
        return None

    def before_cue(self, n: int) -> tuple[_Mention, str, bool] | None:
        span = self.spans[n]
        p = span.paragraph
        sent_start = self.sentence_start(span.open_mark, p)
        clause_start = sent_start
        k = n - 1
        while k >= 0 and self.spans[k].paragraph == p:  # the clause starts after the last quote before this one
            if self.spans[k].close_mark is not None and self.spans[k].close_mark < span.open_mark:
                clause_start = max(clause_start, self.spans[k].close_mark + 1)
                break
            k -= 1
        clause = self.text[clause_start : span.open_mark]
        m = re.search(r"\baccording to\s+(?P<who>[^:\u201c\u2018\"]{2,120}?)\s*,?\s*$", clause, re.IGNORECASE)
        if m:
            subj = self.subject_in(clause_start + m.start("who"), clause_start + m.end("who"))
            if subj is not None:
                return subj, "according to", True
        m = re.search(rf"\b(?P<cue>{_CUE_WORDS})\b(?P<obj>(?:\s+[\w’'.-]+){{0,5}}?)\s*(?P<punct>[:,]?)\s*$", clause)
        if m:
            subj = self.subject_in(clause_start, clause_start + m.start("cue"))
            if subj is None:
                return None
            obj = m.group("obj").strip()
            introduced = bool(m.group("punct")) or obj in ("", "that")
            return subj, m.group("cue").lower(), introduced
        m = re.search(r"(?P<who>[^.!?:]{2,80}?)\s*:\s*$", clause)
        if m:
            subj = self.subject_in(clause_start + m.start("who"), clause_start + m.end("who"))
            if subj is not None:
                return subj, "colon", True
        return None

    def sentence_cue(self, n: int) -> tuple[_Mention, str, bool] | None:
        """A cue elsewhere in the quote's sentence: “X said the allegations were ‘…’ and …”."""
        span = self.spans[n]
        p = span.paragraph
        sent_start = self.sentence_start(span.open_mark, p)
        masked = self.mask_quotes(sent_start, span.open_mark)
        cues = list(_CUE_RE.finditer(masked))
        if not cues:
            return None
        cue = cues[-1]
        subj = self.subject_in(sent_start, sent_start + cue.start())
        if subj is None:
            return None
        return subj, cue.group().lower(), False


# --- 4. the table ----------------------------------------------------------------------------


def quote_id(article_id: str, start: int, end: int) -> str:
    """Stable quote id from where the quote is: ``q`` + 12 hex digits.

    >>> quote_id("a56b8d5884a9f", 10, 20)
    'qa7ca7d5d4c91'
    """
    return "q" + hashlib.sha1(f"{article_id}:{start}:{end}".encode()).hexdigest()[:12]


def _row(article_id: str, text: str, span: QuoteSpan, att: Attribution, boiler: bool) -> dict:
    return {
        "quote_id": quote_id(article_id, span.start, span.end),
        "article_id": article_id,
        "start": span.start,
        "end": span.end,
        "quote": text[span.start : span.end],
        "speaker": att.speaker,
        "speaker_start": att.speaker_start,
        "speaker_end": att.speaker_end,
        "cue": att.cue,
        "kind": att.kind,
        "paragraph": span.paragraph,
        "boilerplate": boiler,
    }


def _empty_quotes() -> pd.DataFrame:
    return _typed(pd.DataFrame(columns=QUOTE_COLUMNS))


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    for column in ("start", "end", "paragraph"):
        table[column] = table[column].astype("int64")
    for column in ("speaker_start", "speaker_end"):
        table[column] = table[column].astype("Int64")
    table["boilerplate"] = table["boilerplate"].astype("bool")
    for column in ("quote_id", "article_id", "quote", "speaker", "cue", "kind"):
        table[column] = table[column].astype("str")
    return table


def extract_quotes(
    articles: pd.DataFrame, *, attributor: Attributor | None = None, scheduler: str | None = None, partition_size: int = 2000
) -> pd.DataFrame:
    """Find every quotation in every article, with its speaker.

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles table from :func:`quotetrace.load_corpus` (needs
        ``article_id`` and ``text``).
    attributor : Attributor, optional
        Who-said-it model; default :class:`RuleAttributor`.
    scheduler : str, optional
        Run on Dask: a ``dask.distributed`` scheduler address or
        ``processes``/``threads``/``synchronous`` (see
        :func:`quotetrace.match.match_quotes`); articles are split into
        partitions of ``partition_size`` and this same function runs on each.

    Returns
    -------
    pandas.DataFrame
        The quotes table, columns :data:`QUOTE_COLUMNS`, ordered by article
        (as given) then position.

    Examples
    --------
    >>> import pandas as pd
    >>> arts = pd.DataFrame({"article_id": ["a1"], "text": ["Coun Sam Corcoran said: “He should resign.”"]})
    >>> q = extract_quotes(arts)
    >>> q[["quote", "speaker", "cue", "kind"]].values.tolist()
    [['He should resign.', 'Sam Corcoran', 'said', 'speech']]
    """
    missing = [c for c in ("article_id", "text") if c not in articles.columns]
    if missing:
        raise ParameterError(
            f"extract_quotes needs an articles table with columns article_id and text; missing {missing}. "
            "Load articles with quotetrace.load_corpus().",
            parameter="articles",
        )
    if scheduler is not None:
        from .distributed import map_partitions

        parts = [{"articles": articles.iloc[k : k + partition_size][["article_id", "text"]]} for k in range(0, len(articles), partition_size)]
        tables = [t for t in map_partitions(extract_quotes, parts, scheduler, attributor=attributor) if len(t)]
        return _typed(pd.concat(tables, ignore_index=True)) if tables else _empty_quotes()
    attributor = attributor or RuleAttributor()
    rows: list[dict] = []
    for article_id, text in zip(articles["article_id"], articles["text"]):
        if not isinstance(text, str) or not text:
            continue
        spans = quote_spans(text)
        if not spans:
            continue
        atts = attributor.attribute(text, spans)
        if len(atts) != len(spans):
            raise ParameterError("The attributor returned a different number of attributions than quotes.", parameter="attributor")
        paras = paragraphs(text)
        boiler: dict[int, bool] = {}
        for span, att in zip(spans, atts):
            if span.paragraph not in boiler:
                s, e = paras[span.paragraph]
                boiler[span.paragraph] = _is_boilerplate(text[s:e])
            rows.append(_row(str(article_id), text, span, att, boiler[span.paragraph]))
    if not rows:
        return _empty_quotes()
    return _typed(pd.DataFrame(rows, columns=QUOTE_COLUMNS))
