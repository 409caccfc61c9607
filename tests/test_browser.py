"""A real browser: the HTML reports as a reader opens them, and JupyterLab running the verification notebook.

The reports of the bundled corpus and of a generated 100-article corpus are
opened in Debian's headless chromium (through Python playwright, never a
downloaded browser) at 1280 and 800 pixels: the summary and findings must be
visible without scrolling sideways, no cell may show NaN/NaT, no request may
leave the machine, and a paraphrase must not show as carrying the quoted
wording. Screenshots go to ``test-output/``.

The JupyterLab test starts JupyterLab on 127.0.0.1 with a token and temporary config/data/runtime
folders, drives Debian's headless chromium with Python playwright (never a
downloaded browser), runs "Run → Run All Cells", waits for the verification
table and the chart images, checks that no cell shows an error, saves a
screenshot in the test's output folder (and in ``test-output/``), and stops
the server by its own PID.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", "--disable-quic"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def jupyterlab(tmp_path):
    root = tmp_path / "lab"
    root.mkdir()
    shutil.copy(ROOT / "notebooks" / "verify_quotes.ipynb", root / "verify_quotes.ipynb")  # the repo's copy is never touched
    port, token = _free_port(), secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    settings = tmp_path / "settings"
    env.update(JUPYTER_CONFIG_DIR=str(tmp_path / "config"), JUPYTER_DATA_DIR=str(tmp_path / "data"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), JUPYTERLAB_SETTINGS_DIR=str(settings))
    # render every cell (no windowing, so outputs off screen exist in the page) and ask no news question
    for plugin, values in (("notebook-extension/tracker", {"windowingMode": "none"}),
                           ("apputils-extension/notification", {"fetchNews": "false"})):
        path = settings / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    log = open(tmp_path / "jupyterlab.log", "wb")
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}", "--allow-root",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--LabApp.news_url=",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    server = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                    json.load(r)
                break
            except OSError:
                if server.poll() is not None or time.time() > deadline:
                    raise RuntimeError("JupyterLab did not start:\n" + (tmp_path / "jupyterlab.log").read_text())
                time.sleep(0.5)
        yield base, token, root
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


# --- the HTML reports --------------------------------------------------------------------

MAYOR = "We spent 12 million pounds on flood barriers last year and not a single home in the valley flooded"
PARAPHRASE = "we spent 12 million on barriers and no home flooded"
STATEMENTS = [  # (speaker, words): what the generated articles quote, word for word or changed
    ("Mayor Joan Whitfield", MAYOR),
    ("Coun Omar Haddad", "The flood plan was written for the developers and the residents of the valley were never asked about it"),
    ("Minister Ann Lee", "It cost $5bn to build the barrier and $3bn to run it, and nobody asked the people who live beside the river"),
    ("Kim Lee", "Our street was under water for three days and the council did not send a single officer to help us"),
    ("Chief Engineer Ravi Patel", "The river wall will hold a one in two hundred year flood, and we tested every section of it twice"),
    ("Brendan Murphy", "We have called for the meeting because we are deeply concerned by the flood revelations and their ramifications"),
    ("Sam Corcoran", "With these latest revelations about the barrier contract, the leader should consider his position and resign"),
    ("Ana Costa", "Insurance premiums on our road have doubled since the barrier was finished, and nobody can explain why"),
]
OUTLETS = [f"{a} {b}" for a in ("Daily", "Northern", "City", "County") for b in ("Herald", "Gazette", "Echo", "Bulletin", "Courier", "Star")]


def _filler() -> list[str]:
    """Paragraphs without quotation marks from the bundled articles: real prose to set the quotes in."""
    from quotetrace import bundled_corpus

    paragraphs = []
    for path in sorted(bundled_corpus("tweetgate").glob("*.txt")):
        for p in path.read_text(encoding="utf-8").split("\n\n"):
            if len(p) > 80 and not any(m in p for m in "“”‘’\"'"):
                paragraphs.append(" ".join(p.split()))
    return paragraphs


def generated_corpus(folder: Path, n: int = 100) -> Path:
    """``n`` articles from 24 outlets over 20 days (every tenth undated), each quoting two or three of
    :data:`STATEMENTS`: mostly word for word, sometimes with a word changed or another speaker named;
    plus the mayor's statement in its own outlet, a word changed by the Evening Post, and paraphrased by
    the Valley Blog."""
    import random

    rng = random.Random(17)
    filler = _filler()
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["file,outlet,published,url,title"]
    special = [
        ("town_hall.txt", "Town Hall News", "2024-03-01", f"“{MAYOR},” Mayor Joan Whitfield said."),
        ("evening_post.txt", "Evening Post", "2024-03-02", f"“{MAYOR.replace('home', 'house')},” Joan Whitfield told the Evening Post."),
        ("valley_blog.txt", "Valley Blog", "2024-03-03", f"The mayor boasted that “{PARAPHRASE}”, the blogger wrote."),
    ]
    for k in range(n - len(special)):
        said = []
        for speaker, words in rng.sample(STATEMENTS[1:], rng.choice((2, 3))):
            roll = rng.random()
            if roll < 0.15:  # one word changed
                ws = words.split()
                i = rng.choice([j for j in range(3, len(ws) - 1) if ws[j].isalpha()])
                ws[i] = {"the": "a", "and": "but", "was": "is", "have": "had"}.get(ws[i], ws[i] + "s")
                words = " ".join(ws)
            elif roll < 0.22:  # another speaker named
                speaker = rng.choice([s for s, _ in STATEMENTS if s != speaker])
            said.append(f"“{words},” {speaker} said.")
        date = "" if k % 10 == 9 else f"2024-03-{1 + k % 20:02d}"
        special.append((f"a{k:03d}.txt", OUTLETS[k % len(OUTLETS)], date, "\n\n".join(said)))
    for name, outlet, date, quotes in special:
        body = rng.sample(filler, 2)
        (folder / name).write_text(f"{body[0]}\n\n{quotes}\n\n{body[1]}\n", encoding="utf-8")
        rows.append(f"{name},{outlet},{date},,")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The HTML reports of the bundled corpus and of the generated one (one papermill run each)."""
    from quotetrace.run import run_report

    out = tmp_path_factory.mktemp("reports")
    corpus = generated_corpus(tmp_path_factory.mktemp("generated") / "flood100")
    runs = (("tweetgate", "tweetgate"), ("flood100", corpus), ("harbourview", "harbourview"))
    return {name: run_report(source, out=out, run_id="r1").folder for name, source in runs}


