"""extract_quotes: quote spans, speakers, kinds; the bundled gold set; property tests."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotetrace import QUOTE_COLUMNS, ParameterError, extract_quotes, load_corpus
from quotetrace.quotes import quote_spans

FIXTURES = Path(__file__).parent / "fixtures"


def quotes_of(text: str) -> pd.DataFrame:
    return extract_quotes(pd.DataFrame({"article_id": ["a1"], "text": [text]}))


def one(text: str) -> dict:
    q = quotes_of(text)
    assert len(q) == 1, q[["quote", "speaker"]]
    return q.iloc[0].to_dict()


# --- the gold sets ---------------------------------------------------------------------


def _score(gold_file: Path, corpus: Path):
    articles = load_corpus(corpus)
    ids = dict(zip(articles["path"], articles["article_id"]))
    quotes = extract_quotes(articles)
    gold = [json.loads(line) for line in gold_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    got = {(r.article_id, r.start, r.end): r for r in quotes.itertuples()}
    exact = [got.get((ids[g["path"]], g["start"], g["end"])) for g in gold]
    hits = sum(r is not None for r in exact)
    precision, recall = hits / len(quotes), hits / len(gold)
    f1 = 2 * precision * recall / (precision + recall)

    def norm(s):
        if s is None or pd.isna(s):
            return None
        return str(s).lower().replace("\u2019", "'")

    speech = [(g, r) for g, r in zip(gold, exact) if r is not None and g["kind"] == "speech"]
    speaker_acc = sum(norm(g["speaker"]) == norm(r.speaker) for g, r in speech) / len(speech)
    kind_acc = sum(g["kind"] == r.kind for g, r in zip(gold, exact) if r is not None) / hits
    return f1, speaker_acc, kind_acc, articles, quotes, gold


def test_bundled_corpus_against_gold(tweetgate_dir):
    f1, speaker_acc, kind_acc, articles, quotes, gold = _score(FIXTURES / "tweetgate_quotes_gold.jsonl", tweetgate_dir)
    assert f1 >= 0.97
    assert speaker_acc >= 0.93
    assert kind_acc >= 0.95
    for g in gold:  # the gold file itself is consistent with the corpus
        text = articles.set_index("path").loc[g["path"], "text"]
        assert text[g["start"] : g["end"]] == g["quote"]


def test_handmade_set_against_gold():
    f1, speaker_acc, kind_acc, *_ = _score(FIXTURES / "quotes_handmade_gold.jsonl", FIXTURES / "quotes_handmade")
    assert f1 >= 0.97
    assert speaker_acc >= 0.93
    assert kind_acc >= 0.95


def test_schema_and_offsets_on_bundled_corpus(tweetgate):
    quotes = extract_quotes(tweetgate)
    assert list(quotes.columns) == QUOTE_COLUMNS
    texts = dict(zip(tweetgate["article_id"], tweetgate["text"]))
    for r in quotes.itertuples():
        assert texts[r.article_id][r.start : r.end] == r.quote
        if not pd.isna(r.speaker_start):
            assert texts[r.article_id][r.speaker_start : r.speaker_end].strip()
    assert quotes["quote_id"].is_unique
    assert extract_quotes(tweetgate)["quote_id"].tolist() == quotes["quote_id"].tolist()


def test_tweetgate_speakers(tweetgate):
    quotes = extract_quotes(tweetgate).set_index("quote")
    assert quotes.loc["With these latest revelations of inappropriate behaviour, he should consider his position and resign.", "speaker"] == "Sam Corcoran"
    # "He said:" after "A council spokesman said that …"
    assert quotes.loc["The chief executive has taken action to bring this practice to an end.", "speaker"] == "council spokesman"
    # "Cllr Jones told NantwichNews:" -> fullest name in the article
    assert quotes.loc["But I have done more for transparency than any other leader and will continue to do so.", "speaker"] == "Michael Jones"
    # "He added:" after "But Cllr Silvester said:"
    q = quotes.loc[[k for k in quotes.index if k.startswith("I am calling on the Chief Executive")][0]]
    assert (q["speaker"], q["cue"]) == ("Brian Silvester", "added")
    assert quotes.loc["Tweetgate", "kind"] == "term"
    assert quotes.loc["blurred", "kind"] == "term"
    assert pd.isna(quotes.loc["Tweetgate", "speaker"])


# --- marks ---------------------------------------------------------------------------


def test_apostrophes_never_open_or_close_quotes():
    text = "The council’s leader didn’t reply. Councillors’ tweets were the Leader’s idea, it’s said."
    assert quotes_of(text).empty


def test_british_single_quotes_with_apostrophes_inside():
    q = one("She said: ‘My brother’s death could have been prevented.’ Then she left.")
    assert q["quote"] == "My brother’s death could have been prevented."
    assert q["speaker"] is None or pd.isna(q["speaker"])  # "She" has no antecedent here


def test_straight_double_quotes_and_attribution_after():
    q = one('"We will appeal," said Coun Sam Corcoran. He left.')
    assert (q["quote"], q["speaker"], q["cue"], q["kind"]) == ("We will appeal,", "Sam Corcoran", "said", "speech")


def test_pronoun_after_quote_resolves_to_latest_subject():
    text = "Dr Amy Walsh, an economist, said the plan would fail.\n\n“It will not work,” she said."
    q = one(text)
    assert q["speaker"] == "Amy Walsh"
    assert text[q["speaker_start"] : q["speaker_end"]] == "Amy Walsh"


def test_told_with_object_and_according_to():
    q = one("Coun Michael Jones told the Express: “I will not resign.”")
    assert (q["speaker"], q["cue"]) == ("Michael Jones", "told")
    q = one("According to a police spokeswoman, “nobody was hurt in the incident.”")
    assert (q["speaker"], q["cue"]) == ("police spokeswoman", "according to")


def test_nested_quotes_stay_inside_the_outer_quote():
    q = one("Ms Rachel Adams said: “They told me ‘nothing changes’ and I said “look”.”")
    assert q["quote"] == "They told me ‘nothing changes’ and I said “look”."


def test_unbalanced_mark_closes_at_paragraph_end():
    text = "Coun Jones said the claims were “completely untrue. We will sue.\n\nThe next paragraph has “its own quote” here."
    q = quotes_of(text)
    assert q["quote"].tolist() == ["completely untrue. We will sue.", "its own quote"]
    assert q["paragraph"].tolist() == [0, 1]


def test_continuation_paragraph_keeps_speaker():
    text = (
        "Coun Brian Silvester said: “Last Easter he issued a release.\n\n"
        "“It has happened again.\n\n"
        "“I have reported it.”\n\n"
        "The council declined to comment."
    )
    q = quotes_of(text)
    assert q["speaker"].tolist() == ["Brian Silvester"] * 3
    assert q["cue"].tolist() == ["said", "continued", "continued"]


def test_quotes_in_boilerplate_are_terms_without_speakers():
    text = "Home | News | “Top story” | Sport\n\nCoun Jones said: “We are doing well as a council.”"
    q = quotes_of(text)
    assert q["boilerplate"].tolist() == [True, False]
    assert q["kind"].tolist() == ["term", "speech"]
    assert pd.isna(q.iloc[0]["speaker"])


def test_no_speaker_when_article_names_nobody():
    q = one("Tweets included one which said: “Same old story from Labour. Moribund Miliband wants a 1950s NHS.”")
    assert pd.isna(q["speaker"]) and q["kind"] == "speech"


def test_empty_and_bad_input():
    assert quotes_of("").empty
    assert list(quotes_of("No quotes at all.").columns) == QUOTE_COLUMNS
    with pytest.raises(ParameterError, match="article_id"):
        extract_quotes(pd.DataFrame({"text": ["x"]}))


# --- properties ----------------------------------------------------------------------

_MARKS = st.sampled_from(list("“”‘’\"'«»„") + [" ", "\n", "\n\n", ":", ",", ".", "said", "He", "Coun Jones", "x"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_unicode_never_crashes_and_offsets_round_trip(text):
    q = quotes_of(text)
    for r in q.itertuples():
        assert text[r.start : r.end] == r.quote
        assert 0 <= r.start < r.end <= len(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(_MARKS, max_size=60).map("".join))
def test_mark_soup_never_crashes_and_spans_stay_in_paragraphs(text):
    for span in quote_spans(text):
        assert "\n" not in text[span.start : span.end]
        assert span.open_mark < span.start
    q = quotes_of(text)
    for r in q.itertuples():
        assert text[r.start : r.end] == r.quote
