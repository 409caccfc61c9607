"""extract_claims and compare_claims: the bundled corpus, and hand-made conflicts."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotetrace import CLAIM_COLUMNS, COMPARISON_COLUMNS, ParameterError, compare_claims, extract_claims


@pytest.fixture(scope="module")
def claims(tweetgate):
    return extract_claims(tweetgate)


@pytest.fixture(scope="module")
def agreement(claims, tweetgate):
    return compare_claims(claims, tweetgate)


def _groups_with(agreement, expression):
    return agreement[agreement["expressions"].map(lambda e: any(x.startswith(expression) for xs in e.values() for x in xs))]


def _group_with(agreement, expression):
    rows = _groups_with(agreement, expression)
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
    groups = _groups_with(agreement, "50")  # said twice in one article: two mentions, never a conflict
    assert len(groups) == 2 and set(groups["status"]) == {"single_source"}
    assert set(groups["sources"].map(tuple)) == {("Public Sector Executive",)}
    fifty = claims[(claims["expression"] == "50") & (claims["type"] == "count")]
    assert set(fifty["value"]) == {"50"} and set(fifty["unit"]) == {"page"}
    assert "Brian Silvester" in set(fifty["attributed_to"])  # the second mention is in his quote


def test_a_tweet_in_september_is_not_grouped_with_other_tweets_of_23_september(agreement):
    # 000 quotes a September tweet about "a 1950s NHS"; 001 quotes two from 23 September about a "national
    # mission": different tweets, so neither "more specific" nor conflicting
    assert _group_with(agreement, "23 September")["status"] == "single_source"
    assert set(_groups_with(agreement, "September")["status"]) == {"single_source"}
    assert not agreement["status"].isin(["conflicting", "more_specific"]).any()


def test_last_easter_resolves_and_is_attributed(claims):
    last_easter = claims[claims["expression"] == "Last Easter"].iloc[0]
    assert last_easter["attributed_to"] == "Brian Silvester"
    assert last_easter["value"] == "2014-04-20"  # said in January 2015: Easter 2014


def test_april_last_year_resolves_against_the_articles_date(tweetgate):
    unknown = extract_claims(tweetgate)
    row = unknown[unknown["expression"] == "April last year"].iloc[0]
    assert pd.isna(row["value"]) and "publication date is unknown" in row["note"]
    dated = tweetgate.copy()
    dated.loc[dated["path"].str.startswith("000_"), ["published", "published_precision"]] = [pd.Timestamp("2015-01-06"), "day"]
    row = extract_claims(dated).query("expression == 'April last year'").iloc[0]
    assert row["value"] == "2014-04"


def test_third_best_rated_council_is_single_source_and_attributed(agreement, claims):
    row = claims[(claims["type"] == "rank") & (claims["value"] == "3")].iloc[0]
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


# --- comparisons a fact-checker can trust -------------------------------------------------------

# real-style news sentences (written for these tests), several with two numbers of one unit
NEWS = [
    "The new pool is 50 metres long, twice the 25 metres of the old one, the council said on Tuesday.",
    "Flood defences costing £12m will protect 300 homes along the River Bollin, the Environment Agency said.",
    "Turnout in the Riverside by-election fell to 23% from 31% in 2019, officials said.",
    "Police said 14 people were arrested and four other officers were injured during the protest in Leeds.",
    "The 28-year-old striker, who joined Rovers in July 2021, has scored 12 goals in 30 games this season.",
    "About 300 residents attended the meeting at the town hall at 7.30pm, and 1,000 of their neighbours signed the petition.",
    "In March the committee approved a 12-day trial and a 15-member panel, Coun Smith said.",
    "Smith, 33, was ranked 72nd in the world and won her 12th title in Madrid on 3 May 2024.",
    "Dozens of boats were damaged and 23 trawlers sank when the storm hit the harbour on December 7.",
    "The charity raised five thousand dollars and two dozen volunteers gave 40 hours each last night.",
]


def _articles(texts: list[str], outlets: list[str], published="2024-06-06", country=None) -> pd.DataFrame:
    return pd.DataFrame({
        "article_id": [f"x{k}" for k in range(len(texts))], "outlet": outlets, "path": [f"x{k}.txt" for k in range(len(texts))],
        "published": pd.to_datetime([published] * len(texts)), "published_precision": ["day"] * len(texts), "text": texts,
        **({"country": [country] * len(texts)} if country else {}),
    })


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(NEWS), min_size=1, max_size=8))
def test_identical_text_in_two_sources_never_conflicts(picked):
    text = "\n\n".join(picked)
    arts = _articles([text, text], ["Gazette", "Herald"])
    claims = extract_claims(arts)
    agreement = compare_claims(claims, arts)
    assert not agreement["status"].isin(["conflicting", "more_specific"]).any(), agreement[["detail"]].to_string()
    by_id = claims.set_index("claim_id")
    for ids in agreement["claim_ids"]:
        arts_in = [by_id.loc[i, "article_id"] for i in ids]
        assert len(arts_in) == len(set(arts_in))  # one claim per source per group
        if len(ids) == 2:  # each claim is paired with its own copy
            assert by_id.loc[ids[0], "start"] == by_id.loc[ids[1], "start"]


def test_numbers_of_one_unit_in_one_article_are_not_a_conflict():
    arts = _articles([NEWS[0]], ["Gazette"])
    agreement = compare_claims(extract_claims(arts), arts)
    assert set(agreement["status"]) == {"single_source"}
    assert (agreement["n_sources"] == 1).all()


def test_a_planted_change_is_caught_and_says_why():
    changed = NEWS[8].replace("23 trawlers", "32 trawlers")
    arts = _articles([NEWS[8] + " " + NEWS[2], changed + " " + NEWS[2]], ["Gazette", "Herald"])
    agreement = compare_claims(extract_claims(arts), arts)
    bad = agreement[agreement["status"] == "conflicting"]
    assert len(bad) == 1
    row = bad.iloc[0]
    assert row["values"] == {"Gazette": ["23"], "Herald": ["32"]}
    assert "Why these are about the same thing" in row["detail"] and "trawler" in row["detail"]
    assert set(agreement[agreement["type"] == "percent"]["status"]) == {"corroborated"}


def test_groups_do_not_chain_and_unrelated_stories_stay_apart():
    a = "Turnout in the Riverside by-election was 23 per cent, officials said."
    b = "Officials said turnout in the Riverside by-election was 23 per cent."
    c = "The striker said he was 100 per cent committed to the club after the by-election of a new chairman."
    arts = _articles([a, b, c], ["Gazette", "Herald", "Sport"])
    agreement = compare_claims(extract_claims(arts), arts)
    pct = agreement[agreement["type"] == "percent"]
    assert sorted(pct["n_sources"]) == [1, 2]
    assert pct[pct["n_sources"] == 2].iloc[0]["status"] == "corroborated"


def test_a_sentence_in_many_sources_is_one_group_and_a_claim_sharing_less_stays_out():
    # one wire sentence in 150 sources (a group of 150: every two members are checked), two sources that change
    # the figure, and a sentence sharing only some of its key words, in a source of its own
    wire = "Turnout in the Riverside by-election was 23 per cent, the returning officer said on Friday."
    changed = wire.replace("23 per cent", "32 per cent")
    other = "Turnout in the Hillside council by-election was 41 per cent, a party agent said."
    texts = [wire] * 150 + [changed] * 2 + [other]
    arts = _articles(texts, [f"Outlet {k}" for k in range(len(texts))])
    agreement = compare_claims(extract_claims(arts), arts)
    pct = agreement[agreement["type"] == "percent"]
    big = pct[pct["n_sources"] > 2]
    assert len(big) == 1 and big["n_sources"].item() == 152 and big["status"].item() == "conflicting"
    assert sorted(sum(big["values"].item().values(), [])) == ["23"] * 150 + ["32"] * 2
    assert pct["n_sources"].sum() == len(texts)  # each claim in one group: the Hillside figure on its own
    assert pct[pct["values"].map(lambda v: ["41"] in v.values())]["n_sources"].tolist() == [1]


def test_a_claim_about_two_things_never_chains_them_into_one_group():
    # B's sentence holds A's key words and C's: A and B are about the same thing, so are B and C, but A and C
    # share nothing, so no group holds both A and C, however the pairs are taken
    arts = _articles(["a", "b", "c"], ["Gazette", "Herald", "Echo"])
    subjects = {"x0": "harbour dredging contract", "x1": "harbour dredging contract ferry timetable fares",
                "x2": "ferry timetable fares"}
    claims = pd.DataFrame([{"claim_id": f"k{a}", "article_id": a, "start": 0, "end": 2, "expression": "12%", "sentence": subj,
                            "type": "percent", "value": "12", "unit": "%", "approximate": False, "subject": subj,
                            "attributed_to": None, "note": None} for a, subj in subjects.items()])
    agreement = compare_claims(claims, arts)
    assert sorted(agreement["n_sources"]) == [1, 2]
    assert not any({"kx0", "kx2"} <= set(ids) for ids in agreement["claim_ids"])


def test_the_same_relative_date_printed_on_different_days_is_not_a_conflict():
    texts = ["The harbour master said the trawler sank off Whitby yesterday after its engine failed.",
             "Yesterday a trawler sank off Whitby when its engine failed, the harbour master said."]
    arts = _articles(texts, ["Gazette", "Herald"]).assign(published=pd.to_datetime(["2025-01-08", "2025-01-09"]))
    row = compare_claims(extract_claims(arts), arts).query("type == 'date'").iloc[0]
    assert row["status"] == "corroborated" and row["values"] == {"Gazette": ["2025-01-07"], "Herald": ["2025-01-08"]}
    assert "the same words ('yesterday')" in row["detail"] and "2025-01-07, 2025-01-08" in row["detail"]
    # different words for the day still conflict: Tuesday is not Monday, whenever each was printed
    arts = _articles([texts[0].replace("yesterday", "on Tuesday"), texts[1].replace("Yesterday", "On Monday")], ["Gazette", "Herald"])
    arts = arts.assign(published=pd.to_datetime(["2025-01-08", "2025-01-08"]))
    assert compare_claims(extract_claims(arts), arts).query("type == 'date'")["status"].tolist() == ["conflicting"]


def test_two_articles_of_one_outlet_are_two_sources_with_their_own_values():
    # a story and its update, both from the Gazette, disagree: both figures are shown, each under its own article
    text = "Turnout in the Riverside by-election was {} per cent, the returning officer said on Friday."
    arts = _articles([text.format(23), text.format(32)], ["Gazette", "Gazette"])
    row = compare_claims(extract_claims(arts), arts).query("type == 'percent'").iloc[0]
    assert row["status"] == "conflicting" and row["n_sources"] == 2
    assert row["values"] == {"Gazette (x0.txt)": ["23"], "Gazette (x1.txt)": ["32"]}
    assert row["sources"] == ["Gazette (x0.txt)", "Gazette (x1.txt)"]


def test_a_month_is_not_more_specific_than_an_unrelated_day():
    arts = _articles(["The attacks of September 11 changed air travel for ever, the pilots' union said.",
                      "Ticket sales rose in September, the cinema chain said."], ["Gazette", "Herald"])
    agreement = compare_claims(extract_claims(arts), arts)
    assert set(agreement["status"]) == {"single_source"}


def test_ambiguous_dollar_never_conflicts_on_currency_alone():
    arts = pd.concat([_articles(["The mayor said the bridge repair cost $8,800 last year."], ["Sun"]),
                      _articles(["The bridge repair cost US$8,800 last year, the mayor said."], ["Post"]).assign(article_id="y0")])
    claims = extract_claims(arts)
    money = claims[claims["type"] == "money"].set_index("article_id")
    assert money.loc["x0", "unit"] == "$" and "ambiguous" not in money.loc["x0", "note"] and "could be" in money.loc["x0", "note"]
    assert money.loc["y0", "unit"] == "USD"
    g = compare_claims(claims, arts)
    assert g[g["type"] == "money"].iloc[0]["status"] == "corroborated"


def test_dollar_follows_the_outlets_country():
    arts = _articles(["The grant of $A8,800 and a further $5,000 was approved."], ["ABC"], country="Australia")
    money = extract_claims(arts).query("type == 'money'")
    assert money["unit"].tolist() == ["AUD", "AUD"]
    assert "Australia" in money["note"].iloc[1]


# --- extraction coverage ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def news_claims():
    arts = _articles(["\n\n".join(NEWS)], ["Gazette"])
    c = extract_claims(arts)
    return {(r.expression, r.type): r for r in c.itertuples()}


@pytest.mark.parametrize("expression, ctype, value, unit", [
    ("Tuesday", "date", "2024-06-04", None),
    ("last night", "date", "2024-06-05", None),
    ("7.30pm", "time", "19:30", None),
    ("28-year-old", "age", "28", "years"),
    ("33", "age", "33", "years"),
    ("12-day", "duration", "12", "day"),
    ("40 hours", "duration", "40", "hour"),
    ("72nd", "rank", "72", "place"),
    ("12th", "rank", "12", "title"),
    ("five thousand dollars", "money", "5000", "$"),
    ("two dozen", "count", "24", "volunteer"),
    ("15", "count", "15", "member"),
    ("four", "count", "4", "officer"),
    ("1,000", "count", "1000", "neighbour"),
    ("50 metres", "quantity", "50", "metre"),
    ("300", "count", "300", "resident"),
    ("Dozens", "count", "24", "boat"),
])
def test_extraction_forms(news_claims, expression, ctype, value, unit):
    r = news_claims[(expression, ctype)]
    assert r.value == value
    assert (pd.isna(r.unit) and unit is None) or r.unit == unit


def test_approximate_amounts_are_marked(news_claims):
    assert news_claims[("300", "count")].approximate and news_claims[("Dozens", "count")].approximate
    assert not news_claims[("14", "count")].approximate


def test_years_names_and_scores_are_not_counts():
    arts = _articles(["His 1999 canyoning trip ended when a B-52 and two F-16 jets flew over; Rovers won 2-0."], ["Gazette"])
    c = extract_claims(arts)
    counts = c[c["type"] == "count"]
    assert counts["expression"].tolist() == ["two"]  # two jets, not 16 jets or 52 or 2-0
    assert c[c["expression"] == "1999"]["type"].tolist() == ["date"]


def test_a_date_without_a_year_takes_one_only_from_its_sentence():
    text = ("The base opened in July 1961 and was extended in 1975. " * 3
            + "In March the base was closed. Later that year, on 4 May, it reopened. In April 2019 and on 2 June it flooded.")
    c = extract_claims(_articles([text], ["Gazette"])).set_index("expression")
    assert c.loc["March", "value"] == "2024-03"  # not 1961 or 1975: nearest March before publication
    assert c.loc["4 May", "value"] == "1975-05-04" and "that year" in c.loc["4 May", "note"]
    assert c.loc["2 June", "value"] == "2019-06-02" and "same sentence" in c.loc["2 June", "note"]


def test_currency_forms():
    arts = _articles(["Fines of 7,500 Swiss francs, CHF 200, €40m, £3bn and A$5m were paid."], ["Gazette"])
    money = extract_claims(arts).query("type == 'money'")
    assert list(zip(money["value"], money["unit"])) == [("7500", "CHF"), ("200", "CHF"), ("40000000", "EUR"),
                                                        ("3000000000", "GBP"), ("5000000", "AUD")]


def test_a_year_elsewhere_in_a_long_sentence_is_not_taken():
    text = ("Following the death of his father Gerhard in January, Alexander Stodden has since taken over the "
            "family winery, which has been in operation since 1900.")
    c = extract_claims(_articles([text], ["DW"], published="2013-06-10")).set_index("expression")
    assert c.loc["January", "value"] == "2013-01" and "1900" not in c.loc["January", "value"]


def test_decades_centuries_and_tenfold():
    arts = _articles(["In the late 19th and early 20th centuries, and again in the 1980s, the bird population rose tenfold."], ["G"])
    c = extract_claims(arts).set_index("expression")
    assert c.loc["late 19th", "value"] == "18XX" and c.loc["early 20th centuries", "value"] == "19XX"
    assert c.loc["1980s", "value"] == "198X"
    assert (c.loc["tenfold", "type"], c.loc["tenfold", "value"]) == ("quantity", "10")


def test_two_different_approximate_figures_conflict_but_about_and_exact_agree():
    a = "About 300 residents attended the meeting at the town hall, the organisers said."
    arts = _articles([a, a.replace("About 300", "About 400"), a.replace("About 300", "Exactly 312")], ["G", "H", "S"])
    claims = extract_claims(arts)
    pair = compare_claims(claims[claims["article_id"] != "x2"], arts)
    assert pair[pair["type"] == "count"].iloc[0]["status"] == "conflicting"
    pair = compare_claims(claims[claims["article_id"] != "x1"], arts)
    assert pair[pair["type"] == "count"].iloc[0]["status"] == "more_specific"


def test_game_numbers_are_ranks_and_zero_hours_or_first_steps_are_not_claims():
    arts = _articles(["In game four, the first step was easy; staff on zero-hours contracts and a net zero pledge "
                      "were mentioned today, and the Worlds 2023 champions won a second title."], ["G"])
    c = extract_claims(arts)
    got = set(zip(c["expression"], c["type"]))
    assert ("four", "rank") in got and ("2023", "date") in got and ("second", "rank") in got
    assert not {e for e, _ in got} & {"zero", "first", "today"}


def test_a_changed_range_conflicts():
    a = "Ministers said 16 to 17 year olds would get the vote at the next election, the party said."
    arts = _articles([a, a.replace("16 to 17", "16 to 18")], ["G", "H"])
    g = compare_claims(extract_claims(arts), arts)
    assert g[g["type"] == "age"].iloc[0]["status"] == "conflicting"


def test_the_same_sentence_printed_on_different_days_never_conflicts():
    # wire copy republished a week later: "Last week" is read against each article's date, but it is the same text
    text = "Last week it was revealed that council staff had drafted and then posted tweets on his Twitter account."
    arts = _two(text, text, dates=("2024-03-04", "2024-03-12"))
    claims = extract_claims(arts)
    assert claims[claims["expression"] == "Last week"]["value"].nunique() == 2  # resolved against each date
    agreement = compare_claims(claims, arts)
    row = agreement[agreement["type"] == "date"].iloc[0]
    assert row["status"] == "corroborated" and row["n_sources"] == 2
    assert "same words" in row["detail"] and "publication date" in row["detail"]


def test_the_manifest_country_says_which_dollar(tmp_path):
    """#15: a manifest's `country` column reaches the articles table, so "$5m" follows the outlet's country."""
    from quotetrace import load_corpus

    text = "The council said on Monday the new library cost $5m to build."
    for name in ("au.txt", "us.txt", "none.txt"):
        (tmp_path / name).write_text(text.replace("council", f"council ({name})"))
    (tmp_path / "manifest.csv").write_text(
        "file,outlet,country\nau.txt,The Age,Australia\nus.txt,The Post,US\nnone.txt,Some Blog,\n"
    )
    articles = load_corpus(tmp_path)
    money = extract_claims(articles).merge(articles[["article_id", "path"]], on="article_id")
    money = money[money["type"] == "money"].set_index("path")
    assert money.at["au.txt", "unit"] == "AUD"
    assert money.at["us.txt", "unit"] == "USD"
    assert money.at["none.txt", "unit"] == "$"
    assert "country is not known" in money.at["none.txt", "note"]


