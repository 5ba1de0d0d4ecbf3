"""An unclosed ``:::`` or backtick fence is reported at the line where it opens.

MyST treats everything after an unclosed fence as the fence's content: a missing
closing ``:::`` swallows the rest of the chapter into one admonition or dropdown,
and the build then reports only what that broke elsewhere (a heading that others
link to is gone, a citation vanished), far from the mistake. This check reads each
page and each included snippet as it is read, finds fences with no closing line
(the same way MyST's Markdown parser does, so lists and quotes are handled), and
names the line where the unclosed fence opens.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from mdit_py_plugins.colon_fence import colon_fence_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from sphinx.util import logging

logger = logging.getLogger(__name__)

# Directives whose content is literal text, not Markdown: a fence inside them is text.
LITERAL_DIRECTIVES = {"code", "code-block", "sourcecode", "literalinclude", "math", "raw",
                      "eval-rst", "graphviz", "digraph", "graph", "csv-table"}


def parser() -> MarkdownIt:
    return MarkdownIt("commonmark").use(front_matter_plugin).use(colon_fence_plugin)


def directive_name(info: str) -> str:
    info = info.strip()
    return info[1:info.index("}")] if info.startswith("{") and "}" in info else ""


def is_closed(token, lines: list[str]) -> bool:
    """A fence is closed when the last line it covers is a closing fence of its marker."""
    start, end = token.map
    if end - 1 <= start:
        return False
    last = lines[end - 1].strip() if end - 1 < len(lines) else ""
    # Inside a list or a quote the line still carries the container's marker.
    last = last.lstrip(">").strip()
    marker = token.markup
    return (len(last) >= len(marker) and set(last) == {marker[0]})


def unclosed_fences(text: str, offset: int = 0, md: MarkdownIt | None = None, parent=None):
    """Yield (line number, opening line, detail) for every fence that is never closed.

    ``parent`` is the enclosing directive's (line, opening line, marker, closing line). A
    block nested in a directive must use a shorter fence than the directive; when an
    inner fence as long as its parent is left open, the parent's closing line was really
    the inner block's, and the parent is the fence the contributor forgot to close.
    """
    md = md or parser()
    lines = text.split("\n")
    for token in md.parse(text):
        if token.type not in ("fence", "colon_fence") or not token.map:
            continue
        start, end = token.map
        opening, marker = lines[start].strip(), token.markup
        if not is_closed(token, lines):
            if (parent and parent[2][0] == marker[0] and len(marker) >= len(parent[2])):
                yield parent[0], parent[1], (f" (the line {parent[3]} that closes it was meant "
                                             f"for '{opening}' on line {offset + start + 1})")
            else:
                yield offset + start + 1, opening, ""
        name = directive_name(token.info)
        if (token.type == "colon_fence" or name) and name not in LITERAL_DIRECTIVES:
            # A directive's body is Markdown again: look for fences left open inside it.
            here = (offset + start + 1, opening, marker, offset + end)
            yield from unclosed_fences(token.content, offset + start + 1, md, here)


def report(text: str, location: str) -> None:
    for line, opening, detail in unclosed_fences(text):
        marker = opening.lstrip(">").strip()
        fence = marker[: len(marker) - len(marker.lstrip(marker[0]))] if marker else "```"
        logger.warning(
            f"'{opening}' is never closed{detail}, so what follows becomes its content — "
            f"close it with a line of {fence} where the block should end (a block inside "
            f"it needs a shorter fence)",
            location=f"{location}:{line}", type="bookext", subtype="unclosed_fence")


def check_page(app, docname: str, source: list[str]) -> None:
    report(source[0], app.env.doc2path(docname))


def check_include(app, relative_path, parent_docname: str, content: list[str]) -> None:
    report(content[0], str(app.srcdir / relative_path))


def setup(app):
    app.connect("source-read", check_page)
    app.connect("include-read", check_include)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
