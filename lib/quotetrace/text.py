"""Typography-only normalisation with an offset map, and word/paragraph/sentence splitting.

This is the ground floor every other stage stands on. Nothing here changes
the meaning of text: the normalisation folds case, curly and straight quotes,
dashes, the ellipsis character and runs of whitespace, and it always keeps a
map back to the original string, so any position found in the normalised copy
can be reported as a character offset into the article's own ``text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

__all__ = [
    "NormalizedText",
    "normalize",
    "fold",
    "word_list",
    "word_spans",
    "paragraphs",
    "sentences",
    "OPENING_DOUBLE",
    "CLOSING_DOUBLE",
    "OPENING_SINGLE",
    "CLOSING_SINGLE",
    "ELLIPSES",
]

OPENING_DOUBLE = "\u201c\u201e\u00ab"  # “ „ «
CLOSING_DOUBLE = "\u201d\u00bb"  # ” »
OPENING_SINGLE = "\u2018\u201a\u2039"  # ‘ ‚ ‹
CLOSING_SINGLE = "\u2019\u203a"  # ’ ›
ELLIPSES = ("\u2026", "...", ". . .")

# One character in, one character out: the common case, done with str.translate.
_ONE_TO_ONE = {
    **{ord(c): "'" for c in "\u2018\u2019\u201a\u201b\u2032\u2039\u203a`\u00b4"},
    **{ord(c): '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"},
    **{ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"},
    **{ord(c): " " for c in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\r\n\f\v"},
}
_WORD_RE = re.compile(r"\w+(?:['\u2019]\w+)*", re.UNICODE)
_EDGE_RE = re.compile(r"^[^\w]+|[^\w]+$")
_PARAGRAPH_SPLIT_RE = re.compile(r"\n[ \t\r\f\v]*")


class NormalizedText(NamedTuple):
    """A normalised copy of a string and where each of its characters came from.

    ``offsets[i]`` is the index in the original string of normalised character
    ``i``; ``offsets[len(text)]`` is the original length, so a normalised span
    ``[a, b)`` maps back to ``original[offsets[a] : offsets[b - 1] + 1]``.
    """

    text: str
    offsets: list[int]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span ``[start, end)`` back to the original string."""
        if end <= start:
            pos = self.offsets[start] if start < len(self.offsets) else self.offsets[-1]
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1


def normalize(text: str) -> NormalizedText:
    """Fold typography only: case, quote marks, dashes, ellipsis, whitespace.

    Parameters
    ----------
    text : str
        Any string.

    Returns
    -------
    NormalizedText
        The folded text and an offset map into ``text``.

    Examples
    --------
    >>> n = normalize("“Moribund  Miliband”\u2026")
    >>> n.text
    '"moribund miliband"...'
    >>> n.original_span(1, 9)
    (1, 9)
    """
    out: list[str] = []
    offsets: list[int] = []
    translated = text.translate(_ONE_TO_ONE)
    lowered = translated.lower()
    if len(lowered) == len(translated) and "\u2026" not in lowered:
        # Fast path: every character maps to exactly one character.
        chars = lowered
        keep = list(range(len(chars)))
    else:
        chars_list: list[str] = []
        keep = []
        for i, ch in enumerate(translated):
            rep = "..." if ch == "\u2026" else ch.lower()
            chars_list.extend(rep)
            keep.extend([i] * len(rep))
        chars = "".join(chars_list)
    # Collapse whitespace runs to one space and trim the ends.
    prev_space = True
    for ch, i in zip(chars, keep):
        if ch == " ":
            if prev_space:
                continue
            prev_space = True
        else:
            prev_space = False
        out.append(ch)
        offsets.append(i)
    if out and out[-1] == " ":
        out.pop()
        offsets.pop()
    offsets.append(len(text))
    return NormalizedText("".join(out), offsets)


def word_list(text: str) -> list[str]:
    """Folded words of ``text`` (lower case, curly apostrophe straightened), in order.

    Words are runs of letters and digits, with inner apostrophes kept
    (``council’s``, ``don't``); punctuation and quotation marks are not words.
    The whole text is lower-cased at once (fast) when that keeps its length,
    so token boundaries cannot move; otherwise word by word. The i-th word
    spans ``word_spans(text)[i]``.

    >>> word_list("Moribund Miliband’s “1950s NHS”…")
    ['moribund', "miliband's", '1950s', 'nhs']
    """
    lowered = text.lower()
    if len(lowered) == len(text):
        return _WORD_RE.findall(lowered.replace("\u2019", "'"))
    return [w.lower().replace("\u2019", "'") for w in _WORD_RE.findall(text)]


