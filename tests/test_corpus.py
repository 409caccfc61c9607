"""load_corpus: every format, every bad input, and the bundled corpus."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pandas as pd
import pytest

from quotetrace import (
    ARTICLE_COLUMNS,
    BadDateError,
    BadRecordError,
    BinaryFileError,
    CorpusNotFoundError,
    DuplicateArticleError,
    EmptyArticleError,
    EncodingError,
    MissingArticleFileError,
    ParameterError,
    QuotetraceError,
    UnlistedArticleFileError,
    UnsafePathError,
    UnsupportedFormatError,
    load_corpus,
)

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "tweetgate"
FIXTURES = Path(__file__).parent / "fixtures"


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir()) if p.is_file()}


# --- the bundled corpus ---------------------------------------------------------------


def test_bundled_corpus_has_three_articles_with_manifest_metadata(tweetgate):
    assert list(tweetgate.columns) == ARTICLE_COLUMNS
    assert len(tweetgate) == 3
    by_file = tweetgate.set_index("path")
    assert by_file.loc["001_ad0301f7abd4950e.txt", "outlet"] == "Public Sector Executive"
    assert by_file.loc["001_ad0301f7abd4950e.txt", "published"] == pd.Timestamp("2015-01-07")
    assert by_file.loc["001_ad0301f7abd4950e.txt", "published_precision"] == "day"
    assert by_file.loc["002_57da4d22892e3414.txt", "outlet"] == "Macclesfield Express"
    assert by_file.loc["002_57da4d22892e3414.txt", "published"] == pd.Timestamp("2015-01-01")
    assert by_file.loc["002_57da4d22892e3414.txt", "published_precision"] == "month"
    # 000 names no outlet and no date: unknown, not invented.
    assert pd.isna(by_file.loc["000_1c846477041fe806.txt", "outlet"])
    assert pd.isna(by_file.loc["000_1c846477041fe806.txt", "published"])
    assert str(tweetgate["published"].dtype).startswith("datetime64")


def test_bundled_text_equals_the_files_byte_for_byte(tweetgate, tweetgate_dir):
    for row in tweetgate.itertuples():
        raw = (tweetgate_dir / row.path).read_bytes()
        assert row.text == raw.decode("utf-8")
        assert row.sha256 == hashlib.sha256(raw).hexdigest()
        assert row.encoding == "utf-8"


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared/ corpus not beside the checkout")
def test_bundled_copy_matches_shared_corpus(tweetgate_dir):
    for src in SHARED.iterdir():
        assert (tweetgate_dir / src.name).read_bytes() == src.read_bytes()


def test_article_ids_are_stable_and_content_derived(tweetgate, tweetgate_dir, tmp_path):
    again = load_corpus(tweetgate_dir)
    assert again["article_id"].tolist() == tweetgate["article_id"].tolist()
    # the same text under another name keeps its id
    src = tweetgate_dir / "001_ad0301f7abd4950e.txt"
    (tmp_path / "renamed.txt").write_bytes(src.read_bytes())
    moved = load_corpus(tmp_path / "renamed.txt")
    assert moved["article_id"].iloc[0] == tweetgate.set_index("path").loc[src.name, "article_id"]
    assert tweetgate["article_id"].is_unique


def test_loading_never_modifies_inputs(tweetgate_dir):
    before = _snapshot(tweetgate_dir)
    load_corpus(tweetgate_dir)
    assert _snapshot(tweetgate_dir) == before


# --- formats --------------------------------------------------------------------------


def test_folder_without_manifest_and_paragraphs_kept(write, tmp_path):
    write("b.txt", "Second article.\n\nIt has “two” paragraphs.\n")
    write("a.md", "# Heading\n\nFirst article’s text.")
    write("README.md", "not an article")
    articles = load_corpus(tmp_path)
    assert articles["path"].tolist() == ["a.md", "b.txt"]
    assert articles.loc[1, "text"] == "Second article.\n\nIt has “two” paragraphs.\n"
    assert articles["format"].tolist() == ["md", "txt"]
    assert articles["outlet"].isna().all()


def test_single_file_and_list_of_files(write):
    a = write("one.txt", "Alpha text.")
    b = write("two.txt", "Beta text.")
    assert load_corpus(a)["text"].tolist() == ["Alpha text."]
    assert load_corpus([b, a])["text"].tolist() == ["Alpha text.", "Beta text."]
    assert load_corpus(str(a))["path"].tolist() == ["one.txt"]


def test_cp1252_curly_quotes_come_out_curly(write):
    raw = "He said: \u201cWe\u2019re not resigning \u2013 at all.\u201d Caf\u00e9.".encode("cp1252")
    assert b"\x93" in raw and b"\x92" in raw
    path = write("legacy.txt", raw)
    articles = load_corpus(path)
    assert articles.loc[0, "text"] == "He said: \u201cWe\u2019re not resigning \u2013 at all.\u201d Caf\u00e9."
    assert articles.loc[0, "encoding"] == "cp1252"
    problems = articles.attrs["problems"]
    assert problems["problem"].tolist() == ["NotUtf8"]
    assert problems["action"].tolist() == ["repaired"]


def test_mojibake_is_repaired(write):
    good = "Coun Jones said: \u201cIt\u2019s time.\u201d"
    import ftfy.bad_codecs  # noqa: F401  registers "sloppy-windows-1252", the way browsers mis-decode

    mangled = good.encode("utf-8").decode("sloppy-windows-1252")
    assert "\u00e2\u20ac" in mangled
    articles = load_corpus(write("mojibake.txt", mangled))
    assert articles.loc[0, "text"] == good
    assert "Mojibake" in articles.attrs["problems"]["problem"].tolist()


def test_utf16_with_bom_and_crlf(write):
    path = write("utf16.txt", "\u201cHello\u201d he said.\r\n\r\nNext.".encode("utf-16"))
    articles = load_corpus(path)
    assert articles.loc[0, "text"] == "\u201cHello\u201d he said.\n\nNext."


def test_html_main_text_and_metadata_without_boilerplate(write):
    html = """<html><head><title>Row deepens | Daily Bugle</title>
    <meta property="og:title" content="Council row deepens">
    <meta property="og:site_name" content="Daily Bugle">
    <meta name="author" content="Ann Smith">
    <meta property="article:published_time" content="2015-01-09T10:00:00Z"></head>
    <body><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/x">Subscribe now</a></li></ul></nav>
    <article><h1>Council row deepens</h1>
    <p>Coun Jones said: \u201cI will not resign over this, whatever the opposition says about it.\u201d</p>
    <p>The opposition leader said the tweets were \u2018unacceptable\u2019 and called for a full inquiry into the matter.</p>
    </article>
    <footer><p>Copyright Daily Bugle 2015. All rights reserved. Cookie policy.</p></footer>
    <script>alert("x")</script></body></html>"""
    articles = load_corpus(write("story.html", html))
    row = articles.iloc[0]
    assert row["format"] == "html"
    assert row["title"] == "Council row deepens"
    assert row["outlet"] == "Daily Bugle"
    assert row["author"] == "Ann Smith"
    assert row["published"] == pd.Timestamp("2015-01-09")
    assert "\u201cI will not resign over this, whatever the opposition says about it.\u201d" in row["text"]
    assert "\n\n" in row["text"]  # paragraphs kept
    for boilerplate in ("Subscribe now", "Cookie policy", "alert("):
        assert boilerplate not in row["text"]


def test_manifest_overrides_html_metadata(write, tmp_path):
    write(
        "story.htm",
        "<html><head><meta property='og:site_name' content='Wrong Name'></head><body><article>"
        "<p>A long enough paragraph of real article text so that the extractor keeps it as main text.</p>"
        "</article></body></html>",
    )
    write("manifest.csv", "file,outlet,published,url,title\nstory.htm,Right Name,2015-01-07,https://example.org/x,T\n")
    row = load_corpus(tmp_path).iloc[0]
    assert row["outlet"] == "Right Name"
    assert row["url"] == "https://example.org/x"


def test_json_jsonl_and_csv_records(write, tmp_path):
    write(
        "a.json",
        json.dumps(
            [
                {"text": "First record \u201cquoted\u201d.", "source": "Outlet A", "date": "2015-01-07", "headline": "H1"},
                {"body": "Second record.", "outlet": "Outlet B"},
            ]
        ),
    )
    write("b.jsonl", json.dumps({"content": "Third record.", "url": "https://x.test/3"}) + "\n\n" + json.dumps({"text": "Fourth."}) + "\n")
    write("c.csv", "text,outlet,published,title\n\"Fifth, with a comma.\",Outlet C,7 January 2015,T5\n")
    articles = load_corpus(tmp_path).set_index("path")
    assert articles.loc["a.json#1", "text"] == "First record \u201cquoted\u201d."
    assert articles.loc["a.json#1", "outlet"] == "Outlet A"
    assert articles.loc["a.json#1", "title"] == "H1"
    assert articles.loc["a.json#1", "published"] == pd.Timestamp("2015-01-07")
    assert articles.loc["a.json#2", "outlet"] == "Outlet B"
    assert articles.loc["b.jsonl#1", "url"] == "https://x.test/3"
    assert articles.loc["b.jsonl#3", "text"] == "Fourth."
    assert articles.loc["c.csv#2", "text"] == "Fifth, with a comma."
    assert articles.loc["c.csv#2", "published"] == pd.Timestamp("2015-01-07")
    assert articles.loc["c.csv#2", "format"] == "csv"


def test_date_formats_and_precision(write, tmp_path):
    write("a.txt", "A.")
    write("b.txt", "B.")
    write("c.txt", "C.")
    write("d.txt", "D.")
    write("manifest.csv", "file,published\na.txt,07.01.15\nb.txt,January 2015\nc.txt,2014\nd.txt,\n")
    articles = load_corpus(tmp_path).set_index("path")
    assert articles.loc["a.txt", "published"] == pd.Timestamp("2015-01-07")  # day first, British
    assert articles.loc["b.txt", "published_precision"] == "month"
    assert articles.loc["c.txt", "published"] == pd.Timestamp("2014-01-01")
    assert articles.loc["c.txt", "published_precision"] == "year"
    assert pd.isna(articles.loc["d.txt", "published"])


# --- bad input ------------------------------------------------------------------------


def test_missing_path(tmp_path):
    with pytest.raises(CorpusNotFoundError, match="does not exist"):
        load_corpus(tmp_path / "nope")
    with pytest.raises(CorpusNotFoundError):
        load_corpus(tmp_path / "nope", errors="skip")


@pytest.mark.parametrize(
    "name, content, error, words",
    [
        ("empty.txt", b"", EmptyArticleError, "empty"),
        ("blank.txt", b"  \n\n ", EmptyArticleError, "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, BinaryFileError, "binary"),
        ("zeros.txt", b"\x00\x01\x02\x03" * 500, BinaryFileError, "binary"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + bytes(range(256)), BinaryFileError, "binary"),
        ("notes.docx2", b"plain words", UnsupportedFormatError, "extension"),
        ("bad.json", b"{not json", BadRecordError, "not valid JSON"),
        ("bad.jsonl", b'{"text": "ok"}\n{broken\n', BadRecordError, "line 2"),
        ("notext.csv", b"title,outlet\nT,O\n", BadRecordError, "row 2"),
        ("notext.json", b'[{"title": "x"}]', BadRecordError, "record 1"),
    ],
)
def test_bad_files_raise_specific_errors_naming_the_file(write, name, content, error, words):
    path = write(name, content)
    with pytest.raises(error) as info:
        load_corpus(path)
    assert name in str(info.value)
    assert words in str(info.value)
    assert isinstance(info.value, QuotetraceError)
    assert info.value.path == name


def test_undecodable_bytes(write, monkeypatch):
    import charset_normalizer

    class _Nothing:
        def best(self):
            return None

    monkeypatch.setattr(charset_normalizer, "from_bytes", lambda *a, **k: _Nothing())
    path = write("garbled.txt", b"caf\xe9 \xff\xfe\xfd text that is not utf-8")
    with pytest.raises(EncodingError, match="garbled.txt.*save it as UTF-8"):
        load_corpus(path)


def test_manifest_row_naming_missing_file(write, tmp_path):
    write("a.txt", "A text.")
    write("manifest.csv", "file,outlet\na.txt,X\nghost.txt,Y\n")
    with pytest.raises(MissingArticleFileError) as info:
        load_corpus(tmp_path)
    assert info.value.row == 3 and "ghost.txt" in str(info.value) and "row 3" in str(info.value)
    articles = load_corpus(tmp_path, errors="skip")
    assert articles["path"].tolist() == ["a.txt"]
    problems = articles.attrs["problems"]
    assert problems["problem"].tolist() == ["MissingArticleFileError"]
    assert problems["row"].tolist() == [3]
    assert problems["action"].tolist() == ["skipped"]


def test_file_missing_from_manifest(write, tmp_path):
    write("a.txt", "A text.")
    write("extra.txt", "Unlisted.")
    write("manifest.csv", "file,outlet\na.txt,X\n")
    with pytest.raises(UnlistedArticleFileError, match="extra.txt.*manifest.csv"):
        load_corpus(tmp_path)
    articles = load_corpus(tmp_path, errors="skip")
    assert articles["path"].tolist() == ["a.txt"]
    assert articles.attrs["problems"]["path"].tolist() == ["extra.txt"]


def test_duplicate_articles(write, tmp_path):
    write("a.txt", "Same words.")
    write("b.txt", "Same words.")
    with pytest.raises(DuplicateArticleError, match="b.txt.*a.txt"):
        load_corpus(tmp_path)
    articles = load_corpus(tmp_path, errors="skip")
    assert articles["path"].tolist() == ["a.txt"]
    assert articles.attrs["problems"]["problem"].tolist() == ["DuplicateArticleError"]


def test_bad_dates(write, tmp_path):
    write("a.txt", "A text.")
    write("manifest.csv", "file,published\na.txt,the day after tomorrow-ish 99\n")
    with pytest.raises(BadDateError) as info:
        load_corpus(tmp_path)
    assert "row 2" in str(info.value) and "YYYY-MM-DD" in str(info.value)
    write("manifest.csv", "file,published\na.txt,2015-13-45\n")
    with pytest.raises(BadDateError):
        load_corpus(tmp_path)


def test_manifest_path_traversal_is_refused(write, tmp_path):
    secret = tmp_path.parent / f"{tmp_path.name}-secret.txt"
    secret.write_text("outside the corpus")
    write("a.txt", "A text.")
    write("manifest.csv", f"file\na.txt\n../{secret.name}\n/etc/passwd\n")
    with pytest.raises(UnsafePathError, match="outside the corpus folder"):
        load_corpus(tmp_path)
    articles = load_corpus(tmp_path, errors="skip")
    assert articles["path"].tolist() == ["a.txt"]
    assert articles.attrs["problems"]["problem"].tolist() == ["UnsafePathError", "UnsafePathError"]


def test_skip_mode_loads_the_rest_and_reports_why(write, tmp_path):
    write("good.txt", "Good article.")
    write("empty.txt", "")
    write("binary.txt", b"\x00" * 100)
    write("nul.txt", "Text with a stray\x00 NUL byte.")
    articles = load_corpus(tmp_path, errors="skip")
    assert articles["path"].tolist() == ["good.txt", "nul.txt"]
    assert articles.set_index("path").loc["nul.txt", "text"] == "Text with a stray NUL byte."
    problems = articles.attrs["problems"].set_index("path")
    assert problems.loc["empty.txt", "problem"] == "EmptyArticleError"
    assert problems.loc["binary.txt", "problem"] == "BinaryFileError"
    assert problems.loc["nul.txt", "action"] == "repaired"


def test_bad_errors_parameter(tmp_path):
    with pytest.raises(ParameterError, match="errors"):
        load_corpus(tmp_path, errors="ignore")


def test_inputs_untouched_even_when_loading_fails(write, tmp_path):
    write("a.txt", "A text.")
    write("manifest.csv", "file\na.txt\nghost.txt\n")
    before = _snapshot(tmp_path)
    with pytest.raises(MissingArticleFileError):
        load_corpus(tmp_path)
    assert _snapshot(tmp_path) == before
    assert set(os.listdir(tmp_path)) == {"a.txt", "manifest.csv"}


# --- streaming -----------------------------------------------------------------------


def test_iter_corpus_batches_equal_load_corpus(write, tmp_path):
    from quotetrace import iter_corpus

    for i in range(7):
        write(f"{i}.txt", f"Article number {i}.")
    write("dup.txt", "Article number 2.")
    write("empty.txt", "")
    batches = list(iter_corpus(tmp_path, batch_size=3, errors="skip"))
    assert [len(b) for b in batches] == [3, 3, 1]
    whole = load_corpus(tmp_path, errors="skip")
    streamed = pd.concat(batches, ignore_index=True)
    assert streamed["article_id"].tolist() == whole["article_id"].tolist()
    problems = pd.concat([b.attrs["problems"] for b in batches])
    assert set(problems["problem"]) == {"DuplicateArticleError", "EmptyArticleError"}
    with pytest.raises(ParameterError, match="batch_size"):
        list(iter_corpus(tmp_path, batch_size=0))


def test_articles_tables_can_be_concatenated(tweetgate, tmp_path, write):
    write("x.txt", "Another article.")
    both = pd.concat([tweetgate, load_corpus(tmp_path)], ignore_index=True)
    assert len(both) == 4


# --- what a reader sees above the body of a web page ------------------------------------------


def test_web_page_text_opens_with_headline_standfirst_and_highlights(tmp_path):
    (tmp_path / "lead.html").write_bytes((FIXTURES / "lead_page.html").read_bytes())
    row = load_corpus(tmp_path).iloc[0]
    text, head, body = row["text"], int(row["headline_end"]), int(row["body_start"])
    assert text[:head] == "Harbour council \u2018will not be bullied\u2019, says leader"  # the <h1>, not the <title>
    assert row["title"].endswith("| The Coastal Post")  # title kept as the page gives it
    lead = text[head:body].strip().split("\n\n")
    assert lead == [
        "The council leader hit back at ferry operators after a week of warnings over winter sailings.",
        "Operators warn winter sailings could stop in January",
        "Leader: \u201cWe have a plan B for the crossing,\u201d she tells councillors",
    ]
    assert text[body:].startswith("Harbourview\u2019s council leader Ada Whitlock said on Tuesday")
    assert "Lifeboat crew" not in text  # a list of links to other stories is not highlights, whatever its label
    assert text.count("The council leader hit back") == 1


def test_headline_trafilatura_keeps_moves_to_the_top_once(write):
    html = (
        "<html><head><title>Pier to be rebuilt</title></head><body><article>"
        "<p>Share this story with your friends on every network you know of today.</p>"
        "<h1>Pier to be rebuilt</h1>"
        "<p>The town\u2019s pier will be rebuilt after the fire, the council said on Monday evening.</p>"
        "<p>Work starts in the spring and should take two years, according to the plans.</p>"
        "</article></body></html>"
    )
    row = load_corpus(write("pier.html", html)).iloc[0]
    assert row["text"].count("Pier to be rebuilt") == 1
    assert row["text"][: row["headline_end"]] == "Pier to be rebuilt"
    assert row["text"][row["body_start"] :].startswith("The town\u2019s pier will be rebuilt")


def test_plain_text_is_kept_as_written_and_its_title_paragraph_is_the_headline(write, tmp_path):
    write("a.txt", "Mayor vows to rebuild pier\n\nThe mayor said the pier would be rebuilt.")
    write("b.txt", "The mayor said the pier would be rebuilt by 2027.")
    write("manifest.csv", "file,outlet,published,url,title\na.txt,X,,,Mayor vows to rebuild pier\nb.txt,X,,,Mayor vows to rebuild pier\n")
    rows = load_corpus(tmp_path).set_index("path")
    assert rows.loc["a.txt", "text"].startswith("Mayor vows")  # never changed
    assert (rows.loc["a.txt", "headline_end"], rows.loc["a.txt", "body_start"]) == (26, 28)
    assert (rows.loc["b.txt", "headline_end"], rows.loc["b.txt", "body_start"]) == (0, 0)
    assert rows["body_start"].dtype == "int64"


def test_a_site_logo_in_an_h1_is_not_the_headline(write):
    html = (
        "<html><head><title>Ferry sailings to end in January, operators warn | The Coastal Post</title>"
        "<meta property='og:title' content='Ferry sailings to end in January, operators warn | The Coastal Post'></head><body>"
        "<header><h1>The Coastal Post</h1></header><article>"
        "<p>Winter ferry sailings will end in January unless the council finds new money, the operators said on Monday.</p>"
        "<p>The council leader said a plan B was ready and would be published before the budget vote next month.</p>"
        "</article></body></html>"
    )
    row = load_corpus(write("ferry.html", html)).iloc[0]
    assert row["text"][: row["headline_end"]].startswith("Ferry sailings to end in January")
