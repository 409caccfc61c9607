"""quotetrace: verify quotes and checkable claims across news sources.

The public API, in pipeline order::

    articles = load_corpus(bundled_corpus("tweetgate"))
"""

from .corpus import ARTICLE_COLUMNS, PROBLEM_COLUMNS, load_corpus
from .errors import *  # noqa: F401,F403
from .errors import __all__ as _errors_all
from .paths import bundled_corpus
from .quotes import QUOTE_COLUMNS, extract_quotes

__version__ = "0.1.0"

__all__ = [
    "load_corpus",
    "bundled_corpus",
    "extract_quotes",
    "QUOTE_COLUMNS",
    "ARTICLE_COLUMNS",
    "PROBLEM_COLUMNS",
    *_errors_all,
]