def word_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the words :func:`word_list` returns, in the same order.

    >>> word_spans("It’s “here”.")
    [(0, 4), (6, 10)]
    """
    return [m.span() for m in _WORD_RE.finditer(text)]


def fold(text: str) -> str:
    """Typography-only folding for "is this the same wording?": case, quote marks (double or
    single alike), dashes, whitespace, ellipses, and punctuation at the two ends.

    >>> fold("“It’s — done…”") == fold("'it's - done.'")
    True
    """
    folded = normalize(text).text.replace('"', "'").replace("...", " ")
    return re.sub(r" +", " ", _EDGE_RE.sub("", folded)).strip()


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Character spans of the paragraphs of ``text`` (blank-line or line-break separated).

    Empty lines are not paragraphs. Each span excludes surrounding whitespace.

    >>> paragraphs("One.\\n\\nTwo two.\\n")
    [(0, 4), (6, 14)]
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in list(_PARAGRAPH_SPLIT_RE.finditer(text)) + [None]:
        end = m.start() if m is not None else len(text)
        chunk = text[pos:end]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((pos + lead, pos + lead + len(stripped)))
        if m is not None:
            pos = m.end()
    return spans


@dataclass
class _Segmenter:
    segmenter: object | None = None

    def get(self):
        if self.segmenter is None:
            import pysbd

            self.segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
        return self.segmenter


_SEGMENTER = _Segmenter()


def _pysbd_spans(seg, text: str) -> list[tuple[int, int]]:
    """pysbd's sentences of ``text`` as (start, end) spans, the end taking the whitespace after the sentence.

    The spans are those of ``Segmenter.segment(text)`` with ``char_span=True``, found with ``str.find``:
    pysbd locates each sentence by compiling a regular expression of the sentence's own text, which
    costs more than the segmentation itself and evicts the abbreviation patterns from Python's regex
    cache. As pysbd does, a sentence is the first non-overlapping occurrence that ends after the last
    sentence's end; a sentence not found in the text is skipped.
    """
    if not text:
        return []
    spans: list[tuple[int, int]] = []
    prior_end = 0
    for sent in seg.processor(text).process():
        if not sent:
            continue
        i = text.find(sent)
        while i != -1:
            end = i + len(sent)
            while end < len(text) and text[end].isspace():
                end += 1
            if end > prior_end:
                spans.append((i, end))
                prior_end = end
                break
            i = text.find(sent, end)
    return spans


_WINDOW = 3000  # pysbd's time grows with paragraph length times abbreviations: feed it windows of this size
_LONG = 20_000  # a paragraph longer than this (a pasted transcript) is split by the simple rule below, in linear time
_SIMPLE_END_RE = re.compile(r"[.!?][\u201d\u2019\"')\]]*\s+(?=[\u201c\u2018\"'(A-Z0-9])")
_SIMPLE_ABBREV_RE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Prof|Sir|Rev|Gen|Col|Lt|Sgt|Capt|Rep|Sen|Gov|Cllr|Coun|St|No|Co|Inc|Ltd|Jr|Sr|vs|etc|e\.g|i\.e|"
    r"U\.S|a\.m|p\.m|[A-Z])$")


def _simple_segment(para: str) -> list[tuple[int, int]]:
    """Sentence spans by end punctuation followed by a capital, skipping titles and initials ("Mr.", "J.")."""
    out, start = [], 0
    for m in _SIMPLE_END_RE.finditer(para):
        if _SIMPLE_ABBREV_RE.search(para, max(start, m.start() - 8), m.start()):
            continue
        out.append((start, m.start() + 1))
        start = m.end()
    out.append((start, len(para)))
    return out


def _segment(seg, para: str) -> list[tuple[int, int]]:
    """pysbd's sentence spans in ``para``, in windows so a long paragraph takes linear time.

    Each window ends inside a sentence; all of its sentences but the last are kept and the next window
    starts where that last one starts, so pysbd always sees a sentence with its context. pysbd still costs
    about a millisecond per 10 characters, so a paragraph over ``_LONG`` characters (a pasted transcript)
    is split by :func:`_simple_segment` instead.
    """
    if len(para) > _LONG:
        return _simple_segment(para)
    out: list[tuple[int, int]] = []
    pos = 0
    while pos < len(para):
        window = para[pos : pos + _WINDOW]
        try:
            pieces = _pysbd_spans(seg, window)
        except Exception:  # pysbd can fail on odd input; fall back to the whole window
            pieces = []
        if pos + _WINDOW >= len(para) or len(pieces) < 2:
            out.extend((pos + s, pos + e) for s, e in pieces)
            pos += len(window)
            continue
        out.extend((pos + s, pos + e) for s, e in pieces[:-1])
        pos += max(pieces[-1][0], 1)
    return out


def sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``, paragraph by paragraph.

    Uses pysbd (rule-based sentence boundary disambiguation) inside each
    paragraph, so a sentence never runs across a paragraph break. Spans exclude
    trailing whitespace.

    >>> sentences("Mr. Jones said no. He left.\\n\\nThe end")
    [(0, 18), (19, 27), (29, 36)]
    """
    spans: list[tuple[int, int]] = []
    seg = _SEGMENTER.get()
    for p_start, p_end in paragraphs(text):
        para = text[p_start:p_end]
        covered = 0
        for s, e in _segment(seg, para):
            if s < covered:
                s = covered
            chunk = para[s:e]
            if not chunk.strip():
                continue
            lead = len(chunk) - len(chunk.lstrip())
            trail = len(chunk) - len(chunk.rstrip())
            spans.append((p_start + s + lead, p_start + e - trail))
            covered = e
        if covered < len(para) and para[covered:].strip():
            chunk = para[covered:]
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((p_start + covered + lead, p_end))
    return spans
