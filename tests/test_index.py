"""The candidate index's array code against plain-Python statements of what it computes."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from quotetrace.index import _POS, CandidateIndex, tokenize

_WORDS = "the council leader budget said of and to staff tweets spokesman election march would not".split()
_TEXT = st.lists(st.sampled_from(_WORDS + ["counsil", "leeder", "’s", "Council", "don’t", "…", "\n"]), max_size=60).map(" ".join)
_LONG_WORDS = st.text(alphabet="aBé’'_9Σ -", min_size=60, max_size=200)  # words past the 64 hashed positions


def _word_hash(word: str) -> int:
    """The hash :func:`tokenize` gives a folded word: the sum over its characters of (code point + 1)
    times the odd number for the character's position in the word (positions past 63 share the last)."""
    return sum((ord(ch) + 1) * int(_POS[min(p, 63)]) for p, ch in enumerate(word)) % (1 << 64)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=40) | _TEXT | _LONG_WORDS, max_size=5))
def test_word_hashes_are_the_sum_over_each_words_characters(texts):
    tok = tokenize(texts)
    for t, s, e, h in zip(tok.text.tolist(), tok.start.tolist(), tok.end.tolist(), tok.hash.tolist()):
        word = texts[t][s:e]
        folded = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in word).replace("\u2019", "'")
        assert h == _word_hash(folded)


def _run_around_word_by_word(tok, index, q, qp, j) -> list[int]:
    """Per hit: 2 (its bigram), plus each quote word at offset -4..-1 or 2..6 from it that the same
    article has at that offset, or one word nearer or further (a word dropped or split between)."""
    out = []
    for qi, p, at in zip(q.tolist(), qp.tolist(), j.tolist()):
        n = 2
        for d in (-4, -3, -2, -1, 2, 3, 4, 5, 6):
            if not 0 <= p + d < index.n_words[qi]:
                continue
            want = index._qhash[index._qfirst[qi] + p + d]
            for shift in (0, -1, 1):
                aj = at + d + (shift if d < 0 else -shift)
                if 0 <= aj < len(tok.hash) and tok.text[aj] == tok.text[at] and tok.hash[aj] == want:
                    n += 1
                    break
        out.append(n)
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=4), st.lists(_TEXT, min_size=1, max_size=6))
def test_run_around_counts_the_quote_words_around_each_hit(quotes, texts):
    index = CandidateIndex(quotes, language=None, max_postings=1000)
    scan = index.scan([])
    tok = tokenize(texts)
    bounds = np.searchsorted(tok.text, np.arange(tok.text[-1] + 2 if len(tok.text) else 0))
    q, qp, _, j = scan._hits(tok)
    assert scan._run_around(tok, bounds, q, qp, j).tolist() == _run_around_word_by_word(tok, index, q, qp, j)
