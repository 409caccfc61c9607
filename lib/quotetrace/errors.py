"""The quotetrace exception family.

Every error the package raises on purpose is a :class:`QuotetraceError`.
Each subclass carries structured fields (``path``, ``row``, ``parameter``)
and a message that says what is wrong and what to do about it, in words a
journalist on deadline understands.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "QuotetraceError",
    "CorpusError",
    "CorpusNotFoundError",
    "EmptyArticleError",
    "BinaryFileError",
    "EncodingError",
    "UnsupportedFormatError",
    "ManifestError",
    "MissingArticleFileError",
    "UnlistedArticleFileError",
    "DuplicateArticleError",
    "BadDateError",
    "UnsafePathError",
    "BadRecordError",
    "UnreadableFileError",
    "ArticleTooLargeError",
    "OutputError",
    "OriginalError",
    "TweetArchiveError",
    "CaptionFileError",
    "NoTextLayerError",
    "ParameterError",
    "RunError",
    "ExportError",
]


class QuotetraceError(Exception):
    """Base class of every error quotetrace raises on purpose."""

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        row: int | None = None,
        parameter: str | None = None,
    ) -> None:
        self.path = str(path) if path is not None else None
        self.row = row
        self.parameter = parameter
        self.message = message
        super().__init__(message)


class CorpusError(QuotetraceError):
    """A corpus file or folder cannot be loaded."""


class CorpusNotFoundError(CorpusError):
    """The corpus path does not exist."""


class EmptyArticleError(CorpusError):
    """An article file holds no text."""


class BinaryFileError(CorpusError):
    """An article file is binary (an image, a PDF, a zip), not text."""


class EncodingError(CorpusError):
    """An article file's bytes cannot be decoded as text."""


class UnsupportedFormatError(CorpusError):
    """An article file has an extension quotetrace does not read."""


class ManifestError(CorpusError):
    """The corpus manifest (manifest.csv) is malformed."""


class MissingArticleFileError(ManifestError):
    """A manifest row names a file that is not in the corpus folder."""


class UnlistedArticleFileError(ManifestError):
    """An article file in the corpus folder is not listed in the manifest."""


class DuplicateArticleError(CorpusError):
    """Two inputs hold the same article text."""


class BadDateError(CorpusError):
    """A publication date cannot be read."""


class UnsafePathError(CorpusError):
    """A manifest names a file outside the corpus folder."""


class BadRecordError(CorpusError):
    """A record in a JSON, JSONL or CSV file has no usable text."""


class UnreadableFileError(CorpusError):
    """An article file cannot be opened or read (permissions, a link loop, not a regular file)."""


class ArticleTooLargeError(CorpusError):
    """An article is larger than the per-article size limit."""
class OriginalError(CorpusError):
    """An original (a tweet archive, transcript, captions or statement) cannot be read."""


class TweetArchiveError(OriginalError):
    """An X/Twitter archive file (tweets.js) is not a readable archive."""


class CaptionFileError(OriginalError):
    """A WebVTT (.vtt) or SubRip (.srt) caption file cannot be parsed."""


class NoTextLayerError(OriginalError):
    """A PDF has no text layer (a scan): its words cannot be read without OCR."""


class ParameterError(QuotetraceError):
    """A parameter given to a function, notebook or command is not valid."""


class RunError(QuotetraceError):
    """A notebook run failed."""


class ExportError(QuotetraceError):
    """A report file cannot be written."""


class OutputError(QuotetraceError):
    """The report folder cannot be written (read-only, disk full, another run is writing there)."""