def _one(text: str, published="2013-11-27", precision="day", country=None) -> pd.DataFrame:
    arts = pd.DataFrame({"article_id": ["a"], "text": [text], "published": [pd.Timestamp(published)],
                         "published_precision": [precision], **({"country": [country]} if country else {})})
    return extract_claims(arts)


def test_a_relative_week_is_unresolved_when_only_the_month_of_publication_is_known():
    claims = _one("Last week it was revealed that council staff had drafted tweets for the leader.", "2015-01-01", "month")
    row = claims[claims["expression"] == "Last week"].iloc[0]
    assert pd.isna(row["value"]) or row["value"] == "None"  # not a guessed five-week range
    assert "not resolved" in row["note"] and "2014-12-22" in row["note"] and "2015-01-25" in row["note"]
    day = _one("Last week it was revealed that council staff had drafted tweets for the leader.", "2015-01-07")
    assert day[day["expression"] == "Last week"].iloc[0]["value"] == "2014-12-29/2015-01-04"


def test_yesterday_is_unresolved_when_only_the_month_of_publication_is_known():
    claims = _one("The council leader said yesterday that he would not resign over the tweets.", "2015-01-01", "month")
    row = claims[claims["expression"] == "yesterday"].iloc[0]
    assert pd.isna(row["value"]) or row["value"] == "None"
    assert "not resolved" in row["note"]


