"""Contributor checks: each reads the sources or the doctree and reports a mistake as a
warning that names the file, the line and the fix (warnings fail the build)."""