_CELLS = """() => [...document.querySelectorAll('td, th')].map(c => c.innerText.trim())
                .filter(t => /^(nan|NaN|NaT|None|<NA>)$/.test(t) || /\\bNaT\\b|\\bnan\\b/.test(t))"""
_STATUSES_OF = """(needle) => {
    const out = {}; let inside = false;
    for (const tr of document.querySelectorAll('#qt-statements tbody tr')) {
        const cells = [...tr.children].map(td => td.innerText.trim());
        if (cells.length === 5) { inside = cells[0].includes(needle); cells.shift(); }
        if (inside) out[cells[0].split(',')[0]] = cells[1];
    }
    return out; }"""


_CHIPS_OUTSIDE_CELLS = """(table) => [...document.querySelectorAll(table + ' .qt-chip')]
    .filter(c => c.getBoundingClientRect().right > c.closest('td').getBoundingClientRect().right + 0.5
                 || (!c.innerText.includes(' ') && c.getBoundingClientRect().height > 1.5 * parseFloat(getComputedStyle(c).lineHeight)))
    .map(c => c.innerText)"""  # a verdict spills into the next column, or a one-word verdict is broken in two


@pytest.mark.parametrize("width", [1280, 800])
@pytest.mark.parametrize("corpus", ["tweetgate", "flood100", "harbourview"])
def test_html_report_in_a_real_browser(reports, corpus, width):
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: apt-get install chromium (make test does it)"
    keep = ROOT / "test-output"
    keep.mkdir(exist_ok=True)
    for name in ("verify_quotes", "verify_claims"):
        page_file = reports[corpus] / f"{name}.html"
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
            try:
                context = browser.new_context(viewport={"width": width, "height": 1000})
                requested = []

                def route(r):
                    requested.append(r.request.url)
                    return r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort()

                context.route("**/*", route)
                page = context.new_page()
                page.goto(page_file.as_uri())
                page.wait_for_load_state("load")
                assert corpus in page.title() and " UTC" in page.title()
                summary = page.locator(".qt-summary").first
                findings = page.locator("#qt-differences" if name == "verify_quotes" else "#qt-conflicts")
                for element in (summary, findings):
                    assert element.is_visible()
                    box = element.bounding_box()
                    assert box["x"] >= 0 and box["x"] + box["width"] <= width, (name, box)
                assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
                assert page.evaluate(_CELLS) == []  # no cell shows NaN, NaT or None
                assert "How to use" not in page.inner_text("body")
                page.screenshot(path=str(keep / f"report-{corpus}-{name}-{width}.png"), full_page=False)
                if name == "verify_quotes" and corpus == "harbourview":  # the demo: the originals open the report, every verdict shown
                    assert page.locator("h2").first.inner_text().strip() == "Against the originals"
                    checks = page.locator("#qt-original-checks")
                    for verdict in ("accurate", "misquoted", "cut", "misattributed", "not in originals"):
                        assert checks.locator(".qt-chip", has_text=verdict).first.is_visible(), verdict
                    assert page.evaluate(_CHIPS_OUTSIDE_CELLS, "#qt-original-checks") == []  # no verdict spills into the next column
                    assert "moribound → moribund" in checks.inner_text() and "changes the meaning" in checks.inner_text()
                    page.screenshot(path=str(keep / f"report-{corpus}-{name}-{width}-full.png"), full_page=True)
                elif name == "verify_quotes" and corpus == "tweetgate":
                    assert page.locator("#qt-originals").count() == 0  # no originals, no section
                if name == "verify_quotes" and corpus == "flood100":
                    statuses = page.evaluate(_STATUSES_OF, "We spent 12 million pounds")
                    assert statuses["Town Hall News"] == "source" and statuses["Evening Post"] == "variant"
                    assert statuses.get("Valley Blog", "missing") == "missing"  # a paraphrase never shows as carrying the words
                    differ = page.locator("#qt-differences ~ .qt-finding", has_text="house")
                    assert differ.count() >= 1 and differ.first.locator("mark.qt-b", has_text="house").count() == 1
                    assert "$5bn" in page.inner_text("body")  # shown as written, charts drawn
                    page.screenshot(path=str(keep / f"report-{corpus}-{name}-{width}-full.png"), full_page=True)
            finally:
                browser.close()
        assert requested and all(u.startswith(("file:", "data:")) for u in requested), [u for u in requested if not u.startswith("file:")]


