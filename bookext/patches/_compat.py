"""Version checks for code that depends on a library's private internals.

Each patch in this folder (and ``bookext.features.assets`` with the theme blocks copied
into ``docs/_templates/layout.html``) was written against one version of a library and
calls :func:`require` in its ``setup()``. On any other version the build stops with a
message that names the patch, what it replaces, how to check it against the new
version, and how to do without it — instead of silently misbehaving.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from sphinx.errors import ExtensionError


def require(patch: str, distribution: str, written_for: str, replaces: str) -> None:
    """Stop the build unless ``distribution`` is at version ``written_for``."""
    try:
        installed = version(distribution)
    except PackageNotFoundError:
        installed = "not installed"
    if installed != written_for:
        raise ExtensionError(
            f"{patch} was written for {distribution} {written_for}, but {installed} is "
            f"installed. It replaces {replaces}, which the library does not promise to keep. "
            f"Compare that code in {distribution} {installed} with the patch (its docstring "
            f"says what it relies on); if it still fits, set WRITTEN_FOR in "
            f"{patch.replace('.', '/')}.py to \"{installed}\". Otherwise remove '{patch}' "
            f"from conf.py's extensions: the book builds without it.")
