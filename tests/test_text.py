"""Sentence spans: the kit's own location of pysbd's sentences agrees with pysbd's ``char_span`` output."""

from __future__ import annotations

import pysbd
import pytest

from quotetrace import text as T
from quotetrace.paths import bundled_corpus

TRICKY = [
    "Yes. Yes. Yes. No.",  # the same sentence three times: each occurrence once, in order
    "He said no.  He said no.\tThen he left.",  # repeats with odd whitespace between
    "Mr. Smith met Dr. Jones at 5 p.m. on Jan. 3. They talked. U.S. officials said 2.5 per cent.",
    "\u201cWe will win,\u201d she said. \u201cWe will win.\u201d And they did!  Really? Yes\u2026 really.",
    "Trailing spaces.   ",
    "",
]


def _pysbd_own(text: str) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in pysbd.Segmenter(language="en", clean=False, char_span=True).segment(text)]


@pytest.mark.parametrize("text", TRICKY)
def test_spans_match_pysbd_char_spans_on_tricky_text(text):
    assert T._pysbd_spans(T._SEGMENTER.get(), text) == _pysbd_own(text)


def test_spans_match_pysbd_char_spans_on_real_articles():
    seg = T._SEGMENTER.get()
    windows = 0
    for path in sorted(bundled_corpus("tweetgate").glob("*.txt")):
        body = path.read_text(encoding="utf-8")
        for start, end in T.paragraphs(body):
            para = body[start:end]
            assert T._pysbd_spans(seg, para) == _pysbd_own(para), (path.name, para[:60])
            windows += 1
    assert windows > 20


def test_sentences_cover_repeated_sentences_once_each():
    text = "It is over. It is over. It is over."
    assert [text[s:e] for s, e in T.sentences(text)] == ["It is over."] * 3
