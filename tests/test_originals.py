"""Originals: readers, the check against them, the timeline, and ClaimReview export."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import quotetrace as qt
from quotetrace.errors import (
    BadRecordError,
    CaptionFileError,
    NoTextLayerError,
    ParameterError,
    TweetArchiveError,
    UnsupportedFormatError,
)
from quotetrace.originals import CHECK_COLUMNS, CHECK_VERDICTS, ORIGINAL_COLUMNS, same_person
from quotetrace.readers import split_turns

FIXTURES = Path(__file__).parent / "fixtures"


# --- helpers --------------------------------------------------------------------------------


def _pdf(lines: list[str] | None) -> bytes:
    """A one-page PDF: with ``lines`` of text in its text layer, or (None) only a drawn shape, like a scan."""
    if lines:
        ops = [b"BT /F1 12 Tf 72 720 Td 14 TL"] + [b"(" + line.encode("latin-1") + b") Tj T*" for line in lines] + [b"ET"]
        content = b"\n".join(ops)
    else:
        content = b"0.5 g 72 72 400 600 re f"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for i, obj in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def _tweets(*tweets: dict, head: str = "window.YTD.tweets.part0 = ") -> str:
    return head + json.dumps([{"tweet": t} for t in tweets], indent=2)


def _quotes(*rows) -> pd.DataFrame:
    """rows: (quote, speaker) pairs."""
    return pd.DataFrame(
        [{"quote_id": f"q{i}", "article_id": f"a{i}", "quote": q, "speaker": sp} for i, (q, sp) in enumerate(rows)]
    )


def _originals(*rows) -> pd.DataFrame:
    """rows: (speaker, text) pairs."""
    return pd.DataFrame([{"original_id": f"o{i}", "speaker": sp, "text": t} for i, (sp, t) in enumerate(rows)])


@pytest.fixture(scope="module")
def demo():
    return qt.verify_originals("harbourview")


# --- the demo corpus: every verdict kind ---------------------------------------------------------


def test_demo_articles_leave_the_originals_out():
    articles = qt.load_corpus(qt.bundled_corpus("harbourview"))
    assert sorted(articles["outlet"]) == ["Bay Herald", "Coastal Echo", "Evening Lantern", "Harbourview Gazette"]
    assert not any("originals/" in p for p in articles["path"])


def test_demo_every_verdict(demo):
    checks = demo.checks.merge(demo.articles[["article_id", "outlet"]], on="article_id")
    by_outlet = {(r.outlet, r.verdict) for r in checks.itertuples()}
    assert ("Harbourview Gazette", "accurate") in by_outlet
    assert ("Coastal Echo", "misquoted") in by_outlet
    assert ("Evening Lantern", "cut") in by_outlet
    assert ("Bay Herald", "misattributed") in by_outlet
    assert ("Evening Lantern", "not_in_originals") in by_outlet  # a reader's words: nobody's original
    assert set(checks["verdict"].astype(str)) == set(CHECK_VERDICTS)
    assert list(demo.checks.columns) == CHECK_COLUMNS


def test_demo_evidence(demo):
    c = demo.checks.set_index("verdict", drop=False)
    typo = c.loc["misquoted"]
    assert typo["differences"] == [("moribound", "moribund")]
    assert typo["original_kind"] == "tweet" and typo["published"] == pd.Timestamp("2026-03-02 08:15")
    cut = c.loc["cut"]
    assert cut["hidden_by_ellipsis"] == ["not"]  # the words the ellipsis hid are shown
    assert "unless the county withdraws its grant" in cut["left_out"]
    assert cut["drops_qualifier"] and set(cut["qualifiers"]) == {"not", "unless"}
    assert cut["time_start"] == 66.5  # the caption cue where the words are spoken
    wrong = c.loc["misattributed"]
    assert wrong["speaker"] == "Ada Whitlock" and wrong["original_speaker"] == "Tom Beck"
    assert wrong["wording"] == "accurate" and wrong["searched"] == "all"
    good = c.loc["accurate"]
    assert good["searched"] == "speaker" and good["differences"] == [] and not good["drops_qualifier"]
    for row in demo.checks[demo.checks["original_id"].notna()].itertuples():
        original = demo.originals.set_index("original_id").loc[row.original_id, "text"]
        assert original[row.original_start : row.original_end] == row.original_text
    assert "Tom Beck's words, not Ada Whitlock's" in wrong["evidence"]


def test_demo_timeline(demo):
    t = demo.timeline
    tweet = t[t["kind"] == "tweet"]
    assert list(tweet["outlet"]) == ["Harbourview Gazette", "Coastal Echo"]  # first reported first
    assert list(tweet["delay_days"]) == [0, 1]
    herald = t[t["outlet"] == "Bay Herald"].iloc[0]
    assert herald["speaker"] == "Tom Beck" and herald["verdicts"] == ["misattributed"]
    assert herald["original_published"] == pd.Timestamp("2026-03-04 18:30") and herald["delay_days"] == 2


# --- readers ------------------------------------------------------------------------------------


def test_demo_originals_table():
    o = qt.load_originals(qt.bundled_corpus("harbourview"))
    assert list(o.columns) == ORIGINAL_COLUMNS
    tweets = o[o["kind"] == "tweet"]
    assert len(tweets) == 4 and set(tweets["account"]) == {"AdaWhitlockHV"}
    assert tweets["is_retweet"].tolist() == [False, False, True, False]
    assert tweets["is_reply"].tolist() == [False, False, False, True]
    assert "&amp;" not in tweets["text"].iloc[2] and "Rooms & online" in tweets["text"].iloc[2]
    assert tweets["url"].iloc[0] == "https://x.com/AdaWhitlockHV/status/1896001000000000101"
    turns = o[o["kind"] == "transcript"]
    assert turns["speaker"].tolist() == ["Mayor Rosa Quill", "Ada Whitlock", "Tom Beck", "Mayor Rosa Quill"]
    ada = turns[turns["speaker"] == "Ada Whitlock"].iloc[0]
    assert ada["time_start"] == 62.0 and ada["time_end"] == 76.0 and len(ada["cues"]) == 3
    a, b, t0, _ = ada["cues"][1]
    assert ada["text"][a:b] == "We will not close the Quayside library unless the county withdraws its grant." and t0 == 66.5
    # the originals folder alone reads the same words (speaker from account.js)
    alone = qt.load_originals(qt.bundled_corpus("harbourview") / "originals")
    assert sorted(alone["text"]) == sorted(o["text"])
    assert set(alone.loc[alone["kind"] == "tweet", "speaker"]) == {"Ada Whitlock"}


def test_tweet_archive_times_are_utc_and_bad_tweets_are_listed(write):
    write(
        "tweet.js",
        _tweets(
            {"id_str": "1", "created_at": "Mon Mar 02 09:15:00 +0100 2026", "full_text": "Ferry talks resume on Monday &amp; Tuesday."},
            {"id_str": "2", "created_at": "Mon Mar 02 10:00:00 +0000 2026"},
            {"id_str": "3", "created_at": "yesterday", "full_text": "A tweet with a bad time."},
            head="window.YTD.tweet.part0 = ",
        ),
    )
    path = Path(write("manifest.csv", "file,speaker,account\ntweet.js,Ada Whitlock,@AdaWhitlockHV\n")).parent
    with pytest.raises(BadRecordError, match="tweet 2 has no text"):
        qt.load_originals(path)
    o = qt.load_originals(path, errors="skip")
    assert o["text"].tolist() == ["Ferry talks resume on Monday & Tuesday."]
    assert o["published"].iloc[0] == pd.Timestamp("2026-03-02 08:15")
    assert o["account"].iloc[0] == "AdaWhitlockHV" and o["speaker"].iloc[0] == "Ada Whitlock"
    problems = o.attrs["problems"]
    assert problems["problem"].tolist() == ["BadRecordError", "BadDateError"] and problems["row"].tolist() == [2, 3]


def test_broken_tweet_archive(write):
    path = write("tweets.js", "window.YTD.tweets.part0 = [ {\"tweet\": ")
    with pytest.raises(TweetArchiveError, match="tweets.js is not a readable X/Twitter archive"):
        qt.load_originals(path)
    o = qt.load_originals(path.parent, errors="skip")
    assert o.empty and o.attrs["problems"]["problem"].tolist() == ["TweetArchiveError"]


def test_name_colon_transcript(write):
    text = (
        "Harbourview Borough Council, planning committee, 12 May 2026\n\n"
        "[00:00:04] CHAIR: Item one, the harbour wall.\n"
        "[00:00:09] Cllr Tom Beck: The wall will be repaired in June\nand finished before the storms.\n"
        "[00:01:30] CHAIR: Thank you.\n"
    )
    turns = split_turns(text, speaker="Clerk")
    assert [t["speaker"] for t in turns] == ["Clerk", "Chair", "Cllr Tom Beck", "Chair"]
    for t in turns:
        assert text[t["start"] : t["end"]] == t["text"]
    assert turns[2]["time_start"] == 9.0 and turns[2]["text"].endswith("before the storms.")
    o = qt.load_originals(write("planning.txt", text))
    assert o["kind"].tolist() == ["transcript"] * 4 and o["time_start"].iloc[3] == 90.0
    assert o["start"].iloc[1] > 0


def test_srt_captions_and_bad_captions(write):
    srt_text = (
        "1\n00:00:01,000 --> 00:00:03,000\nTOM BECK: The leader says the sums add up.\n\n"
        "2\n00:00:03,000 --> 00:00:05,500\nThey do not.\n\n"
        "3\n00:00:06,000 --> 00:00:08,000\nADA WHITLOCK: They do.\n"
    )
    o = qt.load_originals(write("debate.srt", srt_text))
    assert o["speaker"].tolist() == ["Tom Beck", "Ada Whitlock"]
    assert o["text"].iloc[0] == "The leader says the sums add up. They do not."
    assert o["time_end"].iloc[0] == 5.5 and o["format"].iloc[0] == "srt"
    bad = write("broken.vtt", "this is not a caption file\n")
    with pytest.raises(CaptionFileError, match="broken.vtt is not a readable WebVTT caption file"):
        qt.load_originals(bad)


def test_pdf_statement_and_scanned_pdf(write):
    o = qt.load_originals(write("statement.pdf", _pdf(["The council will not sell the Quayside site.", "Ada Whitlock, leader"])))
    assert o["kind"].tolist() == ["statement"] and "will not sell the Quayside site" in o["text"].iloc[0]
    scan = write("scan.pdf", _pdf(None))
    with pytest.raises(NoTextLayerError, match="without a text layer.*OCR"):
        qt.load_originals(scan)
    skipped = qt.load_originals(scan.parent, errors="skip")
    assert len(skipped) == 1 and skipped.attrs["problems"]["problem"].tolist() == ["NoTextLayerError"]


def test_html_statement_and_manifest_metadata(write):
    write(
        "release.html",
        "<html><head><title>Statement</title></head><body><article><h1>Statement on the ferry</h1>"
        "<p>The council has no plans to restart the winter ferry this year, the leader said in a statement today.</p>"
        "<p>A decision will be taken after the county's transport review is published.</p></article></body></html>",
    )
    write("notes.docx", b"PK\x03\x04 not read")
    folder = write("manifest.csv", "file,speaker,published,url\nrelease.html,Ada Whitlock,2026-03-01,https://harbourview.example/news/ferry\n").parent
    o = qt.load_originals(folder)
    assert o["kind"].tolist() == ["statement"] and o["speaker"].iloc[0] == "Ada Whitlock"
    assert o["published"].iloc[0] == pd.Timestamp("2026-03-01") and o["url"].iloc[0].endswith("/ferry")
    assert "no plans to restart the winter ferry" in o["text"].iloc[0]
    with pytest.raises(UnsupportedFormatError, match="notes.docx"):
        qt.load_originals(folder / "notes.docx")


def test_manifest_role_is_checked(write):
    write("a.txt", "Some article text about the council.")
    folder = write("manifest.csv", "file,outlet,role\na.txt,Gazette,source\n").parent
    with pytest.raises(qt.CorpusError, match="role must be 'original' or 'report'"):
        qt.load_corpus(folder)


# --- checking ---------------------------------------------------------------------------------


def test_named_speaker_first_then_everyone():
    originals = _originals(
        ("Tom Beck", "The harbour wall repairs will start in June and finish before the winter storms."),
        ("Ada Whitlock", "As I said last week, the harbour wall repairs will start in June and finish before the winter storms."),
    )
    checks = check = qt.check_originals(
        _quotes(
            ("The harbour wall repairs will start in June", "Cllr Whitlock"),
            ("The harbour wall repairs will start in June", None),
            ("The harbour wall repairs will start in June", "Rosa Quill"),
        ),
        originals,
    )
    assert checks["verdict"].tolist() == ["accurate", "accurate", "misattributed"]
    assert check["original_id"].iloc[0] == "o1" and check["searched"].iloc[0] == "speaker"


def test_wording_verdicts():
    originals = _originals(
        ("Ada Whitlock", "We won't raise council tax above two per cent while I am leader. The budget protects every library branch in the borough."),
    )
    checks = qt.check_originals(
        _quotes(
            ("The budget protects every library branch in the borough", "Ada Whitlock"),
            ("The budget protects every branch in the borough", "Ada Whitlock"),  # one word dropped
            ("The budget protects every single library branch in the borough", "Ada Whitlock"),  # one word added
            ("We will raise council tax above two per cent while I am leader", "Ada Whitlock"),  # won't → will
            ("The budget protects every library branch in the borough and the swimming pool and both parks", "Ada Whitlock"),
        ),
        originals,
    )
    assert checks["verdict"].tolist() == ["accurate", "cut", "misquoted", "misquoted", "cut"]
    assert checks["left_out"].iloc[1] == ["library"]
    assert checks["added"].iloc[2] == ["single"]
    assert checks["differences"].iloc[3] == [("will", "won't")] and checks["qualifiers"].iloc[3] == ["won't"]
    assert checks["drops_qualifier"].tolist() == [False, False, False, True, False]
    assert "swimming pool" in " ".join(checks["added"].iloc[4])


def test_check_needs_its_columns():
    with pytest.raises(ParameterError, match="lacks column"):
        qt.check_originals(pd.DataFrame({"quote": ["x"]}), _originals(("A", "b")))


def test_same_person():
    assert same_person("Cllr Ada Whitlock", "ADA WHITLOCK")
    assert same_person("Ms Whitlock", "Ada Whitlock")
    assert same_person("@AdaWhitlock", "Ada Whitlock")
    assert not same_person("Ada Whitlock", "Tom Whitlock")
    assert not same_person("Ada Whitlock", "Tom Beck")
    assert not same_person(None, "Tom Beck")


_SENTENCES = [
    "The harbour wall repairs will start in June and finish before the winter storms arrive.",
    "Every branch library stays open this year and the mobile library keeps its Tuesday round.",
    "The county has promised a grant for the ferry but has not yet said how much it will be.",
    "Residents of the old quarter asked for more street lights along the river path last spring.",
]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 3), st.integers(0, 10), st.integers(6, 12))
def test_a_slice_of_an_original_is_accurate_and_located(k, start, length):
    """Invariant: any run of six or more words of an original, quoted as is, is accurate, and the
    offsets point at those words."""
    text = " ".join(_SENTENCES)
    words = _SENTENCES[k].rstrip(".").split()
    quote = " ".join(words[start : start + length])
    if len(quote.split()) < 6:
        return
    row = qt.check_originals(_quotes((quote, "Ada Whitlock")), _originals(("Ada Whitlock", text))).iloc[0]
    assert row["verdict"] in ("accurate", "cut")  # cut only when the next word is a condition ("but")
    assert text[row["original_start"] : row["original_end"]] == quote
    if row["verdict"] == "cut":
        assert row["left_out"] and row["drops_qualifier"]


# --- ClaimReview ------------------------------------------------------------------------------


def _vocabulary():
    data = json.loads((FIXTURES / "schemaorg" / "schemaorg-subset.json").read_text(encoding="utf-8"))
    return data["classes"], data["properties"]


def _ancestors(cls: str, classes: dict) -> set[str]:
    seen, todo = set(), [cls]
    while todo:
        c = todo.pop()
        if c not in seen:
            seen.add(c)
            todo.extend(classes.get(c, []))
    return seen


def _schema_problems(node, classes, properties, where="$") -> list[str]:
    """Every type and property used must exist in the schema.org vocabulary, each property must be one
    of its type's (domainIncludes, through the type's ancestors), and each value must fit its range."""
    problems = []
    t = node.get("@type")
    if t not in classes:
        return [f"{where}: unknown type {t!r}"]
    lineage = _ancestors(t, classes)
    for key, value in node.items():
        if key in ("@context", "@type", "@id"):
            continue
        prop = properties.get(key)
        if prop is None:
            problems.append(f"{where}.{key}: not a property for {t}")
            continue
        if not set(prop["domain"]) & lineage:
            problems.append(f"{where}.{key}: not a property of {t} (domain {prop['domain']})")
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, dict):
                if not _ancestors(v.get("@type", ""), classes) & set(prop["range"]):
                    problems.append(f"{where}.{key}: a {v.get('@type')} is not in its range {prop['range']}")
                problems += _schema_problems(v, classes, properties, f"{where}.{key}")
            else:
                ranges = set().union(*(_ancestors(r, classes) for r in prop["range"]))
                if "DataType" not in ranges:
                    problems.append(f"{where}.{key}: a literal where {prop['range']} is expected")
    return problems


def test_claimreview_is_valid_schema_org(demo):
    docs = qt.claimreview_jsonld(demo.checks, demo.articles, author="Harbourview Fact Check", author_url="https://factcheck.example", date_published="2026-03-07", review_url="https://factcheck.example/harbourview")
    classes, properties = _vocabulary()
    assert len(docs) == 4  # not_in_originals is not published
    for doc in docs:
        assert _schema_problems(doc, classes, properties) == []
        assert doc["@context"] == "https://schema.org" and doc["@type"] == "ClaimReview"
        assert doc["reviewRating"]["alternateName"] and doc["itemReviewed"]["appearance"][0]["url"].startswith("https://")
    cut = next(d for d in docs if d["reviewRating"]["ratingValue"] == 2)
    assert cut["claimReviewed"] == "We will … close the Quayside library"
    assert cut["itemReviewed"]["appearance"][0]["datePublished"] == "2026-03-05"
    assert cut["itemReviewed"]["firstAppearance"]["url"] == "https://harbourview.example/meetings/2026-03-04"
    assert "'not'" in cut["reviewBody"]


def test_schema_check_catches_wrong_markup():
    classes, properties = _vocabulary()
    bad = {"@type": "ClaimReview", "claimReviewed": "x", "verdict": "false", "reviewRating": {"@type": "Rating", "appearance": []}, "author": "Jane"}
    problems = _schema_problems(bad, classes, properties)
    assert any("verdict" in p for p in problems)
    assert any("appearance: not a property of Rating" in p for p in problems)
    assert any("author: a literal" in p for p in problems)


def test_fact_checker_verdict_overrides_and_file_is_written(demo, tmp_path):
    accurate = demo.checks.loc[demo.checks["verdict"] == "accurate", "quote_id"].iloc[0]
    docs = qt.claimreview_jsonld(demo.checks, demo.articles, author="HFC", date_published="2026-03-07", verdicts={accurate: "misquoted"})
    assert sorted(d["reviewRating"]["ratingValue"] for d in docs) == [1, 2, 3, 3]
    path = qt.write_claimreview(docs, tmp_path / "claimreview.jsonld")
    assert json.loads(path.read_text(encoding="utf-8")) == docs
    with pytest.raises(ParameterError, match="author"):
        qt.claimreview_jsonld(demo.checks, author="")


def test_long_statement_and_many_originals_offsets():
    """The quote is found in the one original that has it, by the index, at the right offsets
    however far into a long statement it stands."""
    filler = " ".join(f"Item {k} of the plan concerns ward {k % 17} and its {k % 5} parks." for k in range(400))
    quote = "The Quayside site will never be sold to a developer while this council sits"
    statement = filler + " " + quote + ". " + filler
    originals = _originals(*[("Tom Beck", f"Tom Beck spoke about ward {k} and its {k} parks.") for k in range(300)], ("Ada Whitlock", statement))
    row = qt.check_originals(_quotes((quote, "Ada Whitlock")), originals).iloc[0]
    assert row["verdict"] == "accurate" and row["original_id"] == "o300"
    assert row["original_start"] == len(filler) + 1 and statement[row["original_start"] : row["original_end"]] == quote


def test_no_originals_means_not_in_originals(tweetgate):
    quotes = qt.extract_quotes(tweetgate)
    checks = qt.check_originals(quotes, pd.DataFrame(columns=ORIGINAL_COLUMNS))
    assert len(checks) == len(quotes) and set(checks["verdict"].astype(str)) == {"not_in_originals"}


def test_a_few_shared_words_are_not_the_original():
    originals = _originals(("Ada Whitlock", "The little golden key opens the council chamber, and the mayor keeps it on her desk."))
    checks = qt.check_originals(
        _quotes(
            ("Now I will manage better this time, she said, taking the little golden key and unlocking the door to the garden", "Ada Whitlock"),
            ("The little golden key opens the council chamber", "Ada Whitlock"),
        ),
        originals,
    )
    assert checks["verdict"].tolist() == ["not_in_originals", "accurate"]
    with pytest.raises(ParameterError, match="min_coverage"):
        qt.check_originals(_quotes(("x y z", None)), originals, min_coverage=0)


def test_words_found_only_in_a_retweet_are_flagged():
    originals = pd.DataFrame(
        [
            {"original_id": "o0", "speaker": "Ada Whitlock", "is_retweet": True, "text": "RT @HarbourviewBC: Budget meeting on Wednesday 4 March at 6.30pm in the Assembly Rooms"},
        ]
    )
    row = qt.check_originals(_quotes(("Budget meeting on Wednesday 4 March at 6.30pm in the Assembly Rooms", "Ada Whitlock")), originals).iloc[0]
    assert row["verdict"] == "accurate" and row["in_retweet"] and "retweet" in row["evidence"]


def test_manifest_dates_of_originals(write):
    write("a.txt", "The council will publish its accounts on Friday, the leader said in a statement.")
    write("b.txt", "The harbour wall repairs will start in June and finish before the winter storms.")
    write("c.txt", "Every branch library stays open this year, the leader said in a statement.")
    folder = write("manifest.csv", "file,published\na.txt,07.01.26\nb.txt,2026-03-04T18:30:00+01:00\nc.txt,next week\n").parent
    with pytest.raises(qt.BadDateError, match="row 4.*'next week'"):
        qt.load_originals(folder)
    o = qt.load_originals(folder, errors="skip")
    assert o["published"].tolist() == [pd.Timestamp("2026-01-07"), pd.Timestamp("2026-03-04 17:30")]  # day first; UTC
    assert o.attrs["problems"]["row"].tolist() == [4]


def test_hostile_originals_are_skipped_with_reasons(write):
    write("fake.pdf", b"not a pdf at all")
    write("empty.vtt", "")
    write("tags_only.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<b></b>\n")
    write("tweets.js", '[{"x": 1}, "str"]')
    write("latin1.srt", "1\n00:00:01,000 --> 00:00:02,000\nCaf\xe9\n".encode("latin-1"))
    write("utf16.srt", "1\n00:00:01,000 --> 00:00:02,000\nADA WHITLOCK: Café hours stay the same.\n".encode("utf-16"))
    o = qt.load_originals(write("notes.md", "Café hours stay the same, the leader said.").parent, errors="skip")
    assert sorted(o["path"]) == ["notes.md", "utf16.srt"] and o.loc[o["path"] == "utf16.srt", "speaker"].item() == "Ada Whitlock"
    problems = o.attrs["problems"].set_index("path")["problem"]
    assert problems["fake.pdf"] == "NoTextLayerError" and problems["empty.vtt"] == "CaptionFileError"
    assert problems["tags_only.vtt"] == "EmptyArticleError" and problems["latin1.srt"] == "EncodingError"
    assert list(problems[problems.index == "tweets.js"]) == ["BadRecordError", "BadRecordError"]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 3), st.integers(2, 12), st.booleans())
def test_a_dropped_or_misspelt_word_is_found(k, i, misspell):
    """Invariant: drop one inner word of an original's sentence and the quote is ``cut``, showing that
    word; misspell it instead and the quote is ``misquoted``, pairing the misspelling with the word."""
    text = " ".join(_SENTENCES)
    words = _SENTENCES[k].rstrip(".").split()
    i = min(i, len(words) - 3)
    word = words[i]
    if misspell:
        if len(word) < 5:
            return
        changed = word[:2] + word[3] + word[2] + word[4:] if word[2] != word[3] else word[:2] + word[2] + word[2:]
        quote = " ".join(words[:i] + [changed] + words[i + 1 :])
    else:
        quote = " ".join(words[:i] + words[i + 1 :])
    row = qt.check_originals(_quotes((quote, "Ada Whitlock")), _originals(("Ada Whitlock", text))).iloc[0]
    if misspell:
        assert row["verdict"] == "misquoted" and (changed, word) in row["differences"]
    else:
        assert row["verdict"] == "cut" and row["left_out"][0] == word


def test_exports(demo, tmp_path):
    files = qt.write_originals_exports(demo, tmp_path / "out", author="Harbourview Fact Check", date_published="2026-03-07")
    assert [f.name for f in files] == ["originals.csv", "originals_checks.csv", "originals_timeline.csv", "claimreview.jsonld"]
    checks = pd.read_csv(tmp_path / "out" / "originals_checks.csv")
    assert sorted(checks["verdict"]) == sorted(demo.checks["verdict"].astype(str))
    assert "text" not in pd.read_csv(tmp_path / "out" / "originals.csv").columns
    assert len(json.loads((tmp_path / "out" / "claimreview.jsonld").read_text(encoding="utf-8"))) == 4


# --- the report's "Against the originals" section ----------------------------------------------


def test_report_section_opens_with_every_verdict_and_its_evidence(demo):
    from quotetrace import tables

    shown = tables.originals_findings_html(demo.checks, demo.timeline, demo.articles, demo.originals)
    assert shown.count('id="qt-originals"') == 1 and "Against the originals" in shown
    assert "1 accurate, 1 misquoted, 1 cut, 1 misattributed and 1 not in the originals" in shown
    assert "8 originals (4 tweets, 4 transcript turns)" in shown
    checks = shown[shown.index('id="qt-original-checks"') : shown.index('id="qt-original-timeline"')]
    # misattributed first, then the cut that drops "not", then the misquote; the accurate quote last
    order = [checks.index(w) for w in ("Bay Herald", "We will … close", "The <mark class=\"qt-b\">moribound</mark>", "It is where my children", "Harbourview Gazette")]
    assert order == sorted(order)
    assert "these are Tom Beck’s words</b>, not Ada Whitlock’s" in checks
    assert "changed: <b>moribound → moribund</b>" in checks
    assert "hidden by the ellipsis: <b>‘not’</b>" in checks and "left out by the cut: <b>‘unless the county withdraws its grant’</b>" in checks
    assert "drops ‘unless’, ‘not’: the cut changes the meaning" in checks
    assert 'We will <mark class="qt-a">not</mark> close the Quayside library' in checks  # the original's sentence, the hidden word marked
    assert "1:06 into the recording" in checks and "tweet by Ada Whitlock, 2026-03-02 08:15" in checks
    timeline = shown[shown.index('id="qt-original-timeline"') :]
    assert [timeline.index(o) for o in ("Harbourview Gazette", "Coastal Echo", "Evening Lantern", "Bay Herald")] == sorted(
        timeline.index(o) for o in ("Harbourview Gazette", "Coastal Echo", "Evening Lantern", "Bay Herald"))
    assert "the same day" in timeline and "2 days later" in timeline
    assert "Thank you, Madam Mayor" not in timeline  # the sentence quoted, not the whole turn


def test_report_section_is_empty_without_originals_and_escapes_everything(tweetgate):
    from quotetrace import tables

    none = qt.verify_originals(tweetgate)
    assert none.checks.empty and str(tables.originals_findings_html(none.checks, none.timeline, tweetgate, none.originals)) == ""
    evil = "<script>alert(1)</script>"
    originals = _originals(("Ada <b>Whitlock</b>", f"We will not close the {evil} library unless asked."))
    originals["url"], originals["kind"] = ["javascript:alert(1)"], ["statement"]
    quotes = _quotes((f"We will close the {evil} library", "Ada <b>Whitlock</b>"), ("words <img src=x onerror=alert(1)>", "<i>X</i>"))
    checks = qt.check_originals(quotes, originals)
    articles = pd.DataFrame({"article_id": ["a0", "a1"], "outlet": ["<b>Herald</b>", None], "path": ["h.txt", "<x>.txt"],
                             "published": pd.to_datetime(["2026-03-05", None])})
    shown = tables.originals_findings_html(checks, qt.originals_timeline(checks, articles), articles, originals)
    for raw in ("<script>", "<b>Whitlock", "<img", "<i>X", "<b>Herald", "<x>", "javascript:"):
        assert raw not in shown, raw
    assert "&lt;script&gt;" in shown and "&lt;b&gt;Herald&lt;/b&gt;" in shown
    only = tables.originals_findings_html(checks.iloc[:0], qt.originals_timeline(checks.iloc[:0], articles), articles, originals)
    assert "1 original (1 statement) given; no quotation of speech to check" in only


def test_report_section_shows_the_fact_checkers_verdict_beside_the_proposal(demo):
    from quotetrace import tables

    quotes = demo.quotes.set_index("quote")
    cut = quotes.loc["We will … close the Quayside library,", "quote_id"]
    clusters = pd.DataFrame({"cluster_id": ["c1", "c2"], "quote_ids": [[cut], [q for q in demo.quotes["quote_id"] if q != cut]]})
    verification = pd.DataFrame({"cluster_id": ["c1", "c2"], "verdict": ["false", None]})
    shown = tables.originals_findings_html(demo.checks, demo.timeline, demo.articles, demo.originals, clusters=clusters, verification=verification)
    row = shown[shown.index("We will … close") :]
    assert row.index("fact-checker: <b>false</b>") < row.index("</tr>")
    assert shown.count("fact-checker: <b>") == 1 and shown.count("proposed; not reviewed yet") == 4


def test_claimreview_rates_the_fact_checkers_verdict_and_marks_proposals_as_drafts(demo, tmp_path):
    """#19: a reviewed quote's ClaimReview rates the fact-checker's verdict and keeps the proposal in
    its description; unreviewed ones are drafts."""
    accurate = demo.checks.loc[demo.checks["verdict"] == "accurate", "quote_id"].iloc[0]
    cut = demo.checks.loc[demo.checks["verdict"] == "cut", "quote_id"].iloc[0]
    docs = qt.claimreview_jsonld(demo.checks, demo.articles, author="HFC", date_published="2026-03-07",
                                 verdicts={accurate: "misquoted", cut: "cut"})
    overridden = [d for d in docs if d.get("description") == "proposed: accurate; overridden: misquoted"]
    confirmed = [d for d in docs if d.get("description") == "proposed: cut; confirmed"]
    assert len(overridden) == 1 and overridden[0]["reviewRating"]["ratingValue"] == 3
    assert len(confirmed) == 1 and "creativeWorkStatus" not in confirmed[0]
    drafts = [d for d in docs if d not in overridden + confirmed]
    assert drafts and all(d["creativeWorkStatus"] == "Draft" and "not yet reviewed" in d["description"] for d in drafts)
    files = qt.write_originals_exports(demo, tmp_path, author="HFC", date_published="2026-03-07", verdicts={cut: "cut"})
    written = json.loads((tmp_path / "claimreview.jsonld").read_text(encoding="utf-8"))
    assert tmp_path / "claimreview.jsonld" in files
    assert sum(d.get("description") == "proposed: cut; confirmed" for d in written) == 1
