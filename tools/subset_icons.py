"""Cut the theme's Font Awesome web fonts down to the icons the book shows.

pydata-sphinx-theme draws its icons (menu, search, dark mode, GitHub, edit...) with
Font Awesome web fonts: about 245 KB of woff2 for ~2,000 glyphs, of which the book uses
about 20. This script writes subsets with only those glyphs into
``docs/_static/vendor/fontawesome/webfonts/``; Sphinx copies ``html_static_path`` after
the theme's own static files, so the small fonts replace the large ones at the same URLs
and the theme's stylesheet needs no change. ``icons.json`` beside them lists what is kept;
``tests/test_assets.py`` fails when a page uses an icon that is not in it (rerun this
script then).

Maintainer tool, not needed to build the book. It needs fontTools with Brotli, which are
not book dependencies (the fonts are committed)::

    python3 -m venv /tmp/fontvenv && /tmp/fontvenv/bin/pip install fonttools==4.68.0 brotli==1.2.1
    make html && /tmp/fontvenv/bin/python tools/subset_icons.py _build/html

Font Awesome Free fonts: SIL OFL 1.1 (LICENSE.txt beside the fonts).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
DEST = ROOT / "docs" / "_static" / "vendor" / "fontawesome" / "webfonts"
FONTS = ("fa-solid-900.woff2", "fa-regular-400.woff2", "fa-brands-400.woff2")
# Icons the theme switches to in JavaScript or shows only in some states (a fullscreen
# toggle, nested navigation); cheap to keep.
EXTRA = {"compress", "chevron-down", "chevron-right", "chevron-left", "chevron-up",
         "angle-down", "angle-up", "download", "file-pdf", "square-github", "link",
         "circle-info", "triangle-exclamation", "copy", "check", "xmark"}
ICON_CLASS = re.compile(r"\bfa-([a-z0-9-]+)")
NOT_ICONS = {"solid", "regular", "brands", "classic", "fw", "lg", "xs", "sm", "xl", "2x",
             "3x", "spin", "pulse", "rotate-90", "flip-horizontal"}


def icon_codepoints(css: str) -> dict[str, int]:
    """Map icon names to code points from rules such as ``.fa-bars,.fa-navicon{--fa:"\\f0c9"}``."""
    found = {}
    for selectors, code in re.findall(r'((?:\.fa-[a-z0-9-]+,?)+)\{--fa:"\\([0-9a-f]+)"', css):
        for name in re.findall(r"\.fa-([a-z0-9-]+)", selectors):
            found.setdefault(name, int(code, 16))
    return found


def used_icons(html_dir: Path) -> set[str]:
    names = set(EXTRA)
    files = [*html_dir.rglob("*.html"), *(html_dir / "_static" / "scripts").glob("*.js")]
    for path in files:
        names |= set(ICON_CLASS.findall(path.read_text(encoding="utf-8", errors="replace")))
    return names - NOT_ICONS


def main(html_dir: Path) -> None:
    static = html_dir / "_static"
    css = (static / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    codes = icon_codepoints(css)
    icons = {name: codes[name] for name in sorted(used_icons(html_dir)) if name in codes}
    source = _theme_webfonts()
    DEST.mkdir(parents=True, exist_ok=True)
    for name in FONTS:
        font = TTFont(source / name)
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = ["*"]
        sub = subset.Subsetter(options)
        sub.populate(unicodes=[c for c in icons.values() if c in font.getBestCmap()])
        sub.subset(font)
        font.flavor = "woff2"
        font.save(DEST / name)
        print(f"{name}: {(source / name).stat().st_size} -> {(DEST / name).stat().st_size} bytes")
    manifest = {"source": "pydata-sphinx-theme's bundled Font Awesome Free",
                "icons": {name: f"{code:04x}" for name, code in icons.items()}}
    (DEST / "icons.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    print(f"{len(icons)} icons kept: {', '.join(icons)}")


def _theme_webfonts() -> Path:
    """The untouched fonts inside the installed theme package (not the build's copies)."""
    venv_lib = ROOT / ".venv" / "lib"
    for candidate in venv_lib.glob("python3*/site-packages/pydata_sphinx_theme/theme/"
                                   "pydata_sphinx_theme/static/vendor/fontawesome/webfonts"):
        return candidate
    raise SystemExit("pydata-sphinx-theme not found in .venv: run `make setup` first")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]))
