"""The review form: shows sources side by side, saves verdicts through the API."""

from __future__ import annotations

import pytest

from quotetrace import record_verdict, verdicts, verify_claims, verify_quotes
from quotetrace.review import ReviewForm, sources_side_by_side


@pytest.fixture(scope="module")
def reports():
    return verify_quotes("tweetgate"), verify_claims("tweetgate")


@pytest.fixture(scope="module")
def disputed_claims(tmp_path_factory):
    """Claims that need review: a conflict (£12m / £15m) and a more specific figure (about 300 / exactly 312).
    The bundled corpus has none: its outlets report different tweets and facts."""
    folder = tmp_path_factory.mktemp("claims")
    texts = {
        "g.txt": ("Gazette", "The flood barrier cost £12m and protects 300 homes in the river valley, the council said.\n\n"
                  "About 300 residents attended the meeting at the town hall, the organisers said."),
        "h.txt": ("Herald", "The council's flood barrier, which cost £15m, protects 300 homes in the river valley.\n\n"
                  "Exactly 312 residents attended the meeting at the town hall, the organisers said."),
    }
    rows = ["file,outlet,published"]
    for name, (outlet, text) in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
        rows.append(f"{name},{outlet},2024-03-05")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return verify_claims(folder)


def test_form_saves_a_verdict_with_its_anchor(reports, tmp_path):
    store = tmp_path / "v.sqlite"
    form = ReviewForm(*reports, store, reviewer="")
    first = form.target.options[0][1]
    assert form.target.value == first and "Public Sector Executive" in form.sources.value
    form.note.value = "Checked against the original tweet."
    assert form.save() is None and "choose a verdict first" in form.message.value  # no verdict chosen yet
    form.verdict.value = "misquoted"
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
    assert f"Saved verdict #{vid}" in form.message.value


def test_verdict_is_reset_when_another_item_is_picked(reports, tmp_path):
    form = ReviewForm(*reports, tmp_path / "v.sqlite", reviewer="ana")
    form.verdict.value = "verified"
    form.note.value = "for the first item"
    form.target.value = form.target.options[1][1]
    assert form.verdict.value == "" and form.note.value == ""
    assert form.save() is None and verdicts(tmp_path / "v.sqlite").empty


def test_items_that_need_review_come_first_with_readable_labels(reports, disputed_claims, tmp_path):
    quotes, _ = reports
    store = tmp_path / "v.sqlite"
    shared = quotes.clusters[quotes.clusters["n_sources"] >= 2]["cluster_id"].tolist()
    done = shared[0]
    from quotetrace.verdicts import cluster_anchor

    record_verdict(store, "cluster", done, "verified", reviewer="ana", anchor=cluster_anchor(quotes.clusters, done))
    form = ReviewForm(*reports, store, reviewer="ben")
    ids = [v for _, v in form.target.options]
    labels = [label for label, _ in form.target.options]
    assert ids[-1] == done and labels[-1].startswith("✓ verified")  # reviewed last
    assert set(ids[: len(shared) - 1]) == set(shared[1:])  # the other shared (differing) statements first
    assert labels[0].startswith("to review") and "sources differ" in labels[0]
    assert not any("1 sources" in label for label in labels)
    assert str(store.resolve()) in form.where.value
    assert form.message in form.widget.children[-1].children  # the message sits beside the button
    form = ReviewForm(reports[0], disputed_claims, store, reviewer="ben")
    form.kind.value = "claim"
    assert form.target.options[0][0].startswith("to review · conflicting")
    texts = [form.sources.value]
    for _, cid in form.target.options:
        form.target.value = cid
        texts.append(form.sources.value)
    assert not any("value: nan" in t or "value: None" in t for t in texts)