def test_a_relative_date_in_a_quoted_tweet_is_read_against_the_tweets_date():
    text = ("Several of the tweets are political. Two examples from 23 September read: “Moribound Miliband talks of a "
            "national mission. A mission to economic disaster. Back to where we were five years ago.”\n\n"
            "The council said the problem started five years ago.")
    claims = _one(text, "2015-01-07")
    ago = claims[claims["expression"] == "five years ago"]
    assert ago["value"].tolist() == ["2009", "2010"]  # in the 2014 tweet; then in the article's own words
    assert "23 September" in ago.iloc[0]["note"]


def test_a_weekday_in_a_future_tense_clause_is_the_coming_one():
    text = ("The storm struck on Wednesday, officials said Wednesday. A decision will be made Thursday morning "
            "before the parade. Snow could continue to be a problem overnight and Thursday for the Northeast.")
    claims = _one(text, "2013-11-27")  # a Wednesday
    days = claims[claims["type"] == "date"].set_index("start")["value"].tolist()
    assert days == ["2013-11-27", "2013-11-27", "2013-11-28", "2013-11-28"]
    past = _one("Officials said on Thursday that the roads were clear.", "2013-11-27")
    assert past[past["type"] == "date"]["value"].tolist() == ["2013-11-21"]


@pytest.mark.parametrize("text, expression, value, unit", [
    ("Storms resulted in delays of 30 minutes to an hour at three airports.", "30 minutes to an hour", "30-60", "minute"),
    ("The repairs will take two to three weeks, the council said.", "two to three weeks", "2-3", "week"),
    ("The trial lasted five or six days in the spring.", "five or six days", "5-6", "day"),
])
def test_duration_ranges_in_words_are_one_claim(text, expression, value, unit):
    claims = _one(text)
    row = claims[claims["type"] == "duration"]
    assert row["expression"].tolist() == [expression]
    assert row.iloc[0]["value"] == value and row.iloc[0]["unit"] == unit


