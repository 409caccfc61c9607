"""Find direct quotations in articles and who said them.

The quotes table (:data:`QUOTE_COLUMNS`), one row per quotation:

============== =====================================================================
column         meaning
============== =====================================================================
quote_id       stable id: ``"q"`` + 12 hex digits of SHA-1 of ``article_id:start:end``
article_id     the article (see :func:`quotetrace.load_corpus`)
start, end     character offsets of the quoted words, without the quotation marks:
               ``text[start:end] == quote`` (``title[start:end]`` for a headline quote
               of an article whose text does not hold its headline: see 4. below)
quote          the quoted words exactly as printed
speaker        fullest name the article gives the speaker (titles such as Coun,
               Cllr, Mr, Dr dropped), a role ("council spokesman"), or ``None``
               when the article names nobody
speaker_start, speaker_end  offsets of the mention the speaker was taken from (for
               "He said", the earlier mention "He" refers to); ``<NA>`` if none
cue            the attribution cue: ``said``, ``told``, ``added``, ``according to``,
               ``colon`` (``X: “…”``), ``continued`` (a quote that carries on into
               the next paragraph), ``turn`` (question and answer alternating
               between two people), ``dash`` (a pull quote then "—Name, …"),
               ``woven`` (words woven into a sentence whose subject acts: "He
               longed for “a time complete as an ocean,”"), ``named``/``cited``
               ("X has named “…” as one of her demands"),
               ``lede``/``body`` (a headline quote attributed from the first
               paragraph or the same words in the body), … or ``None``
kind           ``speech`` (words someone said or wrote) or ``term`` (a quoted word
               or short label, e.g. ‘Tweetgate’, a headline phrase, a title)
paragraph      0-based paragraph number in the article's text; -1 for a headline quote
               whose offsets index the ``title``
section        where the quote is printed: ``headline``, ``highlights`` (the
               standfirst and story highlights between the headline and the
               body) or ``body`` (see the articles' ``headline_end`` and
               ``body_start`` columns); :data:`LEAD_SECTIONS` are not quotes of
               the reporting itself, and quote clusters never land on them
boilerplate    ``True`` when the quote sits in site furniture (navigation, "Read
               more", comment widgets) rather than in the reporting
============== =====================================================================

How it works (rules, no statistical model)
------------------------------------------
1. :func:`quote_spans` scans each paragraph for quotation marks: curly and
   straight double quotes, British single quotes ‘…’ (apostrophes in
   council’s, don’t, councillors’ never open or close a quote), German „…“
   and ‚…‘, guillemets « … » and »…«, and text that mixes curly and straight
   marks (“…").
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
   speaker. A term gets a speaker only from a cue right beside it. Cues are
   reporting verbs in every inflection (a lemma list inflected by lemminflect).
   Pronouns resolve to the most recent subject of an attribution verb or
   name opening a sentence that agrees with them: he/she a person (titled, or
   named in full) of that gender where the text shows it (Mr/Ms, spokeswoman,
   the first name in gender-guesser's list), they a group or organisation,
   it an organisation. Names are expanded to the fullest form the article
   gives ("Cllr Jones" → "Michael Jones"); a job title, organisation or
   nationality before a name is dropped ("Microsoft President Brad Smith" →
   "Brad Smith", nameparser's title list) and is never a speaker alone.
   A quote named by a frame ("called", "dubbed", "his poem"), given as an
   example of a kind ("Absolutes like “…” or “…”") or in Title Case with no
   cue is a term; a lower-case fragment that ends a named person's
   reported sentence, completes the object of a reporting verb ("declares him
   a “whole” person") or is named as an example ("X has named “…” as one of
   her demands") is their speech, and so are lower-case words woven into a
   sentence that opens with a person acting ("He reverenced the minute for
   how it is “bound to join the river of time”"). A name the text treats as
   a company ("X employees", "X, which", "X was founded") is an organisation. A passive verb ("was told:") names the
   listener, not the speaker; "I" outside quotes is the article's author when
   its byline is one clean name.
4. The articles table says where the body starts (``headline_end``,
   ``body_start``; web pages open with their headline, standfirst and
   highlights, see :func:`quotetrace.load_corpus`). The body is attributed on
   its own, as above; each lead paragraph (headline, standfirst, highlight) is
   attributed on its own, and a quote there gets ``section`` "headline" or
   "highlights". A lead quote without a speaker takes that of the same words
   quoted in the body (cue ``body``), else, in the headline, the person the
   body's first paragraph reports (cue ``lede``; a single quoted word in a
   headline stays a term). When the text does not hold
   the headline (a text file or record whose ``title`` is not its first
   paragraph), quotes in the ``title`` get ``section`` "headline",
   ``paragraph`` -1 and offsets into the title, attributed the same way (the
   title is not added to a text that was given: that would change the text,
   its id and every offset into it).

Any object with an ``attribute(text, spans) -> list[Attribution]`` method can
replace the attributor (for example a statistical model), via
``extract_quotes(articles, attributor=...)``.
"""

from __future__ import annotations

import bisect
import copy
import hashlib
import re
from dataclasses import dataclass
from typing import NamedTuple, Protocol, Sequence

import pandas as pd

from .errors import ParameterError
from .index import is_common
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
    "LEAD_SECTIONS",
]

LEAD_SECTIONS = ("headline", "highlights")  # sections above the body (see the module docstring)
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
    "section",
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
_PHRASE_WORDS = 2  # a quoted headline phrase this long may be someone's words; one quoted word is a label
_ROLE_REACH = 60  # characters before a body speaker's name where a lead quote's role/outlet ("CNN meteorologist") may stand


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


def _straight_role(text: str, i: int, start: int, end: int) -> tuple[bool, bool]:
    """(opener_ok, closer_ok) of the mark at ``i`` from the characters beside it."""
    prev = text[i - 1] if i > start else " "
    nxt = text[i + 1] if i + 1 < end else " "
    opener_ok = (prev in _OPENING_CONTEXT or prev.isspace()) and not nxt.isspace()
    closer_ok = not prev.isspace() or i == start
    return opener_ok, closer_ok


def _closers_ahead(text: str, marks: list[int], start: int, end: int) -> list[bool]:
    """For each mark ``marks[k]``, which closers follow it before the next double opening mark:
    bit 1 a curly ”, bit 2 a straight ``"`` glued to the word before it (see
    :func:`_has_own_closer`). One backward pass, so asking is O(1) and a paragraph stays linear."""
    out = [0] * len(marks)
    curly = straight = False  # a same-family closer comes before the next double opener
    for k in range(len(marks) - 1, -1, -1):
        out[k] = curly | (straight << 1)
        i = marks[k]
        ch = text[i]
        if ch == "\u201d":
            curly = True
        elif ch in "\u201c\u201e":
            curly = straight = False
        elif ch == '"':
            opener_ok, closer_ok = _straight_role(text, i, start, end)
            if opener_ok:
                curly = straight = False
            elif closer_ok:
                straight = True
    return out


def _has_own_closer(ahead: int, mark: str) -> bool:
    """Whether a quotation opened by ``mark`` has a closer of its own family in reach
    (see :func:`_closers_ahead`); a mixed pair (“…" or "…”) is taken only when it has not."""
    if mark == "\u201c":
        return bool(ahead & 1)
    if mark == '"':
        return bool(ahead & 2)
    return False


def _family(mark: str) -> str:
    return "straight" if mark in "\"'" else "curly"


_SENTENCE_BEFORE_RE = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*\s*$")
_SENTENCE_LOOKBACK = 8  # characters before a mark searched for the end of the previous sentence


def _opens_sentence(text: str, i: int, para_start: int) -> bool:
    """Whether the mark at ``i`` follows the end of a sentence (``… tone. “Ledge``)."""
    return bool(_SENTENCE_BEFORE_RE.search(text, max(para_start, i - _SENTENCE_LOOKBACK), i))


_MAX_RESCANS = 4  # each rescan reads to the paragraph end: a few, so a huge paragraph stays linear


