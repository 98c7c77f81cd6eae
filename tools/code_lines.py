"""Lines of plugin code under plugins/, counted without documentation strings (DOCUMENTATION, EXAMPLES, RETURN and
docstrings), comments and blank lines: the size figure of benchmarks/README.md. Usage: python tools/code_lines.py"""

import ast
import io
import sys
import tokenize
from pathlib import Path


def code_lines(source):
    strings = set()  # the lines of every documentation string
    for node in ast.walk(ast.parse(source)):
        body = getattr(node, 'body', None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            strings.update(range(body[0].lineno, body[0].end_lineno + 1))
        if isinstance(node, ast.Assign) and any(getattr(t, 'id', None) in ('DOCUMENTATION', 'EXAMPLES', 'RETURN')
                                                for t in node.targets):
            strings.update(range(node.lineno, node.end_lineno + 1))
    lines = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                              tokenize.ENDMARKER):
            lines.update(line for line in range(token.start[0], token.end[0] + 1) if line not in strings)
    return len(lines)


def main(root='plugins'):
    counts = dict((str(path), code_lines(path.read_text())) for path in sorted(Path(root).rglob('*.py'))
                  if 'doc_fragments' not in path.parts)
    for path, count in counts.items():
        print('%5d  %s' % (count, path))
    print('%5d  in all' % sum(counts.values()))


if __name__ == '__main__':
    main(*sys.argv[1:])
