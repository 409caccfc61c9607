"""Where else does this quote appear? One quote against a whole archive.

:func:`search` runs the matcher of :func:`quotetrace.match_quotes` for one quote over the articles
that could hold it: those whose text contains two of the quote's uncommon words (words less frequent
than ``MatchSettings.common_zipf`` in the quote's language), or one when the quote has at most two
(all of its words count when it has no uncommon one, or when ``language`` is ``None``). The matcher
asks as much of a partial match (``min_partial_uncommon_words`` uncommon words found exactly, in a
row) and more of a verbatim one; what this can miss is a variant in which all but one of the quote's
uncommon words were changed. That is the price of answering quickly on 10,000 articles. ``quotetrace find "QUOTE" FOLDER`` is the same from the command line,
reading the folder through the run's cache.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import wordfreq

from .cache import Cache, match_found
from .errors import ParameterError
from .match import MATCH_COLUMNS, STATUSES, MatchSettings
from .text import word_list

__all__ = ["search", "find_command", "SEARCH_QUOTE_ID"]

SEARCH_QUOTE_ID = "search"  # the quote_id of the searched quote in the result


def search(
    quote: str,
    articles: pd.DataFrame,
    *,
    since=None,
    settings: MatchSettings | None = None,
    score_cutoff: float | None = None,
) -> pd.DataFrame:
    """Find one quote in every article: verbatim, as a variant, or in part.

    Parameters
    ----------
    quote : str
        The words to look for (quotation marks around them are ignored).
    articles : pandas.DataFrame
        From :func:`quotetrace.load_corpus` (``article_id``, ``text``; ``published`` for ``since``).
    since : date-like, optional
        Only articles published on or after this day (articles without a date are left out).
    settings : MatchSettings, optional
    score_cutoff : float, optional
        Overrides ``settings.score_cutoff``.

    Returns
    -------
    pandas.DataFrame
        The rows :func:`quotetrace.match_quotes` gives, columns :data:`~quotetrace.MATCH_COLUMNS`
        (``quote_id`` is ``"search"``; ``start``/``end`` are offsets into that article's ``text``;
        ``differences`` lists (quote word(s), article word(s)) pairs), for the articles where the
        quote was found only; verbatim first, then variant, then partial, each in the articles' order.

    Examples
    --------
    >>> import pandas as pd
    >>> arts = pd.DataFrame({"article_id": ["a1", "a2"], "text": [
    ...     "He tweeted: ‘Moribund Miliband talks of a national mission’ on Monday.",
    ...     "An unrelated article about schools."]})
    >>> search("Moribound Miliband talks of a national mission.", arts)[["article_id", "status"]].values.tolist()
    [['a1', 'variant']]
    """
    if not isinstance(quote, str) or not word_list(quote):
        raise ParameterError("Give the words of the quote to look for (the quote is empty).", parameter="quote")
    for column in ("article_id", "text"):
        if column not in articles.columns:
            raise ParameterError(f"search: the articles table lacks the column {column!r}; load it with quotetrace.load_corpus().", parameter="articles")
    s = settings or MatchSettings()
    if score_cutoff is not None:
        s = replace(s, score_cutoff=float(score_cutoff))
    s.validate()
    if since is not None and str(since) != "":
        if "published" not in articles.columns:
            raise ParameterError("search: since= needs the articles' published column.", parameter="since")
        day = since_day(since)
        articles = articles[articles["published"].notna() & (articles["published"] >= day)]
    text = quote.strip().strip("\"'\u201c\u201d\u2018\u2019")
    candidates = articles.loc[np.asarray(_may_hold(text, articles["text"], s), dtype=bool)]
    quotes = pd.DataFrame({"quote_id": [SEARCH_QUOTE_ID], "article_id": [""], "quote": [text]})
    found = match_found(quotes, candidates, settings=s)
    rank = found["status"].map({st: n for n, st in enumerate(STATUSES)}).astype(int)
    order = {a: n for n, a in enumerate(candidates["article_id"])}
    found = found.assign(_r=rank, _o=found["article_id"].map(order)).sort_values(["_r", "_o"], kind="stable")
    return found[MATCH_COLUMNS].reset_index(drop=True)


_ISO_DAY = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def since_day(since) -> pd.Timestamp:
    """The first day ``since`` names: a date or timestamp, or text written year first (``2025-01-31``,
    ``2025-01``, ``2025``). Other text is refused, never guessed: ``07/01/2015`` is 7 January in
    Britain and 1 July in the United States.

    >>> since_day("2015-01"), since_day("2015-01-07")
    (Timestamp('2015-01-01 00:00:00'), Timestamp('2015-01-07 00:00:00'))
    """
    what = f"since must be a date written year-month-day, such as 2025-01-31 (or 2025-01, or 2025), not {str(since)[:40]!r}"
    if isinstance(since, str):
        if not _ISO_DAY.fullmatch(since.strip()):
            ambiguous = re.fullmatch(r"\s*\d{1,2}\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{2,4}\s*", since)
            raise ParameterError(what + (": is the day or the month first?" if ambiguous else "."), parameter="since")
        since = since.strip()
    try:
        day = pd.Timestamp(since)
    except (TypeError, ValueError):
        raise ParameterError(what + ".", parameter="since") from None
    if pd.isna(day):
        raise ParameterError(what + ".", parameter="since")
    return day.tz_localize(None) if day.tzinfo is not None else day


def _uncommon(quote: str, s: MatchSettings) -> tuple[set[str], int]:
    """The words an article must hold to hold a match, and how many of them: two of the quote's
    uncommon words (one when it has at most two; its words count as uncommon when none is)."""
    words = set(word_list(quote))
    if s.language is not None:
        words = {w for w in words if wordfreq.zipf_frequency(w, s.language) < s.common_zipf} or words
    return words, 1 if len(words) <= 2 else 2


def _may_hold(quote: str, texts: pd.Series, s: MatchSettings) -> list[bool]:
    """Which texts hold enough of the quote's uncommon words (see :func:`_uncommon`)."""
    words, need = _uncommon(quote, s)
    # folded as word_list folds (lower case, curly apostrophe straightened), so each word is found as it is
    out = []
    for t in texts:
        folded = t.lower().replace("\u2019", "'") if isinstance(t, str) else ""
        out.append(sum(1 for w in words if w in folded) >= need)
    return out


