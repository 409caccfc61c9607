"""A real browser: JupyterLab opens the verification notebook, runs every cell, and shows the table and charts.

Starts JupyterLab on 127.0.0.1 with a token and temporary config/data/runtime
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
                page.wait_for_selector("#T_verification", timeout=180_000)
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
            table = page.locator("#T_verification")
            table.scroll_into_view_if_needed()
            page.wait_for_timeout(500)
            assert "Moribund Miliband" in table.inner_text()  # rendered and visible, not just in the DOM
            assert page.locator("#T_verification mark", has_text="has").count() >= 1
            shot = tmp_path / "jupyterlab-verify_quotes.png"
            page.screenshot(path=str(shot), full_page=False)
            assert shot.stat().st_size > 10_000
            keep = ROOT / "test-output"
            keep.mkdir(exist_ok=True)
            shutil.copy(shot, keep / shot.name)
        finally:
            browser.close()
