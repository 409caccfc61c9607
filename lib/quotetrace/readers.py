"""Readers for originals: what a person actually wrote or said, one record per tweet or speaker turn.

Each reader takes a file's path and its display label and returns a list of
records (dicts with the keys of :data:`quotetrace.originals.ORIGINAL_COLUMNS`
that the format knows); :func:`quotetrace.originals.load_originals` adds the
ids and the manifest's metadata. Every bad input raises an
:class:`~quotetrace.errors.OriginalError` (or another
:class:`~quotetrace.errors.CorpusError`) naming the file and, where there is
one, the record.

Formats and the libraries that read them:

* X/Twitter archive export (``tweets.js``, ``tweet.js``: ``window.YTD.tweets.part0 = [...]``): the
  standard library's ``json``; an ``account.js`` beside it gives the account;
* WebVTT captions (``.vtt``): ``webvtt-py``; SubRip (``.srt``): ``srt``;
* transcripts written as ``NAME: words`` lines (``.txt``): decoded by the corpus loader, turns split here;
* statements (``.txt``, ``.md``, ``.html``): the corpus loader (:func:`quotetrace.load_corpus`);
* PDF statements (``.pdf``): the text layer, with ``pypdf``.
"""

from __future__ import annotations

import html
import io
import json
import re
import unicodedata
from datetime import datetime, timezone
from pathlib import Path

from .corpus import load_corpus
from .errors import (
    BadDateError,
    BadRecordError,
    CaptionFileError,
    CorpusError,
    EmptyArticleError,
    EncodingError,
    NoTextLayerError,
    TweetArchiveError,
)

__all__ = ["read_tweet_archive", "read_captions", "read_statement", "read_pdf", "split_turns", "looks_like_transcript"]

_TWEET_TIME = "%a %b %d %H:%M:%S %z %Y"  # "Wed Sep 23 10:01:00 +0000 2015", the archive's created_at
_TIMESTAMP = r"(?:[\[(]?(?P<ts>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?)[\])]?\s+)?"
_NAME_WORD = r"(?:[A-Z][\w'’.-]*|de|van|von|der|da|di|le|la|du|of|the)"
# a speaker turn at the start of a line: optional [00:01:02], a name of 1-6 words, a colon
_TURN_RE = re.compile(rf"^[ \t]*{_TIMESTAMP}(?P<name>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,5}}):[ \t]+(?=\S)", re.MULTILINE)
_VOICE_PREFIX_RE = re.compile(rf"^\s*(?:-\s*)?(?P<name>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,5}}):\s+")
_TAG_RE = re.compile(r"<[^>]+>")


