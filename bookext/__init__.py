"""The book's own Sphinx extensions, one concern per module.

Each module has a ``setup(app)`` and can be enabled on its own in ``conf.py``.
Messages are written for a contributor who has never used Sphinx: they name
the file, the line where there is one, what is wrong and how to fix it.
"""