def find_command(quote: str, corpus: str | Path, *, since=None, out: str | Path | None = None) -> str:
    """``quotetrace find``: the text listing where ``quote`` appears in ``corpus``.

    When ``quotetrace run`` has cached the folder as it now is (``<out>/<corpus>/.cache``), only the
    articles holding the quote's uncommon words are read from the cache's word index; else the folder
    is read.
    """
    from .paths import resolve_corpus
    from .run import default_reports_dir
    from .tables import format_differences

    if since:
        since_day(since)  # a date that cannot be read is refused before any article is
    name, path = resolve_corpus(corpus)
    cache_dir = Path(out if out is not None else default_reports_dir()) / name / ".cache"
    cache = Cache(cache_dir if cache_dir.is_dir() else None)
    text = quote.strip().strip("\"'\u201c\u201d\u2018\u2019")
    words, need = _uncommon(text, MatchSettings())
    articles = cache.articles_with(path, sorted(words), need)
    if articles is not None:
        published = pd.to_datetime(pd.Series(articles.attrs["published"], dtype=object))
    else:
        articles = cache.articles(path)
        published = articles["published"]
    found = search(quote, articles, since=since)
    where = f"{len(published):,} articles"
    if since:
        searched = int((published.notna() & (published >= since_day(since))).sum())
        undated = int(published.isna().sum())
        where = f"{searched:,} articles published since {since}" + (f" ({undated:,} without a date not searched)" if undated else "")
    head = f"Found in {found['article_id'].nunique():,} of {where}." if len(found) else f"Not found in {where}."
    labels = {a: f"{o} ({p})" if isinstance(o, str) and o else str(p) for a, o, p in zip(articles["article_id"], articles["outlet"], articles["path"])}
    dates = dict(zip(articles["article_id"], articles["published"]))
    lines = [head]
    for r in found.itertuples():
        day = dates.get(r.article_id)
        day = day.date().isoformat() if isinstance(day, pd.Timestamp) and not pd.isna(day) else "no date"
        lines.append(f"{r.status:<8}  {labels.get(r.article_id, r.article_id)}  {day}  characters {r.start}–{r.end}  score {r.score:g}")
        lines.append(f"          \u201c{' '.join(str(r.matched_text).split())}\u201d")
        diff = format_differences(r.differences)
        if diff:
            lines.append(f"          differs: {diff}")
    return "\n".join(lines)
