"""Check every reported quote against the original: the tweet, the transcript, the statement.

The originals table (:data:`ORIGINAL_COLUMNS`) has one row per tweet or speaker turn (a statement is
one row):

=============== =================================================================================
column          meaning
=============== =================================================================================
original_id     stable id: ``"o"`` + 12 hex digits of the SHA-256 of the file label, turn and text
kind            ``tweet``, ``transcript`` (one speaker turn) or ``statement``
speaker         whose words they are: the manifest's ``speaker``, the transcript's ``NAME:`` or
                ``<v Name>``, the archive's display name; missing when unknown
account         the X/Twitter account (``@`` left out), from the manifest or the archive's account.js
published       when it was said or written (``datetime64``, UTC for tweets): the tweet's
                ``created_at``; for a transcript or statement the manifest's ``published``
text            the words (a tweet's ``&amp;`` unescaped; caption cues of one turn joined by spaces)
path            the file, relative to the originals folder
turn            0-based number of the tweet or turn in its file
start, end      offsets of the turn's words in the whole transcript file's text (``NAME:``
                transcripts); missing otherwise
time_start,     seconds from the start of the recording (captions; ``[00:01:02]`` stamps in
time_end        ``NAME:`` transcripts); missing otherwise
cues            captions: list of ``(start, end, time_start, time_end)`` of each cue's words in
                ``text``; empty otherwise
is_retweet      a retweet (``RT @…`` or marked retweeted): somebody else's words
is_reply        a reply (``in_reply_to_…``)
url             the tweet's address, or the manifest's ``url``
format          ``tweets.js``, ``vtt``, ``srt``, ``txt``, ``html``, ``pdf``, …
sha256          SHA-256 of the file's raw bytes
=============== =================================================================================

:func:`check_originals` gives one row per reported quote (:data:`CHECK_COLUMNS`) with a verdict
(:data:`CHECK_VERDICTS`) and its evidence.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from .corpus import MANIFEST_NAME, ORIGINALS_FOLDER, PROBLEM_COLUMNS, load_corpus, manifest_files
from .errors import BadDateError, CorpusError, CorpusNotFoundError, ParameterError, UnsafePathError, UnsupportedFormatError
from .match import MatchSettings, find_quote
from .readers import looks_like_transcript, read_captions, read_pdf, read_statement, read_tweet_archive, split_turns
from .text import ELLIPSES, word_list, word_spans

__all__ = [
    "ORIGINAL_COLUMNS",
    "CHECK_COLUMNS",
    "CHECK_VERDICTS",
    "TIMELINE_COLUMNS",
    "QUALIFIERS",
    "load_originals",
    "check_originals",
    "originals_timeline",
    "verify_originals",
    "write_originals_exports",
    "OriginalsReport",
]

ORIGINAL_COLUMNS = [
    "original_id", "kind", "speaker", "account", "published", "text", "path", "turn", "start", "end",
    "time_start", "time_end", "cues", "is_retweet", "is_reply", "url", "format", "sha256",
]  # fmt: skip
CHECK_VERDICTS = ("accurate", "misquoted", "cut", "misattributed", "not_in_originals")
CHECK_COLUMNS = [
    "quote_id", "article_id", "quote", "speaker", "verdict", "wording", "original_id", "original_speaker",
    "original_kind", "original_start", "original_end", "original_text", "published", "time_start", "url",
    "status", "score", "differences", "left_out", "hidden_by_ellipsis", "added", "drops_qualifier", "qualifiers",
    "in_retweet", "searched", "evidence",
]  # fmt: skip
TIMELINE_COLUMNS = ["original_id", "speaker", "kind", "original_published", "time_start", "outlet", "article_id", "first_reported", "delay_days", "verdicts"]
# Words whose loss changes what was said: negations, conditions, limits, hedges.
QUALIFIERS = frozenset(
    "not never no nor none nothing neither cannot without unless if only but except until provided providing "
    "may might could would should probably possibly perhaps maybe some partly partially almost nearly unlikely".split()
)
# A quote that stops right before one of these (same sentence) drops a condition: "…, unless …"
_CONDITIONS = frozenset("unless if but only except until provided providing without not never".split())
_TWEET_FILES = re.compile(r"^tweets?(-part\d+)?\.js$", re.IGNORECASE)
_STATEMENT_SUFFIXES = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html"}
_SKIP_FILES = {MANIFEST_NAME, "readme.md", "readme.txt", "readme", "license", "license.txt", "account.js"}
_TITLES = {"cllr", "councillor", "coun", "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady", "mayor", "rev", "the"}
# between two words, these end what the speaker was saying: a full stop, a closing quote mark, a dash
_SENTENCE_END = re.compile("[.!?;:\n\"'\u201c\u201d\u2018\u2019\u2014\u2013]|--")


# --- loading ------------------------------------------------------------------------------


def load_originals(
    path: str | Path,
    *,
    errors: Literal["raise", "skip"] = "raise",
) -> pd.DataFrame:
    """Load originals: tweet archives, transcripts, captions and statements.

    Parameters
    ----------
    path : str or Path
        A folder of originals (optionally with a ``manifest.csv``: ``file``, ``speaker``, ``account``,
        ``published``, ``url``, ``kind``), a corpus folder whose ``manifest.csv`` marks some files
        ``role=original`` (only those are read), or a single file. Formats: X/Twitter archive
        ``tweets.js``/``tweet.js`` (with ``account.js`` beside it for the account), WebVTT ``.vtt``,
        SubRip ``.srt``, ``NAME: words`` transcripts and statements in ``.txt``/``.md``/``.html``,
        and ``.pdf`` with a text layer. A ``.txt`` is read as a transcript when most of its lines
        are ``NAME:`` turns, or when the manifest's ``kind`` says ``transcript``.
    errors : {"raise", "skip"}
        ``"raise"`` stops at the first bad input with a specific error; ``"skip"`` loads the rest and
        lists each skipped file or tweet in ``originals.attrs["problems"]`` (:data:`PROBLEM_COLUMNS`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`ORIGINAL_COLUMNS`, in file then turn order.

    Raises
    ------
    CorpusNotFoundError
        The path does not exist.
    CorpusError
        For a bad input with ``errors="raise"``: :class:`TweetArchiveError`, :class:`CaptionFileError`,
        :class:`NoTextLayerError` (a scanned PDF), :class:`EncodingError`, :class:`BadDateError`, …

    Examples
    --------
    >>> from quotetrace import bundled_corpus
    >>> originals = load_originals(bundled_corpus("harbourview") / "originals")
    >>> sorted(originals["kind"].unique())
    ['transcript', 'tweet']
    """
    if errors not in ("raise", "skip"):
        raise ParameterError(f'errors must be "raise" or "skip", not {errors!r}.', parameter="errors")
    p = Path(path)
    if not p.exists():
        raise CorpusNotFoundError(f"The originals {str(p)!r} do not exist. Check the path, or point at a folder of originals.", path=p)
    problems: list[dict] = []

    def fail(exc: CorpusError) -> None:
        if errors == "raise":
            raise exc
        problems.append({"path": exc.path, "row": exc.row, "problem": type(exc).__name__, "action": "skipped", "message": exc.message})

    if p.is_dir():
        listed, manifest_problems = manifest_files(p, errors=errors)
        problems.extend(manifest_problems.to_dict("records"))
        if any("role" in row for row in listed):  # a corpus folder: only the files marked as originals
            listed = [row for row in listed if row.get("role") == "original"]
        elif not listed and not (p / MANIFEST_NAME).is_file():
            listed = _folder_listing(p, fail)
    else:
        listed = [{"path": p, "file": p.name, "row": None}]
    rows: list[dict] = []
    for entry in listed:
        try:
            records, bad = _read_original(entry)
        except CorpusError as exc:
            fail(exc)
            continue
        for exc in bad:
            fail(exc)
        rows.extend(records)
    table = pd.DataFrame(rows, columns=ORIGINAL_COLUMNS)
    table["published"] = pd.to_datetime(table["published"]).astype("datetime64[ns]")
    for c in ("start", "end", "turn"):
        table[c] = table[c].astype("Int64")
    for c in ("time_start", "time_end"):
        table[c] = table[c].astype("float64")
    for c in ("is_retweet", "is_reply"):
        table[c] = [_flag(v) for v in table[c]]
    table["cues"] = [c if isinstance(c, list) else [] for c in table["cues"]]
    table.attrs["problems"] = pd.DataFrame(problems, columns=PROBLEM_COLUMNS)
    table.attrs["root"] = str(p if p.is_dir() else p.parent)
    return table


def _folder_listing(folder: Path, fail) -> list[dict]:
    root = folder.resolve()
    out = []
    for f in sorted(folder.iterdir()):
        if not f.is_file() or f.name.startswith(".") or f.name.lower() in _SKIP_FILES:
            continue
        if root not in f.resolve().parents:
            fail(UnsafePathError(f"{f.name} is a link to a file outside the originals folder; it was not read. Copy the file in instead.", path=f.name))
            continue
        out.append({"path": f, "file": f.name, "row": None})
    return out


def _manifest_date(value, entry: dict):
    if value in (None, ""):
        return None
    try:
        # ISO dates as written; others (07.01.15, 4 March 2026) read day first, as load_corpus does
        ts = pd.Timestamp(value) if re.match(r"^\d{4}-\d", str(value)) else pd.to_datetime(str(value), dayfirst=True)
        return ts.tz_convert("UTC").tz_localize(None) if ts.tzinfo else ts  # times in UTC, as tweets' are
    except (ValueError, TypeError):
        raise BadDateError(
            f"{MANIFEST_NAME} row {entry.get('row')}: the date {value!r} for {entry['file']} cannot be read. "
            "Write it as YYYY-MM-DD, or YYYY-MM-DD HH:MM for a time of day.",
            path=entry["file"],
            row=entry.get("row"),
        ) from None


def _read_original(entry: dict) -> tuple[list[dict], list[CorpusError]]:
    """Read one listed file into original rows (and the per-record problems of a tweet archive)."""
    path: Path = entry["path"]
    label = entry["file"]
    suffix = path.suffix.lower()
    kind = (entry.get("kind") or "").lower()
    bad: list[CorpusError] = []
    published = _manifest_date(entry.get("published"), entry)
    if _TWEET_FILES.match(path.name) or kind == "tweets":
        records, bad = read_tweet_archive(path, label, account=(entry.get("account") or "").lstrip("@") or None)
        fmt = "tweets.js"
    elif suffix in (".vtt", ".srt"):
        records, fmt = read_captions(path, label, speaker=entry.get("speaker")), suffix[1:]
    elif suffix == ".pdf" or suffix in _STATEMENT_SUFFIXES:
        if suffix == ".pdf":
            doc = {"text": read_pdf(path, label), "published": None, "url": None, "format": "pdf"}
        else:
            doc = read_statement(path, label)
        fmt = doc["format"]
        text = doc["text"]
        if kind == "transcript" or (kind != "statement" and looks_like_transcript(text)):
            records = split_turns(text, speaker=entry.get("speaker"))
        else:
            records = [{"kind": "statement", "text": text, "turn": 0}]
        published = published if published is not None else (None if pd.isna(doc["published"]) else doc["published"])
        for r in records:
            r.setdefault("url", doc["url"])
    else:
        raise UnsupportedFormatError(
            f"{label} is not a format quotetrace reads as an original ({suffix or 'no extension'}). "
            "Use tweets.js from an X/Twitter archive, .vtt or .srt captions, or a .txt, .html or .pdf statement or transcript.",
            path=label,
        )
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    rows = []
    for r in records:
        row = dict(r)
        if entry.get("speaker") and (row["kind"] == "statement" or row["kind"] == "tweet" or not row.get("speaker")):
            row["speaker"] = entry["speaker"]  # the manifest names whose words a statement or archive holds
        if entry.get("account"):
            row["account"] = entry["account"].lstrip("@")
        if row["kind"] != "tweet":
            row["published"] = published
        if entry.get("url") and not row.get("url"):
            row["url"] = entry["url"]
        row.update({"path": label, "format": fmt, "sha256": sha})
        row["original_id"] = "o" + hashlib.sha256(f"{label}#{row.get('turn', 0)}\n{row['text']}".encode("utf-8")).hexdigest()[:12]
        rows.append(row)
    return rows, bad


# --- who said it ----------------------------------------------------------------------------


def _name_words(name) -> list[str]:
    if not isinstance(name, str):
        return []
    words = [w for w in word_list(name.lstrip("@")) if w not in _TITLES]
    return words


def same_person(a, b) -> bool:
    """Whether two names can be the same person: same surname, and no clash of other names
    (``Ada Whitlock`` / ``Cllr Whitlock`` / ``ADA WHITLOCK``); an account handle matches a name
    written together (``adawhitlock`` / ``Ada Whitlock``)."""
    wa, wb = _name_words(a), _name_words(b)
    if not wa or not wb:
        return False
    if "".join(wa) == "".join(wb):
        return True
    if wa[-1] != wb[-1]:
        return False
    short, long_ = sorted((wa[:-1], wb[:-1]), key=len)
    return all(w in long_ or any(x.startswith(w) or w.startswith(x) for x in long_) for w in short)


# --- checking ---------------------------------------------------------------------------------

_RANK = {"verbatim": 0, "variant": 1, "partial": 2}


@dataclass
class _Tokens:
    text: str
    words: list[str]
    spans: list[tuple[int, int]]

    @classmethod
    def of(cls, text: str) -> "_Tokens":
        return cls(text, word_list(text), word_spans(text))


def check_originals(
    quotes: pd.DataFrame,
    originals: pd.DataFrame,
    *,
    settings: MatchSettings | None = None,
    min_coverage: float = 0.5,
    max_candidates: int = 3,
) -> pd.DataFrame:
    """Check every reported quote against the originals.

    The originals' word n-grams are indexed once; each quote looks up its own n-grams there and
    only the few originals sharing the most of them (the named speaker's first) are aligned with
    :func:`quotetrace.find_quote`, so nothing is compared pair by pair. The best original is
    chosen: when the article names the speaker, that speaker's originals first, then everyone's.
    The quote and the chosen original are then aligned word by word for the evidence.

    Parameters
    ----------
    quotes : pandas.DataFrame
        From :func:`quotetrace.extract_quotes` (``quote_id``, ``article_id``, ``quote``; ``speaker``
        if known).
    originals : pandas.DataFrame
        From :func:`load_originals` (``original_id``, ``text``, ``speaker``; the other columns if known).
    settings : MatchSettings, optional
        The matcher's thresholds.
    min_coverage : float
        A quote only partly found (the matcher's ``partial``) counts as found, and so as ``cut``, when
        at least this share of its words is in the original; less is ``not_in_originals``.
    max_candidates : int
        Originals aligned word by word per quote (after the named speaker's own best two): those
        sharing the most word n-grams with it.

    Returns
    -------
    pandas.DataFrame
        One row per quote, columns :data:`CHECK_COLUMNS`:

        * ``verdict``: ``accurate`` (the original has these words; only typography may differ),
          ``misquoted`` (a variant: ``differences`` lists (quote words, original words), e.g.
          (``Moribound``, ``Moribund``)), ``cut`` (only part of it is in the original, or words of the
          original are left out: ``left_out`` and ``hidden_by_ellipsis`` show them; a cut right
          before a condition such as "unless" counts too), ``misattributed`` (the words are in
          another speaker's original; ``wording`` still says how faithfully), ``not_in_originals``;
        * ``wording``: the verdict on the words alone (accurate, misquoted or cut);
        * ``drops_qualifier`` / ``qualifiers``: the cut or change drops a negation, condition or
          qualifier (:data:`QUALIFIERS`: not, never, no, only, if, unless, but, without, …);
        * ``added``: quote words that are not in the original;
        * ``original_id``, ``original_start``/``original_end`` (offsets into that original's
          ``text``), ``original_text``, ``published``, ``time_start`` (seconds into a recording, of
          the caption cue where the words start), ``url``;
        * ``searched``: ``speaker`` when found in the named speaker's originals, ``all`` otherwise;
        * ``evidence``: one sentence a fact-checker can paste.

    Examples
    --------
    >>> quotes = pd.DataFrame({"quote_id": ["q1"], "article_id": ["a1"], "speaker": ["Ada Whitlock"],
    ...                        "quote": ["We will close the Quayside library"]})
    >>> originals = pd.DataFrame({"original_id": ["o1"], "speaker": ["Ada Whitlock"],
    ...                           "text": ["We will not close the Quayside library this year."]})
    >>> row = check_originals(quotes, originals).iloc[0]
    >>> row["verdict"], row["qualifiers"]
    ('cut', ['not'])
    """
    s = (settings or MatchSettings()).validate()
    for name, table, cols in (("quotes", quotes, ("quote_id", "article_id", "quote")), ("originals", originals, ("original_id", "text"))):
        missing = [c for c in cols if c not in table.columns]
        if missing:
            raise ParameterError(f"check_originals: the {name} table lacks column(s) {missing}.", parameter=name)
    if not 0 < min_coverage <= 1:
        raise ParameterError(f"min_coverage must be in (0, 1], not {min_coverage!r}.", parameter="min_coverage")
    if not isinstance(max_candidates, int) or max_candidates < 1:
        raise ParameterError(f"max_candidates must be a whole number of at least 1, not {max_candidates!r}.", parameter="max_candidates")
    q = quotes[[isinstance(x, str) and x.strip() != "" for x in quotes["quote"]]]
    orig = originals.reset_index(drop=True)
    columns = {c: orig[c].tolist() for c in orig.columns}
    col = lambda name, k, default=None: columns[name][k] if name in columns else default  # noqa: E731
    index = _NgramIndex([t if isinstance(t, str) else "" for t in columns["text"]])
    whose: dict[tuple, bool] = {}
    tokens: dict[int, _Tokens] = {}
    rows = []
    for rec in q.to_dict("records"):
        speaker = rec.get("speaker") if isinstance(rec.get("speaker"), str) and rec.get("speaker") else None

        def own(k: int) -> bool:
            if speaker is None:
                return False
            key = (speaker, col("speaker", k), col("account", k))
            if key not in whose:
                whose[key] = same_person(speaker, key[1]) or same_person(speaker, key[2])
            return whose[key]

        cands = []
        n_quote = len(word_list(rec["quote"]))
        for k, w_first, w_end in _candidates(index.shared(rec["quote"]), own, max_candidates):
            if k not in tokens:
                tokens[k] = _Tokens.of(columns["text"][k])
            tok = tokens[k]
            # align only the stretch where the shared n-grams are (and room for the rest of the quote)
            lo = max(0, w_first - n_quote - s.max_gap_words)
            hi = min(len(tok.spans), w_end + n_quote + s.max_gap_words)
            c0, c1 = tok.spans[lo][0], tok.spans[hi - 1][1]
            m = find_quote(rec["quote"], tok.text[c0:c1], settings=s)
            if m is None or m.status == "missing" or (m.status == "partial" and m.coverage < min_coverage):
                continue
            m.start, m.end = m.start + c0, m.end + c0
            published = col("published", k)
            key = (_RANK[m.status], -m.coverage, -m.score, _flag(col("is_retweet", k)), pd.Timestamp(published).value if _known(published) else np.inf)
            cands.append((key, own(k), k, m))
            if (own(k) and m.status != "partial") or (speaker is None and m.status == "verbatim"):
                break  # found in the named speaker's own words (or word for word): no need to look further
        rows.append(_check_one(rec, speaker, cands, orig, col, tokens, s))
    return _typed(pd.DataFrame(rows, columns=CHECK_COLUMNS))


class _NgramIndex:
    """Word n-grams of every original, built once (sorted numpy arrays): which originals share the
    most n-grams with a quote, and where, found with a binary search per n-gram, never a scan of all
    originals.

    Trigrams for quotes of six words or more, bigrams for shorter ones, the word itself for a
    one-word quote. An n-gram found in more than ``max_postings`` places (``one of the``) is not
    used while the quote has rarer ones.
    """

    _PRIME = np.uint64(1_000_003)

    def __init__(self, texts: list[str], max_postings: int = 2000):
        self.max_postings = max_postings
        words = [word_list(t) for t in texts]
        lengths = np.fromiter((len(w) for w in words), dtype=np.int64, count=len(words))
        flat = [w for ws in words for w in ws]
        codes, uniques = pd.factorize(pd.Series(flat, dtype=object)) if flat else (np.empty(0, dtype=np.int64), [])
        self.vocab = {w: k + 1 for k, w in enumerate(uniques)}
        self.ids = np.asarray(codes, dtype=np.int64) + 1
        self.owner = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        self.pos = np.arange(len(self.ids), dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        self._built: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def _keys(self, ids: np.ndarray, n: int) -> np.ndarray:
        if len(ids) < n:
            return np.empty(0, dtype=np.uint64)
        key = ids[: len(ids) - n + 1].astype(np.uint64)
        for j in range(1, n):
            key = key * self._PRIME ^ ids[j : len(ids) - n + 1 + j].astype(np.uint64)  # wraps; a rare collision only adds a candidate
        return key

    def _grams(self, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(sorted n-gram keys, the original of each, its first word's position there); an n-gram
        repeated in one original is kept once, at its first place."""
        if n not in self._built:
            keys = self._keys(self.ids, n)
            same = self.owner[: len(keys)] == self.owner[n - 1 : n - 1 + len(keys)]  # not across two originals
            keys, owner, pos = keys[same], self.owner[: len(same)][same], self.pos[: len(same)][same]
            order = np.lexsort((pos, owner, keys))
            keys, owner, pos = keys[order], owner[order], pos[order]
            first = np.r_[True, (keys[1:] != keys[:-1]) | (owner[1:] != owner[:-1])] if len(keys) else np.empty(0, dtype=bool)
            self._built[n] = (keys[first], owner[first], pos[first])
        return self._built[n]

    def shared(self, quote: str) -> "_Hits":
        """Where the quote's n-grams are in the originals."""
        ids = np.asarray([self.vocab.get(w, 0) for w in word_list(quote)], dtype=np.int64)
        n = 3 if len(ids) >= 6 else 2 if len(ids) >= 2 else 1
        keys_q = self._keys(ids, n)
        total = len(np.unique(keys_q))
        ok = np.ones(len(keys_q), dtype=bool)
        for j in range(n):
            ok &= ids[j : len(ids) - n + 1 + j] > 0  # an n-gram with a word no original has is in none
        keys_q = np.unique(keys_q[ok])
        keys, owner, pos = self._grams(n)
        lo, hi = np.searchsorted(keys, keys_q, "left"), np.searchsorted(keys, keys_q, "right")
        counts = hi - lo
        use = (counts > 0) & (counts <= self.max_postings)
        if not use.any() and (counts > 0).any():
            use = counts == counts[counts > 0].min()
        lo, counts = lo[use], counts[use]
        take = np.repeat(lo - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        return _Hits(owner[take], pos[take], n, total, len(self.owner) and int(self.owner[-1]) + 1)


@dataclass
class _Hits:
    """The quote's n-grams found in the originals: each (original, word position) once per n-gram."""

    who: np.ndarray
    at: np.ndarray
    n: int
    total: int
    n_originals: int

    def ranked(self) -> tuple[np.ndarray, np.ndarray]:
        """Originals sharing n-grams with the quote, most shared first, and how many each shares."""
        if len(self.who) == 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        counts = np.bincount(self.who, minlength=self.n_originals)
        where = np.nonzero(counts)[0]
        order = np.lexsort((where, -counts[where]))
        return where[order], counts[where][order]

    def stretch(self, k: int) -> tuple[int, int]:
        """First word and end word of the n-grams shared with original ``k``."""
        at = self.at[self.who == k]
        return int(at.min()), int(at.max()) + self.n


def _candidates(hits: _Hits, own, max_candidates: int) -> list[tuple[int, int, int]]:
    """The originals worth aligning, most promising first, as (original, first word, end word) of
    the stretch where the shared n-grams are: the named speaker's best (up to two), then the best
    of all. An original must share at least a fifth of the quote's n-grams."""
    where, shared = hits.ranked()
    where = where[shared >= max(1, int(np.ceil(0.2 * hits.total)))][: 20 * max_candidates].tolist()
    mine = [k for k in where if own(k)][:2]
    return [(k, *hits.stretch(k)) for k in mine + [k for k in where[:max_candidates] if k not in mine]]


def _flag(value) -> bool:
    """A yes/no column's value; missing (NaN, None) is no."""
    return value is True or value is np.True_


def _known(value) -> bool:
    return value is not None and not (isinstance(value, float) and np.isnan(value)) and not pd.isna(value)


def _check_one(rec: dict, speaker, cands, orig: pd.DataFrame, col, tokens: dict, s: MatchSettings) -> dict:
    row = {c: None for c in CHECK_COLUMNS}
    row.update({"quote_id": rec["quote_id"], "article_id": rec["article_id"], "quote": rec["quote"], "speaker": speaker})
    row.update({"differences": [], "left_out": [], "hidden_by_ellipsis": [], "added": [], "qualifiers": [], "drops_qualifier": False, "in_retweet": False})
    if not cands:
        row.update({"verdict": "not_in_originals", "searched": "all", "evidence": "These words are in none of the originals."})
        return row
    own = [c for c in cands if c[1]]
    other = [c for c in cands if not c[1]]
    best_own = min(own, key=lambda c: c[0]) if own else None
    best_other = min(other, key=lambda c: c[0]) if other else None
    misattributed = False
    if speaker is None:
        chosen = min(cands, key=lambda c: c[0])
    elif best_own is not None and (best_other is None or best_own[0][0] <= best_other[0][0]):
        chosen = best_own
    else:
        chosen = best_other
        misattributed = _known(col("speaker", chosen[2])) or _known(col("account", chosen[2]))
    _, is_own, k, m = chosen
    ev = _explain(_Tokens.of(rec["quote"]), tokens[k], int(m.start), int(m.end), s)
    changed = ev["differences"]
    if m.status == "partial" or ev["left_out"] or ev["hidden_by_ellipsis"] or ev["context_qualifiers"]:
        wording = "cut"
    elif changed or ev["added"]:
        wording = "misquoted"
    else:
        wording = "accurate"
    start, end = ev["span"]
    time_start = _cue_time(col("cues", k, []), start, col("time_start", k))
    row.update(
        {
            "verdict": "misattributed" if misattributed else wording,
            "wording": wording,
            "original_id": orig["original_id"].iat[k],
            "original_speaker": col("speaker", k) if _known(col("speaker", k)) else col("account", k),
            "original_kind": col("kind", k),
            "original_start": start,
            "original_end": end,
            "original_text": tokens[k].text[start:end],
            "published": col("published", k),
            "time_start": time_start,
            "url": col("url", k),
            "status": m.status,
            "score": m.score,
            "differences": changed,
            "left_out": ev["left_out"],
            "hidden_by_ellipsis": ev["hidden_by_ellipsis"],
            "added": ev["added"],
            "qualifiers": ev["qualifiers"],
            "drops_qualifier": bool(ev["qualifiers"]),
            "in_retweet": _flag(col("is_retweet", k)),
            "searched": "speaker" if is_own else "all",
        }
    )
    row["evidence"] = _evidence(row, ev)
    return row


def _cue_time(cues, offset: int, turn_start):
    """Seconds into the recording where the words at ``offset`` are spoken: the caption cue holding them."""
    if isinstance(cues, list):
        for a, b, t0, _ in cues:
            if a <= offset < b or offset < a:
                return t0
    return turn_start if _known(turn_start) else None


def _explain(qt: _Tokens, ot: _Tokens, start: int, end: int, s: MatchSettings) -> dict:
    """Align the quote with the original around the matcher's span: the words changed, left out
    (in the middle, or hidden by an ellipsis), added, and any qualifier the cut or change lost."""
    q, t = qt.words, ot.words
    first = next((i for i, (a, _) in enumerate(ot.spans) if a >= start), 0)
    last = max(first, next((i for i in range(len(ot.spans) - 1, -1, -1) if ot.spans[i][1] <= end), first))
    reach = len(q) + s.cut_words + (200 if any(m in qt.text for m in ELLIPSES) else 0)
    w0, w1 = max(0, first - reach), min(len(t), last + 1 + reach)
    # the longest common subsequence, computed forwards and backwards (ties go to opposite ends);
    # the alignment that keeps the quote's words closest together wins
    # (a repeated word can be paired either way: "consent of … the Seventeenth" against "consent of
    # the States present the Seventeenth"; the alignment whose gaps are where the quote marks a cut wins)
    blocks = min(
        (_main_blocks(_lcs_blocks(q, t, w0, w1, backwards), first, last, qt, s) for backwards in (False, True)),
        key=lambda bl: (bl[-1][3] - bl[0][2], _unmarked_gaps(bl, qt), len(bl)) if bl else (len(t) + 1, 0, 0),
    )
    out = {"differences": [], "left_out": [], "hidden_by_ellipsis": [], "added": [], "qualifiers": [], "context_qualifiers": [], "context": []}
    if not blocks:
        out["span"] = (start, end)
        return out
    # quote words before the first block and after the last: typos of the original's neighbours, or added
    lead_q, lead_t = _pair_edge(q[: blocks[0][0]], t, blocks[0][2], -1, s)
    tail_q, tail_t = _pair_edge(q[blocks[-1][1] :], t, blocks[-1][3], +1, s)
    tail_q = [(blocks[-1][1] + a, b) for a, b in tail_q]
    for qa, ta in lead_q + tail_q:
        if q[qa] != t[ta]:  # an equal word the longest-common-subsequence placed elsewhere is not a difference
            out["differences"].append((_qslice(qt, qa, qa + 1), _qslice(ot, ta, ta + 1)))
    out["added"] += [qt.text[slice(*qt.spans[i])] for i in range(blocks[0][0]) if i not in {a for a, _ in lead_q}]
    out["added"] += [qt.text[slice(*qt.spans[i])] for i in range(blocks[-1][1], len(q)) if i not in {a for a, _ in tail_q}]
    for (_, qb, _, tb), (qa, _, ta, _) in zip(blocks, blocks[1:]):
        qgap, tgap = q[qb:qa], t[tb:ta]
        if _marked(qt, qb, qa):
            if tgap:
                out["hidden_by_ellipsis"].append(_qslice(ot, tb, ta))
            if qgap:
                out["added"].append(_qslice(qt, qb, qa))
            continue
        pairs, extra_q, extra_t = _pair_gap(qgap, tgap, s)
        for a, b in pairs:
            if qgap[a] != tgap[b]:
                out["differences"].append((_qslice(qt, qb + a, qb + a + 1), _qslice(ot, tb + b, tb + b + 1)))
        if extra_t:
            out["left_out"].append(_qslice(ot, tb + extra_t[0], tb + extra_t[-1] + 1))
        if extra_q:
            out["added"].append(_qslice(qt, qb + extra_q[0], qb + extra_q[-1] + 1))
    t_first = min([blocks[0][2]] + lead_t)
    t_last = max([blocks[-1][3] - 1] + tail_t)
    out["span"] = (ot.spans[t_first][0], ot.spans[t_last][1])
    # what the original says right before and after, in the same sentence: "not …" / "… unless …"
    before = _sentence_side(ot, t_first, -1)
    after = _sentence_side(ot, t_last, +1)
    if before and before[-1] in ("not", "never", "no"):
        out["context"].append(ot.text[slice(*ot.spans[t_first - 1])])
        out["context_qualifiers"].append(before[-1])
    if after and after[0] in _CONDITIONS:
        out["context"].append(_rest_of_sentence(ot, t_last))
        out["context_qualifiers"].append(after[0])
    out["left_out"] += out["context"]
    lost = [w for piece in out["left_out"] + out["hidden_by_ellipsis"] for w in word_list(piece)]
    lost += [w for a, b in out["differences"] for w in word_list(b) if w not in word_list(a)]
    out["qualifiers"] = list(dict.fromkeys(w for w in lost if w in QUALIFIERS or w.endswith("n't")))
    return out


def _lcs_blocks(q: list[str], t: list[str], w0: int, w1: int, backwards: bool):
    """Equal stretches (quote start, end, text start, end) of the quote and ``t[w0:w1]``."""
    if not backwards:
        return [(b.src_start, b.src_end, w0 + b.dest_start, w0 + b.dest_end) for b in Indel.opcodes(q, t[w0:w1]) if b.tag == "equal"]
    nq, nt = len(q), w1 - w0
    ops = Indel.opcodes(q[::-1], t[w0:w1][::-1])
    return sorted((nq - b.src_end, nq - b.src_start, w0 + nt - b.dest_end, w0 + nt - b.dest_start) for b in ops if b.tag == "equal")


def _marked(qt: _Tokens, qa: int, qb: int) -> bool:
    """Whether the quote marks a cut (an ellipsis) between its words ``qa - 1`` and ``qb``."""
    return 0 < qa and qb < len(qt.spans) and any(m in qt.text[qt.spans[qa - 1][1] : qt.spans[qb][0]] for m in ELLIPSES)


def _unmarked_gaps(blocks, qt: _Tokens) -> int:
    """Words of the original left out between the blocks where the quote marks no cut."""
    return sum(b[2] - a[3] for a, b in zip(blocks, blocks[1:]) if not _marked(qt, a[1], b[0]))


def _main_blocks(blocks, first: int, last: int, qt: _Tokens, s: MatchSettings):
    """The equal stretches that are the quote: the longest one inside the matcher's span, and its
    neighbours in order that are close enough (a lone common word far away is chance)."""
    if not blocks:
        return []
    inside = [b for b in blocks if b[3] > first and b[2] <= last] or blocks
    core = max(inside, key=lambda b: b[1] - b[0])
    k = blocks.index(core)
    lo = hi = k

    def joins(a, b, new) -> bool:
        """Whether block ``new`` (``a`` or ``b``) belongs with the stretch across the gap between a and b."""
        tgap, qgap = b[2] - a[3], b[0] - a[1]
        if _marked(qt, a[1], b[0]):
            return True  # a cut the quote marks
        if tgap <= s.cut_words and qgap <= s.cut_words:
            return True
        return new[1] - new[0] >= s.cut_words and tgap <= s.max_gap_words and qgap <= s.max_gap_words

    while lo > 0 and joins(blocks[lo - 1], blocks[lo], blocks[lo - 1]):
        lo -= 1
    while hi + 1 < len(blocks) and joins(blocks[hi], blocks[hi + 1], blocks[hi + 1]):
        hi += 1
    return blocks[lo : hi + 1]


def _pair_gap(qgap: list[str], tgap: list[str], s: MatchSettings):
    """Pair the words between two equal stretches: (quote idx, original idx) pairs of changed words,
    and the quote words and original words left over (added / left out)."""
    m, n = len(qgap), len(tgap)
    if m == 0 or n == 0:
        return [], list(range(m)), list(range(n))
    short = min(m, n)
    best = max(range(abs(m - n) + 1), key=lambda d: sum(fuzz.ratio(qgap[x + (d if m > n else 0)], tgap[x + (0 if m > n else d)]) for x in range(short)))
    da, db = (best, 0) if m > n else (0, best)
    pairs = [(da + x, db + x) for x in range(short)]
    return pairs, [a for a in range(m) if not da <= a < da + short], [b for b in range(n) if not db <= b < db + short]


def _pair_edge(qwords: list[str], t: list[str], at: int, direction: int, s: MatchSettings):
    """Quote words beyond the first (``direction`` -1) or last (+1) equal stretch that are look-alikes
    of the original's words just before or after it (a typo at the quote's edge): (index in
    ``qwords``, original word index) pairs, and those original word indices."""
    pairs = []
    order = range(len(qwords) - 1, -1, -1) if direction < 0 else range(len(qwords))
    j = at - 1 if direction < 0 else at
    for x in order:
        if not 0 <= j < len(t) or fuzz.ratio(qwords[x], t[j]) < s.typo_similarity:
            break
        pairs.append((x, j))
        j += direction
    return pairs, [b for _, b in pairs]


def _qslice(tok: _Tokens, a: int, b: int) -> str:
    """The text from word ``a`` to word ``b - 1``, as written."""
    return tok.text[tok.spans[a][0] : tok.spans[b - 1][1]]


def _sentence_side(tok: _Tokens, at: int, direction: int, n: int = 2) -> list[str]:
    """Up to ``n`` words of the same sentence before (-1) or after (+1) word ``at``."""
    out = []
    j = at
    for _ in range(n):
        k = j + direction
        if not 0 <= k < len(tok.words):
            break
        a, b = (tok.spans[k][1], tok.spans[j][0]) if direction < 0 else (tok.spans[j][1], tok.spans[k][0])
        if _SENTENCE_END.search(tok.text[a:b]):
            break
        out.append(tok.words[k])
        j = k
    return out[::-1] if direction < 0 else out


def _rest_of_sentence(tok: _Tokens, at: int) -> str:
    start = tok.spans[at][1]
    m = _SENTENCE_END.search(tok.text, start)
    return tok.text[start : m.start() if m else len(tok.text)].strip(" ,–—-")


def _evidence(row: dict, ev: dict) -> str:
    """One sentence a fact-checker can paste: which original, and what it says that the quote does not."""
    what = {"tweet": "Tweet", "transcript": "Transcript", "statement": "Statement"}.get(row["original_kind"], "Original")
    who = f" by {row['original_speaker']}" if isinstance(row["original_speaker"], str) else ""
    when = f", {pd.Timestamp(row['published']):%Y-%m-%d %H:%M}" if _known(row["published"]) else ""
    at = f", {int(row['time_start']) // 60}:{int(row['time_start']) % 60:02d} into the recording" if _known(row["time_start"]) else ""
    parts = []
    if row["verdict"] == "misattributed":
        parts.append(f"these are {row['original_speaker']}'s words, not {row['speaker']}'s")
    if row["wording"] == "accurate":
        parts.append("the words are there")
    for a, b in row["differences"]:
        parts.append(f"it says {b!r} where the quote has {a!r}")
    for piece in row["left_out"]:
        if piece not in ev["context"]:
            parts.append(f"it has {piece!r}, left out of the quote")
        elif piece.lower() in ("not", "never", "no"):
            parts.append(f"it has {piece!r} just before the quoted words")
        else:
            parts.append(f"it goes on {piece!r} where the quote stops")
    for piece in row["hidden_by_ellipsis"]:
        parts.append(f"it has {piece!r} where the quote has an ellipsis")
    if row["added"]:
        parts.append(f"it does not have {', '.join(repr(a) for a in row['added'])}")
    if row["in_retweet"]:
        parts.append("it is a retweet of someone else's words")
    text = f"{what}{who}{when}{at} ({row['original_id']}): " + "; ".join(parts) + "."
    if row["qualifiers"]:
        text += f" The quote drops {', '.join(repr(w) for w in row['qualifiers'])}, which changes its meaning."
    return text


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    table["verdict"] = pd.Categorical(table["verdict"], categories=list(CHECK_VERDICTS))
    table["published"] = pd.to_datetime(table["published"]).astype("datetime64[ns]")
    for c in ("original_start", "original_end"):
        table[c] = table[c].astype("Int64")
    for c in ("time_start", "score"):
        table[c] = table[c].astype("float64")
    table["drops_qualifier"] = table["drops_qualifier"].astype(bool)
    table["in_retweet"] = table["in_retweet"].astype(bool)
    return table


# --- timeline ------------------------------------------------------------------------------


def originals_timeline(checks: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """For each original that was quoted: when it was said or written, and when each outlet first
    reported it.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TIMELINE_COLUMNS`, one row per (original, outlet), in original then report
        order: ``original_published`` and ``time_start`` of the original; ``outlet`` (the article's
        ``path`` when the outlet is unknown), the first ``article_id`` of that outlet to quote it and
        its date ``first_reported``; ``delay_days`` between the two (missing when a date is
        unknown); ``verdicts``: the verdicts of that outlet's quotes of it, sorted.
    """
    found = checks[checks["original_id"].notna()]
    if found.empty:
        return pd.DataFrame(columns=TIMELINE_COLUMNS)
    meta = articles.set_index("article_id")
    rows = []
    for (oid, art), grp in found.groupby(["original_id", "article_id"], sort=False, observed=True):
        a = meta.loc[art] if art in meta.index else None
        outlet = a["outlet"] if a is not None and isinstance(a["outlet"], str) and a["outlet"] not in ("", "None") else (a["path"] if a is not None else art)
        rows.append(
            {
                "original_id": oid,
                "speaker": grp["original_speaker"].iloc[0],
                "kind": grp["original_kind"].iloc[0],
                "original_published": grp["published"].iloc[0],
                "time_start": grp["time_start"].iloc[0],
                "outlet": outlet,
                "article_id": art,
                "first_reported": a["published"] if a is not None else pd.NaT,
                "verdicts": sorted(set(grp["verdict"].astype(str))),
            }
        )
    table = pd.DataFrame(rows)
    table["first_reported"] = pd.to_datetime(table["first_reported"]).astype("datetime64[ns]")
    table["original_published"] = pd.to_datetime(table["original_published"]).astype("datetime64[ns]")
    table = table.sort_values(["original_published", "original_id", "first_reported", "outlet"], na_position="last", kind="stable")
    firsts = []
    for _, grp in table.groupby(["original_id", "outlet"], sort=False):
        first = grp.iloc[0].copy()
        first["verdicts"] = sorted(set(v for vs in grp["verdicts"] for v in vs))
        firsts.append(first)
    out = pd.DataFrame(firsts).reset_index(drop=True)
    delay = (out["first_reported"] - out["original_published"].dt.normalize()).dt.days
    out["delay_days"] = delay.astype("Int64")
    return out[TIMELINE_COLUMNS]


# --- the pipeline step ---------------------------------------------------------------------


@dataclass
class OriginalsReport:
    """Every table of a check against the originals."""

    articles: pd.DataFrame
    originals: pd.DataFrame
    quotes: pd.DataFrame
    checks: pd.DataFrame
    timeline: pd.DataFrame


def verify_originals(
    corpus,
    originals=None,
    *,
    quotes: pd.DataFrame | None = None,
    settings: MatchSettings | None = None,
    errors: Literal["raise", "skip"] = "raise",
) -> OriginalsReport:
    """Load a corpus and its originals and check every quote of speech against them.

    Parameters
    ----------
    corpus : str, Path or pandas.DataFrame
        A bundled corpus name, a corpus folder, or an articles table from :func:`load_corpus`.
    originals : str, Path or pandas.DataFrame, optional
        A folder or file of originals, or a table from :func:`load_originals`. By default the
        corpus folder's ``manifest.csv`` rows marked ``role=original``, else its ``originals/``
        subfolder (also when ``originals`` is ``""``). A corpus with neither gives empty checks.
    quotes : pandas.DataFrame, optional
        The corpus's quotes from :func:`quotetrace.extract_quotes`, when already extracted (a
        report has them); by default they are extracted here. Only ``kind == "speech"`` is checked.
    settings : MatchSettings, optional
    errors : {"raise", "skip"}
        As for :func:`load_corpus` and :func:`load_originals`.

    Returns
    -------
    OriginalsReport
        ``articles``, ``originals``, ``quotes`` (speech only), ``checks`` (:data:`CHECK_COLUMNS`),
        ``timeline`` (:data:`TIMELINE_COLUMNS`).
    """
    from .paths import resolve_corpus
    from .quotes import extract_quotes

    folder = None
    if isinstance(corpus, pd.DataFrame):
        articles = corpus
        folder = Path(articles.attrs["root"]) if articles.attrs.get("root") else None
    else:
        _, folder = resolve_corpus(corpus)
        articles = load_corpus(folder, errors=errors)
    if isinstance(originals, str) and not originals.strip():
        originals = None  # a notebook's empty parameter: the corpus's own
    if originals is None and folder is not None and folder.is_dir():
        listed, _ = manifest_files(folder, errors="skip")
        if any(row.get("role") == "original" for row in listed):
            originals = folder
        elif (folder / ORIGINALS_FOLDER).is_dir():
            originals = folder / ORIGINALS_FOLDER
    if isinstance(originals, pd.DataFrame):
        table = originals
    elif originals is not None:
        table = load_originals(originals, errors=errors)
    else:
        table = pd.DataFrame(columns=ORIGINAL_COLUMNS)
    if quotes is None:
        quotes = extract_quotes(articles)
    speech = quotes[quotes["kind"] == "speech"].reset_index(drop=True) if "kind" in quotes.columns else quotes
    # no originals, nothing checked (not every quote "not in the originals")
    checks = check_originals(speech if len(table) else speech.iloc[:0], table, settings=settings)
    return OriginalsReport(articles, table, speech, checks, originals_timeline(checks, articles))


def write_originals_exports(
    report: OriginalsReport, folder: str | Path, *, author: str | None = None, date_published=None, verdicts=None
) -> list[Path]:
    """Write ``originals.csv`` (without the text), ``originals_checks.csv``, ``originals_timeline.csv``
    and, when ``author`` (the fact-checking organisation) is given, ``claimreview.jsonld`` into
    ``folder``, each atomically (``verdicts``: ``{quote_id: verdict}`` the fact-checker set, see
    :func:`quotetrace.publish.claimreview_jsonld`). Returns the files written."""
    from .export import write_csv
    from .publish import claimreview_jsonld, write_claimreview

    folder = Path(folder)
    files = [
        write_csv(report.originals.drop(columns=["text", "cues"], errors="ignore"), folder / "originals.csv"),
        write_csv(report.checks, folder / "originals_checks.csv"),
        write_csv(report.timeline, folder / "originals_timeline.csv"),
    ]
    if author:
        docs = claimreview_jsonld(report.checks, report.articles, author=author, date_published=date_published, verdicts=verdicts)
        files.append(write_claimreview(docs, folder / "claimreview.jsonld"))
    return files
