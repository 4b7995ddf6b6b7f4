#!/usr/bin/env python3
"""Wraps C# lines longer than the house limit (160 columns) without changing what the code means.

Usage: tests/tools/wrap-long-lines.py [--check] [FILE ...]   (default: every tracked *.cs file)

A long line is broken, repeatedly, at the best place before the limit: the outermost of an argument comma, a
logical or null-coalescing operator, a lambda or expression-body arrow, a ternary or + operator, a member access
after a call, or a space inside a string literal (split into two literals joined by +, the interpolation prefix
repeated; never inside a hole, never for a literal that is a pattern or has a member access on it). The
continuation is indented four spaces deeper. Comment lines are re-flowed at word boundaries with the same prefix.
Lines inside raw string literals are data and are left alone. --check lists every other line over the limit and
exits 1 when there is one.
"""
import re
import subprocess
import sys

LIMIT = 160

# The start of a string literal: optional $ (any number), @, or both, then a quote.
LITERAL = re.compile(r'(\$+@?|@\$+|@)?"')


def scan(line):
    """Tokens of one code line: ('code', text, depth) runs, ('str', text, depth, prefix, splittable, start) literals,
    ('comment', text). Depth counts (), [] and {} outside strings, and generic <> after an identifier."""
    tokens = []
    depth = 0
    i = 0
    n = len(line)
    code_start = 0
    code = []

    def flush(upto):
        if upto > code_start:
            tokens.append(('code', line[code_start:upto], None))

    out = []  # (kind, start, end, depth_at_start, extra)
    while i < n:
        c = line[i]
        if line.startswith('//', i):
            out.append(('comment', i, n, depth, None))
            i = n
            break
        m = LITERAL.match(line, i)
        if m and (i == 0 or not (line[i - 1].isalnum() or line[i - 1] == '_')):
            prefix = m.group(1) or ''
            if line.startswith('"""', i + len(prefix)):
                # A raw string literal: whole, or it runs past the line (the caller tracks that).
                end = line.find('"""', i + len(prefix) + 3)
                if end < 0:
                    out.append(('rawopen', i, n, depth, None))
                    return out
                while end + 3 < n and line[end + 3] == '"':
                    end += 1
                out.append(('raw', i, end + 3, depth, None))
                i = end + 3
                continue
            j, holes = literal_end(line, i, prefix)
            end = j + 1
            if end < n and line.startswith('u8', end):
                end += 2
            out.append(('str', i, end, depth, (prefix, holes)))
            i = end
            continue
        if c == "'":
            m = re.match(r"'(\\.|[^\\'])[^']*'", line[i:])
            if m:
                i += len(m.group(0))
                continue
        if c in '([{':
            depth += 1
        elif c in ')]}':
            depth -= 1
        elif c == '<' and i > 0 and (line[i - 1].isalnum() or line[i - 1] == '_') and i + 1 < n and line[i + 1] not in ' =':
            depth += 1
        elif c == '>' and i > 0 and line[i - 1] not in ' =-' and depth > 0 and not line.startswith('>=', i):
            depth -= 1
        out.append(('ch', i, i + 1, depth, c))
        i += 1
    return out


def literal_end(line, start, prefix):
    """(index of the closing quote, interpolation holes) of the regular, verbatim or interpolated literal at start."""
    n = len(line)
    j = start + len(prefix) + 1
    interpolated = '$' in prefix
    verbatim = '@' in prefix
    holes = []
    while j < n:
        ch = line[j]
        if verbatim and ch == '"':
            if j + 1 < n and line[j + 1] == '"':
                j += 2
                continue
            break
        if not verbatim and ch == '\\':
            j += 2
            continue
        if not verbatim and ch == '"':
            break
        if interpolated and ch == '{':
            if j + 1 < n and line[j + 1] == '{':
                j += 2
                continue
            hole_start = j
            j = skip_hole(line, j + 1)
            holes.append((hole_start, j))
            continue
        j += 1
    return j, holes


def skip_hole(line, j):
    """The index just past the '}' that closes an interpolation hole opened before j."""
    depth = 1
    n = len(line)
    while j < n:
        ch = line[j]
        m = LITERAL.match(line, j)
        if m and not line[j - 1].isalnum():
            j = literal_end(line, j, m.group(1) or '')[0] + 1
            continue
        if ch == "'":
            m2 = re.match(r"'(\\.|[^\\'])'", line[j:])
            if m2:
                j += len(m2.group(0))
                continue
        if ch in '([{':
            depth += 1
        elif ch in ')]}':
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return n


