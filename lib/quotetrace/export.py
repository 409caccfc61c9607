"""Write tables to CSV, Excel and HTML: atomically, and safe to open.

* Every file is written to a temporary file in the same folder and renamed
  into place, so a reader never sees half a file and a failed run leaves the
  previous file intact.
* Cells that start with ``=``, ``+``, ``-``, ``@`` (or a tab/carriage return)
  are prefixed with an apostrophe in CSV and Excel, so article text can never
  become a spreadsheet formula (CSV injection).
* HTML output escapes all text.
"""

from __future__ import annotations

import contextlib
import datetime
import html
import math
import os
import tempfile
from pathlib import Path
from typing import Iterator, Mapping

import numpy as np
import pandas as pd

from .errors import ExportError

__all__ = ["atomic_path", "write_csv", "write_excel", "write_text", "spreadsheet_safe", "FORMULA_PREFIXES", "EXCEL_MAX_ROWS"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` on success.

    On any exception the temporary file is removed and ``path`` is untouched.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"Cannot create the folder {str(path.parent)!r} for {path.name}: {exc.strerror}.", path=path) from None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if tmp_path.is_file():
            os.chmod(tmp_path, 0o666 & ~_umask())
        os.replace(tmp_path, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: str | Path, text: str) -> Path:
    """Write a UTF-8 text file atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def _safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def spreadsheet_safe(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` in which no text cell can be read as a formula.

    >>> spreadsheet_safe(pd.DataFrame({"q": ["=HYPERLINK(1)", "fine"]}))["q"].tolist()
    ["'=HYPERLINK(1)", 'fine']
    """
    out = table.copy()
    for column in out.columns:
        values = out[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            if pd.api.types.is_string_dtype(values.dtype.categories):
                out[column] = values.map(_safe_cell)  # maps the categories
        elif values.dtype == object or pd.api.types.is_string_dtype(values):
            cells = values.tolist()  # one pass in Python over plain values, no Series.map per cell
            risky = [i for i, v in enumerate(cells) if isinstance(v, str) and v.startswith(FORMULA_PREFIXES)]
            if risky:
                for i in risky:
                    cells[i] = "'" + cells[i]
                out[column] = pd.Series(cells, index=out.index, dtype=values.dtype if isinstance(values.dtype, pd.StringDtype) else object)
    out.columns = [_safe_cell(str(c)) for c in out.columns]
    return out


def _flatten(table: pd.DataFrame) -> pd.DataFrame:
    """Turn list/tuple/dict cells into readable strings for flat files."""
    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object:
            cells = out[column].tolist()
            if any(isinstance(v, (list, tuple, dict)) for v in cells):
                out[column] = pd.Series([_flat_cell(v) for v in cells], index=out.index, dtype=object)
    return out


def _flat_cell(value):
    if isinstance(value, (list, tuple)):
        return "; ".join(_flat_cell(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_flat_cell(v)}" for k, v in value.items())
    if value is None:
        return None
    if isinstance(value, float) and pd.isna(value):
        return value
    return value if not isinstance(value, (list, tuple, dict)) else str(value)


def write_csv(table: pd.DataFrame, path: str | Path) -> Path:
    """Write ``table`` to CSV (UTF-8, formula-safe) atomically."""
    with atomic_path(path) as tmp:
        spreadsheet_safe(_flatten(table)).to_csv(tmp, index=False, encoding="utf-8")
    return Path(path)


EXCEL_MAX_ROWS = 1_048_576  # Excel's limit per sheet, header included
EXCEL_MAX_CELL = 32_767  # characters Excel keeps in one cell
_WRAP_AT = 40  # text columns wider than this many characters wrap


def _excel_sheets(name: str, table: pd.DataFrame, used: set[str]) -> list[tuple[str, pd.DataFrame, str]]:
    """Split ``table`` into sheets that fit Excel's row limit: (sheet name, rows, note)."""
    per_sheet = EXCEL_MAX_ROWS - 1
    chunks = [table.iloc[k : k + per_sheet] for k in range(0, max(len(table), 1), per_sheet)]
    out = []
    for n, chunk in enumerate(chunks, start=1):
        sheet = name[:31] if len(chunks) == 1 else f"{name[:24]} ({n})"
        while sheet in used:
            sheet = sheet[:28] + f"~{len(used)}"
        used.add(sheet)
        note = ""
        if len(chunks) > 1:
            first = (n - 1) * per_sheet + 1
            note = f"Rows {first:,}-{first + len(chunk) - 1:,} of {len(table):,}: Excel holds {per_sheet:,} rows a sheet"
            note += f"; continued in sheet '{name[:24]} ({n + 1})'." if n < len(chunks) else "."
        out.append((sheet, chunk, note))
    return out


def _excel_ready(table: pd.DataFrame) -> pd.DataFrame:
    safe = spreadsheet_safe(_flatten(table))
    for column in safe.columns:
        if isinstance(safe[column].dtype, pd.DatetimeTZDtype):
            safe[column] = safe[column].dt.tz_localize(None)
        elif safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(_fit_cell)
    return safe


def _fit_cell(value):
    if isinstance(value, str) and len(value) > EXCEL_MAX_CELL:
        cut = f" …[{len(value) - EXCEL_MAX_CELL + 60:,} more characters in the CSV]"
        return value[: EXCEL_MAX_CELL - 60] + cut
    return value


def write_excel(sheets: Mapping[str, pd.DataFrame], path: str | Path, *, max_width: int = 80) -> Path:
    """Write several tables to one ``.xlsx`` file, a sheet each, ready for a desk editor.

    Each sheet has a bold, frozen header with filters, readable column widths,
    long text wrapped, statuses (``verbatim``, ``variant``, ``conflicting``, …)
    coloured, and dates shown as dates (``2015-01-07``, no ``00:00:00``). A
    table longer than Excel's limit (:data:`EXCEL_MAX_ROWS`) is split over
    numbered sheets, each saying which rows it holds; a cell longer than Excel
    keeps is cut with a note (the CSV files keep everything).

    Written with XlsxWriter, row by row (``constant_memory``): a 10,000-row
    sheet takes a fraction of a second, not the seconds a cell-by-cell
    workbook in memory takes. Every cell is written as what it is (text as
    text, never as a formula or a link, on top of :func:`spreadsheet_safe`);
    missing values are empty cells.
    """
    import xlsxwriter

    from .tables import CLAIM_STATUS_COLOURS, STATUS_COLOURS

    colours = {**STATUS_COLOURS, **CLAIM_STATUS_COLOURS}
    used: set[str] = set()
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(
            str(tmp), {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
             "remove_timezone": True, "default_date_format": "yyyy-mm-dd"}
        )
        try:
            formats = _ExcelFormats(book, colours)
            for name, table in sheets.items():
                safe = _excel_ready(table)
                for sheet, chunk, note in _excel_sheets(name, safe, used):
                    _write_sheet(book.add_worksheet(sheet), chunk, note, formats, max_width)
        finally:
            book.close()
    return Path(path)


class _ExcelFormats:
    """The workbook's cell formats, each made once (XlsxWriter keeps one per distinct look)."""

    def __init__(self, book, colours: Mapping[str, str]):
        self.header = book.add_format({"bold": True})
        self.note = book.add_format({"bold": True, "font_color": "#B00000"})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.day = book.add_format({"num_format": "yyyy-mm-dd"})
        self.minute = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        self.fills = {status: book.add_format({"bg_color": colour}) for status, colour in colours.items()}


def _write_sheet(ws, chunk: pd.DataFrame, note: str, formats: _ExcelFormats, max_width: int) -> None:
    """One sheet: the header, the rows (in order, as constant_memory needs), widths, filters and colours."""
    n_rows, n_cols = len(chunk) + 1, len(chunk.columns)
    ws.freeze_panes(1, 0)
    if n_cols:
        ws.autofilter(0, 0, n_rows - 1, n_cols - 1)
    columns = []  # per column: (values, how to write one cell, its format)
    for i, column in enumerate(chunk.columns):
        values = chunk[column]
        texts = [str(v) for v in values.head(500).tolist() if not _is_na(v)]
        longest = max([len(str(column))] + [len(t) for t in texts])
        width = min(max_width, max(8, longest + 2))
        fmt = None
        if pd.api.types.is_datetime64_any_dtype(values):
            days = values.dropna()
            fmt = formats.day if (days == days.dt.normalize()).all() else formats.minute
            width = max(width, 12)
        elif longest > _WRAP_AT and texts:
            width = min(max_width, max(_WRAP_AT, min(longest, 60)))
            fmt = formats.wrap
        ws.set_column(i, i, width)
        if texts and set(texts) <= set(formats.fills):
            for status in sorted(set(texts)):
                ws.conditional_format(1, i, max(n_rows - 1, 1), i, {
                    "type": "cell", "criteria": "equal to", "value": f'"{status}"', "format": formats.fills[status]})
        columns.append((values.tolist(), fmt))
    for i, column in enumerate(chunk.columns):
        ws.write_string(0, i, str(column), formats.header)
    if note:
        ws.write_string(0, n_cols + 1, note, formats.note)
    for r in range(len(chunk)):
        row = r + 1
        for i, (values, fmt) in enumerate(columns):
            _write_cell(ws, row, i, values[r], fmt)


def _write_cell(ws, row: int, col: int, value, fmt) -> None:
    """One cell, written as the type it holds; a missing value leaves the cell empty (but formatted)."""
    if isinstance(value, str):
        ws.write_string(row, col, value, fmt)
    elif isinstance(value, (bool, np.bool_)):
        ws.write_boolean(row, col, bool(value), fmt)
    elif isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        if math.isfinite(value):
            ws.write_number(row, col, value, fmt)
        elif not math.isnan(value):
            ws.write_string(row, col, str(float(value)), fmt)
        elif fmt is not None:
            ws.write_blank(row, col, None, fmt)
    elif isinstance(value, (datetime.datetime, datetime.date)) and not _is_na(value):
        ws.write_datetime(row, col, value, fmt)
    elif _is_na(value):
        if fmt is not None:
            ws.write_blank(row, col, None, fmt)
    else:
        ws.write_string(row, col, _fit_cell(_safe_cell(str(value))), fmt)


def _is_na(value) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def escape(text) -> str:
    """HTML-escape any value for display."""
    return html.escape("" if text is None else str(text), quote=True)
