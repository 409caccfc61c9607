"""The review form: shows sources side by side, saves verdicts through the API."""

from __future__ import annotations

import pytest

from quotetrace import verdicts, verify_claims, verify_quotes
from quotetrace.review import ReviewForm, sources_side_by_side


@pytest.fixture(scope="module")
def reports():
    return verify_quotes("tweetgate"), verify_claims("tweetgate")


def test_form_saves_a_verdict_with_its_anchor(reports, tmp_path):
    store = tmp_path / "v.sqlite"
    form = ReviewForm(*reports, store, reviewer="")
    first = form.target.options[0][1]
    assert form.target.value == first and "Public Sector Executive" in form.sources.value
    form.verdict.value = "misquoted"
    form.note.value = "Checked against the original tweet."
    assert form.save() is None and "reviewer is empty" in form.message.value  # refused, nothing written
    assert verdicts(store).empty
    form.reviewer.value = "ana"
    vid = form.save()
    history = verdicts(store)
    assert history["verdict_id"].tolist() == [vid]
    row = history.iloc[0]
    assert (row["target_type"], row["target_id"], row["verdict"], row["reviewer"]) == ("cluster", first, "misquoted", "ana")
    assert '"quote_ids"' in row["anchor"]
    assert "Current verdict: <b>misquoted</b>" in form.history.value


def test_form_reviews_claims_too(reports, tmp_path):
    store = tmp_path / "v.sqlite"
    form = ReviewForm(*reports, store, reviewer="ben")
    form.kind.value = "claim"
    labels = [label for label, _ in form.target.options]
    form.target.value = form.target.options[next(i for i, l in enumerate(labels) if l.startswith("date · 23 September"))][1]
    assert "more_specific" in form.sources.value and "<mark>23 September</mark>" in form.sources.value
    form.verdict.value = "verified"
    form.save()
    assert verdicts(store).iloc[0]["target_type"] == "claim"


def test_side_by_side_marks_differences_and_escapes(reports):
    quotes = reports[0]
    cid = quotes.clusters[quotes.clusters["canonical"].str.startswith("Cheshire East Council’s chief executive")].iloc[0]["cluster_id"]
    shown = sources_side_by_side(quotes, cid)
    assert "<mark>had</mark>" in shown and "(not as a quote)" in shown and "partial" in shown