def test_an_ordinal_range_is_one_rank():
    claims = _one("They lost to Weibo Gaming 3-1 in the semifinals to finish in 3rd-4th place.")
    rank = claims[claims["type"] == "rank"]
    assert rank["expression"].tolist() == ["3rd-4th"] and rank.iloc[0]["value"] == "3-4"
    arts = _articles(["The team lost in the semifinals to finish in 3rd-4th place at the Worlds championship."] * 2, ["G", "H"])
    arts.loc[1, "text"] = arts.loc[1, "text"].replace("3rd-4th", "5th-6th")
    g = compare_claims(extract_claims(arts), arts)
    assert g[g["type"] == "rank"].iloc[0]["status"] == "conflicting"


_NUMBER_TOKENS = ["3", "12", "1,000", "4.5", "£12m", "$A8,800", "two", "twenty-five", "a", "an", "A", "one", "ten",
                  "tenant", "kittens", "of", "thousands", "hundreds", "dozens", "a dozen", "per cent", "%", "years",
                  "year", "-year-old", "minutes", "to", "an hour", "metres", "mph", "fold", "-strong", "people", "the",
                  "Panama", "data", "B-52", "2-0", "in", "for", "about", "x", ",", ".", "(", "-", "15-member"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_NUMBER_TOKENS), min_size=1, max_size=14), st.lists(st.sampled_from(["", " ", "  "]), min_size=14, max_size=14))