def _scan_paragraph(text: str, start: int, end: int, ignore: frozenset[int] = frozenset()) -> tuple[list[tuple[int, int | None, int]], int | None]:
    """Top-level quotations in text[start:end] as (open_mark, close_mark or None, end).

    ``end`` is the close mark, or for a quotation never closed the paragraph end, or the
    opening mark of a complete double quotation that starts a sentence inside it (its
    own closing mark was lost: double quotes do not nest in double quotes, so the
    complete one is a quotation of its own: ``is--"Take care … tone. “Ledge.” said X``).

    Returns the spans and, if an opening *single* mark was left open at the
    paragraph end, its offset (the caller retries without it: an unclosed
    single mark is far more often an apostrophe than a quote).
    """
    marks = [m.start() for m in _MARK_RE.finditer(text, start, end) if m.start() not in ignore]
    ahead = _closers_ahead(text, marks, start, end)
    found: list[tuple[int, int | None, int]] = []
    k0 = 0
    for restart in range(_MAX_RESCANS + 1):
        stack: list[tuple[str, int, str]] = []  # (kind, offset, mark)
        n_single = 0  # open single marks on the stack
        n_straight = 0  # open straight double marks on the stack
        cut: int | None = None  # where an unclosed top-level double quotation ends
        for k in range(k0, len(marks)):
            i = marks[k]
            ch = text[i]
            prev = text[i - 1] if i > start else " "
            nxt = text[i + 1] if i + 1 < end else " "
            opener_ok, closer_ok = _straight_role(text, i, start, end)
            action = None  # "open" or "close"
            if ch in _OPEN_DOUBLE or ch in _OPEN_SINGLE:
                if stack and _pairs(ch, stack[-1][2]) and closer_ok:
                    action = "close"  # German „…“ and ‚…‘, or »…« closed by «
                elif ch in _OPEN_SINGLE and _is_letter(prev):
                    action = None  # a misused ‘ as an apostrophe inside a word
                else:
                    action = "open"
            elif ch in _CLOSE_DOUBLE:
                if ch == "\u00bb" and opener_ok and not any(m == "\u00ab" for _, _, m in stack):
                    action = "open"  # »…« (German books)
                else:
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
                elif not n_straight and closer_ok and not opener_ok and stack and stack[-1][2] in "\u201c\u201e":
                    action = "close"  # “…" : a text that mixes typographic and straight marks
                elif opener_ok:
                    action = "open"  # also glued after a word or dash: is--"Take care
                elif closer_ok and not stack and not _is_letter(nxt):
                    action = None  # a stray closing mark
            if action == "open":
                stack.append((_kind_of(ch), i, ch))
                n_single += stack[-1][0] == "single"
                n_straight += ch == '"'
            elif action == "close":
                for depth in range(len(stack) - 1, -1, -1):
                    kind, off, mark = stack[depth]
                    if _pairs(ch, mark):
                        if _family(ch) != _family(mark) and _has_own_closer(ahead[k], mark):
                            break  # “…" or "…” only when no closer of the opener's own family follows
                        if depth == 0:
                            found.append((off, i, i))
                            cut = None
                        elif cut is None and kind == "double" and stack[0][0] == "double" and _opens_sentence(text, off, start):
                            cut = off
                        for k2, _, m2 in stack[depth:]:
                            n_single -= k2 == "single"
                            n_straight -= m2 == '"'
                        del stack[depth:]
                        break
        if not stack:
            return found, None
        kind, off, mark = stack[0]
        if kind == "single" and not _introduces_quote(text, off, start):
            return found, off
        if cut is None or restart == _MAX_RESCANS:
            found.append((off, None, end))
            return found, None
        found.append((off, None, cut))
        k0 = bisect.bisect_left(marks, cut)  # scan again from the complete quotation
    raise AssertionError("unreachable: the last rescan returns")


_CLOSES = {
    '"': '"\u201c\u201e',
    "\u201d": '\u201c\u201e"',  # "…” : mixed marks
    "\u201c": "\u201e",  # German „…“
    "\u00bb": "\u00ab",
    "\u00ab": "\u00bb",
    "\u2018": "\u201a",  # German ‚…‘
    "\u203a": "\u2039",
    "\u2019": "\u2018\u201a'\u2039",
    "'": "\u2018\u201a'\u2039",
}


def _pairs(close: str, opener: str) -> bool:
    """Whether the mark ``close`` can close a quotation opened by ``opener``."""
    return opener in _CLOSES.get(close, "")


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
        for open_mark, close_mark, e in found:
            s = open_mark + 1
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
_MALE_TITLES = {"mr", "sir", "lord", "baron", "king", "prince", "duke", "earl", "father", "brother"}
_FEMALE_TITLES = {"mrs", "ms", "miss", "dame", "lady", "baroness", "queen", "princess", "duchess", "sister", "madam"}
_TITLE_RE = re.compile(rf"^(?:(?:{_TITLES})\.?\s+)+")
_TRAILING_TITLE_RE = re.compile(rf"(?:\b(?:{_TITLES})\.?\s+)+$")
# letters of any Latin script (Müller, Nuñez, Søren), not only ASCII
_UPPER = "".join(c for c in map(chr, range(0x250)) if c.isupper())
_LOWER = "".join(c for c in map(chr, range(0x250)) if c.islower())
_U, _L = f"[{_UPPER}]", f"[{_UPPER}{_LOWER}]"
_CAP = rf"(?:Mc|Mac|O[’']|D[’'])?{_U}{_L}*(?:[’'-]{_L}+)*"
_INITIAL = rf"{_U}\.(?=[ \t]+{_U}{_L})"  # "Brian M. Smith", "J. K. Rowling"
_PARTICLE = r"(?:de|van|von|der|den|da|di|le|la|du|bin|al|dos|del)"
_NAME_RE = re.compile(rf"(?={_U})(?:(?:{_TITLES})\.?\s+)*(?:{_INITIAL}[ \t]+)*{_CAP}(?:[ \t]+(?:{_INITIAL}|{_CAP}|{_PARTICLE}(?=[ \t]+{_U})))*")
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
        "Why What Who How Given According Following Despite During Under Over Chief Both Either Neither Each Every All "
        "Another Other Others Most Such Like Unlike Indeed Even Only Perhaps Please Thanks Dear Hello Hi "
        "Instead Plus Whether Until Unless Because Once Thus Hence Therefore Moreover Furthermore Nor "
        # prepositions that open a sentence before a name ("Regarding Lin Junyang's whereabouts, …"): never part of it
        "Regarding Concerning Considering Including Excluding Amid Amidst Among Amongst Against Around Through "
        "Throughout Within Without Across Beyond Toward Towards Upon Via Per Inside Outside Besides Beside Except "
        "Behind Below Above Beneath Between Into Onto Along Alongside Versus Whereas Whenever Wherever"
    ).split()
}
# adjectives of nationality and place words: never a speaker on their own ("British universities", "US officials")
_NATIONALITY = {
    w.lower()
    for w in (
        "American Australian Austrian Belgian Brazilian British Canadian Chinese Danish Dutch Egyptian English European "
        "Finnish French German Greek Indian Indonesian Iranian Iraqi Irish Israeli Italian Japanese Korean Mexican "
        "Nigerian Norwegian Pakistani Palestinian Polish Portuguese Russian Saudi Scottish Spanish Swedish Swiss "
        "Syrian Turkish Ukrainian Welsh African Asian Arab Western Eastern Northern Southern Caribbean Antiguan "
        "Latin Nordic Scandinavian Afghan Chilean Colombian Cuban Kenyan Lebanese Venezuelan Vietnamese Thai Filipino "
        "Hungarian Czech Romanian Bulgarian Serbian Croatian Argentine Argentinian Peruvian Taiwanese Malaysian "
        "US UK EU UN USA U.S. U.K. NHS Federal National International Global Local Regional"
    ).split()
}
_ORG_WORDS = {
    w.lower()
    for w in (
        "Council Group Party Government Department Ministry Office Committee Association Institute Trust Network News "
        "Express Times Post Mail Guardian Telegraph Radio BBC ITV Sky Act Agency Authority Commission Company Ltd Limited "
        "Inc Corp Corporation University College School Police Service Services Board Union Federation Foundation Bank "
        "Club Court Parliament Assembly Senate House Executive Labour Conservatives Conservative Tories Democrats UKIP "
        "Ukip Greens Independents Twitter Facebook constitution Programme Program Project Centre Center Society Fund "
        "Organisation Organization Microsoft Google Reuters CNN AFP Valley Building Forum Awards Festival Museum "
        "Hospital Airport Station Mountains"
    ).split()
}
# what the text says of a name that only an organisation does: "Just Eat employees", "Wolt, which …",
# "Just Eat was founded in 2001" (so "it said" can refer to it, whatever its first word)
_ORG_AFTER_RE = re.compile(
    r"\s+(?:employees|workers|drivers|customers|users|shareholders|investors|subscribers|stores|restaurants|"
    r"headquarters)\b"
    r"|(?P<which>,\s+which\b)"
    r"|\s+(?:was|is|has\s+been|had\s+been|were)\s+(?:founded|acquired|bought|owned|headquartered|incorporated)\b"
)
_PRONOUNS = {"he", "she", "they", "it", "i", "we"}
# Reporting verbs (lemmas): every inflection is generated once at import by lemminflect, so "quipped",
# "remembers", "insisting" are all cues. Listed from the reporting verbs of English style guides.
_REPORTING_LEMMAS = (
    "say tell add explain state write tweet post continue insist claim argue warn ask reply respond admit comment "
    "declare note announce remark urge stress concede acknowledge maintain suggest specify recall confirm deny joke "
    "plead describe promise vow agree reveal quip remember predict report recount observe complain boast testify "
    "caution emphasise emphasize mention answer counter retort reflect muse laugh sigh shout cry exclaim whisper "
    "mutter scream yell recommend propose conclude allege assert affirm contend lament reiterate summarise summarize "
    "recollect assure concur chant theorise theorize speculate wonder demand instruct advise inform "
    "apologise apologize brag grumble groan sneer snap scoff beg pledge hint imply disclose divulge preach proclaim "
    "pronounce"
).split()
_EXTRA_CUES = "read reads calling called calls according"


