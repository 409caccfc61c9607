"""Check that every claim's before+expression+after occurs (once) in the text that was read.

Usage (needs trafilatura + lxml, e.g. the project's venv interpreter; does not touch quotetrace):
    python3 /work/shared/goldsets/news-dev/fetch.py /tmp/newsdev
    /work/main/.venv/bin/python verify.py /tmp/newsdev /work/main/data/corpora/tweetgate

Reading text of a news page = its headline (and standfirst where trafilatura drops them) + trafilatura 2.3.1
`extract(html, with_metadata=True, favor_recall=True, include_tables=True)` body; list bullets "- " removed.
Check 1 (must): the context, folded (curly->straight quotes, whitespace runs -> one space), occurs exactly once
in the folded reading text.  Check 2: it also occurs in the page's full lxml visible text (script/style dropped),
compared with all whitespace removed (lxml itertext joins inline elements unevenly).
"""
import json, os, re, sys
import lxml.html, trafilatura
HERE = os.path.dirname(os.path.abspath(__file__))
HEADS = {
 'theguardian.com.academics.html': "Thousands of UK academics 'treated as second-class citizens'\nReport claims higher education institutions have created pool of low-paid staff for teaching and research\n",
 'dw.com.uncork.html': "Uncork the mystery of Germany's Frühburgunder\n",
 'threatpost.com.android.html': "Android Ransomware Spreads Via ‘Sex Simulation Game’ Links on Reddit, SMS\n",
 'cnn_article.html': "After storm, forecasters see smooth sailing for Thanksgiving\n",
 'video_article_02.html': "Faker wins 4th title as T1 embody Heartsteel’s song to become your Worlds 2023 champion!\nSame tears, different emotions.\n",
 'boingboing.net.millenials.html': "Hating Millennials - the prejudice you're allowed to boast about\n",
}
Q = str.maketrans({'“': '"', '”': '"', '„': '"', '″': '"', '‘': "'", '’': "'", '‚': "'", '′': "'"})
def fold(s): return re.sub(r'\s+', ' ', s.translate(Q)).strip()
def nows(s): return re.sub(r'\s', '', s.translate(Q))
def lines(t): return ' '.join(re.sub(r'^- ', '', re.sub(r'[ \t\xa0]+', ' ', l).strip()) for l in t.split('\n'))
def main(htmldir, tgdir):
    J = json.load(open(os.path.join(HERE, 'claims.json')))
    bad = 0; n = 0
    for grp, recs in J.items():
        for name, rec in recs.items():
            if grp == 'news-dev':
                raw = open(os.path.join(htmldir, name), 'rb').read()
                t = trafilatura.extract(raw, include_comments=False, include_tables=True, with_metadata=True, favor_recall=True) or ''
                body = t.split('\n---\n', 1)[1] if t.startswith('---') else t
                read = HEADS.get(name, '') + body
                doc = lxml.html.fromstring(raw)
                for el in doc.xpath('//script|//style|//noscript|//template'): el.drop_tree()
                vis = ' '.join(doc.itertext())
            else:
                read = vis = open(os.path.join(tgdir, name), encoding='utf-8').read()
            fr = fold(lines(read)); nv = nows(vis)
            for c in rec['claims']:
                n += 1
                k = fold(c['before'] + c['expression'] + c['after'])
                if fr.count(k) != 1 or nows(k) not in nv:
                    bad += 1; print('FAIL', name, fr.count(k), nows(k) in nv, repr(k))
    print(f'{n} claims checked, {bad} failures')
    return bad
if __name__ == '__main__':
    sys.exit(1 if main(sys.argv[1], sys.argv[2]) else 0)