def test_number_patterns_tried_at_anchors_find_what_a_full_scan_finds(tokens, gaps):
    """Speed (#15, 1 MB paragraph): number-led patterns run only where a number can start; same matches."""
    from quotetrace import claims as c

    s = "".join(t + g for t, g in zip(tokens, gaps))
    at = c._anchors(s)
    for p in (c._PERCENT_RE, c._MONEY_RES[1], c._AGE_RES[0], c._FOLD_RE, c._HYPHEN_RE, c._DURATION_RANGE_RE,
              c._DURATION_RE, c._QUANTITY_RE, c._COUNT_RE):
        assert [m.span() for m in c._anchored(p, s, at)] == [m.span() for m in p.finditer(s)], (p.pattern[:40], s)


def test_a_forked_article_context_keeps_its_own_subjects():
    """The claims' context is built once and the attributor works on a fork: noting a quote's speaker in the
    fork must not change whom a pronoun in the claims' context resolves to."""
    from quotetrace.quotes import ArticleContext, quote_spans

    text = "Jane Smith arrived. “We are ready,” said Tom Brown.\n\nShe said the bridge cost £5m."
    spans = quote_spans(text)
    ctx = ArticleContext(text, spans)
    before = list(ctx.subjects)
    twin = ctx.fork()
    from quotetrace.quotes import RuleAttributor

    RuleAttributor().attribute(text, spans, context=twin)
    assert len(twin.subjects) > len(before)  # the attributor noted the quote's speaker in the fork
    assert ctx.subjects == before and twin.mentions is ctx.mentions


@pytest.mark.parametrize("text, country, expression, value", [
    ("The agency said 416 motorists died during Thanksgiving weekend last year.", "US", "Thanksgiving weekend last year", "2012-11-22/2012-11-25"),
    ("Turkey sales fell at Thanksgiving last year, the grocers said.", "Canada", "Thanksgiving last year", "2012-10-08"),
    ("The shop was closed on Christmas Day last year after the flood.", "UK", "Christmas Day last year", "2012-12-25"),
    ("The council said the roads were closed at Easter this year.", "UK", "Easter this year", "2013-03-31"),
])
def test_a_holiday_with_a_relative_year_is_one_date(text, country, expression, value):
    claims = _one(text, "2013-11-27", country=country)
    dates = claims[claims["type"] == "date"]
    assert dates["expression"].tolist() == [expression] and dates.iloc[0]["value"] == value


def test_a_weekday_after_could_not_or_was_expected_to_is_past():
    text = ("The spokesman could not be reached for comment on Monday. The vote was expected to take place on Tuesday. "
            "The vote is expected to take place on Friday.")
    claims = _one(text, "2013-11-27")  # a Wednesday
    assert claims[claims["type"] == "date"]["value"].tolist() == ["2013-11-25", "2013-11-26", "2013-11-29"]
