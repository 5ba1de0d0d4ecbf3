"""The book's own Sphinx code, in three kinds of module; the folder says which.

``checks/``
    Contributor checks. Each turns a mistake into a warning (an error under ``-W``) that
    names the file, the line, what is wrong and how to fix it.
``features/``
    What readers get: shared facts, reference links, handouts, the Downloads page,
    learning objectives, search, page weight.
``patches/``
    Changes to libraries' internals, for build speed or accessibility. Each checks the
    library version it was written for (``patches/_compat.py``), undoes any global change
    when the build finishes, and names the upstream change that would retire it.
``edition.py``, ``products.py``, ``pages.py``
    Not extensions: conf.py, the Makefile and ``tools/`` read them. Which edition a build
    is (the record in CHANGELOG.md); which PDFs exist, their names and where they go; the
    page roles in ``docs/_data/pages.yml``.

What happens when, in the order of a build:

``config-inited``
    ``features.facts`` turns ``docs/_data/facts.yml`` into substitutions;
    ``checks.language`` and ``features.downloads`` resolve their files against conf.py.
``builder-inited``
    ``checks.bibcheck`` checks ``references.bib`` (file and line); ``features.bibstyle``
    loads references formatted in the last build; ``patches.templatecache`` sets Jinja's
    bytecode cache. (``patches.bibcache`` and ``patches.bibindex`` patch at ``setup``.)
reading each page (transforms, ``doctree-read``)
    ``checks.reviewdate``, ``checks.safetyboxes``, ``checks.alttext``,
    ``checks.language`` and ``checks.citedclaims`` check the page;
    ``features.search`` and ``features.objectives`` collect sections and objectives
    (merged from parallel readers at ``env-merge-info``).
``env-check-consistency``
    ``checks.bibcheck`` reports entries nobody cites.
resolving and writing (post-transforms, ``doctree-resolved``, ``html-page-context``)
    ``features.handouts`` keeps each chapter PDF whole; ``features.objectives`` fills the
    objectives page; ``features.assets`` defers scripts and names sidebar buttons;
    ``patches.citationlist`` writes reference lists as accessible lists.
``build-finished``
    ``checks.privacy`` scans the written site for resources from other hosts;
    ``features.search`` writes its data; ``features.bibstyle`` saves formatted references;
    the global patches are undone.

Each module has a ``setup(app)``, can be enabled on its own in ``conf.py``, and returns
``{"parallel_read_safe": True, "parallel_write_safe": True}``.
"""
