"""A small review form for JupyterLab: pick a quote cluster or a claim, see its sources side by side
with the differing words marked, and save a verdict.

The form only calls the public API (:func:`quotetrace.verdicts.record_verdict`
with the target's anchor), so what it saves is exactly what a script would.
All article text shown is HTML-escaped.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from .errors import QuotetraceError
from .pipeline import ClaimReport, QuoteReport
from .tables import STATUS_COLOURS, source_labels
from .verdicts import VERDICTS, claim_anchor, cluster_anchor, current_verdicts, record_verdict, verdicts

__all__ = ["ReviewForm", "sources_side_by_side", "claim_sources_side_by_side"]


def _mark(text: str, words: set[str]) -> str:
    out = html.escape(text)
    for w in sorted(words, key=len, reverse=True):
        if w:
            e = html.escape(w)
            out = out.replace(e, f"<mark>{e}</mark>")
    return out


def sources_side_by_side(report: QuoteReport, cluster_id: str) -> str:
    """HTML: one column per source showing how it carries the statement, differing words marked."""
    c = report.clusters.set_index("cluster_id").loc[cluster_id]
    labels = source_labels(report.articles)
    quotes = report.quotes.set_index("quote_id")
    canonical_qid = next((q for q in c["quote_ids"] if quotes.loc[q, "quote"] == c["canonical"]), c["quote_ids"][0])
    m = report.matches[report.matches["quote_id"] == canonical_qid].set_index("article_id")
    cells = []
    for aid in report.articles["article_id"]:
        status = c["statuses"].get(aid, "missing")
        own = [q for q in c["quote_ids"] if quotes.loc[q, "article_id"] == aid]
        if own:
            q = quotes.loc[own[0]]
            words = set()
            if aid != quotes.loc[canonical_qid, "article_id"] and aid in m.index:
                words = {b for _, b in m.loc[aid, "differences"] if b}
            body = f"“{_mark(q['quote'], words)}”<br><small>speaker: {html.escape(str(q['speaker']) if pd.notna(q['speaker']) else 'not named')}</small>"
        elif aid in m.index and m.loc[aid, "status"] != "missing":
            words = {b for _, b in m.loc[aid, "differences"] if b}
            body = f"(not as a quote) …{_mark(str(m.loc[aid, 'matched_text']), words)}…"
        else:
            body = "<i>not in this source</i>"
        cells.append(
            f"<td style='vertical-align:top;padding:6px;border:1px solid #ccc;max-width:28em'>"
            f"<b>{html.escape(labels[aid])}</b><br><span style='background:{STATUS_COLOURS.get(status, '')};padding:0 4px'>{status}</span>"
            f"<p>{body}</p></td>"
        )
    return "<table><tr>" + "".join(cells) + "</tr></table>"


def claim_sources_side_by_side(report: ClaimReport, claim_id: str) -> str:
    """HTML: the claim's group, one column per source with its expression, value and sentence."""
    group = report.agreement[report.agreement["claim_ids"].map(lambda ids: claim_id in ids)].iloc[0]
    claims = report.claims.set_index("claim_id")
    labels = source_labels(report.articles)
    cells = []
    for cid in group["claim_ids"]:
        r = claims.loc[cid]
        sentence = _mark(str(r["sentence"]), {str(r["expression"])})
        cells.append(
            f"<td style='vertical-align:top;padding:6px;border:1px solid #ccc;max-width:28em'>"
            f"<b>{html.escape(labels.get(r['article_id'], r['article_id']))}</b><br>value: {html.escape(str(r['value']))}"
            f"<p>{sentence}</p></td>"
        )
    return f"<p>status: <b>{html.escape(str(group['status']))}</b>, {html.escape(str(group['detail']))}</p><table><tr>{''.join(cells)}</tr></table>"


class ReviewForm:
    """The review form. ``ReviewForm(quote_report, claim_report, store).widget`` is what a notebook shows."""

    def __init__(self, quote_report: QuoteReport, claim_report: ClaimReport, store: str | Path, *, reviewer: str = ""):
        import ipywidgets as w

        self.quotes, self.claims, self.store = quote_report, claim_report, Path(store)
        self.kind = w.ToggleButtons(options=[("Quote", "cluster"), ("Claim", "claim")], value="cluster", description="Review")
        self.target = w.Dropdown(description="Item", layout=w.Layout(width="95%"))
        self.sources = w.HTML()
        self.history = w.HTML()
        self.verdict = w.Dropdown(options=list(VERDICTS), value="needs-review", description="Verdict")
        self.note = w.Textarea(description="Note", placeholder="Why: sources checked, calls made, links", layout=w.Layout(width="95%"))
        self.reviewer = w.Text(value=reviewer, description="Reviewer")
        self.save_button = w.Button(description="Save verdict", button_style="primary")
        self.message = w.HTML()
        self.kind.observe(lambda _: self._fill_targets(), names="value")
        self.target.observe(lambda _: self._show(), names="value")
        self.save_button.on_click(lambda _: self.save())
        self.widget = w.VBox([self.kind, self.target, self.sources, self.history, self.verdict, self.note, self.reviewer, self.save_button, self.message])
        self._fill_targets()

    def _options(self) -> list[tuple[str, str]]:
        if self.kind.value == "cluster":
            c = self.quotes.clusters
            return [(f"{n} sources · {text[:80]}", cid) for cid, text, n in zip(c["cluster_id"], c["canonical"], c["n_sources"])]
        k = self.claims.claims
        return [(f"{t} · {e[:40]} · {s[:50]}", cid) for cid, t, e, s in zip(k["claim_id"], k["type"], k["expression"], k["sentence"])]

    def _fill_targets(self) -> None:
        options = self._options()
        self.target.options = options
        self.target.value = options[0][1] if options else None
        self._show()

    def _show(self) -> None:
        if self.target.value is None:
            self.sources.value = "<i>nothing to review</i>"
            return
        if self.kind.value == "cluster":
            self.sources.value = sources_side_by_side(self.quotes, self.target.value)
        else:
            self.sources.value = claim_sources_side_by_side(self.claims, self.target.value)
        self._show_history()

    def _show_history(self) -> None:
        try:
            history = verdicts(self.store)
        except QuotetraceError as exc:
            self.history.value = f"<span style='color:#b00'>{html.escape(str(exc))}</span>"
            return
        mine = history[(history["target_type"] == self.kind.value) & (history["target_id"] == self.target.value)]
        if mine.empty:
            self.history.value = "<small>No verdict yet.</small>"
            return
        now = current_verdicts(mine).iloc[0]
        self.history.value = (
            f"<small>Current verdict: <b>{html.escape(now['verdict'])}</b> by {html.escape(now['reviewer'])} "
            f"({html.escape(now['recorded_at'][:16])}); {len(mine)} verdict(s) in the history.</small>"
        )

    def save(self) -> int | None:
        """Record the form's verdict for the selected item; returns its id (None if refused)."""
        try:
            if self.kind.value == "cluster":
                anchor = cluster_anchor(self.quotes.clusters, self.target.value)
            else:
                anchor = claim_anchor(self.claims.claims, self.target.value)
            vid = record_verdict(
                self.store, self.kind.value, self.target.value, self.verdict.value, reviewer=self.reviewer.value, note=self.note.value, anchor=anchor
            )
        except QuotetraceError as exc:
            self.message.value = f"<span style='color:#b00'>Not saved: {html.escape(str(exc))}</span>"
            return None
        self.message.value = f"<span style='color:#1a7f37'>Saved verdict #{vid}: {html.escape(self.verdict.value)}.</span>"
        self.note.value = ""
        self._show_history()
        return vid