def candidates(line, tokens, indent):
    """(score, break-at, kind, extra): break the line before index break-at; lower score is better."""
    found = []
    low = indent + 24
    for k, (kind, start, end, depth, extra) in enumerate(tokens):
        if kind == 'ch':
            c = extra
            if c == ',' and start + 1 < len(line) and line[start + 1] == ' ':
                found.append((depth, start + 2, 'plain', None))
            elif c == '>' and line[start - 1] == '=' and start + 1 < len(line) and line[start + 1] == ' ' and line[start - 2] == ' ':
                found.append((depth + 0.25, start + 2, 'plain', None))
            elif line.startswith(' && ', start - 1) or line.startswith(' || ', start - 1) or line.startswith(' ?? ', start - 1):
                if c in '&|?' and line[start + 1] == c:
                    found.append((depth + 0.1, start, 'plain', None))
            elif c in '?:+' and line.startswith(f' {c} ', start - 1):
                found.append((depth + 0.3, start, 'plain', None))
            elif c == '.' and start > 0 and line[start - 1] == ')' and re.match(r'\.\w+[(<]', line[start:]):
                found.append((depth + 0.4, start, 'plain', None))
        elif kind == 'str':
            prefix, holes = extra
            if '"""' in line[start:end]:
                continue
            after = line[end:end + 3]
            before = line[:start].rstrip()
            if after.startswith('.') or after.startswith('[') or after.startswith(' =>') or line.startswith('u8', end - 2):
                continue
            if re.search(r'(\bis|\bcase|\bor|\band|\bnot|==|!=)$', before) or before.endswith('=>') and False:
                continue
            if re.search(r'\b(FormattableString\.Invariant|Invariant|string\.Create|\$)\($', before) or before.endswith('Invariant('):
                continue
            body_start = start + len(prefix) + 1
            for p in range(end - 2, body_start, -1):
                if line[p] != ' ' or line[p - 1] == ' ':
                    continue
                if any(h0 <= p < h1 for h0, h1 in holes):
                    continue
                if '@' not in prefix and line[p - 1] == '\\':
                    continue
                # The first part ends with the space, then '" +'.
                found.append((depth + 0.5, p + 1, 'str', prefix))
    return [f for f in found if low <= f[1]]


def wrap_code(line):
    indent = len(line) - len(line.lstrip(' '))
    result = []
    current = line
    cont = ' ' * (indent + 4)
    guard = 0
    while len(current) > LIMIT and guard < 40:
        guard += 1
        tokens = scan(current)
        if any(t[0] in ('rawopen',) for t in tokens):
            break
        ind = len(current) - len(current.lstrip(' '))
        options = []
        for score, at, kind, prefix in candidates(current, tokens, ind):
            extra = 3 if kind == 'str' else 0
            if at + extra > LIMIT:
                continue
            options.append((score, -at, at, kind, prefix))
        if not options:
            break
        options.sort()
        _, _, at, kind, prefix = options[0]
        if kind == 'str':
            head = current[:at] + '" +'
            tail = cont + prefix + '"' + current[at:]
        else:
            head = current[:at].rstrip()
            tail = cont + current[at:].lstrip()
        if len(tail) >= len(current):
            break
        result.append(head)
        current = tail
    result.append(current)
    return result


def wrap_comment(line):
    m = re.match(r'^(\s*///?\s?)(.*)$', line)
    prefix, text = m.group(1), m.group(2)
    words = text.split(' ')
    lines = []
    cur = ''
    for w in words:
        if cur and len(prefix) + len(cur) + 1 + len(w) > LIMIT:
            lines.append(prefix + cur)
            cur = w
        else:
            cur = w if not cur else cur + ' ' + w
    lines.append(prefix + cur)
    return lines


def process(path, check):
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    out = []
    in_raw = False
    left = []
    for number, line in enumerate(lines, 1):
        if in_raw:
            out.append(line)
            if '"""' in line:
                in_raw = False
            continue
        tokens = scan(line)
        opens_raw = any(t[0] == 'rawopen' for t in tokens)
        if len(line) > LIMIT and not check:
            if re.match(r'^\s*//', line):
                new = wrap_comment(line)
            elif opens_raw:
                new = [line]
            else:
                new = wrap_code(line)
            out.extend(new)
            if any(len(x) > LIMIT for x in new):
                left.append((number, line))
        else:
            out.append(line)
            if len(line) > LIMIT:
                left.append((number, line))
        if opens_raw:
            in_raw = True
    if not check:
        text = '\n'.join(out)
        with open(path, encoding='utf-8') as f:
            if f.read() != text:
                with open(path, 'w', encoding='utf-8') as w:
                    w.write(text)
    return left


def main():
    args = sys.argv[1:]
    check = '--check' in args
    files = [a for a in args if a != '--check']
    if not files:
        files = subprocess.run(['git', 'ls-files', '*.cs'], capture_output=True, text=True, check=True).stdout.split()
    total = 0
    for path in files:
        for number, line in process(path, check):
            total += 1
            print(f'{path}:{number}: {len(line)} columns: {line.strip()[:100]}')
    if check:
        print(f'{total} line(s) over {LIMIT} columns outside raw string literals')
        sys.exit(1 if total else 0)


if __name__ == '__main__':
    main()