def _inflections(lemmas) -> list[str]:
    from lemminflect import getAllInflections

    forms = set(_EXTRA_CUES.split())
    for lemma in lemmas:
        forms.add(lemma)
        for tag_forms in getAllInflections(lemma, upos="VERB").values():
            forms.update(tag_forms)
    forms.discard("according")
    return sorted(forms, key=lambda w: (-len(w), w))


def _trie_regex(words: list[str]) -> str:
    """An alternation of ``words`` factored by shared prefixes, so the regex engine does not try each word in turn."""
    tree: dict = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict) -> str:
        ends = "" in node
        alts = [re.escape(ch) + walk(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if ends:
            return "(?:" + body + ")?"
        return body

    return walk(tree)


_CUE_LIST = _inflections(_REPORTING_LEMMAS)
_CUE_SET = frozenset(_CUE_LIST)
_CUE_WORDS = _trie_regex(_CUE_LIST)
_CUE_RE = re.compile(rf"\b(?:{_CUE_WORDS})\b")
_ACTS_AFTER_RE = re.compile(rf"(?:,\s+who\b|\s+(?:{_CUE_WORDS})\b)")  # "Poulsen, who …", "Poulsen told"
_CUE_BEFORE_RE = re.compile(rf"\b(?:{_CUE_WORDS})\s+$")  # "said Poulsen"
_NAMING_RE = re.compile(
    r"(?:\b(?<!has )(?<!have )(?<!had )named|\b(?:called|dubbed|nicknamed|titled|entitled|labelled|labeled|branded|known as|so-called|the word|the term|"
    r"the phrase|the slogan|the hashtag|the title|the name|the book|the film|the report|the song|the album|the show|the series))\s*[,:]?\s*$",
    re.IGNORECASE,
)
# a subject's own words given as an example of something: "Frederiksen has named “restrictive policies” as one of
# her demands", "she cited ‘national security’ as the reason" (the verb before the quote, "as" after it)
_AS_FRAME_VERB_RE = re.compile(r"\b(?:named?|names|cited?|cites|listed|lists?|identified|identif(?:y|ies)|singled\s+out|highlighted|highlights?)\s*$")
_AS_FRAME_AFTER_RE = re.compile(r",?\s+as\s+\w")
# the object of a reporting verb whose complement is the quote: "declares him a “whole” person", "described it as “…”"
_COMPLEMENT_OBJECT_RE = re.compile(r"(?:him|her|it|them|us|me|you|this|these|those)(?:\s+as)?(?:\s+(?:an?|the))?", re.IGNORECASE)
# a sentence that opens with a person and an active verb (not a copula, auxiliary or passive): "He reverenced
# the stones for how they have “touched time,”", where the quoted words woven in are that person's
_NOT_ACTIVE_VERBS = frozenset(
    "is was were are be been am has had have will would could should may might must can did does do seems seemed "
    "becomes became remains remained appears appeared looks looked sounds sounded feels felt".split()
)
_DETERMINER_BEFORE_RE = re.compile(r"\b(?:an?|the|his|her|their|its|our|my|your)\s+$", re.IGNORECASE)
# a preposition right after a closing mark: the sentence goes on around the quoted words
_EMBEDDED_TAIL_RE = re.compile(r"\s+(?:on|in|at|for|with|from|about|during|into|over|under|against)\s")
# a plural noun and "like"/"such as" before a quote: examples of a kind, nobody's words ("slogans like “…”")
_EXAMPLES_RE = re.compile(r"\b[A-Za-z]{3,}s\s+(?:like|such\s+as)\s*$")
# … but not after a verb ("sounds like") nor after words people actually wrote or said ("comments like “…”")
_EXAMPLES_NOT_RE = re.compile(
    r"\b(?:was|is|has|does|looks|sounds|seems|feels|goes|says|thinks|this|his|its|hers|things|comments|messages|posts|"
    r"tweets|remarks|replies|responses|answers|chants|signs|emails|letters|texts|questions|reviews|threats|insults)"
    r"\s+(?:like|such\s+as)\s*$",
    re.IGNORECASE,
)
_LIST_JOIN_RE = re.compile(r"\s*(?:,|,?\s*(?:or|and|nor))\s*")
# a subject right after its verb: "says a report", "said Ms Holm"
_INVERTED_SUBJECT_RE = re.compile(rf"\s+(?:an?\s|the\s|{_U})")
# the title of a work after its kind: "his poem “The Enigmas,”", "her new novel ‘Home’"
_WORK_RE = re.compile(
    r"\b(?:the|his|her|their|its|a|an|my|our|your)\s+(?:[a-z-]+\s+)?(?:book|film|novel|poem|song|album|play|essay|"
    r"series|show|movie|documentary|podcast|paper|article|column|opera|painting|exhibition|memoir|collection|episode)\s*,?\s*$",
    re.IGNORECASE,
)
_ROLE_NOUNS = (
    r"spokesman|spokeswoman|spokesperson|spokespeople|representative|source|statement|official|officials|insider|aide|"
    r"friend|report|study|survey"
)
# groups that speak without an article: "said researchers", "police said", "experts warn"
_GROUP_NOUNS = (
    r"researchers|scientists|experts|analysts|officials|police|authorities|investigators|prosecutors|doctors|"
    r"witnesses|residents|campaigners|activists|economists|lawyers|observers|critics|organisers|organizers|sources"
)
# groups named by what they belong to ("Alibaba employees", "Qianwen members", "Labour councillors"): these nouns are
# often objects on their own ("academic staff … are being treated"), so only with the capitalised name before them
_MEMBER_NOUNS = (
    r"members|employees|staff|workers|executives|insiders|engineers|representatives|supporters|managers|"
    r"lawmakers|legislators|diplomats|teachers|nurses|students|parents|fans|voters|shareholders|investors|"
    r"councillors|councilors|ministers|senators"
)
_ROLE_RE = re.compile(
    rf"\b(?:an?|the)\s+(?P<role>(?:[\w’'-]+\s+){{0,3}}?(?:{_ROLE_NOUNS})(?:\s+for\s+(?:the\s+)?(?:{_CAP})(?:\s+{_CAP})*)?)\b",
    re.IGNORECASE,
)
_GROUP_RE = re.compile(rf"\b(?P<group>(?:{_U}[\w&-]*\s+)?(?:{_GROUP_NOUNS})|{_U}[\w&-]*\s+(?:{_MEMBER_NOUNS}))\b")
_GROUP_NOUN_RE = re.compile(rf"\b(?:{_GROUP_NOUNS}|{_MEMBER_NOUNS})\b")  # a quick test before the slower _GROUP_RE


# a sentence whose subject is a person the text does not name ("The waiter returns", "A woman in the crowd shouted")
_PERSON_NOUNS = (
    r"man|woman|boy|girl|waiter|waitress|driver|passenger|officer|guard|soldier|farmer|owner|landlord|landlady|"
    r"shopkeeper|customer|neighbour|neighbor|stranger|visitor|guide|chef|cook|doctor|nurse|teacher|priest|"
    r"bartender|barman|receptionist|clerk|pilot|captain|fisherman|winemaker|worker|mother|father|son|daughter|"
    r"husband|wife|child|student|patient|witness|bystander|resident|tourist|vendor|seller|buyer|host"
)
_UNNAMED_PERSON_RE = re.compile(rf"(?:^|[.!?][\u201d\u2019\"']?\s+|\n\s*)(?:The|A|An|One|Another)\s+(?:[a-z][\w-]*\s+)?(?:{_PERSON_NOUNS})\b")
_GROUP_NOUN_WORD_RE = re.compile(rf"(?:{_GROUP_NOUNS})")  # the nouns of groups that speak on their own
_ORDINARY_ZIPF = 4.0  # a capitalised word this common in lower case ("Academic", "Several") is no name
_PREPOSITION_BEFORE_RE = re.compile(r"\b(of|in|at|for|to|on|into|by|from|with)\s+(?:[^\W\d_][\w’'-]*\s+)?$")
_ARTICLE_BEFORE_RE = re.compile(r"\b(the|a|an)\s+$")
_LOWER_WORD_NEXT_RE = re.compile(r"\s+[a-z]")
_CLAUSE_OPENER_NEXT_RE = re.compile(r"(?:[’']s?)?\s+[a-z]|,\s")
_PASSIVE_RE = re.compile(r"\b(?:be|been|being|is|are|was|were|am|get|got|gets|getting)\s+(?:[a-z]+ly\s+)?$", re.IGNORECASE)
_PRONOUN_RE = re.compile(r"\b(he|she|they|it|we|He|She|They|It|We|HE|SHE|THEY|IT|WE|I)\b")
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
    gender: str | None = None  # "m"/"f" from a title (Mr, Ms, Sir, Dame) or a role (spokeswoman)
    group: bool = False  # several people ("researchers", "officials"): only "they" refers back to it


def _job_titles() -> frozenset[str]:
    """Job and honorific titles ("President", "Executive", "Director") from nameparser's well-kept list, less
    the few entries that are also common first names or plain words."""
    from nameparser.config import CONSTANTS

    not_titles = {"rock", "wing", "petty", "timi", "baba", "lama", "mahdi", "nanny", "royal", "most", "first", "high",
                  "grand", "field", "host", "model", "member", "family", "group", "film", "count", "banner", "credit",
                  "discovery", "docket", "information", "knowledge", "mystery", "blessed", "excellent", "bench", "flag",
                  "flying", "heir", "maid", "master", "mother", "father", "brother", "sister"}
    return frozenset(t for t in CONSTANTS.titles if len(t) > 2 and " " not in t and t not in not_titles)


_JOB_TITLES = _job_titles()
_GENDER_DETECTOR = None


def _first_name_gender(first: str) -> str | None:
    """m/f for a first name from gender-guesser's bundled list (offline), None when unknown or unisex."""
    global _GENDER_DETECTOR
    if _GENDER_DETECTOR is None:
        import gender_guesser.detector

        _GENDER_DETECTOR = gender_guesser.detector.Detector(case_sensitive=False)
    g = _GENDER_DETECTOR.get_gender(first)
    return {"male": "m", "mostly_male": "m", "female": "f", "mostly_female": "f"}.get(g)


@dataclass
class RuleAttributor:
    """Rule-based speaker attribution (the default)."""

    term_max_words: int = TERM_MAX_WORDS

    def attribute(self, text: str, spans: Sequence[QuoteSpan], context: "ArticleContext | None" = None) -> list[Attribution]:
        """One :class:`Attribution` per span, in order (``context``: an ArticleContext of the same text and spans, to reuse)."""
        ctx = context if context is not None else ArticleContext(text, spans)
        out: list[Attribution] = []
        last_speech: tuple[int, Attribution, int] | None = None  # (paragraph, attribution, end) of the last speech quote
        turns: list[tuple[int, Attribution, bool]] = []  # first speech quote of each paragraph: (paragraph, attribution, question)
        for n, span in enumerate(spans):
            boiler = ctx.is_boilerplate(span.paragraph)
            if boiler:
                out.append(Attribution(None, None, None, None, "term"))
                continue
            named = ctx.naming_frame(n)
            found = None if named else ctx.after_cue(n) or ctx.before_cue(n) or ctx.dash_line_cue(n)
            introduced = found is not None and found[2]
            # a follow-on quote: opens its paragraph right after a speech quote, or follows one in the same paragraph
            continues = (
                found is None
                and not named
                and last_speech is not None
                and (
                    last_speech[0] == span.paragraph
                    or (
                        span.paragraph - 2 <= last_speech[0] < span.paragraph
                        and text[ctx.paragraph_start(span.paragraph) : span.open_mark].strip() == ""
                        and (last_speech[0] == span.paragraph - 1 or not ctx.has_quote(span.paragraph - 1))
                    )
                )
                and not ctx.someone_else_between(last_speech[2], span.open_mark, last_speech[1].speaker)
            )
            kind = "term" if named else self._kind(text, span, ctx, introduced or continues)
            framed = None if found is not None or continues or named or kind != "term" else ctx.as_frame_cue(n)
            if (
                framed is not None
                and not self._title_case(text[span.start : span.end])
                and ctx.resolve(framed[0], span.open_mark)[0] is not None
            ):
                # the subject's own words given as an example: “Frederiksen has named ‘…’ as one of her demands”
                found, kind = framed, "speech"
            elif found is None and not continues and not named and kind == "term" and ctx.closing_fragment(n):
                # a fragment of a named person's words: “Altman said the talks were ‘definitely rushed’”
                found = ctx.sentence_cue(n) or ctx.trailing_cue(n)
                if found is not None and ctx.resolve(found[0], span.open_mark)[0] is not None:
                    kind = "speech"
                else:
                    found = None
            if found is None and not continues and kind == "speech":
                # a cue elsewhere in the sentence attributes speech, never a bare term (‘Tweetgate’)
                found = ctx.sentence_cue(n) or ctx.trailing_cue(n) or ctx.woven_subject(n)
            elif found is None and not continues and not named and self._woven_list(text, span, n, ctx):
                # a short fragment in a list of woven quotations: “He reverenced the stones that ‘touched time,’
                # reverenced the minute that is ‘bound to join the river of time,’ …”
                found, kind = ctx.woven_subject(n), "speech"
            turn = self._turn(text, span, turns) if continues and last_speech[0] != span.paragraph else None
            if turn is not None:  # question and answer alternate between two named people
                att = Attribution(turn.speaker, turn.speaker_start, turn.speaker_end, "turn", kind)
            elif continues:
                prev = last_speech[1]
                att = Attribution(prev.speaker, prev.speaker_start, prev.speaker_end, "continued", kind)
            elif found is not None:
                mention, cue, _ = found
                att = Attribution(*ctx.resolve(mention, span.open_mark), cue, kind)
            else:
                att = Attribution(None, None, None, None, kind)
            if att.kind == "speech":
                last_speech = (span.paragraph, att, span.close_mark if span.close_mark is not None else span.end)
                if not turns or turns[-1][0] != span.paragraph:
                    turns.append((span.paragraph, att, text[span.start : span.end].rstrip().endswith("?")))
            out.append(att)
            ctx.note_quote(n, att)
        return out

    @staticmethod
    def _turn(text: str, span: QuoteSpan, turns: list[tuple[int, Attribution, bool]]) -> Attribution | None:
        """In an exchange of questions and answers between two named people (one paragraph each), an
        unattributed question goes to the one who asked the last, an answer to the one who answered."""
        if len(turns) < 2:
            return None
        (pa, a, a_question), (pb, b, b_question) = turns[-2], turns[-1]
        question = text[span.start : span.end].rstrip().endswith("?")
        if pb != span.paragraph - 1 or pa != pb - 1 or not a.speaker or not b.speaker or a.speaker == b.speaker:
            return None
        if a_question == b_question or question == b_question:
            return None
        return a

    def _kind(self, text: str, span: QuoteSpan, ctx: "ArticleContext", introduced: bool) -> str:
        words = re.findall(r"\w+", text[span.start : span.end])
        if introduced:
            return "speech"
        if len(words) <= 12 and self._title_case(text[span.start : span.end]) and not re.search(r"[.!?]\s+\w", text[span.start : span.end]):
            return "term"
        if len(words) > self.term_max_words:
            return "speech"
        quote = text[span.start : span.end].rstrip()
        full_sentence = quote[:1].isupper() and quote[-1:] in ".!?" and len(words) >= 2
        return "speech" if full_sentence else "term"

    def _woven_list(self, text: str, span: QuoteSpan, n: int, ctx: "ArticleContext") -> bool:
        """A lower-case fragment followed in its sentence by longer words woven in by the same person acting."""
        if self._title_case(text[span.start : span.end]) or ctx.woven_subject(n) is None:
            return False
        sent_end = ctx.sentence_end(span.end, span.paragraph)
        later = [k for k in range(n + 1, len(ctx.spans)) if ctx.spans[k].open_mark < sent_end]
        return any(self._kind(text, ctx.spans[k], ctx, False) == "speech" and ctx.woven_subject(k) is not None for k in later)

    @staticmethod
    def _title_case(quote: str) -> bool:
        """“The Prince and the Dressmaker”, “Climate Innovation Fund,”: every longer word capitalised, as in the
        title of a work or the name of a thing."""
        words = re.findall(r"[^\W\d_][\w’'-]*", quote)
        long = [w for w in words if len(w) > 3]
        return len(words) >= 2 and len(long) >= 1 and all(w[0].isupper() for w in long) and words[0][0].isupper()


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
        self._span_paragraphs = [s.paragraph for s in spans]
        self.mentions = self._find_mentions()
        self._mention_starts = [m.start for m in self.mentions]
        self.full_names = self._full_names()
        self._gender_cache: dict[str, str | None] = {}
        self._acting = self._acting_names()
        self._pronoun_gender_cache: dict[str, str | None] = {}
        self._para_starts = [ps for ps, _ in self.paras]
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
            for i, t in enumerate(tokens[:-1]):  # "Kreuzberg's Frühburgunder": the possessor is the name
                if t.endswith(("’s", "'s")):
                    body = body[: body.index(t) + len(t)]
                    break
            body = _POSSESSIVE_RE.sub("", body) if body.endswith(("’s", "'s", "s’", "s'")) else body
            tokens = body.split()
            if not tokens or all(t.lower() in _STOP for t in tokens):
                continue
            gender = None
            if titled:
                first_title = raw.split()[0].rstrip(".").lower()
                gender = "m" if first_title in _MALE_TITLES else "f" if first_title in _FEMALE_TITLES else None
            # a job title, an organisation or a nationality before a name is not part of it:
            # "Microsoft President Brad Smith", "Chief Executive Satya Nadella" -> the person
            cut = max((i for i, t in enumerate(tokens[:-1]) if t.lower() in _JOB_TITLES), default=-1)
            if cut >= 0 and not any(t.lower() in _ORG_WORDS for t in tokens[cut + 1 :]):
                kept = " ".join(tokens[cut + 1 :])
                at = body.rindex(kept) if body.endswith(kept) else body.find(tokens[cut + 1])
                offset += at
                body = body[at:]
                tokens = body.split()
                titled = True
            if all(t.lower() in _JOB_TITLES or t.lower() in _NATIONALITY for t in tokens) or (
                len(tokens) > 1 and tokens[-1].lower() in _JOB_TITLES
            ):
                continue  # "British", "Executive Director", "Country Manager": a description, never a speaker's name
            if len(tokens) == 1 and not titled and tokens[0] not in mid_sentence_caps and s == self._line_or_sentence_start(s):
                continue
            org = tokens[-1].lower() in _ORG_WORDS or any(t.lower() in _ORG_WORDS for t in tokens[1:])
            out.append(_Mention(body, s + offset, s + offset + len(body), titled, org, gender))
        out = [m for m in out if not self._inside_quote(m.start)]
        return self._mark_organisations(out)

    def _mark_organisations(self, mentions: list[_Mention]) -> list[_Mention]:
        """Names the text treats as an organisation anywhere (:data:`_ORG_AFTER_RE`) are one everywhere, and so
        is a longer name that starts with one ("Just Eat Denmark")."""
        text = self.text
        orgs = set()
        for m in mentions:
            found = None if m.titled else _ORG_AFTER_RE.match(text, m.end, m.end + 40)
            if found is None:
                continue
            if found.group("which") and (
                _first_name_gender(m.name.split()[0]) is not None or _PREPOSITION_BEFORE_RE.search(text[max(0, m.start - 20) : m.start])
            ):
                continue  # "a study by Jane Holm, which …": "which" may be the study
            orgs.add(m.name)
        if not orgs:
            return mentions
        prefixes = tuple(o + " " for o in orgs if " " in o)

        def is_org(m: _Mention) -> bool:
            return m.name in orgs or (bool(prefixes) and m.name.startswith(prefixes))

        return [m._replace(org=True) if not m.org and not m.titled and is_org(m) else m for m in mentions]

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
            if len(m.name.split()) >= 2 and self._name_gender(m.name.split()[0]) is not None:
                score += 1  # "Ann-Sophie Adamsen" over "Just Eat Denmark"
        before = self.text[max(clause_start, m.start - 20) : m.start].lower()
        if _PREPOSITION_BEFORE_RE.search(before):
            score -= 3
        elif not m.titled and _ARTICLE_BEFORE_RE.search(before) and _LOWER_WORD_NEXT_RE.match(self.text, m.end, m.end + 3):
            score -= 3  # "the Berlin wine merchant": a name used as a modifier
        return score

    # subjects
    def subject_in(self, a: int, b: int) -> _Mention | None:
        """The subject of an attribution verb in text[a:b] (outside quotes): a person, role, org or pronoun."""
        masked = self.mask_quotes(a, b)
        people = self._mentions_in(a, b)
        roles = [self._role(r.group("role"), a + r.start("role"), a + r.end("role")) for r in _ROLE_RE.finditer(masked)]
        taken = {(m.start, m.end) for m in people}
        groups = []
        for g in _GROUP_RE.finditer(masked) if _GROUP_NOUN_RE.search(masked) else ():
            start, end = a + g.start("group"), a + g.end("group")
            if any(x.start <= start < x.end for x in roles):
                continue
            member = not _GROUP_NOUN_WORD_RE.fullmatch(g.group("group").split()[-1])
            if member and self._capital_of_sentence(g.group("group"), start):
                continue  # "Academic staff are …": no name before the noun, and "staff" alone is too often an object
            groups.append(_Mention(g.group("group"), start, end, False, False, None, True))
        roles += [g for g in groups if (g.start, g.end) not in taken]
        # "Alibaba employees said", "multiple Qianwen members told": the name is what the group belongs to, not who spoke
        people = [m for m in people if not any(g.start == m.start and g.end > m.end for g in groups)]
        pronouns = [
            _Mention(p.group(1).lower(), a + p.start(1), a + p.end(1), False, False)
            for p in _PRONOUN_RE.finditer(masked)
        ]
        scores = {(m.start, m.end): self._person_score(m, a) for m in people}
        scores.update({(m.start, m.end): self._person_score(m, a) - 1 for m in roles})
        candidates = [m for m in people if scores[(m.start, m.end)] >= 0] + roles  # not "at Berlin", "the Berlin merchant"
        if candidates:
            # best person-like mention; on a tie, the one nearest the verb ("Cheshire East leader Michael Jones told")
            best = min(candidates, key=lambda m: (-scores[(m.start, m.end)], -m.start))
            if pronouns and pronouns[-1].start < best.start and scores[(best.start, best.end)] + (best in roles) < 2:
                return self._nearest_subject_pronoun(pronouns)
            if pronouns and pronouns[-1].start > best.end:
                return self._nearest_subject_pronoun(pronouns)  # "In London, she said", "Although …, he agrees"
            return self._with_possessed_noun(best, b)
        if pronouns:
            return self._nearest_subject_pronoun(pronouns)  # "It’s easy, she says"
        return None

    def _capital_of_sentence(self, group: str, start: int) -> bool:
        """Whether a group found by its capitalised first word ("Academic staff are …") has that capital only
        because it opens the sentence: an ordinary word there is not a name the group belongs to."""
        words = group.split()
        if len(words) < 2 or not words[0][:1].isupper():
            return False
        before = self.text[:start].rstrip().rstrip("\u201d\u2019\"'")
        if before and before[-1] not in ".!?\n":
            return False
        return is_common(words[0].lower(), "en", _ORDINARY_ZIPF)

    @staticmethod
    def _nearest_subject_pronoun(pronouns: list[_Mention]) -> _Mention:
        """The pronoun nearest the verb, preferring he/she/they/we/I to "it", which is often the object
        ("He places it on the table and whispers")."""
        subjects = [p for p in pronouns if p.name != "it"]
        return (subjects or pronouns)[-1]

    @staticmethod
    def _role(role: str, start: int, end: int) -> _Mention:
        role = re.sub(r"\s+", " ", role.strip())
        low = role.lower()
        gender = "f" if "woman" in low else "m" if re.search(r"spokesman\b", low) else None
        group = low.endswith(("officials", "spokespeople"))
        return _Mention(role, start, end, False, False, gender, group)

    # people and pronouns
    def is_person(self, m: _Mention) -> bool:
        """A mention that can be "he" or "she": a titled name, a name whose first word is a known first name, or a
        surname the article gives in full elsewhere; a singular role ("a spokeswoman")."""
        if m.org or m.group or m.name in _PRONOUNS:
            return False
        if m.titled or m.gender:
            return True
        if m.name[:1].islower():  # a role such as "council spokesman"
            return True
        return len(self._full(m.name).split()) >= 2 or m.name in self._acting

    def _acting_names(self) -> set[str]:
        """Single names the text treats as people: "Poulsen, who …", "Poulsen told", "said Kreuzberg"."""
        out = set()
        for m in self.mentions:
            if m.org or " " in m.name:
                continue
            if _ACTS_AFTER_RE.match(self.text, m.end, m.end + 40) or _CUE_BEFORE_RE.search(self.text[max(0, m.start - 24) : m.start]):
                out.add(m.name)
        return out

    def gender_of(self, m: _Mention) -> str | None:
        """m/f where the text shows it: a title or role, the first name, else the pronoun that follows the
        person's first mention in its sentence ("Okonjo said she …") with nobody else named in between."""
        if m.gender:
            return m.gender
        if m.name[:1].islower():
            return None
        full = self._full(m.name).split()
        gender = self._name_gender(full[0]) if len(full) >= 2 else None
        return gender or self._pronoun_gender(full[-1])

    def _pronoun_gender(self, surname: str) -> str | None:
        if surname in self._pronoun_gender_cache:
            return self._pronoun_gender_cache[surname]
        gender = None
        first = next((k for k, x in enumerate(self.mentions) if x.name.split()[-1] == surname), None)
        if first is not None:
            m = self.mentions[first]
            p_no = bisect.bisect_right(self._para_starts, m.start) - 1
            end = self.sentence_end(m.end, max(0, p_no))
            if first + 1 < len(self.mentions):
                end = min(end, self.mentions[first + 1].start)
            found = re.search(r"\b(he|him|his|she|her)\b", self.mask_quotes(m.end, end), re.IGNORECASE)
            if found:
                gender = "m" if found.group(1).lower() in ("he", "him", "his") else "f"
        self._pronoun_gender_cache[surname] = gender
        return gender

    def _name_gender(self, first: str) -> str | None:
        if first not in self._gender_cache:
            self._gender_cache[first] = _first_name_gender(first) if first[:1].isupper() and len(first) > 1 else None
        return self._gender_cache[first]

    def _with_possessed_noun(self, m: _Mention, b: int) -> _Mention:
        """“Labour’s manifesto says”, “the council’s constitution specifies”: the subject is the
        thing possessed, when it stands right before the verb."""
        tail = self.text[m.end : b]
        g = re.match(r"[’']s\s+([a-z]+)\s*$", tail)
        if not g:
            return m
        end = m.end + g.end(1)
        return _Mention(self.text[m.start : end], m.start, end, False, True)

    def _find_subjects(self) -> list[tuple[int, _Mention]]:
        """Who a later pronoun can refer to, in text order: subjects of attribution verbs, and names that open a
        sentence or clause ("Alexander Stodden has since taken over the family winery")."""
        out = []
        for p_no, (ps, pe) in enumerate(self.paras):
            masked = self.mask_quotes(ps, pe)
            for cue in _CUE_RE.finditer(masked):
                cue_pos = ps + cue.start()
                sent_start = self.sentence_start(cue_pos, p_no)
                subject = self.subject_in(sent_start, cue_pos)
                if subject is not None:
                    out.append((cue_pos, subject))
        cue_positions = {m.start for _, m in out}
        for m in self.mentions:
            if m.start in cue_positions or m.org:
                continue
            if not _CLAUSE_OPENER_NEXT_RE.match(self.text, m.end, m.end + 4):
                continue
            before = self.text[max(0, m.start - 30) : m.start]
            if m.titled:
                before = _TRAILING_TITLE_RE.sub("", before)
            before = before.rstrip(" \t")
            if before == "" or before[-1] in "\n.!?,;":
                out.append((m.start, m))
        out.sort(key=lambda x: x[0])
        return out

    def fork(self) -> "ArticleContext":
        """A copy sharing this context's lookups (built once: the costly part) with its own list of subjects,
        so that :meth:`note_quote` on one does not change how the other resolves pronouns."""
        twin = copy.copy(self)
        twin.subjects = list(self.subjects)
        return twin

    def note_quote(self, n: int, att: Attribution) -> None:
        """Remember a resolved speaker as the latest subject (for later pronouns)."""
        if att.speaker and att.speaker_start is not None:
            pos = self.spans[n].open_mark
            known = [m for m in self._mentions_in(att.speaker_start, att.speaker_end) if m.end == att.speaker_end]
            m = known[0] if known else _Mention(att.speaker, att.speaker_start, att.speaker_end, False, False)
            bisect.insort(self.subjects, (pos, m), key=lambda x: x[0])

    def resolve(self, mention: _Mention, before: int) -> tuple[str | None, int | None, int | None]:
        """Turn a mention into (speaker, start, end): pronouns to the latest earlier subject that agrees with them
        (he/she: a person of that gender, where the text shows it; they: a group or organisation; it: an
        organisation or document), names to full names."""
        if mention.name in _PRONOUNS:
            if mention.name == "we":
                return None, None, None
            if mention.name == "i":  # the writer: extract_quotes names the article's author, when it has one
                return None, mention.start, mention.end
            k = bisect.bisect_left(self.subjects, mention.start, key=lambda x: x[0])
            fallback = None  # the latest that agrees only because its gender is unknown
            for _, subj in reversed(self.subjects[max(0, k - 200) : k]):  # the latest earlier subjects
                if subj.name in _PRONOUNS or not self._agrees(mention.name, subj):
                    continue
                if mention.name in ("he", "she") and self.gender_of(subj) is None:
                    if fallback is None:
                        fallback = subj
                    elif subj.start < fallback.start - 600:
                        break  # a person of the pronoun's gender only this far back: take the nearer one
                    continue
                fallback = subj
                break
            if fallback is None:
                return None, None, None
            if mention.name in ("he", "she") and _UNNAMED_PERSON_RE.search(self.mask_quotes(fallback.end, mention.start)):
                # "The waiter returns with a carafe. He places it on the table and whispers, …": someone the text does
                # not name came in between; the pronoun is theirs as likely as the named person's, so nobody is named
                return None, None, None
            return self._full(fallback.name), fallback.start, fallback.end
        return self._full(mention.name), mention.start, mention.end

    def _agrees(self, pronoun: str, subj: _Mention) -> bool:
        if pronoun == "it":
            return subj.org
        if pronoun == "they":
            return subj.group or subj.org
        if not self.is_person(subj):
            return False
        gender = self.gender_of(subj)
        return gender is None or gender == ("m" if pronoun == "he" else "f")

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
        # “The river rose.” said Ann Lee: a full stop inside the marks, yet the verb right after (in lower case) goes on the sentence
        stop_then_cue = quote_end == "." and re.match(rf"\s*(?:{_CUE_WORDS})\b", tail) is not None
        if quote_end not in ",!?…-—–" and not re.match(r"\s*[,\u2014\u2013]", tail) and not stop_then_cue:
            return None  # ‘blurred’ after it was revealed … : the words after are not an attribution
        if quote_end in "?!" and _EMBEDDED_TAIL_RE.match(tail):
            return None  # a bet on “Ali Out as Leader?” on his platform, X reports: a title inside the sentence
        m = re.match(rf"\s*[,\u2014\u2013-]?\s*(?P<cue>{_CUE_WORDS}|according to)\b", tail)
        if m:  # “…,” said Coun Corcoran / “…,” according to Dr Walsh
            rest_start = a + m.end()
            sent_end = min(self.sentence_end(rest_start, span.paragraph), rest_start + 80)
            comma = re.search(r"[,;(\u2014\u2013]", self.text[rest_start:sent_end])
            # “…,” wrote Boaz Barak, an employee Altman deputized: the name right after the verb
            subj = (comma and self.subject_in(rest_start, rest_start + comma.start())) or self.subject_in(rest_start, sent_end)
            if subj is not None:
                return subj, m.group("cue").lower(), True
        if stop_then_cue:
            return None
        m = re.match(rf"\s*[,\u2014\u2013-]?\s*(?P<subj>[^.!?\u201c\u2018\"]{{1,70}}?)\s+(?P<cue>{_CUE_WORDS})\b", tail)
        if m and not re.search(r"[.!?]", m.group("subj")) and not self._inverted_after(a + m.end("cue"), m.group("subj")):
            subj = self.subject_in(a + m.start("subj"), a + m.end("subj"))
            if subj is not None and (subj.start - a) < 60:
                return subj, m.group("cue").lower(), True
        return None

    def _inverted_after(self, cue_end: int, before_cue: str) -> bool:
        """“…,” it’s about identity, says Ev Kontsevoy: the words between the quote and the verb end in a comma and
        a person follows the verb, so the verb reports the whole sentence, not the quote beside it."""
        if not before_cue.rstrip().endswith(","):
            return False
        m = re.match(r"\s+", self.text[cue_end : cue_end + 3])
        at = cue_end + (m.end() if m else 0)
        return any(x.start == at and self.is_person(x) for x in self._mentions_in(at, at + 80))

    def dash_line_cue(self, n: int) -> tuple[_Mention, str, bool] | None:
        """A quotation that is its whole paragraph, followed by a line that opens with a dash and a name
        (“…” / —Tarek Mansour, CEO of Kalshi): a pull quote or epigraph and its source."""
        span = self.spans[n]
        p = span.paragraph
        ps, pe = self.paras[p]
        if p + 1 >= len(self.paras) or self.text[ps : span.open_mark].strip() or self.text[(span.close_mark or span.end) + 1 : pe].strip():
            return None
        ns, ne = self.paras[p + 1]
        m = re.match(r"\s*[\u2014\u2013-]+\s*", self.text[ns:ne])
        if not m:
            return None
        stop = re.search(r"[,(]|$", self.text[ns + m.end() : min(ne, ns + m.end() + 60)])
        subj = self.subject_in(ns + m.end(), ns + m.end() + stop.start())
        return (subj, "dash", True) if subj is not None and subj.name not in _PRONOUNS else None

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
            if self.passive(clause_start + m.start("cue")):
                return None  # "I was brusquely informed: “…”": the subject heard it, somebody unnamed said it
            subj = self.subject_in(clause_start, clause_start + m.start("cue"))
            if subj is None:
                return None
            obj = m.group("obj").strip()
            # “…” right after the verb, after "that", or as the complement of its object: declares him a “whole” person
            introduced = bool(m.group("punct")) or obj in ("", "that") or (
                bool(_COMPLEMENT_OBJECT_RE.fullmatch(obj)) and not m.group("cue").lower().startswith("pronounc")
            )  # not "pronounced it ‘arrum’": a word's sound is a term
            return subj, m.group("cue").lower(), introduced
        m = re.search(r"(?P<who>[^.!?:]{2,80}?)\s*:\s*$", clause)
        if m:
            subj = self.subject_in(clause_start + m.start("who"), clause_start + m.end("who"))
            if subj is not None:
                return subj, "colon", True
        return None

    def has_quote(self, p: int) -> bool:
        return any(s.paragraph == p for s in self.spans[bisect.bisect_left(self._span_paragraphs, p) :][:1])

    def someone_else_between(self, a: int, b: int, speaker: str | None) -> bool:
        """Whether text[a:b] names a person other than ``speaker`` (turn-taking: a follow-on quote keeps the
        previous speaker only when nobody else comes in between)."""
        for m in self._mentions_in(a, b):
            if self._inside_quote(m.start) or not self.is_person(m):
                continue
            if not (m.titled or m.name in self._acting or self.gender_of(m) is not None):
                continue  # "Access Management": capitalised words, not clearly somebody
            if speaker is None or self._full(m.name).split()[-1] != speaker.split()[-1]:
                return True
        return False

    def closing_fragment(self, n: int) -> bool:
        """A lower-case fragment that ends its sentence (“… were ‘definitely rushed.’”): a complement, the
        speaker's own words; one followed by more of the sentence (“‘gig economy’ workers”) is a label."""
        span = self.spans[n]
        if not self.text[span.start : span.start + 1].islower():
            return False
        if self.text[span.start : span.end].rstrip()[-1:] in ".!?":
            return True
        a = span.close_mark + 1 if span.close_mark is not None else span.end
        return bool(re.match(r"[.!?]?\s*(?:$|\n)|[.!?](?:\s|$)", self.text[a : a + 3]))

    def trailing_cue(self, n: int) -> tuple[_Mention, str, bool] | None:
        """A cue closing the quote's sentence after it: “… is due to ‘new priorities’ and …, it said.”"""
        span = self.spans[n]
        a = span.close_mark + 1 if span.close_mark is not None else span.end
        end = self.sentence_end(a, span.paragraph)
        masked = self.mask_quotes(a, min(end, a + 300))
        m = re.search(rf",\s*(?P<subj>[^,.!?]{{1,60}}?)\s+(?P<cue>{_CUE_WORDS})\b[^,.!?]{{0,40}}[.!?]?\s*$", masked)
        if not m:
            return None
        subj = self.subject_in(a + m.start("subj"), a + m.end("subj"))
        return (subj, m.group("cue").lower(), False) if subj is not None else None

    def naming_frame(self, n: int) -> bool:
        """The quote names something: “a forum called ‘XDA Developers’”, “the book ‘…’”, “so-called ‘…’”."""
        span = self.spans[n]
        a = max(self.paras[span.paragraph][0], span.open_mark - 40)
        before = self.text[a : span.open_mark]
        if before.rstrip(" \t,:")[-1:].isalpha() and (_NAMING_RE.search(before) or _WORK_RE.search(before)):
            return True
        # examples of a kind of thing: Absolutes like “everything should be server-rendered”
        if _EXAMPLES_RE.search(before) and not _EXAMPLES_NOT_RE.search(before):
            return True
        # the next in a list of named things: “…” or “all state belongs in the browser”
        if n > 0 and self.spans[n - 1].close_mark is not None and self.spans[n - 1].paragraph == span.paragraph:
            if _LIST_JOIN_RE.fullmatch(self.text, self.spans[n - 1].close_mark + 1, span.open_mark) and self.naming_frame(n - 1):
                return True
        # a gloss in parentheses: rød grød med fløde (‘red porridge with cream’)
        close = span.close_mark + 1 if span.close_mark is not None else span.end
        return before.endswith("(") and self.text[close : close + 1] == ")" and len(self.text[span.start : span.end].split()) <= 6

    def as_frame_cue(self, n: int) -> tuple[_Mention, str, bool] | None:
        """“X has named ‘…’ as one of her demands”: the words are the subject's own (:data:`_AS_FRAME_VERB_RE`)."""
        span = self.spans[n]
        if span.close_mark is None or not _AS_FRAME_AFTER_RE.match(self.text, span.close_mark + 1, span.close_mark + 12):
            return None
        sent_start = self.sentence_start(span.open_mark, span.paragraph)
        verb = _AS_FRAME_VERB_RE.search(self.mask_quotes(sent_start, span.open_mark))
        if verb is None or self.passive(sent_start + verb.start()):
            return None
        subj = self.subject_in(sent_start, sent_start + verb.start())
        return (subj, verb.group().strip().lower(), False) if subj is not None else None

    def woven_subject(self, n: int) -> tuple[_Mention, str, bool] | None:
        """Lower-case words woven, with others, into a sentence that opens with a person acting (“He reverenced the
        minute for how it is ‘bound to join the river of time’, longed for ‘…’”): the words are that person's, cue
        ``woven``."""
        span = self.spans[n]
        if not self.text[span.start : span.start + 1].islower():
            return None
        sent_start = self.sentence_start(span.open_mark, span.paragraph)
        sent_end = self.sentence_end(span.end, span.paragraph)
        if not any(
            k != n and self.spans[k].paragraph == span.paragraph and sent_start <= self.spans[k].open_mark < sent_end
            for k in (n - 1, n + 1)
            if 0 <= k < len(self.spans)
        ):
            return None  # one quotation alone could be anybody's; a series woven into one sentence is the subject's
        masked = self.mask_quotes(sent_start, span.open_mark)
        m = re.match(r"\s*(?P<subj>He|She|\S+(?:\s+\S+){0,3}?)\s+(?P<verb>[a-z]+)\b", masked)
        if m is None or m.group("verb") in _NOT_ACTIVE_VERBS or m.group("verb") in _CUE_SET:
            return None
        a, b = sent_start + m.start("subj"), sent_start + m.end("subj")
        if m.group("subj") in ("He", "She"):
            subj = _Mention(m.group("subj").lower(), a, b, False, False)
        else:
            names = [x for x in self._mentions_in(a, b) if x.start == a and x.end == b]
            if not names or not self.is_person(names[0]):
                return None
            subj = names[0]
        return subj, "woven", False

    def sentence_cue(self, n: int) -> tuple[_Mention, str, bool] | None:
        """A cue elsewhere in the quote's sentence: “X said the allegations were ‘…’ and …”."""
        span = self.spans[n]
        p = span.paragraph
        sent_start = self.sentence_start(span.open_mark, p)
        masked = self.mask_quotes(sent_start, span.open_mark)
        # "a report", "her answer": a cue word after a determiner is a noun, not the verb
        cues = [c for c in _CUE_RE.finditer(masked) if not _DETERMINER_BEFORE_RE.search(masked, 0, c.start())]
        if not cues:
            return None
        cue = cues[-1]
        if self.passive(sent_start + cue.start()):
            return None
        subj = self.subject_in(sent_start, sent_start + cue.start())
        if subj is None and _INVERTED_SUBJECT_RE.match(masked, cue.end()):
            # the subject after the verb: “…, says a report highlighting the ‘alarming rise of …’”
            subj = self.subject_in(sent_start + cue.end(), span.open_mark)
        if subj is None:
            return None
        return subj, cue.group().lower(), False

    def passive(self, cue_pos: int) -> bool:
        """The reporting verb at ``cue_pos`` is passive (was told, to be informed): its subject is the listener."""
        return bool(_PASSIVE_RE.search(self.text[max(0, cue_pos - 30) : cue_pos]))


# --- 4. the table ----------------------------------------------------------------------------


def quote_id(article_id: str, start: int, end: int) -> str:
    """Stable quote id from where the quote is: ``q`` + 12 hex digits.

    >>> quote_id("a56b8d5884a9f", 10, 20)
    'qa7ca7d5d4c91'
    """
    return "q" + hashlib.sha1(f"{article_id}:{start}:{end}".encode()).hexdigest()[:12]


def _row(article_id: str, text: str, span: QuoteSpan, att: Attribution, boiler: bool, section: str = "body") -> dict:
    """The one place a quotes-table row is built (every column of :data:`QUOTE_COLUMNS`)."""
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
        "section": section,
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
    for column in ("quote_id", "article_id", "quote", "speaker", "cue", "kind", "section"):
        table[column] = table[column].astype("str")
    return table


def _byline_name(author) -> str | None:
    """The author's name when the byline is one clean name ("James Somers; February" -> "James Somers")."""
    if not isinstance(author, str):
        return None
    first = author.split(";")[0].split(" and ")[0].strip()
    return first if re.fullmatch(rf"{_CAP}(?:[ \t]+(?:{_INITIAL}|{_CAP})){{1,3}}", first) else None


def _body_rows(article_id: str, text: str, attributor: Attributor, author: str | None = None, start: int = 0) -> list[dict]:
    """Quotes of the body, ``text[start:]`` (attributed on its own; offsets into ``text``)."""
    body = text[start:] if start else text
    spans = quote_spans(body) if body else []
    if not spans:
        return []
    atts = attributor.attribute(body, spans)
    if len(atts) != len(spans):
        raise ParameterError("The attributor returned a different number of attributions than quotes.", parameter="attributor")
    paras = paragraphs(body)
    boiler: dict[int, bool] = {}
    lead_paras = len(paragraphs(text[:start])) if start else 0
    rows = []
    for span, att in zip(spans, atts):
        if span.paragraph not in boiler:
            s, e = paras[span.paragraph]
            boiler[span.paragraph] = _is_boilerplate(body[s:e])
        if author and att.speaker is None and att.speaker_start is not None and body[att.speaker_start : att.speaker_end] == "I":
            att = att._replace(speaker=author)  # “… when I said, ‘…’” in a column: its author
        rows.append(_row(article_id, text, _shift_span(span, start, lead_paras), _shift_att(att, start), boiler[span.paragraph]))
    return rows


def _shift_span(span: QuoteSpan, by: int, paras: int) -> QuoteSpan:
    if not by and not paras:
        return span
    return span._replace(start=span.start + by, end=span.end + by, open_mark=span.open_mark + by,
                         close_mark=None if span.close_mark is None else span.close_mark + by, paragraph=span.paragraph + paras)


def _shift_att(att: Attribution, by: int) -> Attribution:
    if not by or att.speaker_start is None:
        return att
    return att._replace(speaker_start=att.speaker_start + by, speaker_end=None if att.speaker_end is None else att.speaker_end + by)


def _lead_bounds(text: str, headline_end, body_start) -> tuple[int, int]:
    """``headline_end`` and ``body_start`` as ints when they describe ``text`` (0 ≤ end ≤ start ≤ len), else (0, 0)."""
    try:
        h, b = int(headline_end), int(body_start)
    except (TypeError, ValueError):
        return 0, 0
    if h == 0 and b == 0:
        return 0, 0
    b = b or h
    return (h, b) if 0 <= h <= b <= len(text) else (0, 0)


def _lead_rows(article_id: str, text: str, headline_end: int, body_start: int, attributor: Attributor, body_rows: list[dict]) -> list[dict]:
    """Quotes above the body (``section`` "headline" or "highlights"), each lead paragraph attributed on its own."""
    rows: list[dict] = []
    lede: list = []
    for p_no, (ps, pe) in enumerate(paragraphs(text[:body_start])):
        para = text[ps:pe]
        spans = quote_spans(para)
        if not spans:
            continue
        atts = attributor.attribute(para, spans)
        if len(atts) != len(spans):
            raise ParameterError("The attributor returned a different number of attributions than quotes.", parameter="attributor")
        section = "headline" if ps < headline_end else "highlights"
        for span, att in zip(spans, atts):
            att = _lead_speaker(para, span, _shift_att(att, ps), section, text, body_start, body_rows, lede)
            rows.append(_row(article_id, text, _shift_span(span, ps, p_no), att, False, section=section))
    return rows


def _headline_rows(article_id: str, title: str, text: str, attributor: Attributor, body_rows: list[dict]) -> list[dict]:
    """Quotes in a ``title`` the text does not hold (``section`` "headline", ``paragraph`` -1, offsets into
    the title).

    Skipped when the text repeats the headline near its start (the body rows have them)."""
    spans = quote_spans(title)
    if not spans or title.strip() in text[: len(title) + 400]:
        return []
    atts = attributor.attribute(title, spans)
    if len(atts) != len(spans):
        raise ParameterError("The attributor returned a different number of attributions than quotes.", parameter="attributor")
    lede: list = []
    return [_row(article_id, title, span._replace(paragraph=-1), _lead_speaker(title, span, att, "headline", text, 0, body_rows, lede),
                 False, section="headline") for span, att in zip(spans, atts)]


def _lead_speaker(lead: str, span: QuoteSpan, att: Attribution, section: str, text: str, after: int,
                  body_rows: list[dict], lede: list) -> Attribution:
    """A lead quote's attribution when its own words name nobody: the speaker of the same words quoted in the
    body (cue ``body``), else, for the headline, the person the body's first paragraph (``text[after:]``)
    reports (cue ``lede``; ``lede`` caches that lookup). A quoted phrase (two words or more) in a headline
    whose first paragraph reports somebody's words is speech; a single quoted word stays a term (a label). When the lead names only a description the body gives with the name
    ("says CNN meteorologist" / "CNN meteorologist Todd Borek"), the body's speaker is taken."""
    words = _fold(lead[span.start : span.end])
    same = [r for r in body_rows if words and words in _fold(r["quote"]) and isinstance(r["speaker"], str)]
    if att.speaker is not None:
        if not same or pd.isna(same[0]["speaker_start"]) or same[0]["speaker"] == att.speaker:
            return att
        s0 = int(same[0]["speaker_start"])
        before = _fold(text[max(0, s0 - _ROLE_REACH) : int(same[0]["speaker_end"])])
        if f" {_fold(att.speaker)} " not in f" {before} ":
            return att
    if same:
        return att._replace(speaker=same[0]["speaker"], speaker_start=same[0]["speaker_start"],
                            speaker_end=same[0]["speaker_end"], cue="body", kind=same[0]["kind"])
    if section != "headline":
        return att
    if not lede:
        found, has_cue = _lede_speaker(text[after:])
        if found and after and found[1] is not None:
            found = (found[0], found[1] + after, None if found[2] is None else found[2] + after)
        lede.extend([found, has_cue])
    kind = att.kind
    quoted = lead[span.start : span.end]
    if kind == "term" and lede[1] and len(quoted.split()) >= _PHRASE_WORDS and not RuleAttributor._title_case(quoted):
        kind = "speech"  # a quoted phrase in a headline whose first paragraph reports somebody's words
    if kind == "speech" and lede[0] is not None:
        att = att._replace(speaker=lede[0][0], speaker_start=lede[0][1], speaker_end=lede[0][2], cue="lede")
    return att._replace(kind=kind)


def _fold(s: str) -> str:
    return " ".join(re.findall(r"\w+", s.lower()))


def _lede_speaker(text: str) -> tuple[tuple[str, int, int] | None, bool]:
    """Who the article's first paragraph reports ("…, Jo Grady said on Monday"), and whether it has a reporting
    verb at all: ((speaker, start, end) or None, has_cue)."""
    paras = paragraphs(text)
    if not paras:
        return None, False
    ps, pe = paras[0]
    ctx = ArticleContext(text, quote_spans(text[:pe]))
    cue = _CUE_RE.search(ctx.mask_quotes(ps, pe))
    if cue is None:
        return None, False
    at = ps + cue.start()
    sent = ctx.sentence_start(at, 0)
    subj = ctx.subject_in(sent, at) or ctx.subject_in(ps + cue.end(), min(pe, ps + cue.end() + 60))
    if subj is None:
        return None, True
    speaker, s, e = ctx.resolve(subj, at)
    return ((speaker, s, e) if speaker else None), True


def extract_quotes(
    articles: pd.DataFrame, *, attributor: Attributor | None = None, scheduler: str | None = None, partition_size: int = 2000
) -> pd.DataFrame:
    """Find every quotation in every article, with its speaker.

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles table from :func:`quotetrace.load_corpus` (needs
        ``article_id`` and ``text``; ``title``, ``author``, ``headline_end``
        and ``body_start`` are used when present).
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

        columns = [c for c in ("article_id", "text", "title", "author", "headline_end", "body_start") if c in articles.columns]
        parts = [{"articles": articles.iloc[k : k + partition_size][columns]} for k in range(0, len(articles), partition_size)]
        tables = [t for t in map_partitions(extract_quotes, parts, scheduler, attributor=attributor) if len(t)]
        return _typed(pd.concat(tables, ignore_index=True)) if tables else _empty_quotes()
    attributor = attributor or RuleAttributor()
    rows: list[dict] = []
    titles = articles["title"] if "title" in articles.columns else [None] * len(articles)
    authors = articles["author"] if "author" in articles.columns else [None] * len(articles)
    heads = articles["headline_end"] if "headline_end" in articles.columns else [0] * len(articles)
    starts = articles["body_start"] if "body_start" in articles.columns else [0] * len(articles)
    for article_id, text, title, author, head, start in zip(articles["article_id"], articles["text"], titles, authors, heads, starts):
        if not isinstance(text, str):
            text = ""
        head, start = _lead_bounds(text, head, start)
        body_rows = _body_rows(str(article_id), text, attributor, _byline_name(author), start)
        if start:
            rows.extend(_lead_rows(str(article_id), text, head, start, attributor, body_rows))
        elif isinstance(title, str) and title.strip():
            rows.extend(_headline_rows(str(article_id), title, text, attributor, body_rows))
        rows.extend(body_rows)
    if not rows:
        return _empty_quotes()
    return _typed(pd.DataFrame(rows, columns=QUOTE_COLUMNS))
