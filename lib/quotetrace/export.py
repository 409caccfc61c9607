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
import html
import os
import tempfile
from pathlib import Path
from typing import Iterator, Mapping

import pandas as pd

from .errors import ExportError

__all__ = ["atomic_path", "write_csv", "write_excel", "write_text", "spreadsheet_safe", "FORMULA_PREFIXES"]

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
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(_safe_cell)
    out.columns = [_safe_cell(str(c)) for c in out.columns]
    return out


def _flatten(table: pd.DataFrame) -> pd.DataFrame:
    """Turn list/tuple/dict cells into readable strings for flat files."""
    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = out[column].map(_flat_cell)
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


def write_excel(sheets: Mapping[str, pd.DataFrame], path: str | Path, *, max_width: int = 80) -> Path:
    """Write several tables to one ``.xlsx`` file, a sheet each, with readable column widths."""
    with atomic_path(path) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, table in sheets.items():
                safe = spreadsheet_safe(_flatten(table))
                for column in safe.columns:
                    if isinstance(safe[column].dtype, pd.DatetimeTZDtype):
                        safe[column] = safe[column].dt.tz_localize(None)
                sheet = name[:31]
                safe.to_excel(writer, sheet_name=sheet, index=False)
                ws = writer.sheets[sheet]
                ws.freeze_panes = "A2"
                for i, column in enumerate(safe.columns, start=1):
                    cells = [str(column)] + [str(v) for v in safe[column].head(500).tolist() if v is not None]
                    width = min(max_width, max(8, max(len(c) for c in cells) + 2))
                    ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = width
    return Path(path)


def escape(text) -> str:
    """HTML-escape any value for display."""
    return html.escape("" if text is None else str(text), quote=True)
