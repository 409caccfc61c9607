"""Tally the kit's hostile-input and fault suite: tried / handled / crashed / lost (issue #18).

Runs the suite's test files with pytest against the quotetrace found at ``--lib`` (a ``lib/`` folder:
this checkout's, or an older one to measure "before") and sorts every case by what the code did:

* handled   - the case passed: a clear QuotetraceError naming the place, or the data came through intact;
* lost      - a case about data (runs mixing or overwriting reports, writes outside --out, verdict history
              rewritten, a file outside the corpus read or shown, a column replaced) failed its assertions;
* crashed   - the code raised something other than a QuotetraceError (a traceback), or hung past the limit;
* unclear   - no crash and no loss, but the wrong error, an unhelpful message or a missing feature.

    python benchmarks/hostile_tally.py --lib lib            # after
    python benchmarks/hostile_tally.py --lib /old/checkout/lib   # before

The two slow volume tests (50 MB article, 20,000 files) are left out (they pass before and after).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = ["tests/test_hostile.py", "tests/test_run.py", "tests/test_verdicts.py", "tests/test_packaging.py"]
SKIP = "not a_50_mb_article and not 20000_small_articles"
# cases whose failure means data was mixed, rewritten, leaked or written where it must not be
LOSS = re.compile(
    r"same_second|never_reused|live_run|published_meanwhile|escape_or_clobber|latest_survives|never_makes_a_folder|"
    r"inside_the_corpus|cannot_be_replaced|replace_guard|integrity_check|symlinked_manifest|"
    r"keep_their_data|links_out_of_the_corpus|append_only|not_clobbered"
)
_NOT_CRASH = ("AssertionError", "Failed: DID NOT RAISE", "Regex pattern did not match", "assert ")


def classify(case: ET.Element) -> str:
    problem = case.find("failure")
    if problem is None:
        problem = case.find("error")
    if case.find("skipped") is not None:
        return "skipped"
    if problem is None:
        return "handled"
    text = (problem.get("message") or "") + "\n" + (problem.text or "")
    name = case.get("name", "")
    last = [ln for ln in text.splitlines() if ln.startswith("E ")]
    final = last[-1] if last else text.splitlines()[0] if text else ""
    if "Timeout" in text:
        return "crashed"
    if LOSS.search(name) and "insert-or-ignore" not in name:  # OR IGNORE is refused too, but it never rewrote
        return "lost"  # whatever the failure looked like, data was mixed, rewritten, leaked or misplaced
    if any(marker in (problem.get("message") or "") for marker in _NOT_CRASH) or final.lstrip("E ").startswith(("assert", "AssertionError", "Failed")):
        return "unclear"
    if re.search(r"(ImportError|AttributeError).*quotetrace|cannot import name|has no attribute '(_reserve|notebooks_dir|checkout)", text):
        return "unclear"  # the feature is missing
    if "quotetrace.errors." in final or "QuotetraceError" in final or "Error: " in final and "quotetrace" in final.split(":")[0]:
        return "unclear"  # a quotetrace error, but not the right one
    return "crashed"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lib", default=str(ROOT / "lib"), help="the lib/ folder holding the quotetrace to test")
    parser.add_argument("--timeout", type=int, default=1800)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "junit.xml"
        env = {**os.environ, "PYTHONPATH": str(Path(args.lib).resolve())}
        try:
            subprocess.run(
                [sys.executable, "-m", "pytest", *FILES, "-q", "-p", "no:cacheprovider", "-k", SKIP, f"--junitxml={report}"],
                cwd=ROOT, env=env, capture_output=True, timeout=args.timeout,
            )
        except subprocess.TimeoutExpired:
            print("the suite hung past the time limit")
            return 1
        cases = ET.parse(report).getroot().iter("testcase")
        tally: Counter = Counter()
        rows = []
        for case in cases:
            kind = classify(case)
            tally[kind] += 1
            rows.append((kind, f"{case.get('classname', '').split('.')[-1]}::{case.get('name')}"))
    for kind, name in sorted(rows):
        if kind != "handled":
            print(f"  {kind:8} {name}")
    tried = sum(v for k, v in tally.items() if k != "skipped")
    print(f"lib={args.lib}: tried {tried}, handled {tally['handled']}, crashed {tally['crashed']}, lost {tally['lost']}, unclear {tally['unclear']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
