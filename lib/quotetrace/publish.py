"""Publish verdicts as schema.org ``ClaimReview`` JSON-LD, the format fact-checkers publish in.

Each reviewed statement becomes one ``ClaimReview`` (https://schema.org/ClaimReview): the words as
reported (``claimReviewed``), the fact-checking organisation (``author``), the verdict as a
``Rating`` whose ``alternateName`` is the verdict in words, and ``itemReviewed``: a ``Claim`` by the
person the outlets named, with every article that printed it as an ``appearance`` (its URL and
date) and the original as ``firstAppearance``. Search engines and fact-check aggregators read this
markup from a ``<script type="application/ld+json">`` element.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Mapping

import pandas as pd

from .errors import ParameterError
from .export import write_text
from .text import fold

__all__ = ["claimreview_jsonld", "write_claimreview", "RATINGS"]

# verdict → (ratingValue on a 1-5 scale, alternateName)
RATINGS: dict[str, tuple[int, str]] = {
    "accurate": (5, "Accurate: the original has these words"),
    "misquoted": (3, "Misquoted: the words differ from the original"),
    "cut": (2, "Misleadingly cut: words of the original are left out"),
    "misattributed": (1, "Misattributed: someone else said this"),
}


def _when(value) -> str | None:
    if value is None or pd.isna(value):
        return None
    ts = pd.Timestamp(value)
    return ts.date().isoformat() if ts == ts.normalize() else ts.isoformat()


def _speaker_node(name) -> dict | None:
    return {"@type": "Person", "name": name} if isinstance(name, str) and name.strip() else None


def claimreview_jsonld(
    checks: pd.DataFrame,
    articles: pd.DataFrame | None = None,
    *,
    author: str,
    author_url: str | None = None,
    date_published: str | date | None = None,
    review_url: str | None = None,
    verdicts: Mapping[str, str] | None = None,
) -> list[dict]:
    """``ClaimReview`` JSON-LD documents for checked quotes.

    Parameters
    ----------
    checks : pandas.DataFrame
        From :func:`quotetrace.check_originals` (``quote_id``, ``article_id``, ``quote``, ``speaker``,
        ``verdict``, ``original_id``, ``original_speaker``, ``published``, ``url``, ``evidence``).
        Quotes whose verdict is ``not_in_originals`` are not published (nothing was reviewed).
        Quotes of one original with the same words and verdict are one review with several
        appearances.
    articles : pandas.DataFrame, optional
        From :func:`quotetrace.load_corpus`: each appearance's ``url``, ``published`` and ``outlet``.
    author : str
        The fact-checking organisation publishing the review.
    author_url : str, optional
    date_published : str or date, optional
        The review's date (default: today).
    review_url : str, optional
        Where the review is published.
    verdicts : mapping, optional
        ``{quote_id: verdict}`` set by a fact-checker: it is the rated verdict, and the review's
        ``description`` keeps the proposal (``"proposed: cut; confirmed"`` or ``"...; overridden: accurate"``).
        Quotes without one are published as drafts (``creativeWorkStatus`` ``"Draft"``, the
        ``description`` says the verdict is quotetrace's proposal, not yet reviewed).

    Returns
    -------
    list of dict
        One JSON-LD document per review, ready for :func:`json.dumps`.

    Examples
    --------
    >>> checks = pd.DataFrame([{"quote_id": "q1", "article_id": "a1", "quote": "We will close the library",
    ...     "speaker": "Ada Whitlock", "verdict": "cut", "original_id": "o1", "original_speaker": "Ada Whitlock",
    ...     "published": pd.Timestamp("2026-03-04"), "url": None, "evidence": "The original says 'not'."}])
    >>> doc = claimreview_jsonld(checks, author="Harbourview Fact Check", date_published="2026-03-07")[0]
    >>> doc["reviewRating"]["alternateName"]
    'Misleadingly cut: words of the original are left out'
    """
    if not isinstance(author, str) or not author.strip():
        raise ParameterError("claimreview_jsonld needs author=: the name of the organisation publishing the review.", parameter="author")
    if date_published is None:
        date_published = date.today()
    published = date_published.isoformat() if isinstance(date_published, date) else str(date_published)
    meta = articles.set_index("article_id") if articles is not None else None
    groups: dict[tuple, list[dict]] = {}
    for row in checks.to_dict("records"):
        reviewed = row["quote_id"] in (verdicts or {})
        verdict = (verdicts or {}).get(row["quote_id"], row["verdict"])
        if verdict not in RATINGS:
            continue
        key = (row.get("original_id"), verdict, fold(row["quote"]), reviewed)
        groups.setdefault(key, []).append({**row, "verdict": verdict, "proposed": row["verdict"]})
    docs = []
    for (_, verdict, _, reviewed), rows in groups.items():
        first = rows[0]
        value, name = RATINGS[verdict]
        claim: dict = {"@type": "Claim"}
        who = _speaker_node(first.get("original_speaker") if verdict != "misattributed" else first.get("speaker"))
        if who:
            claim["author"] = who
        appearances = []
        for r in rows:
            art = meta.loc[r["article_id"]] if meta is not None and r["article_id"] in meta.index else None
            work: dict = {"@type": "CreativeWork"}
            if art is not None:
                if isinstance(art.get("url"), str) and art["url"] not in ("", "None"):
                    work["url"] = art["url"]
                if _when(art.get("published")):
                    work["datePublished"] = _when(art["published"])
                if isinstance(art.get("outlet"), str) and art["outlet"] not in ("", "None"):
                    work["publisher"] = {"@type": "Organization", "name": art["outlet"]}
                if isinstance(art.get("title"), str) and art["title"] not in ("", "None"):
                    work["headline"] = art["title"]
            appearances.append(work)
        claim["appearance"] = appearances
        original: dict = {"@type": "CreativeWork"}
        if isinstance(first.get("url"), str) and first["url"]:
            original["url"] = first["url"]
        if _when(first.get("published")):
            original["datePublished"] = _when(first["published"])
            claim["datePublished"] = original["datePublished"]
        if _speaker_node(first.get("original_speaker")):
            original["author"] = _speaker_node(first["original_speaker"])
        if len(original) > 1:
            claim["firstAppearance"] = original
        doc = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "datePublished": published,
            "author": {"@type": "Organization", "name": author, **({"url": author_url} if author_url else {})},
            "claimReviewed": first["quote"].strip().rstrip(",;:").strip(),
            "reviewRating": {"@type": "Rating", "ratingValue": value, "bestRating": 5, "worstRating": 1, "alternateName": name},
            "itemReviewed": claim,
        }
        if isinstance(first.get("evidence"), str) and first["evidence"]:
            doc["reviewBody"] = first["evidence"]
        proposed = first["proposed"]
        if reviewed:  # the fact-checker's verdict is rated; quotetrace's proposal is kept in the text
            doc["description"] = f"proposed: {proposed}; " + ("confirmed" if proposed == verdict else f"overridden: {verdict}")
        else:
            doc["creativeWorkStatus"] = "Draft"
            doc["description"] = f"Draft, not yet reviewed by a fact-checker: quotetrace proposes {verdict}."
        if review_url:
            doc["url"] = review_url
        docs.append(doc)
    return docs


def write_claimreview(docs: list[dict], path: str | Path) -> Path:
    """Write ClaimReview documents as one JSON-LD file (a list), atomically; returns the path."""
    text = json.dumps(docs, ensure_ascii=False, indent=2) + "\n"
    return write_text(path, text)
