#!/usr/bin/env python
"""Wrap the prose of every markdown cell of nbs/*.ipynb at WIDTH characters (paragraphs and list items; tables,
headings, code blocks, math blocks and HTML are left as they are). Writes only notebooks that change.

    .venv/bin/python scripts/wrap_markdown.py            # wrap
    .venv/bin/python scripts/wrap_markdown.py --check    # exit 1 and name the notebooks that have longer lines
"""
import json, re, sys, textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WIDTH = 110
ITEM = re.compile(r'^(\s*(?:[-*+]|\d+\.)\s+|\s*>\s?)')

def keep(line:str) -> bool:
    "Lines that are not prose: table rows, headings, HTML, indented code, link definitions."
    s = line.lstrip()
    return not s or s.startswith(('|', '#', '<', '$$', '![', '[^')) or line.startswith('    ') or re.match(r'^\[[^\]]+\]:', s) is not None

def wrap_cell(src:str) -> str:
    "Reflow each paragraph (or list item) that has a line longer than WIDTH; everything else is left as it is."
    out, para, fenced, math = [], [], False, False
    def flush():
        if not para: return
        if max(len(l) for l in para) <= WIDTH: out.extend(para)
        else:
            m = ITEM.match(para[0])
            first = m.group(1) if m else re.match(r'^\s*', para[0]).group(0)
            rest = first if first.lstrip().startswith('>') else ' ' * len(first)
            words = ' '.join([para[0][len(first):].strip()] + [l.strip().lstrip('>').strip() if first.lstrip().startswith('>') else l.strip() for l in para[1:]])
            out.extend(textwrap.wrap(words, WIDTH, initial_indent=first, subsequent_indent=rest, break_long_words=False, break_on_hyphens=False))
        para.clear()
    for line in src.split('\n'):
        s = line.strip()
        if s.startswith('```'): flush(); fenced = not fenced; out.append(line); continue
        if not fenced and s.startswith('$$'):   # a display-math block opens or closes here (a one-line $$...$$ does neither)
            flush()
            if not (len(s) > 4 and s.endswith('$$')): math = not math
            out.append(line); continue
        if fenced or math or keep(line) or line.endswith('  ') or line.endswith('\\'): flush(); out.append(line); continue
        if ITEM.match(line) and not (para and ITEM.match(para[0]) and ITEM.match(para[0]).group(1).lstrip().startswith('>') and s.startswith('>')): flush()
        para.append(line)
    flush()
    return '\n'.join(out)

def long_lines(nb) -> int:
    n = 0
    for c in nb['cells']:
        if c['cell_type'] != 'markdown': continue
        src = ''.join(c['source'])
        if wrap_cell(src) != src: n += 1
    return n

def main(argv):
    check = '--check' in argv
    bad = []
    for p in sorted((ROOT/'nbs').glob('*.ipynb')):
        text = p.read_text(); nb = json.loads(text)
        if check:
            if long_lines(nb): bad.append(p.name)
            continue
        for c in nb['cells']:
            if c['cell_type'] == 'markdown':
                c['source'] = wrap_cell(''.join(c['source'])).splitlines(keepends=True)
        new = json.dumps(nb, indent=1, ensure_ascii=False) + '\n'
        if new != text: p.write_text(new); print('wrapped', p.name)
    if check and bad: print('markdown lines over', WIDTH, 'characters in:', ', '.join(bad), '(run scripts/wrap_markdown.py)'); return 1
    return 0

if __name__ == '__main__': sys.exit(main(sys.argv[1:]))
