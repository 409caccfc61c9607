"""extract_claims and compare_claims: the bundled corpus, and hand-made conflicts."""

from __future__ import annotations

import pandas as pd
import pytest

from quotetrace import CLAIM_COLUMNS, COMPARISON_COLUMNS, ParameterError, compare_claims, extract_claims


@pytest.fixture(scope="module")
def claims(tweetgate):
    return extract_claims(tweetgate)


@pytest.fixture(scope="module")
def agreement(claims, tweetgate):
    return compare_claims(claims, tweetgate)


def _group_with(agreement, expression):
    rows = agreement[agreement["expressions"].map(lambda e: any(expression in x for xs in e.values() for x in xs))]
    assert len(rows) == 1, expression
    return rows.iloc[0]


def test_schema_and_offsets(claims, tweetgate):
    assert list(claims.columns) == CLAIM_COLUMNS
    texts = dict(zip(tweetgate["article_id"], tweetgate["text"]))
    for r in claims.itertuples():
        assert texts[r.article_id][r.start : r.end] == r.expression
        assert r.expression in r.sentence
    assert claims["claim_id"].is_unique
    assert extract_claims(tweetgate)["claim_id"].tolist() == claims["claim_id"].tolist()


def test_fifty_pages_of_emails_is_single_source(agreement, claims):
    g = _group_with(agreement, "50 pages")
    assert g["status"] == "single_source"
    assert g["sources"] == ["Public Sector Executive"]
    fifty = claims[claims["expression"] == "50 pages"]
    assert set(fifty["value"]) == {"50"} and set(fifty["unit"]) == {"pages"}
    assert "Brian Silvester" in set(fifty["attributed_to"])  # the second mention is in his quote


def test_september_and_23_september_are_consistent_001_more_specific(agreement):
    g = _group_with(agreement, "23 September")
    assert g["status"] == "more_specific"
    assert g["expressions"] == {"000_1c846477041fe806.txt": ["September"], "Public Sector Executive": ["23 September"]}
    assert g["values"]["Public Sector Executive"] == ["2014-09-23"]
    assert g["detail"].startswith("Public Sector Executive is more specific")


def test_easter_message_and_last_easter_are_the_same_event(agreement, claims):
    g = _group_with(agreement, "Last Easter")
    assert set(g["sources"]) == {"000_1c846477041fe806.txt", "Public Sector Executive"}
    assert "April 2013" in g["expressions"]["000_1c846477041fe806.txt"]
    last_easter = claims[claims["expression"] == "Last Easter"].iloc[0]
    assert last_easter["attributed_to"] == "Brian Silvester"
    # "Last Easter" said in January 2015 is Easter 2014, a year after the April 2013 message: the sources disagree
    assert last_easter["value"] == "2014-04-20"
    assert g["status"] == "conflicting"


def test_april_last_year_resolves_against_the_articles_date(tweetgate):
    unknown = extract_claims(tweetgate)
    row = unknown[unknown["expression"] == "April last year"].iloc[0]
    assert pd.isna(row["value"]) and "publication date is unknown" in row["note"]
    dated = tweetgate.copy()
    dated.loc[dated["path"].str.startswith("000_"), ["published", "published_precision"]] = [pd.Timestamp("2015-01-06"), "day"]
    row = extract_claims(dated).query("expression == 'April last year'").iloc[0]
    assert row["value"] == "2014-04"


def test_third_best_rated_council_is_single_source_and_attributed(agreement, claims):
    row = claims[claims["type"] == "rank"].iloc[0]
    assert row["value"] == "3" and row["unit"] == "best rated council in the country for schools"
    assert row["attributed_to"] == "Michael Jones"
    assert _group_with(agreement, "third best rated")["status"] == "single_source"


def _two(a: str, b: str, dates=("2024-03-04", "2024-03-05")) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": ["x1", "x2"],
            "outlet": ["Gazette", "Herald"],
            "path": ["x1.txt", "x2.txt"],
            "published": pd.to_datetime(list(dates)),
            "published_precision": ["day", "day"],
            "text": [a, b],
        }
    )


def test_real_conflict_two_numbers_for_the_same_thing():
    arts = _two(
        "The flood barrier cost £12m and protects 300 homes in the river valley, the council said.",
        "The council's flood barrier, which cost £15m, protects 300 homes in the river valley.",
    )
    agreement = compare_claims(extract_claims(arts), arts)
    money = agreement[agreement["type"] == "money"].iloc[0]
    assert money["status"] == "conflicting"
    assert money["values"] == {"Gazette": ["12000000"], "Herald": ["15000000"]}
    homes = agreement[agreement["type"] == "count"].iloc[0]
    assert homes["status"] == "corroborated" and homes["n_sources"] == 2


def test_percentages_and_dates_in_hand_made_texts():
    arts = _two(
        "Turnout in the Riverside by-election fell to 23% on 3 March 2024, officials said.",
        "Officials said Riverside by-election turnout was 31 per cent on March 3.",
    )
    claims = extract_claims(arts)
    assert set(claims[claims["type"] == "percent"]["value"]) == {"23", "31"}
    agreement = compare_claims(claims, arts)
    assert agreement[agreement["type"] == "percent"]["status"].iloc[0] == "conflicting"
    assert agreement[agreement["type"] == "date"]["status"].iloc[0] == "corroborated"


def test_unrelated_claims_are_not_grouped():
    arts = _two("The school roof repair cost £40,000 last year.", "Bus fares will rise by £2 from April.")
    agreement = compare_claims(extract_claims(arts), arts)
    assert set(agreement["status"]) == {"single_source"}
    assert list(agreement.columns) == COMPARISON_COLUMNS


def test_bad_input():
    with pytest.raises(ParameterError, match="article_id"):
        extract_claims(pd.DataFrame({"text": ["x"]}))
    with pytest.raises(ParameterError, match="claims table"):
        compare_claims(pd.DataFrame({"x": [1]}), pd.DataFrame({"article_id": []}))
    assert extract_claims(pd.DataFrame({"article_id": ["a"], "text": [""]})).empty