def _utf8(raw: bytes, label: str) -> str:
    """Caption files and archives are UTF-8 by their specifications (UTF-16 with a byte-order mark is
    read too): decode, NFC, ``\\n`` line ends."""
    try:
        text = raw.decode("utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EncodingError(f"{label} is not UTF-8 text (byte {exc.start}). Save it as UTF-8 and try again.", path=label) from None
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def _speaker_name(name: str) -> str:
    """``ADA WHITLOCK`` → ``Ada Whitlock``; mixed case is kept as written."""
    name = " ".join(name.split())
    return name.title() if name.isupper() else name


def _seconds(stamp: str) -> float:
    parts = [float(p.replace(",", ".")) for p in stamp.split(":")]
    total = 0.0
    for p in parts:
        total = total * 60 + p
    return total


# --- X/Twitter archive ------------------------------------------------------------------


def _archive_json(raw: bytes, label: str):
    text = _utf8(raw, label).strip()
    if text.startswith("window.") or text.startswith("var "):
        eq = text.find("=")
        if eq < 0:
            raise TweetArchiveError(f"{label} does not look like an X/Twitter archive file (no 'window.YTD… =' line).", path=label)
        text = text[eq + 1 :].strip().rstrip(";")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise TweetArchiveError(
            f"{label} is not a readable X/Twitter archive ({exc.msg} at line {exc.lineno}). "
            "Use the tweets.js file from the archive's data/ folder, unchanged.",
            path=label,
            row=exc.lineno,
        ) from None


def _archive_account(folder: Path) -> dict:
    """Username and display name from ``account.js`` beside the tweets, if present."""
    for name in ("account.js",):
        f = folder / name
        if f.is_file():
            try:
                data = _archive_json(f.read_bytes(), name)
                acc = data[0]["account"]
                return {"account": acc.get("username"), "speaker": acc.get("accountDisplayName")}
            except (CorpusError, LookupError, TypeError, AttributeError):
                return {}
    return {}


def read_tweet_archive(path: Path, label: str, *, account: str | None = None) -> tuple[list[dict], list[CorpusError]]:
    """One record per tweet of an archive's ``tweets.js``; bad tweets are returned as errors, not raised.

    A tweet is a retweet when its text starts ``RT @`` or the archive marks it
    ``retweeted``; a reply when it has an ``in_reply_to_status_id`` (or user).
    """
    data = _archive_json(path.read_bytes(), label)
    if not isinstance(data, list):
        raise TweetArchiveError(f"{label} holds no list of tweets. Use the tweets.js file from the archive's data/ folder.", path=label)
    known = _archive_account(path.parent)
    account = account or known.get("account")
    records, problems = [], []
    for n, item in enumerate(data, start=1):
        tweet = item.get("tweet", item) if isinstance(item, dict) else None
        text = (tweet.get("full_text") or tweet.get("text")) if isinstance(tweet, dict) else None
        if not isinstance(text, str) or not text.strip():
            problems.append(BadRecordError(f"{label} tweet {n} has no text (no full_text field). It was not read.", path=label, row=n))
            continue
        try:
            when = datetime.strptime(str(tweet.get("created_at", "")), _TWEET_TIME).astimezone(timezone.utc).replace(tzinfo=None)
        except ValueError:
            problems.append(
                BadDateError(
                    f"{label} tweet {n}: created_at {tweet.get('created_at')!r} is not a time like 'Wed Sep 23 10:01:00 +0000 2015'.",
                    path=label,
                    row=n,
                )
            )
            continue
        text = unicodedata.normalize("NFC", html.unescape(text))  # the archive keeps &amp; &lt; &gt; escaped
        tweet_id = str(tweet.get("id_str") or tweet.get("id") or "")
        records.append(
            {
                "kind": "tweet",
                "text": text,
                "published": when,
                "account": account,
                "speaker": known.get("speaker"),
                "is_retweet": text.startswith("RT @") or bool(tweet.get("retweeted")) or "retweeted_status" in tweet,
                "is_reply": bool(tweet.get("in_reply_to_status_id_str") or tweet.get("in_reply_to_status_id") or tweet.get("in_reply_to_user_id_str")),
                "url": f"https://x.com/{account or 'i'}/status/{tweet_id}" if tweet_id else None,
                "turn": n - 1,
                "row": n,
            }
        )
    if not records and not problems:
        raise EmptyArticleError(f"{label} holds no tweets.", path=label)
    return records, problems


# --- transcripts ------------------------------------------------------------------------


def looks_like_transcript(text: str) -> bool:
    """Whether a text is written as ``NAME: words`` speaker turns (two or more, and at least
    a third of its non-empty lines)."""
    turns = len(_TURN_RE.findall(text))
    lines = sum(1 for line in text.split("\n") if line.strip())
    return turns >= 2 and turns * 3 >= lines


def split_turns(text: str, *, speaker: str | None = None) -> list[dict]:
    """One record per speaker turn of a ``NAME: words`` transcript.

    ``start``/``end`` are the offsets of the turn's words in ``text`` (the
    name and colon left out), so ``text[start:end]`` is the record's text;
    ``time_start`` is set when the line starts with a time (``[00:01:02]``).
    Text before the first turn belongs to ``speaker`` (the manifest's).

    >>> [(t["speaker"], t["text"]) for t in split_turns("CHAIR: Order.\\nADA WHITLOCK: We will not.")]
    [('Chair', 'Order.'), ('Ada Whitlock', 'We will not.')]
    """
    marks = list(_TURN_RE.finditer(text))
    pieces = []
    if marks and text[: marks[0].start()].strip():
        pieces.append((speaker, None, 0, marks[0].start()))
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
        pieces.append((_speaker_name(m.group("name")), m.group("ts"), m.end(), end))
    records = []
    for name, ts, a, b in pieces:
        chunk = text[a:b]
        lead, trail = len(chunk) - len(chunk.lstrip()), len(chunk) - len(chunk.rstrip())
        if not chunk.strip():
            continue
        records.append(
            {
                "kind": "transcript",
                "speaker": name,
                "text": chunk.strip(),
                "start": a + lead,
                "end": b - trail,
                "time_start": _seconds(ts) if ts else None,
                "turn": len(records),
            }
        )
    return records


def _cue_speaker(raw_text: str, voice: str | None, text: str) -> tuple[str | None, str]:
    """The speaker of a caption cue (``<v Name>`` or a ``NAME:`` prefix) and its words."""
    words = " ".join(_TAG_RE.sub("", html.unescape(text)).split())
    if voice:
        return _speaker_name(voice), words
    m = _VOICE_PREFIX_RE.match(words)
    if m:
        return _speaker_name(m.group("name")), words[m.end() :]
    return None, words


def read_captions(path: Path, label: str, *, speaker: str | None = None) -> list[dict]:
    """Speaker turns of a WebVTT (``.vtt``, webvtt-py) or SubRip (``.srt``, srt) caption file.

    Consecutive cues of one speaker (a cue with no speaker continues the
    previous one) are joined into a turn. Each record has ``time_start`` /
    ``time_end`` in seconds from the start of the recording and ``cues``: a
    list of ``(start, end, time_start, time_end)``, where each cue's words
    stand in the turn's text.
    """
    text = _utf8(path.read_bytes(), label)
    cues: list[tuple[str | None, str, float, float]] = []
    try:
        if path.suffix.lower() == ".vtt":
            import webvtt

            for c in webvtt.from_string(text):
                who, words = _cue_speaker(c.raw_text, getattr(c, "voice", None), c.text)
                cues.append((who, words, _seconds(c.start), _seconds(c.end)))
        else:
            import srt

            for c in srt.parse(text):
                who, words = _cue_speaker(c.content, None, c.content)
                cues.append((who, words, c.start.total_seconds(), c.end.total_seconds()))
    except Exception as exc:  # webvtt's MalformedFileError, srt's SRTParseError, a bad time stamp
        kind = "WebVTT" if path.suffix.lower() == ".vtt" else "SubRip"
        raise CaptionFileError(
            f"{label} is not a readable {kind} caption file ({type(exc).__name__}: {str(exc)[:200]}). "
            "Check it opens in a video player, or export the captions again.",
            path=label,
        ) from None
    records: list[dict] = []
    current = speaker
    for who, words, t0, t1 in cues:
        if not words:
            continue
        new_turn = not records or (who is not None and who != current)
        current = who or current
        if new_turn:
            records.append({"kind": "transcript", "speaker": current, "text": "", "time_start": t0, "time_end": t1, "cues": [], "turn": len(records)})
        rec = records[-1]
        a = len(rec["text"]) + (1 if rec["text"] else 0)
        rec["text"] = f"{rec['text']} {words}" if rec["text"] else words
        rec["time_end"] = t1
        rec["cues"].append((a, a + len(words), t0, t1))
    if not records:
        raise EmptyArticleError(f"{label} holds no captions with words.", path=label)
    return records


# --- statements -------------------------------------------------------------------------


def read_statement(path: Path, label: str) -> dict:
    """A statement or transcript in a text or HTML file, read by the corpus loader: text, encoding and date."""
    try:
        art = load_corpus([path]).iloc[0]
    except CorpusError as exc:
        exc.path = label  # the loader names the full path; name it as the user listed it
        exc.message = exc.message.replace(str(path), label)
        exc.args = (exc.message,)
        raise
    return {
        "text": art["text"],
        "published": art["published"],
        "url": art["url"] if isinstance(art["url"], str) and art["url"] not in ("", "None") else None,
        "format": art["format"],
    }


def read_pdf(path: Path, label: str) -> str:
    """The text layer of a PDF (pypdf), pages separated by blank lines.

    Raises :class:`~quotetrace.errors.NoTextLayerError` for a scanned PDF (no
    words in any page), and for a PDF that is encrypted or cannot be parsed.
    """
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(path.read_bytes()))
        if reader.is_encrypted:
            raise NoTextLayerError(f"{label} is an encrypted PDF. Save an unprotected copy (or its text) and try again.", path=label)
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as exc:
        raise NoTextLayerError(f"{label} is not a readable PDF ({exc}). Open it and save it again, or save its text as .txt.", path=label) from None
    text = "\n\n".join(p for p in pages if p)
    if not any(ch.isalnum() for ch in text):
        raise NoTextLayerError(
            f"{label} is a PDF without a text layer (a scanned image, {len(pages)} page(s)): its words cannot be read. "
            "Run it through OCR (for example ocrmypdf) or paste the statement's text into a .txt file.",
            path=label,
        )
    return unicodedata.normalize("NFC", text)
