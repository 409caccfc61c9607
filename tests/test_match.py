"""find_quote, match_quotes and cluster_quotes: statuses, word differences, clusters."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from quotetrace import (
    CLUSTER_COLUMNS,
    MATCH_COLUMNS,
    MatchSettings,
    ParameterError,
    cluster_quotes,
    extract_quotes,
    find_quote,
    match_quotes,
)
from quotetrace import tables
from quotetrace.clusters import carried_matches
from quotetrace.index import CandidateIndex, tokenize
from quotetrace.text import word_list, word_spans

QUOTE = "We balanced the books without raising taxes, and nobody else in this region managed that this year."


# --- find_quote ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, status",
    [
        (f"She said: “{QUOTE}”", "verbatim"),
        ('She said: "WE BALANCED the  books without raising taxes, and nobody else in this region managed that this year!"', "verbatim"),
        ("She said: ‘We balanced the books without raising taxes, and nobody else in this region managed that this year’", "verbatim"),
        ("She said we balanced the books without raising taxes - and nobody else in this region managed that this year.", "variant"),
        ("She said we balanced the books without rasing taxes, and nobody else in this region managed that this year.", "variant"),
        ("She said we balanced the books without raising taxes, and nobody in this region managed that this year.", "variant"),
        ("She said: “We balanced the books without raising taxes.” Then she left the hall.", "partial"),
        ("She said: “We balanced the books … managed that this year.”", "partial"),
        ("She said: “We balanced the books [...] managed that this year.”", "partial"),
        ("She said: “We balanced the books . . . managed that this year.”", "partial"),
        ("An unrelated story about schools, roads and the weather in the region this year.", "missing"),
    ],
)
def test_statuses(text, status):
    m = find_quote(QUOTE, text)
    assert m.status == status
    if status != "missing":
        assert text[m.start : m.end] == m.matched_text
        assert 0 <= m.score <= 100 and 0 < m.coverage <= 1


def test_dashes_and_quote_marks_are_typography_only():
    quote = "It’s a “scandal” – full stop, and we will say so again and again."
    text = "He said: \"it's a 'scandal' — full stop, and we will say so again and again\""
    assert find_quote(quote, text).status == "verbatim"


def test_word_differences_for_typo_and_dropped_word():
    m = find_quote(QUOTE, "we balanced the books without rasing taxes, and nobody in this region managed that this year")
    assert m.differences == [("raising", "rasing"), ("else", "")]
    assert m.coverage == pytest.approx(16 / 17, abs=1e-3)


def test_moribund_moribound_is_a_word_difference():
    tweet_001 = "Moribound Miliband talks of a national mission. A mission to economic disaster. Back to where we were five years ago."
    other = "The tweet read: “Moribund Miliband talks of a national mission. A mission to economic disaster. Back to where we were five years ago.”"
    m = find_quote(tweet_001, other)
    assert m.status == "variant"
    assert m.differences == [("Moribound", "Moribund")]


def test_truncated_quote_reports_coverage_and_offsets_into_original():
    text = "Intro.\n\nHe said: “We   balanced the books without raising taxes.”"
    m = find_quote(QUOTE, text)
    assert m.status == "partial"
    assert m.matched_text == "We   balanced the books without raising taxes"
    assert text[m.start : m.end] == m.matched_text
    assert m.coverage == pytest.approx(7 / 17, abs=1e-3)


def test_a_few_shared_words_are_not_a_match():
    m = find_quote(
        "Same old story from Labour. Moribund Miliband wants a 1950s NHS in the 21st Century.",
        "Moribound Miliband talks of a national mission. A mission to economic disaster.",
    )
    assert m.status == "missing"


def test_a_few_common_words_and_a_look_alike_are_not_a_partial_match():
    # four words in a row plus a swapped word and a look-alike: chance, not the quote
    # (the kind of unrelated pair the benchmark used to report)
    quote = "Critics said the plan would do the job for the men while the rest of the budget went elsewhere."
    text = "Officials argued it would do a job for them, then left."
    assert find_quote(quote, text).status == "missing"
    # five words in a row are evidence of the quote
    m = find_quote(quote, "Her reply: the plan would do the job, nothing more.")
    assert m.status == "partial" and m.matched_text == "the plan would do the job"


def test_a_stock_phrase_is_not_a_partial_match():
    quote = "At the end of the day, the council must balance its books and protect front-line services."
    text = "Fans said at the end of the day the result was fair."
    assert find_quote(quote, text).status == "missing"
    # the check can be switched off (or set for another language)
    assert find_quote(quote, text, settings=MatchSettings(language=None)).status == "partial"
    # uncommon words make the same length of stretch evidence
    m = find_quote(quote, "Officials said the council must balance its books this year.")
    assert m.status == "partial" and m.matched_text == "the council must balance its books"
    # a long stretch of common words is evidence too, and so is any stretch of a quote with no uncommon words
    long_quote = "I have done nothing wrong and I will not be going anywhere until the work is done."
    assert find_quote(long_quote, "He insisted: “I have done nothing wrong and I will not be”, then left.").status == "partial"
    common = "We will do what we can and more than that."
    assert find_quote(common, "“We will do what we can,” she said.").status == "partial"


def test_settings_from_parameters_empty_language_turns_the_check_off():
    assert MatchSettings.from_parameters(score_cutoff=85.0, language="").language is None
    assert MatchSettings.from_parameters(language="de") == MatchSettings(language="de")


def test_unknown_language_is_a_clear_error():
    with pytest.raises(ParameterError, match="language 'xx'.*None") as err:
        find_quote("a b c", "a b c", settings=MatchSettings(language="xx"))
    assert err.value.parameter == "language"


def test_words_dropped_at_the_start_or_end_are_a_variant_with_differences():
    quote = "Also the council leader said he would stand down before the election next spring."
    m = find_quote(quote, "A spokesman said: “Also leader said he would stand down before the election next spring.”")
    assert m.status == "variant" and m.differences == [("the council", "")]
    m = find_quote(quote, "“Also the council leader said he would stand down before the election spring.” More later.")
    assert m.status == "variant" and m.differences == [("next", "")]


def test_repeated_word_just_before_the_quote_is_not_taken_for_its_first_word():
    quote = "A decision on the budget will be taken by the full council in March."
    text = f"A spokesman said: “{quote}” Then he left."
    m = find_quote(quote, text)
    assert m.status == "verbatim" and m.matched_text == quote.rstrip(".") and m.start == text.index(quote)
    quote = "Said nothing about the budget because the full council meets in March."
    text = f"The leader said: “{quote}”"
    m = find_quote(quote, text)
    assert m.status == "verbatim" and m.start == text.index(quote)


_WORDS = "council leader budget said the of and to staff tweets spokesman election march would not".split()


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_WORDS), min_size=1, max_size=25),
    st.lists(st.sampled_from(_WORDS + ["counsil", "leeder", "budgets"]), min_size=1, max_size=60),
)
def test_quick_bound_never_rules_out_a_match(quote_words, text_words):
    """The C-speed bound that skips most chance candidates must never drop a real match: with
    the bound switched off, the result is the same whenever the bound says "no match"."""
    from quotetrace import match as match_module

    quote, text = " ".join(quote_words), " ".join(text_words)
    with_bound = find_quote(quote, text)
    original = match_module._could_be_found
    match_module._could_be_found = lambda q, region, s, cut_marks: True
    try:
        without = find_quote(quote, text)
    finally:
        match_module._could_be_found = original
    assert (with_bound.status, with_bound.start, with_bound.end) == (without.status, without.start, without.end)


_WINDOW_WORDS = _WORDS + ["counsil", "leeder", "budgets", "…", "...", "[…]", "said,", "“the", "council’s"]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(_WINDOW_WORDS), min_size=1, max_size=20),
    st.lists(st.sampled_from(_WINDOW_WORDS), min_size=1, max_size=50),
    st.integers(min_value=1, max_value=6),
    st.sampled_from([None, "en"]),
)
@example(  # five words in a row only across a cut marked with an ellipsis: on no one diagonal
    "council leader budget said staff tweets spokesman election march would".split(),
    "x council leader … not not budget said staff y".split(),
    5,
    None,
)
@example(  # evidence with exactly the two uncommon words it needs (council, budget)
    "we said the council budget would not be cut in march by the staff".split(),
    "x y said the council budget would not z z z z".split(),
    5,
    "en",
)
def test_window_bound_never_rules_out_a_match(quote_words, window_words, min_partial_words, language):
    """Where the bound rules a window out before alignment, aligning it in full (every chain, no
    bound anywhere) finds nothing: the bound is exact, not a heuristic."""
    from quotetrace import match as match_module

    s = MatchSettings(min_partial_words=min_partial_words, language=language)
    qt, tt = match_module._Tokens(" ".join(quote_words)), match_module._Tokens(" ".join(window_words))
    if not qt.norms or match_module._could_be_found(qt.norms, tt.norms, s, cut_marks=qt.has_cut_marks or tt.has_cut_marks):
        return
    original = match_module._could_be_found
    match_module._could_be_found = lambda q, region, s, cut_marks: True
    try:
        full = match_module._match_tokens(qt, tt, match_module._anchors(qt.norms, tt.norms), s)
    finally:
        match_module._could_be_found = original
    assert full.status == "missing"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_WINDOW_WORDS), min_size=1, max_size=30),
    st.lists(st.sampled_from(_WINDOW_WORDS), min_size=1, max_size=30),
)
def test_small_blocks_pair_words_as_the_whole_matrix_does(quote_words, text_words):
    """A few words between two equal stretches are compared one pair at a time; the pairs are the
    ones comparing every quote word with every text word at once would give."""
    from quotetrace import match as match_module

    s = MatchSettings()
    one_at_a_time = match_module._pair_block(quote_words, text_words, 0, len(quote_words), 0, len(text_words), s)
    original = match_module._SMALL_BLOCK
    match_module._SMALL_BLOCK = -1
    try:
        all_at_once = match_module._pair_block(quote_words, text_words, 0, len(quote_words), 0, len(text_words), s)
    finally:
        match_module._SMALL_BLOCK = original
    assert one_at_a_time == all_at_once


def test_missing_values_and_settings():
    assert find_quote(None, "text") is None
    assert find_quote("quote", float("nan")) is None
    assert find_quote("...", "text") is None
    with pytest.raises(ParameterError, match="score_cutoff"):
        find_quote("a b", "a b", score_cutoff=120)
    strict = find_quote(QUOTE, QUOTE.replace("raising", "rasing"), settings=MatchSettings(typo_similarity=99))
    assert strict.status in ("variant", "partial")


def test_long_text_and_quote_longer_than_any_window():
    filler = " ".join(f"word{i}" for i in range(20000))
    text = f"{filler} She said: “{QUOTE}” {filler}"
    m = find_quote(QUOTE, text)
    assert m.status == "verbatim" and text[m.start : m.end] == m.matched_text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.text(max_size=300))
def test_find_quote_never_crashes_and_round_trips(quote, text):
    m = find_quote(quote, text)
    if m is None or m.status == "missing":
        return
    assert text[m.start : m.end] == m.matched_text
    assert 0 <= m.score <= 100 and 0 <= m.coverage <= 1 and not math.isnan(m.score)


# --- the candidate index -------------------------------------------------------------


def test_index_finds_pairs_and_keeps_repeated_wire_copy():
    quotes = ["the council will not resign over this", "a completely different statement about roads"]
    wire = "Agency copy: the council will not resign over this, officials said."
    texts = [wire] * 50 + ["nothing relevant here at all"]
    pairs = CandidateIndex(quotes).scan(texts).candidates()
    assert {(a, q) for a, q, _ in pairs} == {(a, 0) for a in range(50)}


def test_index_needs_rare_seeds_close_together():
    quote = "the river wall will be finished before the winter floods arrive in the valley"
    filler = " ".join(["the council said that it was not in the interest of the town to say more"] * 30)
    scattered = f"The river wall is late. {filler} Winter floods are feared. {filler} Life in the valley goes on."
    ordinary = f"{filler} It will be in the and of the before the."  # only its common word pairs
    near = f"{filler} Engineers said the river wall will be finishd before the winter floods arrive. {filler}"
    pairs = CandidateIndex([quote]).scan([scattered, ordinary, near]).candidates()
    assert [a for a, _, _ in pairs] == [2]


def test_typos_in_every_uncommon_word_of_a_quote_of_common_words_still_find_it():
    # the quote's only uncommon words (table, found) both have a typo: its informative seeds are all
    # broken, so its rarer bigrams of common words, inside a long exact stretch of it, find it
    quote = "Back to the table for it, she found she could not."
    filler = "The council said that it was not in the interest of the town to say more. "
    typos = f"{filler * 5}A spokesman said: \"Back to the tabel for it, she foudn she could not.\" {filler * 5}"
    common = f"{filler * 5}She could not go back to it for the day. {filler * 5}"  # its common bigrams, scattered
    pairs = CandidateIndex([quote]).scan([typos, common]).candidates()
    assert [a for a, _, _ in pairs] == [0]
    found = match_quotes(pd.DataFrame({"quote_id": ["q"], "article_id": ["src"], "quote": [quote]}),
                         pd.DataFrame({"article_id": ["typos", "common"], "text": [typos, common]}))
    assert found["article_id"].tolist() == ["typos"]
    assert found["status"].tolist() == ["variant"]
    assert found["differences"].tolist() == [[("table", "tabel"), ("found", "foudn")]]


def test_a_window_says_how_much_of_the_quote_lies_beyond_it():
    words = "alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike november oscar papa quebec romeo sierra tango".split()
    filler = "The council said that it was not in the interest of the town to say more. " * 3
    text = filler + " ".join(words[8:14]) + ". " + filler  # only quote words 8..13 are there
    windows = CandidateIndex([" ".join(words)]).scan([text]).windows
    assert [(w.head, w.tail) for w in windows] == [(8, 6)]


def test_short_quotes_of_common_words_are_not_looked_for():
    texts = ["No, I don't know. I want to go home, she said."] * 10
    pairs = CandidateIndex(["No,", "I don't know", "she said", "Flood wall"]).scan(texts).candidates()
    assert pairs == []


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
@settings(max_examples=200, deadline=None)
def test_index_words_are_the_words_of_word_list(text):
    tok = tokenize([text, text])
    assert list(zip(tok.start.tolist(), tok.end.tolist())) == word_spans(text) * 2
    assert len(set(tok.hash[: len(tok.hash) // 2].tolist())) == len(set(word_list(text)))


# --- match_quotes on the bundled corpus ----------------------------------------------


@pytest.fixture(scope="module")
def pipeline(tweetgate):
    quotes = extract_quotes(tweetgate)
    matches = match_quotes(quotes, tweetgate)
    clusters = cluster_quotes(quotes, matches, tweetgate)
    return tweetgate, quotes, matches, clusters


def _quote_id(quotes, startswith):
    hits = quotes[quotes["quote"].str.startswith(startswith)]
    assert len(hits) == 1, startswith
    return hits.iloc[0]["quote_id"]


def test_matches_are_sparse_and_include_missing_lists_every_pair(pipeline):
    articles, quotes, matches, _ = pipeline
    assert list(matches.columns) == MATCH_COLUMNS
    assert len(matches) > 0 and "missing" not in set(matches["status"])  # only what was found
    every = match_quotes(quotes, articles, include_missing=True)
    assert list(every.columns) == MATCH_COLUMNS
    assert len(every) == len(quotes) * (len(articles) - 1)
    found = every[every["status"] != "missing"].reset_index(drop=True)
    pd.testing.assert_frame_equal(found, matches.reset_index(drop=True))
    assert not (matches.merge(quotes[["quote_id", "article_id"]], on="quote_id", suffixes=("", "_q")).eval("article_id == article_id_q")).any()
    texts = dict(zip(articles["article_id"], articles["text"]))
    for m in matches[matches["status"] != "missing"].itertuples():
        assert texts[m.article_id][m.start : m.end] == m.matched_text


def test_spokesman_words_found_in_two_articles_with_differing_cuts(pipeline):
    articles, quotes, matches, clusters = pipeline
    a000, a001 = articles["article_id"][0], articles["article_id"][1]
    qid = _quote_id(quotes, "Cheshire East Council’s chief executive has been made aware")
    m = matches[(matches["quote_id"] == qid) & (matches["article_id"] == a001)].iloc[0]
    assert m["status"] == "partial"
    assert m["matched_text"] == "chief executive had been made aware"
    assert m["differences"] == [("has", "had")]
    assert m["coverage"] < 0.5
    qid2 = _quote_id(quotes, "Although the context of this was to protect the council")
    m2 = matches[(matches["quote_id"] == qid2) & (matches["article_id"] == a001)].iloc[0]
    assert m2["status"] == "partial" and "staff have been advised" in m2["matched_text"]
    row = clusters[clusters["quote_ids"].map(lambda ids: qid in ids)].iloc[0]
    assert row["sources"] == [a000, a001]
    assert row["statuses"][a001] == "partial"


def test_23_september_tweets_are_in_no_other_source(pipeline):
    articles, quotes, matches, clusters = pipeline
    for start in ("Moribound Miliband talks of a national mission", "16 to 17 year olds to get the vote"):
        qid = _quote_id(quotes, start)
        assert qid not in set(matches["quote_id"])  # absent from the sparse matches: missing everywhere
        row = clusters[clusters["quote_ids"].map(lambda ids: qid in ids)].iloc[0]
        assert row["n_sources"] == 1


def test_different_moribund_tweets_are_different_clusters(pipeline):
    _, quotes, matches, clusters = pipeline
    q000 = _quote_id(quotes, "Same old story from Labour. Moribund Miliband")
    q001 = _quote_id(quotes, "Moribound Miliband talks of a national mission")
    c000 = clusters[clusters["quote_ids"].map(lambda ids: q000 in ids)]["cluster_id"].item()
    c001 = clusters[clusters["quote_ids"].map(lambda ids: q001 in ids)]["cluster_id"].item()
    assert c000 != c001
    assert q000 not in set(matches["quote_id"])


def test_clusters_schema_and_stable_ids(pipeline, tweetgate):
    _, quotes, matches, clusters = pipeline
    assert list(clusters.columns) == CLUSTER_COLUMNS
    assert clusters["cluster_id"].is_unique
    again = cluster_quotes(extract_quotes(tweetgate), match_quotes(extract_quotes(tweetgate), tweetgate), tweetgate)
    assert again["cluster_id"].tolist() == clusters["cluster_id"].tolist()
    assert sum(len(ids) for ids in clusters["quote_ids"]) == len(quotes)


# --- clusters across sources (hand-made) ----------------------------------------------


def _articles(*texts, outlets=None, dates=None, precision=None):
    n = len(texts)
    return pd.DataFrame(
        {
            "article_id": [f"a{i}" for i in range(n)],
            "outlet": outlets or [f"Outlet {i}" for i in range(n)],
            "published": pd.to_datetime(dates or [None] * n),
            "published_precision": precision or ["day"] * n,
            "text": list(texts),
        }
    )


def test_cluster_joins_variants_and_flags_attribution_conflict():
    articles = _articles(
        "Coun Jones said: “Moribound Miliband talks of a national mission. A mission to economic disaster.”",
        "Coun Smith said: “Moribund Miliband talks of a national mission. A mission to economic disaster.”",
        "Mr Jones tweeted: “Moribound Miliband talks of a national mission.”",
        "A different story. Coun Brown said: “Moribund Miliband wants a 1950s NHS in the 21st Century.”",
        dates=["2015-01-09", "2015-01-07", "2015-01-08", "2015-01-06"],
    )
    quotes = extract_quotes(articles)
    matches = match_quotes(quotes, articles)
    clusters = cluster_quotes(quotes, matches, articles)
    assert len(clusters) == 2
    big = clusters[clusters["n_quotes"] == 3].iloc[0]
    assert big["sources"] == ["a0", "a1", "a2"]
    assert big["first_seen"] == "a1" and bool(big["first_seen_certain"])
    assert big["canonical"].startswith("Moribund Miliband talks")
    assert set(big["speakers"]) == {"Jones", "Smith"}
    assert bool(big["attribution_conflict"])
    assert len(big["variants"]) == 3
    assert "a3" not in big["statuses"] and list(big["statuses"]) == big["sources"]  # sparse: absent is missing
    a1_in_a0 = matches[(matches["article_id"] == "a0") & matches["quote_id"].isin(quotes[quotes["article_id"] == "a1"]["quote_id"])]
    assert a1_in_a0["differences"].iloc[0] == [("Moribund", "Moribound")]


def _cluster_of(clusters, quotes, article_id):
    qid = quotes[quotes["article_id"] == article_id]["quote_id"].item()
    return clusters[clusters["quote_ids"].map(lambda ids: qid in ids)]["cluster_id"].item()


def test_a_quote_sharing_words_with_two_statements_never_merges_them():
    a = "The council will freeze the budget for every school in the county until the new year"
    b = "residents of the valley have waited three long years for the flood wall to be finished"
    articles = _articles(
        f"Coun Jones said: “{a}.”",
        f"The leader said: “{a}.” Others disagreed.",
        f"Mrs Hill said: “{b[0].upper() + b[1:]}.”",
        f"A resident said: “{b[0].upper() + b[1:]}.”",
        f"A blog wrote: “{a}, and {b}.”",
    )
    quotes = extract_quotes(articles)
    clusters = cluster_quotes(quotes, match_quotes(quotes, articles), articles)
    ca = _cluster_of(clusters, quotes, "a0")
    cb = _cluster_of(clusters, quotes, "a2")
    assert ca != cb
    assert len(clusters) == 2  # the blog's quote joins one statement, through its link to that statement's centre
    assert sorted(clusters["n_quotes"]) == [2, 3]


def _run_on_corpus():
    # real prose (Alice, the US Constitution) as the benchmark corpus recombines it: two statements that
    # open with the same four words; the first is also quoted cut short ("…") in a paragraph of its own
    full = "“Heard a little pattering with Dinah, and saying Session of Congress, shall.” said Raj Patel."
    cut = ("I wish you wouldn't squeeze so. said evening, beautiful Soup! “Heard a little pattering with Dinah, and saying …” "
           "said Raj Patel.\n\nI didn't! the March Hare but I must be on the look-out for serpents night and day! How do you "
           "like the Queen? a dance is it? ALL PERSONS MORE THAN A FATHER WILLIAM, said the Caterpillar.")
    other = ("The Congress shall have Power to declare the Punishment of Treason, but no Attainder of now, my dear? it continued, "
             "turning to Alice as it spoke. “Heard a little pattering it's a set of did not at all But who has won? Queens, "
             "and among them.” said Jo Brand.")
    articles = _articles(full, full, cut, other)
    return articles, extract_quotes(articles)


def test_an_ellipsis_ending_another_quotation_is_no_cut_across_paragraphs():
    # the second statement's few shared words, then stray words in the next paragraph: the other quotation's
    # "…" is not a cut in this one, so the match never runs on over "said Raj Patel" into the next paragraph
    articles, quotes = _run_on_corpus()
    matches = match_quotes(quotes, articles)
    jo = quotes.loc[quotes["article_id"] == "a3", "quote_id"].item()
    found = matches[(matches["quote_id"] == jo) & (matches["article_id"] == "a2")]
    assert not found["matched_text"].str.contains("Raj Patel|\n", regex=True).any()
    # the same cut inside one paragraph still joins the two stretches
    m = find_quote("we will freeze the budget for every school in the county until the new year",
                   "She said: “We will freeze the budget for every school … until the new year.”")
    assert m.status == "partial" and m.matched_text.endswith("until the new year")


def test_a_partial_whose_span_runs_on_over_another_statement_does_not_link_them():
    # what a partial shares is the words the matcher found (coverage), not its span: a partial of a quarter of
    # the second statement's words whose span covers the first statement's cut quote links nothing
    articles, quotes = _run_on_corpus()
    matches = match_quotes(quotes, articles)
    jo = quotes.loc[quotes["article_id"] == "a3", "quote_id"].item()
    text = articles.loc[articles["article_id"] == "a2", "text"].item()
    start, end = text.index("Heard"), text.index("Hare but") + len("Hare but")
    run_on = {"quote_id": jo, "article_id": "a2", "status": "partial", "score": 64.4, "coverage": 0.25,
              "start": start, "end": end, "matched_text": text[start:end], "differences": []}
    matches = pd.concat([matches[~((matches["quote_id"] == jo) & (matches["article_id"] == "a2"))], pd.DataFrame([run_on])],
                        ignore_index=True)
    clusters = cluster_quotes(quotes, matches, articles)
    assert sorted(clusters["n_quotes"]) == [1, 3]
    assert _cluster_of(clusters, quotes, "a3") != _cluster_of(clusters, quotes, "a2") == _cluster_of(clusters, quotes, "a0")
    assert not clusters["attribution_conflict"].any()  # Raj Patel's words are not also Jo Brand's


def test_short_quotes_and_terms_link_only_with_the_same_wording_or_speaker():
    articles = _articles(
        "Asked about the cuts, Coun Jones said: “No.” Then she left.",
        "Asked again, the leader said: “No, absolutely not.” He would not say more.",
        "The scheme, dubbed ‘Tweetgate’ by critics, went ahead.",
        "What critics call ‘Tweetgate’ is over.",
        "Coun Jones said: “No.” That was all.",
    )
    quotes = extract_quotes(articles)
    matches = match_quotes(quotes, articles)
    clusters = cluster_quotes(quotes, matches, articles)
    by_id = dict(zip(quotes["quote_id"], quotes["article_id"]))
    for ids in clusters["quote_ids"]:
        texts = {quotes.set_index("quote_id").loc[q, "quote"].strip(".").lower() for q in ids}
        assert len(texts) == 1, texts  # "No" never joins "No, absolutely not"
    tweetgate = [ids for ids in clusters["quote_ids"] if any(by_id[q] == "a2" for q in ids)][0]
    assert {by_id[q] for q in tweetgate} == {"a2", "a3"}  # the same term, in quotation marks in both


def test_a_quoted_term_is_carried_only_where_another_source_quotes_it_too():
    # on the real news-dev and quotes-dev2 pages read as one folder, 12 of 14 "statements in several sources" were
    # single quoted words ('engineering', 'learn', 'whole') found in the running text of unrelated articles
    articles = _articles(
        "The firm calls its method ‘engineering’ rather than craft, the founder said.",
        "Engineering students at the college will get new laboratories next year.",
        "Critics dismissed the plan as ‘engineering’ for its own sake.",
    )
    quotes = extract_quotes(articles)
    matches = match_quotes(quotes, articles)
    first = quotes.loc[quotes["article_id"] == "a0", "quote_id"].item()
    assert set(matches.loc[matches["quote_id"] == first, "article_id"]) == {"a1", "a2"}  # the matcher finds the word in both
    clusters = cluster_quotes(quotes, matches, articles)
    row = clusters[clusters["quote_ids"].map(lambda ids: first in ids)].iloc[0]
    assert row["sources"] == ["a0", "a2"]  # a2 quotes it too; a1 only uses the word
    elsewhere = tables.found_elsewhere(quotes, matches, articles)
    assert sorted(elsewhere["found_in"]) == ["Outlet 0", "Outlet 2"]  # a0's term in a2, a2's in a0; never in a1
    assert carried_matches(quotes, matches)["article_id"].tolist().count("a1") == 0
    by_source = tables.statement_sources(clusters, matches, quotes, articles)  # what the report's views are made of
    assert "Outlet 1" not in set(by_source["source"]) and set(by_source["source"]) == {"Outlet 0", "Outlet 2"}
    counts = dict(zip(*tables.summary(articles, quotes, matches, clusters).T.values))
    assert counts["quotes found verbatim in another source"] == 2


def test_no_giant_cluster_from_short_quotes_and_terms():
    statements = [
        "the bridge repairs will cost four million pounds over two years",
        "our nurses deserve a proper pay rise this spring",
        "the new bus lanes have cut journey times by a fifth",
        "we will publish the full inspection report next month",
    ]
    texts = []
    for i in range(24):
        s = statements[i % 4]
        texts.append(f"Story {i}. A spokesman said: “{s[0].upper() + s[1:]}.” Asked if that was all, he said: “Yes.” "
                     f"Then: “I don't know.” Readers called it ‘a scandal’.")
    articles = _articles(*texts)
    quotes = extract_quotes(articles)
    clusters = cluster_quotes(quotes, match_quotes(quotes, articles), articles)
    for ids in clusters["quote_ids"]:
        words = {quotes.set_index("quote_id").loc[q, "quote"].strip(".").lower() for q in ids}
        assert len(words) == 1, words  # one statement per cluster, never a mix
    for s in statements:  # each statement is one cluster of its six quotations
        assert clusters[clusters["canonical"].str.lower().str.startswith(s)]["n_quotes"].tolist() == [6]


def test_first_seen_uncertain_with_month_precision():
    articles = _articles(
        "He said: “The budget is balanced and we did it without raising taxes at all.”",
        "He said: “The budget is balanced and we did it without raising taxes at all.”  ",
        dates=["2015-01-01", "2015-01-07"],
        precision=["month", "day"],
    )
    quotes = extract_quotes(articles)
    clusters = cluster_quotes(quotes, match_quotes(quotes, articles), articles)
    row = clusters.iloc[0]
    assert row["first_seen"] == "a0" and not bool(row["first_seen_certain"])


def test_missing_columns_are_clear_errors(tweetgate):
    with pytest.raises(ParameterError, match="quotes table lacks"):
        match_quotes(pd.DataFrame({"quote": ["x"]}), tweetgate)
    quotes = extract_quotes(tweetgate)
    with pytest.raises(ParameterError, match="matches table lacks"):
        cluster_quotes(quotes, pd.DataFrame({"quote_id": []}), tweetgate)


# --- planted variants (the benchmark's generator, at test size) -------------------------


def test_planted_variants_found_and_nothing_unrelated_reported():
    """Recall and precision on the benchmark's planted corpus, small enough for every test run
    (speed is measured by benchmarks/bench_match.py, never here)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_match.py"
    spec = importlib.util.spec_from_file_location("bench_match", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    quotes, articles, truth = bench.build(n_quotes=150, n_articles=400, chars=3000, plants_per_quote=3, seed=11, text="invented")
    q = pd.DataFrame({"quote_id": [f"q{i}" for i in range(len(quotes))], "article_id": "src", "quote": quotes})
    a = pd.DataFrame({"article_id": [f"a{i}" for i in range(len(articles))], "text": articles})
    m = match_quotes(q, a, include_missing=False)
    found = {(int(r.quote_id[1:]), int(r.article_id[1:])): r.status for r in m.itertuples()}
    assert set(found) - set(truth) == set(), "unrelated pairs reported"
    for kind in bench.KINDS:
        pairs = [k for k, v in truth.items() if v == kind]
        recall = sum(k in found for k in pairs) / len(pairs)
        assert recall >= (0.95 if kind in ("truncated", "ellipsis", "typo+truncated") else 0.99), kind
    wrong = [(truth[k], found[k]) for k in found if found[k] != bench.EXPECTED_STATUS[truth[k]]]
    assert len(wrong) <= len(found) // 100, wrong


def test_a_short_article_alone_gives_what_the_whole_corpus_gives():
    # a re-run matches only the new articles: one short article must find what it finds among all of them
    # (the candidate scan keyed (quote, word position) so that a quote's window ran into the next quote's
    # hits when the quote was longer than the article)
    articles = _articles(
        "Grace Holt said: \u201cThe roof has leaked every winter since the storm of 2019.\u201d",
        "Ann Lee said: \u201cNobody asked the traders on Market Street what they thought.\u201d",
        "Traders on Market Street complained again on Friday about parking.\n\n"
        "Grace Holt, who chairs the library trust, told the meeting on Friday evening that "
        "\u201cthe roof has leaked every winter since the storm\u201d, and repairs will start in 2025.",
    )
    quotes = extract_quotes(articles)
    short = articles.iloc[[2]]
    whole = match_quotes(quotes, articles)
    whole = whole[whole["article_id"] == short["article_id"].iat[0]]
    alone = match_quotes(quotes, short)
    assert len(whole) == 1 and whole["status"].iat[0] == "variant"
    pd.testing.assert_frame_equal(alone.reset_index(drop=True), whole.reset_index(drop=True))


def test_matches_never_land_on_headline_or_highlight_quotes():
    articles = _articles(
        "Pier reborn\n\nMayor: \u201cWe will rebuild the pier before the summer season starts\u201d\n\nThe pier burned down in June.",
        "Mayor Jo Price said: \u201cWe will rebuild the pier before the summer season starts.\u201d",
    )
    articles["headline_end"] = [11, 0]
    articles["body_start"] = [78, 0]
    quotes = extract_quotes(articles)
    lead = quotes[quotes["article_id"] == "a0"]
    assert list(lead["section"]) == ["highlights"]
    other = quotes[quotes["article_id"] == "a1"].iloc[0]
    # a1's quote found in a0's highlights; a0's highlight quote not searched (a sparse table)
    landed = pd.DataFrame({"quote_id": [other["quote_id"]], "article_id": ["a0"], "status": ["verbatim"], "coverage": [100.0],
                           "start": [lead["start"].iloc[0]], "end": [lead["end"].iloc[0]]})
    clusters = cluster_quotes(quotes, landed, articles)
    assert sorted(clusters["n_quotes"]) == [1, 1]
