"""Turn a hand-written list of quotes into a gold set for quotes_eval.py.

Usage::

    python benchmarks/make_quotes_gold.py CORPUS_DIR OUT.jsonl SPEC.json

SPEC.json maps each article file to a list of ``[quote text, speaker or null,
"speech" | "term"]``. Each quote text must appear in the article right after a
quotation mark; the first such occurrence is used. The output has one line per
quote with ``path, start, end, quote, speaker, kind`` (offsets into the text).
"""
import json, sys
from pathlib import Path
corpus = Path(sys.argv[1]); out = Path(sys.argv[2]); spec = json.loads(Path(sys.argv[3]).read_text())
rows = []
for path, items in spec.items():
    text = (corpus / path).read_text(encoding="utf-8")
    for quote, speaker, kind in items:
        hits = [i for i in range(len(text)) if text.startswith(quote, i) and text[i-1] in "\u201c\u2018\"'"]
        assert hits, (path, quote)
        i = hits[0]
        rows.append({"path": path, "start": i, "end": i + len(quote), "quote": quote, "speaker": speaker, "kind": kind})
out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
print(len(rows), "rows")