def test_form_reviews_claims_too(reports, disputed_claims, tmp_path):
    store = tmp_path / "v.sqlite"
    form = ReviewForm(reports[0], disputed_claims, store, reviewer="ben")
    form.kind.value = "claim"
    labels = [label for label, _ in form.target.options]
    form.target.value = form.target.options[next(i for i, l in enumerate(labels) if "more specific" in l)][1]
    assert "more specific" in form.sources.value and "<mark>312</mark>" in form.sources.value
    form.verdict.value = "verified"
    form.save()
    assert verdicts(store).iloc[0]["target_type"] == "claim"


def test_side_by_side_marks_differences_and_escapes(reports):
    quotes = reports[0]
    cid = quotes.clusters[quotes.clusters["canonical"].str.startswith("Cheshire East Council’s chief executive")].iloc[0]["cluster_id"]
    shown = sources_side_by_side(quotes, cid)
    assert '<mark class="qt-b">had</mark>' in shown and "partial" in shown and ">source<" in shown
    assert "Not in the other source." in shown


@pytest.fixture(scope="module")
def harbourview():
    from quotetrace import verify_originals

    quotes = verify_quotes("harbourview")
    return quotes, verify_claims("harbourview"), verify_originals(quotes.articles, quotes=quotes.quotes)


def test_form_proposes_the_originals_verdict_and_keeps_both(harbourview, tmp_path):
    quotes, claims, against = harbourview
    store = tmp_path / "v.sqlite"
    form = ReviewForm(quotes, claims, store, reviewer="ana", originals=against)
    labels = [label for label, _ in form.target.options]
    assert labels[0].startswith("to review") and "originals: misattributed" in labels[0]  # checked against the originals first
    assert any("originals: cut" in label for label in labels) and any("originals: misquoted" in label for label in labels)
    pick = lambda words: next(cid for label, cid in form.target.options if words in label)  # noqa: E731
    form.target.value = pick("We will … close")
    assert form.verdict.value == "misquoted"  # proposed, selected
    assert "proposes <b>misquoted</b> (cut)" in form.proposal.value and "Evening Lantern: cut:" in form.proposal.value
    assert "it has &#x27;not&#x27; where the quote has an ellipsis" in form.proposal.value
    form.note.value = "Checked the recording."
    confirmed = form.save()
    form.target.value = pick("This budget borrows")
    assert form.verdict.value == "false" and "Tom Beck" in form.proposal.value
    form.verdict.value = "disputed"  # the fact-checker overrides the proposal
    overridden = form.save()
    form.target.value = pick("moribund ferry plan")  # one source accurate, one misquoted: the misquote decides
    assert form.verdict.value == "misquoted" and form.proposal.value.index("Coastal Echo") < form.proposal.value.index("Harbourview Gazette")
    history = verdicts(store).set_index("verdict_id")
    assert history.at[confirmed, "verdict"] == "misquoted" and history.at[confirmed, "reviewer"] == "ana"
    assert history.at[confirmed, "note"].startswith("Checked the recording.\nproposed: misquoted (cut; Evening Lantern: cut: Transcript by Ada Whitlock")
    assert history.at[confirmed, "note"].endswith("; confirmed")
    assert history.at[overridden, "verdict"] == "disputed"
    assert history.at[overridden, "note"].startswith("proposed: false (misattributed; Bay Herald: misattributed:")
    assert history.at[overridden, "note"].endswith("; overridden: disputed")
    form.kind.value = "claim"  # claims have no proposal
    assert form.proposal.value == "" and form.verdict.value == ""


def test_without_originals_nothing_is_proposed(reports, tmp_path):
    form = ReviewForm(*reports, tmp_path / "v.sqlite", reviewer="ana", originals=None)
    assert form.proposal.value == "" and form.verdict.value == "" and not any("originals:" in label for label, _ in form.target.options)
    form.verdict.value = "verified"
    form.note.value = "  as written  "
    vid = form.save()
    assert verdicts(tmp_path / "v.sqlite").set_index("verdict_id").at[vid, "note"] == "  as written  "  # no proposal: the note as written