def test_notebook_runs_in_jupyterlab_in_a_real_browser(jupyterlab, tmp_path):
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: apt-get install chromium (make test does it)"
    base, token, root = jupyterlab
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{base}/lab/tree/verify_quotes.ipynb?reset&token={token}", timeout=120_000)
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
            page.wait_for_function("document.body.innerText.includes('| Idle')", timeout=120_000)  # the kernel is ready
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
            try:
                page.wait_for_selector("#qt-statements", timeout=180_000)
                page.wait_for_function("document.querySelectorAll('.jp-OutputArea-output img').length >= 3", timeout=180_000)
            except Exception:
                page.screenshot(path=str(tmp_path / "failure.png"))
                (ROOT / "test-output").mkdir(exist_ok=True)
                shutil.copy(tmp_path / "failure.png", ROOT / "test-output" / "failure.png")
                raise
            page.wait_for_function(
                "![...document.querySelectorAll('.jp-InputArea-prompt')].some(p => p.textContent.includes('*'))", timeout=180_000
            )
            errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
            error_text = [errors.nth(i).inner_text() for i in range(errors.count())]
            assert not [t for t in error_text if "Error" in t or "Traceback" in t], error_text
            summary = page.locator(".qt-summary").first
            summary.scroll_into_view_if_needed()
            page.wait_for_timeout(500)
            assert "36 quotations" in summary.inner_text()  # rendered and visible, not just in the DOM
            table = page.locator("#qt-statements")
            table.scroll_into_view_if_needed()
            assert "Public Sector Executive" in table.inner_text()
            assert page.locator("#qt-statements mark", has_text="had").count() >= 1
            shot = tmp_path / "jupyterlab-verify_quotes.png"
            page.screenshot(path=str(shot), full_page=False)
            assert shot.stat().st_size > 10_000
            keep = ROOT / "test-output"
            keep.mkdir(exist_ok=True)
            shutil.copy(shot, keep / shot.name)
        finally:
            browser.close()
