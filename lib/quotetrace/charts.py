"""Charts: matplotlib only. Each function takes tables and returns ``(figure, data)``.

``data`` is the DataFrame drawn, so :func:`save_chart` can write the PNG beside
the CSV of its data. Figures are made with the object-oriented API
(``matplotlib.figure.Figure``), never pyplot's global state, so a notebook
shows a chart exactly once (as the cell's value) and nothing leaks between
charts. Sizes depend only on the data, so a chart's text form
(``<Figure size …>``) is stable for nbval.

Every chart lays itself out (``constrained`` layout, long labels wrapped) so no
label is cut; counts have whole-number ticks; a chart with nothing to draw says
so in words; and every label taken from article text has its ``$`` escaped, so
"$5bn … $3bn" is shown as written, never parsed as mathtext.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from .export import atomic_path, write_csv
from .tables import CLAIM_STATUS_COLOURS, REPORT_STATUSES, STATUS_COLOURS, source_columns

__all__ = ["Chart", "coverage_heatmap", "first_appearance_timeline", "match_distribution", "claim_agreement", "save_chart", "label"]


class Chart(Figure):
    """A matplotlib Figure that shows itself as a PNG in Jupyter with no pyplot or backend set-up
    (so it renders the same in JupyterLab, papermill runs, nbconvert HTML and nbval)."""

    def _repr_png_(self) -> bytes:
        buf = io.BytesIO()
        self.savefig(buf, format="png", dpi=self.dpi, metadata={"Software": None})
        return buf.getvalue()


def label(text, width: int = 40, *, max_lines: int = 2) -> str:
    """Text made safe and compact for a chart label: ``$`` escaped (no mathtext), whitespace
    folded, wrapped at ``width`` characters on at most ``max_lines`` lines (the rest shown as …).

    >>> label("It cost $5bn, not $3bn", 60)
    'It cost \\\\$5bn, not \\\\$3bn'
    """
    text = " ".join(str(text).split())
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1] + "…"
    return "\n".join(lines).replace("$", r"\$")


MAX_CHART_ROWS = 30  # bars or rows one chart draws: past this a chart is taller than a screen and slow to draw
MAX_TIMELINE_LABELS = 80  # dots of the first-appearance timeline that get their count written beside them
MAX_DOT = 400  # area (points²) of the timeline's largest dot


def _nothing(title: str, why: str) -> Chart:
    fig = Chart(figsize=(7.0, 1.6), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(label(title, 90), loc="left")
    ax.text(0.0, 0.45, label(f"Nothing to show: {why}", 100, max_lines=3), transform=ax.transAxes, fontsize=11, va="center")
    return fig


def coverage_heatmap(verification: pd.DataFrame, *, max_rows: int = 60, max_sources: int = 40) -> tuple[Figure, pd.DataFrame]:
    """Statements carried by two or more sources × the sources that carry them, each cell coloured by
    how that source carries the statement's wording (``source`` marks the source whose wording the others are compared with).

    Statements in one source only are left out (they cover nothing across
    sources). At most ``max_rows`` statements (most sources first) are drawn,
    and the chart says when there are more. With more than ``max_sources``
    sources, one column each would be unreadable: the chart then counts, per
    statement, the sources that carry it word for word, as a variant or in part
    (``data`` holds those counts).
    """
    sources = source_columns(verification)
    statuses = verification[sources].astype(str) if sources else pd.DataFrame(index=verification.index)
    carried = (statuses != "missing").sum(axis=1) if sources else pd.Series(0, index=verification.index)
    several = verification[carried >= 2]
    title = "How each source carries the statements found in several sources"
    if several.empty:
        return _nothing(title, "no statement appears in more than one source."), pd.DataFrame(columns=["cluster_id", "quote"])
    used = [s for s in sources if (several[s].astype(str) != "missing").any()]
    shown = several.head(max_rows)
    note = f"Only the first {len(shown)} of {len(several)} statements (most sources first); all are in verification.csv" if len(several) > len(shown) else ""
    if len(used) > max_sources:
        return _coverage_bars(shown, used, note), _coverage_counts(shown, used)
    data = shown[["cluster_id", "quote"] + used].copy()
    codes = np.array([[REPORT_STATUSES.index(str(v)) for v in row] for row in shown[used].to_numpy()])
    height = 1.9 + 0.36 * len(shown)
    fig = Chart(figsize=(5.5 + 0.42 * len(used) + 1.6, round(height, 1)), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    cmap = ListedColormap([STATUS_COLOURS[s] for s in REPORT_STATUSES])
    ax.imshow(codes, cmap=cmap, vmin=0, vmax=len(REPORT_STATUSES) - 1, aspect="auto", interpolation="nearest")
    ax.set_xticks(range(len(used)), [label(s, 28, max_lines=1) for s in used], rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(len(shown)), [label(q, 48) for q in shown["quote"]], fontsize=7)
    fig.suptitle(label(title, 70))
    if note:
        ax.set_xlabel(label(note, 80), fontsize=8)
    fig.legend(handles=[Patch(color=STATUS_COLOURS[s], label=s) for s in REPORT_STATUSES], loc="outside right upper", frameon=False, fontsize=8)
    return fig, data


def _coverage_counts(shown: pd.DataFrame, used: list[str]) -> pd.DataFrame:
    counts = shown[used].astype(str).apply(lambda row: row.value_counts(), axis=1).reindex(columns=list(REPORT_STATUSES), fill_value=0)
    return pd.concat([shown[["cluster_id", "quote"]], counts.fillna(0).astype(int)], axis=1).reset_index(drop=True)


def _coverage_bars(shown: pd.DataFrame, used: list[str], note: str) -> Chart:
    """Too many sources for one column each: per statement, how many sources carry it, and how."""
    data = _coverage_counts(shown, used)
    fig = Chart(figsize=(9.0, round(1.9 + 0.36 * len(data), 1)), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    ys = np.arange(len(data))
    left = np.zeros(len(data))
    for status in ("verbatim", "variant", "partial"):
        ax.barh(ys, data[status], left=left, color=STATUS_COLOURS[status], label=status)
        left += data[status].to_numpy()
    ax.set_yticks(ys, [label(q, 48) for q in data["quote"]], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, max(float(left.max()), 1.0) * 1.05)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(label(f"other sources that carry the wording (of {len(used)} sources)" + (f". {note}" if note else ""), 90), fontsize=8)
    fig.suptitle(label("How many other sources carry each statement found in several sources, and how", 80))
    fig.legend(loc="outside right upper", frameon=False, fontsize=8)
    return fig


def first_appearance_timeline(clusters: pd.DataFrame, articles: pd.DataFrame, *, max_outlets: int = MAX_CHART_ROWS) -> tuple[Figure, pd.DataFrame]:
    """For the statements carried by two or more sources: how many each outlet carried first, by date.

    Statements whose sources have no dates cannot be placed; the chart says how many.
    Articles with no outlet are named by their file, so a folder without outlets can
    have thousands of rows: at most ``max_outlets`` (those first with the most
    statements) are drawn and the title says so; ``data`` holds them all.
    """
    names = articles["outlet"].where(articles["outlet"].notna(), articles["path"]) if "outlet" in articles else articles["article_id"]
    outlets_of = dict(zip(articles["article_id"], names))
    several = clusters[clusters["n_sources"] >= 2]
    dated = several.dropna(subset=["first_published"])
    data = (
        dated.assign(outlet=dated["first_seen"].map(outlets_of).astype(str), date=dated["first_published"].dt.date)
        .groupby(["outlet", "date"], as_index=False)
        .agg(statements=("cluster_id", "count"))
        .sort_values(["date", "outlet"])
        .reset_index(drop=True)
    )
    title = "Which outlet carried each shared statement first"
    undated = int(len(several) - len(dated))
    if data.empty:
        why = "no statement appears in more than one source." if several.empty else f"the {undated} shared statements have no dated source."
        return _nothing(title, why), data
    firsts = data.groupby("outlet")["statements"].sum()
    left_out = max(0, len(firsts) - max_outlets)
    outlets = sorted(firsts.sort_values(ascending=False, kind="stable").index[:max_outlets]) if left_out else sorted(firsts.index)
    fig = Chart(figsize=(8.0, round(1.9 + 0.45 * len(outlets), 1)), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    drawn = data[data["outlet"].isin(outlets)]
    most = max(int(drawn["statements"].max()), 1)
    counted = len(drawn) <= MAX_TIMELINE_LABELS  # past this the numbers overlap: the dots' areas tell the counts
    for k, outlet in enumerate(outlets):
        rows = drawn[drawn["outlet"] == outlet]
        # area grows with the count up to a fixed largest dot, so thousands of statements never cover the chart
        sizes = 30 + (MAX_DOT - 30) * rows["statements"] / most
        ax.scatter(pd.to_datetime(rows["date"]), [k] * len(rows), s=sizes, color="#4575b4", alpha=0.8, zorder=3)
        if counted:
            for d, n in zip(pd.to_datetime(rows["date"]), rows["statements"]):
                ax.annotate(str(n), (d, k), textcoords="offset points", xytext=(0, 9), ha="center", fontsize=8)
    if not counted:
        for n in sorted({1, most // 2, most} - {0}):
            ax.scatter([], [], s=30 + (MAX_DOT - 30) * n / most, color="#4575b4", alpha=0.8, label=f"{n:,}")
        ax.legend(title="statements", loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8, labelspacing=1.2)
    days = pd.to_datetime(data["date"][data["outlet"].isin(outlets)])
    ax.set_xlim(days.min() - pd.Timedelta(days=2), days.max() + pd.Timedelta(days=2))
    span = (days.max() - days.min()).days + 4
    ax.xaxis.set_major_locator(mdates.DayLocator(interval=max(1, span // 8)) if span <= 120 else mdates.AutoDateLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    ax.set_yticks(range(len(outlets)), [label(o, 30) for o in outlets])
    ax.set_ylim(-0.8, len(outlets) - 0.2)
    ax.grid(axis="x", alpha=0.3)
    shown = [f"{undated} with no dated source not shown"] if undated else []
    if left_out:
        shown.append(f"the {max_outlets} outlets that were first most often; {left_out:,} more in the CSV")
    ax.set_title(label(title + (f" ({'; '.join(shown)})" if shown else ""), 80, max_lines=3))
    for t in ax.get_xticklabels():
        t.set_rotation(30)
        t.set_ha("right")
    return fig, data


def match_distribution(matches: pd.DataFrame) -> tuple[Figure, pd.DataFrame]:
    """Scores and coverage of every quote found in another source, by status."""
    found = matches[matches["status"].astype(str) != "missing"]
    data = found[["quote_id", "article_id", "status", "score", "coverage"]].reset_index(drop=True)
    data["status"] = data["status"].astype(str)
    title = f"How closely quotes match in other sources ({len(data)} matches)"
    if data.empty:
        return _nothing(title, "no quote was found in another source."), data
    fig = Chart(figsize=(9.0, 3.8), dpi=100, layout="constrained")
    ax1, ax2 = fig.subplots(1, 2)
    bins = np.linspace(0, 100, 21)
    for status in ("verbatim", "variant", "partial"):
        rows = data[data["status"] == status]
        ax1.hist(rows["score"], bins=bins, color=STATUS_COLOURS[status], label=f"{status} ({len(rows)})", alpha=0.9, edgecolor="#555555")
        ax2.hist(rows["coverage"] * 100, bins=bins, color=STATUS_COLOURS[status], alpha=0.9, edgecolor="#555555")
    for ax in (ax1, ax2):
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlim(0, 100)
    ax1.set_xlabel("score (similarity of the words found, 0-100)")
    ax2.set_xlabel("coverage (% of the quote's words found)")
    ax1.set_ylabel("quotes found in another source")
    ax1.legend(frameon=False, fontsize=8, loc="upper left")
    fig.suptitle(title)
    return fig, data


CLAIM_COLOURS = CLAIM_STATUS_COLOURS


def claim_agreement(agreement: pd.DataFrame, *, max_sources: int = MAX_CHART_ROWS) -> tuple[Figure, pd.DataFrame]:
    """For each source, how many of its claims other sources corroborate, narrow, contradict, or do not carry.

    One bar per source. With more than ``max_sources`` sources (a folder of
    thousands of articles, each its own source) a bar each would be an
    unreadable chart thousands of pixels tall that takes minutes to draw: the
    chart then draws the ``max_sources`` sources with the most conflicts (then
    the most claims shared with other sources) and says how many it leaves
    out. ``data`` holds every source's counts, the drawn ones first, so the
    CSV beside the PNG is complete.
    """
    from .claims import CLAIM_STATUSES

    rows = [(source, str(r.status)) for r in agreement.itertuples() for source in r.sources]
    data = pd.DataFrame(rows, columns=["source", "status"])
    data = (
        data.groupby(["source", "status"]).size().unstack(fill_value=0).reindex(columns=list(CLAIM_STATUSES), fill_value=0)
        if len(data)
        else pd.DataFrame(columns=list(CLAIM_STATUSES))
    )
    data.index.name = "source"
    title = "Do other sources agree with each source's claims?"
    if data.empty:
        return _nothing(title, "no checkable claim was found."), data.reset_index()
    if len(data) > max_sources:
        shared = [s for s in CLAIM_STATUSES if s != "single_source"]
        rank = data.assign(_shared=data[shared].sum(axis=1), _all=data.sum(axis=1))
        order = rank.sort_values(["conflicting", "_shared", "_all"], ascending=False, kind="stable").index
        data = data.loc[order]
        title += f" (the {max_sources} of {len(data):,} sources with the most conflicts, then shared claims; every source in the CSV)"
    drawn = data.head(max_sources)
    fig = Chart(figsize=(8.0, round(1.8 + 0.42 * len(drawn), 1)), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    left = np.zeros(len(drawn))
    ys = np.arange(len(drawn))
    for status in CLAIM_STATUSES:
        values = drawn[status].to_numpy(dtype=float)
        ax.barh(ys, values, left=left, color=CLAIM_COLOURS[status], label=status.replace("_", " "))
        left += values
    ax.set_yticks(ys, [label(s, 30) for s in drawn.index])
    ax.invert_yaxis()
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("claim groups the source takes part in")
    fig.legend(loc="outside right upper", frameon=False)
    fig.suptitle(label(title, 62, max_lines=3))
    return fig, data.reset_index()


def save_chart(fig: Figure, data: pd.DataFrame, folder: str | Path, name: str) -> list[Path]:
    """Write ``<name>.png`` and ``<name>.csv`` (the data drawn) into ``folder``, atomically."""
    folder = Path(folder)
    png = folder / f"{name}.png"
    with atomic_path(png) as tmp:
        fig.savefig(tmp, format="png", dpi=110, metadata={"Software": None})
    return [png, write_csv(data, folder / f"{name}.csv")]
