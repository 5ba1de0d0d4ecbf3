"""Build speed: compile the HTML templates once, not on every build.

Sphinx compiles the theme's Jinja templates (about 40 of them) from source on each run:
about 0.6 s of every rebuild on the project's 2-core machine. Jinja can keep the compiled
code in a folder and reuse it while a template's source is unchanged (it checks the source
checksum), so a theme upgrade or an edited template is compiled again. The folder is
``jinja`` inside the doctree folder, so ``make clean`` removes it with the rest of the build.

Relies on: Sphinx 9.0.4's ``builder.templates.environment`` (a Jinja environment, per
build: nothing global to undo). Retire it when Sphinx sets a Jinja bytecode cache itself.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemBytecodeCache

from bookext.patches._compat import require

WRITTEN_FOR = "9.0.4"


def use_bytecode_cache(app) -> None:
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if environment is None:  # builders without HTML templates (LaTeX, linkcheck)
        return
    folder = Path(app.doctreedir) / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def setup(app):
    require(__name__, "sphinx", WRITTEN_FOR, "the HTML builder's templates.environment")
    app.connect("builder-inited", use_bytecode_cache)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
