"""quotetrace: verify quotes and checkable claims across news sources.

The public API, in pipeline order::

    articles = load_corpus(bundled_corpus("tweetgate"))
    quotes = extract_quotes(articles)
    matches = match_quotes(quotes, articles)
    clusters = cluster_quotes(quotes, matches, articles)
    claims = extract_claims(articles)
    agreement = compare_claims(claims, articles)
    found = search("the words of one quote", articles)   # where else does it appear?
"""

from .claims import CLAIM_COLUMNS, COMPARISON_COLUMNS, compare_claims, extract_claims
from .clusters import CLUSTER_COLUMNS, cluster_quotes
from .corpus import ARTICLE_COLUMNS, PROBLEM_COLUMNS, iter_corpus, load_corpus
from .errors import *  # noqa: F401,F403
from .errors import __all__ as _errors_all
from .match import MATCH_COLUMNS, MatchSettings, QuoteMatch, find_quote, match_quotes
from .paths import bundled_corpus, resolve_corpus
from .verdicts import VERDICTS, attach_verdicts, export_verdicts, orphaned_verdicts, record_verdict, verdicts
from .pipeline import load_verdicts, ClaimReport, QuoteReport, verify_claims, verify_quotes, write_claim_exports, write_quote_exports
from .quotes import QUOTE_COLUMNS, extract_quotes
from .originals import (
    CHECK_COLUMNS,
    ORIGINAL_COLUMNS,
    TIMELINE_COLUMNS,
    OriginalsReport,
    check_originals,
    load_originals,
    originals_timeline,
    verify_originals,
    write_originals_exports,
)
from .publish import claimreview_jsonld, write_claimreview
from .search import search

__version__ = "0.1.0"

__all__ = [
    "load_corpus",
    "iter_corpus",
    "bundled_corpus",
    "resolve_corpus",
    "verify_quotes",
    "write_quote_exports",
    "QuoteReport",
    "verify_claims",
    "write_claim_exports",
    "ClaimReport",
    "load_verdicts",
    "record_verdict",
    "verdicts",
    "attach_verdicts",
    "orphaned_verdicts",
    "export_verdicts",
    "VERDICTS",
    "extract_quotes",
    "find_quote",
    "search",
    "match_quotes",
    "cluster_quotes",
    "extract_claims",
    "compare_claims",
    "QuoteMatch",
    "load_originals",
    "check_originals",
    "originals_timeline",
    "verify_originals",
    "write_originals_exports",
    "OriginalsReport",
    "claimreview_jsonld",
    "write_claimreview",
    "ORIGINAL_COLUMNS",
    "CHECK_COLUMNS",
    "TIMELINE_COLUMNS",
    "MatchSettings",
    "ARTICLE_COLUMNS",
    "PROBLEM_COLUMNS",
    "QUOTE_COLUMNS",
    "MATCH_COLUMNS",
    "CLUSTER_COLUMNS",
    "CLAIM_COLUMNS",
    "COMPARISON_COLUMNS",
    *_errors_all,
]
