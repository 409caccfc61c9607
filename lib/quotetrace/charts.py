"""Charts: matplotlib only. Each function takes tables and returns ``(figure, data)``.

``data`` is the DataFrame drawn, so :func:`save_chart` can write the PNG beside
the CSV of its data. Figures are made with the object-oriented API
(``matplotlib.figure.Figure``), never pyplot's global state, so a notebook
shows a chart exactly once (as the cell's value) and nothing leaks between
charts. Sizes depend only on the data, so a chart's text form
(``<Figure size …>``) is stable for nbval.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from .export import atomic_path, write_csv
from .match import STATUSES
from .tables import STATUS_COLOURS, source_columns

__all__ = ["Chart", "coverage_heatmap", "first_appearance_timeline", "match_distribution", "claim_agreement", "save_chart"]

_MAX_LABEL = 60


class Chart(Figure):
    """A matplotlib Figure that shows itself as a PNG in Jupyter with no pyplot or backend set-up
    (so it renders the same in JupyterLab, papermill runs, nbconvert HTML and nbval)."""

    def _repr_png_(self) -> bytes:
        buf = io.BytesIO()
        self.savefig(buf, format="png", dpi=self.dpi, metadata={"Software": None})
        return buf.getvalue()


def _short(text: str, n: int = _MAX_LABEL) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def coverage_heatmap(verification: pd.DataFrame, *, max_rows: int = 60) -> tuple[Figure, pd.DataFrame]:
    """Statements × sources, each cell coloured by the status of the statement in that source.

    Shows the statements carried by most sources first (the table's order),
    at most ``max_rows`` of them.
    """
    sources = source_columns(verification)
    shown = verification.head(max_rows)
    data = shown[["cluster_id", "quote"] + sources].copy()
    codes = np.array([[STATUSES.index(str(v)) for v in row] for row in shown[sources].to_numpy()]) if len(shown) else np.zeros((0, len(sources)))
    height = 1.6 + 0.28 * max(len(shown), 1)
    fig = Chart(figsize=(3.0 + 1.6 * max(len(sources), 1) + 4.0, round(height, 1)), dpi=100)
    ax = fig.add_subplot()
    cmap = ListedColormap([STATUS_COLOURS[s] for s in STATUSES])
    if len(shown):
        ax.imshow(codes, cmap=cmap, vmin=0, vmax=len(STATUSES) - 1, aspect="auto", interpolation="nearest")
    ax.set_xticks(range(len(sources)), [_short(s, 28) for s in sources], rotation=20, ha="right")
    ax.set_yticks(range(len(shown)), [_short(q, 55) for q in shown["quote"]], fontsize=7)
    ax.set_title("Which sources carry each quote")
    ax.legend(
        handles=[Patch(color=STATUS_COLOURS[s], label=s) for s in STATUSES],
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
    )
    fig.subplots_adjust(left=0.45, right=0.85, top=1 - 0.5 / height, bottom=1.1 / height)
    return fig, data


def first_appearance_timeline(clusters: pd.DataFrame, articles: pd.DataFrame) -> tuple[Figure, pd.DataFrame]:
    """How many statements each outlet carried first, by publication date.

    Articles without a date cannot be placed; their count is given in the title.
    """
    labels = dict(zip(articles["article_id"], articles["outlet"].fillna("(unknown outlet)") if "outlet" in articles else articles["article_id"]))
    dated = clusters.dropna(subset=["first_published"])
    data = (
        dated.assign(outlet=dated["first_seen"].map(labels), date=dated["first_published"].dt.date)
        .groupby(["outlet", "date"], as_index=False)
        .agg(statements=("cluster_id", "count"))
        .sort_values(["date", "outlet"])
        .reset_index(drop=True)
    )
    undated = int(len(clusters) - len(dated))
    fig = Chart(figsize=(8.0, 1.8 + 0.5 * max(data["outlet"].nunique(), 1)), dpi=100)
    ax = fig.add_subplot()
    outlets = sorted(data["outlet"].unique())
    for k, outlet in enumerate(outlets):
        rows = data[data["outlet"] == outlet]
        ax.scatter(pd.to_datetime(rows["date"]), [k] * len(rows), s=40 + 30 * rows["statements"], color="#4575b4", zorder=3)
        for d, n in zip(pd.to_datetime(rows["date"]), rows["statements"]):
            ax.annotate(str(n), (d, k), textcoords="offset points", xytext=(0, 9), ha="center", fontsize=8)
    ax.set_yticks(range(len(outlets)), outlets)
    ax.set_ylim(-0.8, max(len(outlets) - 0.2, 0.8))
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(f"First appearance of each statement, by outlet ({undated} statements from undated sources not shown)")
    fig.autofmt_xdate()
    return fig, data


def match_distribution(matches: pd.DataFrame) -> tuple[Figure, pd.DataFrame]:
    """Scores and coverage of every quote found in another source, by status."""
    found = matches[matches["status"] != "missing"]
    data = found[["quote_id", "article_id", "status", "score", "coverage"]].reset_index(drop=True)
    data["status"] = data["status"].astype(str)
    fig = Chart(figsize=(9.0, 3.6), dpi=100)
    ax1, ax2 = fig.subplots(1, 2)
    bins = np.linspace(0, 100, 21)
    for status in STATUSES[:-1]:
        rows = data[data["status"] == status]
        ax1.hist(rows["score"], bins=bins, color=STATUS_COLOURS[status], label=f"{status} ({len(rows)})", alpha=0.9, edgecolor="#555555")
        ax2.hist(rows["coverage"] * 100, bins=bins, color=STATUS_COLOURS[status], alpha=0.9, edgecolor="#555555")
    ax1.set_xlabel("score (similarity of the words found, 0-100)")
    ax2.set_xlabel("coverage (% of the quote's words found)")
    ax1.set_ylabel("quote found in another source")
    ax1.legend(frameon=False, fontsize=8)
    fig.suptitle(f"How closely quotes match in other sources ({len(data)} matches)")
    fig.subplots_adjust(bottom=0.18, wspace=0.25)
    return fig, data


CLAIM_COLOURS = {"corroborated": "#1a9850", "more_specific": "#91cf60", "conflicting": "#d73027", "single_source": "#bdbdbd"}


def claim_agreement(agreement: pd.DataFrame) -> tuple[Figure, pd.DataFrame]:
    """For each source, how many of its claims other sources corroborate, narrow, contradict, or do not carry."""
    from .claims import CLAIM_STATUSES

    rows = [(source, str(r.status)) for r in agreement.itertuples() for source in r.sources]
    data = pd.DataFrame(rows, columns=["source", "status"])
    data = (
        data.groupby(["source", "status"]).size().unstack(fill_value=0).reindex(columns=list(CLAIM_STATUSES), fill_value=0)
        if len(data)
        else pd.DataFrame(columns=list(CLAIM_STATUSES))
    )
    data.index.name = "source"
    fig = Chart(figsize=(8.0, 1.6 + 0.5 * max(len(data), 1)), dpi=100)
    ax = fig.add_subplot()
    left = np.zeros(len(data))
    labels = [_short(s, 30) for s in data.index]
    for status in CLAIM_STATUSES:
        values = data[status].to_numpy(dtype=float)
        ax.barh(labels, values, left=left, color=CLAIM_COLOURS[status], label=status.replace("_", " "))
        left += values
    ax.invert_yaxis()
    ax.set_xlabel("claim groups the source takes part in")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.set_title("Do other sources agree with each source's claims?")
    fig.subplots_adjust(left=0.3, right=0.78, bottom=0.5 / (1.6 + 0.5 * max(len(data), 1)) + 0.1)
    return fig, data.reset_index()


def save_chart(fig: Figure, data: pd.DataFrame, folder: str | Path, name: str) -> list[Path]:
    """Write ``<name>.png`` and ``<name>.csv`` (the data drawn) into ``folder``, atomically."""
    folder = Path(folder)
    png = folder / f"{name}.png"
    with atomic_path(png) as tmp:
        fig.savefig(tmp, format="png", dpi=110, metadata={"Software": None})
    return [png, write_csv(data, folder / f"{name}.csv")]
