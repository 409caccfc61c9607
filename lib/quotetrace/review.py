"""A small review form for JupyterLab: pick a quote cluster or a claim, see its sources side by side
with the differing words marked, and save a verdict.

When the quotes were checked against the originals (:func:`quotetrace.check_originals`), the form
proposes a verdict for a statement with its evidence (:func:`proposal`) and selects it; the
fact-checker confirms it (saves it as it is) or overrides it (chooses another). Both are kept: the
saved verdict is the fact-checker's, and its note ends with the proposal and what became of it,
``proposed: misquoted (cut: Evening Lantern: …); confirmed`` or ``…; overridden: verified``
(:func:`proposal_note`), so the store's schema is unchanged and the history shows both.

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
from .tables import STATUS_COLOURS, _blank, _clip, _word_marks, source_labels, statement_sources
from .verdicts import VERDICTS, claim_anchor, cluster_anchor, current_verdicts, record_verdict, verdicts

__all__ = ["ReviewForm", "sources_side_by_side", "claim_sources_side_by_side", "proposal", "proposal_note", "PROPOSED_VERDICTS"]

# a check against the originals → the verdict it proposes (the store's verdicts)
PROPOSED_VERDICTS = {"accurate": "verified", "misquoted": "misquoted", "cut": "misquoted", "misattributed": "false", "not_in_originals": "unverifiable"}
_SEVERITY = ("misattributed", "cut", "misquoted", "accurate", "not_in_originals")  # the most serious check decides


def proposal(checks: pd.DataFrame | None, quote_ids, labels: dict[str, str] | None = None) -> dict | None:
    """The verdict the checks against the originals propose for a statement, or None when none of
    its quotes was checked.

    Parameters
    ----------
    checks : pandas.DataFrame
        From :func:`quotetrace.check_originals` (``quote_id``, ``article_id``, ``verdict``, ``evidence``).
    quote_ids : iterable of str
        The statement's quotes (a cluster's ``quote_ids``).
    labels : dict, optional
        ``article_id`` → source label (:func:`quotetrace.tables.source_labels`), to say which source.

    Returns
    -------
    dict or None
        ``verdict`` (one of :data:`quotetrace.verdicts.VERDICTS`, from :data:`PROPOSED_VERDICTS`),
        ``check`` (the most serious check verdict of its quotes: misattributed, cut, misquoted,
        accurate, not_in_originals), ``evidence``: one ``source: check: evidence`` line per quote,
        the most serious first.

    Examples
    --------
    >>> checks = pd.DataFrame({"quote_id": ["q1", "q2"], "article_id": ["a1", "a2"], "verdict": ["accurate", "cut"],
    ...                        "evidence": ["the words are there.", "it has 'not' where the quote has an ellipsis."]})
    >>> p = proposal(checks, ["q1", "q2"], {"a2": "Evening Lantern"})
    >>> p["verdict"], p["check"], p["evidence"][0]
    ('misquoted', 'cut', "Evening Lantern: cut: it has 'not' where the quote has an ellipsis.")
    """
    return _propose(_by_quote(checks), quote_ids, labels)


def _by_quote(checks: pd.DataFrame | None) -> dict[str, dict]:
    """quote_id → its check, built once (a form looks up every statement's quotes in it)."""
    return {} if checks is None or checks.empty else {r["quote_id"]: r for r in checks.to_dict("records")}


def _propose(by_quote: dict[str, dict], quote_ids, labels: dict[str, str] | None) -> dict | None:
    rows = sorted((by_quote[q] for q in dict.fromkeys(quote_ids) if q in by_quote), key=lambda r: _SEVERITY.index(str(r["verdict"])))
    if not rows:
        return None
    worst = str(rows[0]["verdict"])
    evidence = [f"{(labels or {}).get(r['article_id'], r['article_id'])}: {str(r['verdict']).replace('_', ' ')}: {r['evidence']}" for r in rows]
    return {"verdict": PROPOSED_VERDICTS[worst], "check": worst, "evidence": evidence}


def proposal_note(note: str, proposed: dict | None, chosen: str) -> str:
    """The note saved with a verdict: the fact-checker's own note, then the proposal and whether the
    fact-checker confirmed or overrode it.

    >>> proposal_note("Called the council.", {"verdict": "misquoted", "check": "cut", "evidence": ["Lantern: cut: …"]}, "false")
    'Called the council.\\nproposed: misquoted (cut; Lantern: cut: …); overridden: false'
    """
    if not proposed:
        return note
    note = (note or "").strip()
    outcome = "confirmed" if chosen == proposed["verdict"] else f"overridden: {chosen}"
    line = f"proposed: {proposed['verdict']} ({proposed['check'].replace('_', ' ')}; {' | '.join(proposed['evidence'])}); {outcome}"
    return f"{note}\n{line}" if note else line


def _proposal_html(proposed: dict | None) -> str:
    if not proposed:
        return ""
    items = "".join(f"<li>{html.escape(e)}</li>" for e in proposed["evidence"])
    return (
        f"<div style='border-left:4px solid #fdae61;padding:2px 8px;margin:6px 0'>Against the originals, quotetrace proposes "
        f"<b>{html.escape(proposed['verdict'])}</b> ({html.escape(proposed['check'].replace('_', ' '))}), selected below: "
        "save it to confirm, or choose another verdict to override it; the note keeps both."
        f"<ul style='margin:2px 0'>{items}</ul></div>"
    )


def _mark(text: str, words: set[str]) -> str:
    out = html.escape(text)
    for w in sorted(words, key=len, reverse=True):
        if w:
            e = html.escape(w)
            out = out.replace(e, f"<mark>{e}</mark>")
    return out


_CARD = "border:1px solid #ccc;border-radius:4px;padding:6px 8px;min-width:0"
_GRID = "display:grid;grid-template-columns:repeat(auto-fill,minmax(16em,1fr));gap:8px"


def sources_side_by_side(report: QuoteReport, cluster_id: str, *, sources: pd.DataFrame | None = None) -> str:
    """HTML: one card per source that carries the statement, how it carries the canonical wording
    (status), its own words with the words that differ marked, and the speaker it gives.

    ``sources`` is :func:`quotetrace.tables.statement_sources` of the report, if already computed.
    """
    if sources is None:
        sources = statement_sources(report.clusters, report.matches, report.quotes, report.articles)
    mine = sources[sources["cluster_id"] == cluster_id]
    if mine.empty:
        return "<i>This statement is no longer in the corpus.</i>"
    head = mine.iloc[0]
    cards = []
    for k, r in enumerate(mine.itertuples()):
        words = html.escape(_clip(r.wording)) if k == 0 else _word_marks(head["wording"], r.wording)[1]
        how = "" if str(r.status) != "missing" else "<br><small>its own wording, not the quoted one</small>"
        speaker = html.escape(r.speaker) if r.speaker else "not named"
        cards.append(
            f"<div style='{_CARD}'><b>{html.escape(r.source)}</b>{', ' + html.escape(r.published) if r.published else ', no date'}<br>"
            f"<span style='background:{STATUS_COLOURS.get(str(r.status), '')};padding:0 4px'>{html.escape(str(r.status))}</span>{how}"
            f"<p>“{words}”</p><small>speaker: {speaker}</small></div>"
        )
    others = len(report.articles) - len(mine)
    note = f"<p><small>Not in the other {f'{others:,} sources' if others > 1 else 'source'}.</small></p>" if others else ""
    return f"<style>mark.qt-b{{background:#ffd966}} mark.qt-cut{{background:none;color:#8a8a8a}}</style><div style='{_GRID}'>{''.join(cards)}</div>{note}"


def claim_sources_side_by_side(report: ClaimReport, claim_id: str) -> str:
    """HTML: the claim's group, one card per source with its expression marked in its sentence, and the value."""
    group = report.agreement[report.agreement["claim_ids"].map(lambda ids: claim_id in ids)].iloc[0]
    claims = report.claims.set_index("claim_id")
    labels = source_labels(report.articles)
    cards = []
    for cid in group["claim_ids"]:
        r = claims.loc[cid]
        sentence = _mark(str(r["sentence"]), {str(r["expression"])})
        value = "not resolved" if _blank(r["value"]) else html.escape(str(r["value"]))
        cards.append(f"<div style='{_CARD}'><b>{html.escape(labels.get(r['article_id'], r['article_id']))}</b><br>value: {value}<p>{sentence}</p></div>")
    status = str(group["status"]).replace("_", " ")
    return f"<p>status: <b>{html.escape(status)}</b>, {html.escape(str(group['detail']))}</p><div style='{_GRID}'>{''.join(cards)}</div>"


_CHOOSE = "(choose a verdict)"
_CLAIM_ORDER = {"conflicting": 0, "more_specific": 1, "corroborated": 2, "single_source": 3}


class ReviewForm:
    """The review form. ``ReviewForm(quote_report, claim_report, store).widget`` is what a notebook shows.

    Items that need review come first: those with no verdict yet (or ``needs-review``), and
    among them statements whose sources differ or disagree on the speaker, and conflicting
    claims. The verdict is cleared whenever another item is picked, so a verdict chosen for one
    item is never saved for the next.

    ``originals``: the checks against the originals (:func:`quotetrace.check_originals`, or the
    :class:`quotetrace.OriginalsReport` of :func:`quotetrace.verify_originals`). A statement whose
    quotes were checked shows the proposed verdict with its evidence and has it selected (statements
    misattributed, cut or misquoted come first); saving it confirms it, choosing another overrides
    it, and the note records which (:func:`proposal_note`).
    """

    def __init__(self, quote_report: QuoteReport, claim_report: ClaimReport, store: str | Path, *, reviewer: str = "",
                 originals: pd.DataFrame | None = None):
        import ipywidgets as w

        self.quotes, self.claims, self.store = quote_report, claim_report, Path(store)
        # checks against the originals (check_originals, or an OriginalsReport): the verdicts proposed
        self.checks = getattr(originals, "checks", originals)
        self._checks = _by_quote(self.checks)
        self._labels = source_labels(quote_report.articles)
        self._members = dict(zip(quote_report.clusters["cluster_id"], quote_report.clusters["quote_ids"]))
        self.proposed: dict | None = None
        self._sources = statement_sources(quote_report.clusters, quote_report.matches, quote_report.quotes, quote_report.articles)
        self.kind = w.ToggleButtons(options=[("Quote", "cluster"), ("Claim", "claim")], value="cluster", description="Review")
        self.target = w.Dropdown(description="Item", layout=w.Layout(width="95%"))
        self.where = w.HTML(f"<small>Verdicts are saved in <code>{html.escape(str(self.store.resolve()))}</code></small>")
        self.sources = w.HTML()
        self.proposal = w.HTML()
        self.history = w.HTML()
        self.verdict = w.Dropdown(options=[(_CHOOSE, "")] + [(v, v) for v in VERDICTS], value="", description="Verdict")
        self.note = w.Textarea(description="Note", placeholder="Why: sources checked, calls made, links", layout=w.Layout(width="95%"))
        self.reviewer = w.Text(value=reviewer, description="Reviewer")
        self.save_button = w.Button(description="Save verdict", button_style="primary")
        self.message = w.HTML()
        self.kind.observe(lambda _: self._fill_targets(), names="value")
        self.target.observe(lambda _: self._show(), names="value")
        self.save_button.on_click(lambda _: self.save())
        self.widget = w.VBox(
            [self.where, self.kind, self.target, self.sources, self.proposal, self.history, self.verdict, self.note, self.reviewer,
             w.HBox([self.save_button, self.message])]
        )
        self._fill_targets()

    def _current(self) -> dict[str, str]:
        try:
            history = verdicts(self.store)
        except QuotetraceError:
            return {}
        now = current_verdicts(history[history["target_type"] == self.kind.value]) if len(history) else history
        return dict(zip(now["target_id"], now["verdict"])) if len(now) else {}

    def _options(self) -> list[tuple[str, str]]:
        current = self._current()
        items = []
        if self.kind.value == "cluster":
            c = self.quotes.clusters
            differs = set(self._sources.loc[self._sources["status"].astype(str).isin(["variant", "partial", "missing"]), "cluster_id"])
            for n, (cid, text, k, conflict) in enumerate(zip(c["cluster_id"], c["canonical"], c["n_sources"], c["attribution_conflict"])):
                flags = [f for f, on in (("sources differ", cid in differs), ("speakers differ", bool(conflict))) if on]
                proposed = _propose(self._checks, self._members.get(cid, []), None)
                if proposed and proposed["check"] != "accurate":
                    flags.insert(0, f"originals: {proposed['check'].replace('_', ' ')}")
                verdict = current.get(cid)
                label = f"{'✓ ' + verdict if verdict and verdict != 'needs-review' else 'to review'} · {k} source{'s' if k != 1 else ''}"
                label += "".join(f" · {f}" for f in flags) + f" · {_short(text, 90)}"
                todo = not verdict or verdict == "needs-review"
                serious = _SEVERITY.index(proposed["check"]) if proposed and proposed["check"] != "accurate" else len(_SEVERITY)
                items.append(((not todo, not flags, serious, -int(k), n), (label, cid)))
        else:
            k = self.claims.claims
            status = {cid: str(st) for ids, st in zip(self.claims.agreement["claim_ids"], self.claims.agreement["status"]) for cid in ids}
            for n, (cid, t, e, s) in enumerate(zip(k["claim_id"], k["type"], k["expression"], k["sentence"])):
                verdict = current.get(cid)
                st = status.get(cid, "single_source")
                label = f"{'✓ ' + verdict if verdict and verdict != 'needs-review' else 'to review'} · {st.replace('_', ' ')} · {t} · {_short(e, 40)} · {_short(s, 60)}"
                todo = not verdict or verdict == "needs-review"
                items.append(((not todo, _CLAIM_ORDER.get(st, 9), n), (label, cid)))
        return [item for _, item in sorted(items, key=lambda x: x[0])]

    def _fill_targets(self) -> None:
        options = self._options()
        self.target.options = options
        self.target.value = options[0][1] if options else None
        self._show()

    def _show(self) -> None:
        self.verdict.value = ""  # never carry a verdict over to another item
        self.note.value = ""
        self.message.value = ""
        self.proposed = None
        self.proposal.value = ""
        if self.target.value is None:
            self.sources.value = "<i>nothing to review</i>"
            return
        if self.kind.value == "cluster":
            self.sources.value = sources_side_by_side(self.quotes, self.target.value, sources=self._sources)
            self.proposed = _propose(self._checks, self._members.get(self.target.value, []), self._labels)
            self.proposal.value = _proposal_html(self.proposed)
            if self.proposed:
                self.verdict.value = self.proposed["verdict"]  # this item's own proposal: saving it confirms it
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
        if not self.verdict.value:
            self.message.value = "<b style='color:#b00'>Not saved: choose a verdict first.</b>"
            return None
        try:
            if self.kind.value == "cluster":
                anchor = cluster_anchor(self.quotes.clusters, self.target.value)
            else:
                anchor = claim_anchor(self.claims.claims, self.target.value)
            vid = record_verdict(
                self.store, self.kind.value, self.target.value, self.verdict.value, reviewer=self.reviewer.value,
                note=proposal_note(self.note.value, self.proposed, self.verdict.value), anchor=anchor,
            )
        except QuotetraceError as exc:
            self.message.value = f"<b style='color:#b00'>Not saved: {html.escape(str(exc))}</b>"
            return None
        self.message.value = f"<b style='color:#1a7f37'>Saved verdict #{vid}: {html.escape(self.verdict.value)}.</b>"
        self.note.value = ""
        self._show_history()
        return vid


def _short(text, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"
